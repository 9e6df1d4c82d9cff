"""Channels wired to the app: each built from settings, joined to the engine and web server."""

from __future__ import annotations

from functools import partial

from bot.app.assembly import App
from bot.app.channels.command_menus import load_menus
from bot.app.channels.telegram import TelegramChannel, WebhookTarget
from bot.app.channels.telegram.inbound import CHANNEL, PhotoLimits
from bot.app.channels.zalo import ZaloChannel, client_from_settings
from bot.app.web.links import LinkSweeper, SignedLinks, audit_download
from bot.config import ConfigError
from handlers.evidence.links import PhotoLinks


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
        turn=app.engine.turn,
        budget=app.budgets(CHANNEL),
    )


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
        turn=app.engine.turn,
        budget=app.budgets(ZaloChannel.name),
    )


def signed_links(app: App) -> SignedLinks | None:
    """The app's signed links (route, sweeper and audit wired once), or None while
    `web.public_base_url` is unset."""
    existing = app.services.maybe(SignedLinks)
    if existing is not None:
        return existing
    if not app.settings.web.public_base_url:
        return None
    links = SignedLinks.from_settings(app.settings, app.clock)
    links.audit = partial(audit_download, app.sessions, app.clock)
    links.attach(app.web_server())
    app.services.provide(links)
    app.services.provide(links, as_type=PhotoLinks)
    app.components.append(LinkSweeper(links))
    return links


def attach_chat_channels(app: App) -> list[str]:
    """Start the Telegram and Zalo channels that have a token; returns their names."""
    if app.settings.telegram.enabled:
        app.add_channel(telegram_channel(app))
    if app.settings.zalo.enabled:
        app.add_channel(zalo_channel(app))
    return list(app.channels)
