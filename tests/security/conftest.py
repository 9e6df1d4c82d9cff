"""The channel fixtures (fake Bot API, the real bot over it) for the security suite."""

from tests.telegram.conftest import api, bot, polling_bot, webhook_bot

__all__ = ["api", "bot", "polling_bot", "webhook_bot"]
