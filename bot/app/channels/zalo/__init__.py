"""The Zalo channel (Zalo Bot Platform API): client, updates, rendering and the adapter."""

from __future__ import annotations

from bot.app.channels.zalo.channel import ZaloChannel
from bot.app.channels.zalo.client import ZaloClient
from bot.config import Settings

__all__ = ["ZaloChannel", "ZaloClient", "client_from_settings"]


def client_from_settings(settings: Settings) -> ZaloClient:
    """A client for the configured token and base URL."""
    zalo = settings.zalo
    return ZaloClient(zalo.token.get_secret_value(), zalo.api_base_url)
