"""The Telegram channel (python-telegram-bot 22): polling or webhook, buttons, photos, menus."""

from bot.channels.telegram.adapter import TelegramChannel, WebhookTarget
from bot.channels.telegram.inbound import PhotoLimits

__all__ = ["PhotoLimits", "TelegramChannel", "WebhookTarget"]
