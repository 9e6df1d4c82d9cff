"""The Telegram channel (python-telegram-bot 22): polling or webhook, buttons, photos, menus."""

from bot.app.channels.telegram.adapter import TelegramChannel, WebhookTarget
from bot.app.channels.telegram.inbound import PhotoLimits

__all__ = ["PhotoLimits", "TelegramChannel", "WebhookTarget"]
