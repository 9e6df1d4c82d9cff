"""The Zalo channel (Zalo Bot Platform API): client, updates, rendering and the adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.config import ConfigError, Settings
from bot.signed_links import signed_links

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["ZaloChannel", "ZaloClient", "client_from_settings", "zalo_channel"]


def client_from_settings(settings: Settings) -> ZaloClient:
    """A client for the configured token and base URL."""
    zalo = settings.zalo
    return ZaloClient(zalo.token.get_secret_value(), zalo.api_base_url)


def zalo_channel(app: App) -> ZaloChannel:
    """The Zalo channel of `app`: the web server joins in webhook mode and for signed links."""
    settings = app.settings
    zalo = settings.zalo
    if zalo.mode == "webhook" and not 8 <= len(zalo.webhook_secret.get_secret_value()) <= 256:
        raise ConfigError("zalo.webhook_secret: 8 to 256 characters are required in webhook mode")
    return ZaloChannel(
        app.engine.handle,
        client_from_settings(settings),
        mode=zalo.mode,
        web_server=app.web_server() if zalo.mode == "webhook" else None,
        webhook_path=zalo.webhook_path,
        webhook_secret=zalo.webhook_secret.get_secret_value(),
        links=signed_links(app),
        max_photo_bytes=int(settings.media.max_photo_mb * 1024 * 1024),
        download_timeout=settings.media.download_timeout_seconds,
        budget=app.budgets(ZaloChannel.name),
    )
