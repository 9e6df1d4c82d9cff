"""`chidoan-bot zalo set-webhook | delete-webhook | info`: the Zalo bot's webhook, for operators."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from bot.app.channels.zalo import ZaloClient, client_from_settings
from bot.app.channels.zalo.client import ZaloApiError
from bot.config import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("zalo", help="the Zalo bot: webhook set-up and status")
    actions = parser.add_subparsers(dest="zalo_command", metavar="ACTION", required=True)
    setter = actions.add_parser("set-webhook", help="send Zalo updates to our web server")
    setter.add_argument(
        "--url", help="public HTTPS URL (default: web.public_base_url + zalo.webhook_path)"
    )
    setter.set_defaults(func=set_webhook_command)
    deleter = actions.add_parser("delete-webhook", help="go back to long polling")
    deleter.set_defaults(func=delete_webhook_command)
    info = actions.add_parser("info", help="who the bot is and where its updates go")
    info.set_defaults(func=info_command)


def _run(settings: Settings, work: Callable[[ZaloClient], Awaitable[list[str]]]) -> int:
    """Run `work` with a client; print its lines, or one line saying what went wrong."""
    if not settings.zalo.enabled:
        print("chidoan-bot: zalo.token is not set", file=sys.stderr)
        return 2

    async def go() -> list[str]:
        async with client_from_settings(settings) as client:
            return await work(client)

    try:
        lines = asyncio.run(go())
    except ZaloApiError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def webhook_url(settings: Settings, given: str | None) -> str:
    """The URL Zalo should call; raises ValueError when none can be made."""
    if given:
        return given
    base = settings.web.public_base_url.rstrip("/")
    if not base:
        raise ValueError("give --url or set web.public_base_url")
    return base + settings.zalo.webhook_path


def set_webhook_command(args: argparse.Namespace, settings: Settings) -> int:
    async def work(client: ZaloClient) -> list[str]:
        url = webhook_url(settings, args.url)
        await client.set_webhook(url, settings.zalo.webhook_secret.get_secret_value())
        return [f"webhook set: {url}", 'set zalo.mode = "webhook" and restart the bot']

    return _run(settings, work)


def delete_webhook_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def work(client: ZaloClient) -> list[str]:
        await client.delete_webhook()
        return ['webhook deleted: the bot can use long polling (zalo.mode = "polling")']

    return _run(settings, work)


def info_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def work(client: ZaloClient) -> list[str]:
        me = await client.get_me()
        hook = await client.get_webhook_info()
        return [
            f"bot: {me.account_name or '-'} (id {me.id})",
            f"webhook: {hook.url or 'none (long polling)'}",
            f"configured mode: {settings.zalo.mode}",
        ]

    return _run(settings, work)
