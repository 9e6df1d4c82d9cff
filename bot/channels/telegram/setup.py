"""Attaching the Telegram channel to the app: settings, web route and command menus."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from bot.channels.telegram.adapter import TelegramChannel, WebhookTarget
from bot.channels.telegram.inbound import CHANNEL, PhotoLimits
from bot.command_menus import load_menus
from bot.config import ConfigError

if TYPE_CHECKING:
    from bot.app import App


def webhook_target(app: App) -> WebhookTarget | None:
    """The public URL and secret in webhook mode; None when polling."""
    settings = app.settings
    if settings.telegram.mode != "webhook":
        return None
    base = settings.web.public_base_url.rstrip("/")
    secret = settings.telegram.webhook_secret.get_secret_value()
    if not base:
        raise ConfigError("telegram.mode = webhook needs web.public_base_url")
    if not secret:
        raise ConfigError("telegram.mode = webhook needs telegram.webhook_secret")
    return WebhookTarget(url=base + settings.telegram.webhook_path, secret=secret)


def telegram_channel(app: App) -> TelegramChannel:
    """The channel wired to the app's engine (and web server in webhook mode)."""
    settings = app.settings
    webhook = webhook_target(app)
    return TelegramChannel(
        app.engine.handle,
        settings.telegram,
        photo_limits=PhotoLimits(
            max_bytes=int(settings.media.max_photo_mb * 1024 * 1024),
            timeout=settings.media.download_timeout_seconds,
        ),
        webhook=webhook,
        web=app.web_server() if webhook is not None else None,
        menus=partial(
            load_menus, app.sessions, app.engine.dispatcher.commands, app.catalog, CHANNEL
        ),
        budget=app.budgets(CHANNEL),
    )
