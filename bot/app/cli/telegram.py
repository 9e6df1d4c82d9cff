"""`chidoan-bot telegram set-webhook | delete-webhook | info` — for operators."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.app.channels.telegram.adapter import ALLOWED_UPDATES
from bot.config import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("telegram", help="Telegram webhook and bot information")
    actions = parser.add_subparsers(dest="telegram_command", metavar="ACTION", required=True)
    setter = actions.add_parser("set-webhook", help="point Telegram at web.public_base_url")
    setter.add_argument("--url", help="full webhook URL (default: public_base_url + webhook_path)")
    setter.set_defaults(func=set_webhook_command)
    deleter = actions.add_parser("delete-webhook", help="stop webhook delivery (for polling)")
    deleter.add_argument(
        "--drop-pending", action="store_true", help="also discard updates waiting at Telegram"
    )
    deleter.set_defaults(func=delete_webhook_command)
    info = actions.add_parser("info", help="show the bot's name and its webhook status")
    info.set_defaults(func=info_command)


def _bot(settings: Settings) -> Bot:
    tg = settings.telegram
    return Bot(
        tg.token.get_secret_value(), base_url=tg.api_base_url, base_file_url=tg.file_base_url
    )


def _run(settings: Settings, work: Callable[[Bot], Awaitable[int]]) -> int:
    """Run `work` with an initialised bot; a Telegram error is one line on stderr."""
    if not settings.telegram.enabled:
        print("chidoan-bot: telegram.token is not set", file=sys.stderr)
        return 2

    async def main() -> int:
        async with _bot(settings) as bot:
            return await work(bot)

    try:
        return asyncio.run(main())
    except TelegramError as exc:
        print(f"chidoan-bot: Telegram refused: {exc}", file=sys.stderr)
        return 1


def set_webhook_command(args: argparse.Namespace, settings: Settings) -> int:
    tg = settings.telegram
    base = settings.web.public_base_url.rstrip("/")
    url = args.url or (base + tg.webhook_path if base else "")
    secret = tg.webhook_secret.get_secret_value()
    if not url:
        print("chidoan-bot: set web.public_base_url (or pass --url)", file=sys.stderr)
        return 2
    if not secret:
        print("chidoan-bot: set telegram.webhook_secret first", file=sys.stderr)
        return 2

    async def work(bot: Bot) -> int:
        await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        print(f"webhook set: {url}")
        return 0

    return _run(settings, work)


def delete_webhook_command(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Bot) -> int:
        await bot.delete_webhook(drop_pending_updates=args.drop_pending)
        print("webhook deleted" + (" (pending updates dropped)" if args.drop_pending else ""))
        return 0

    return _run(settings, work)


def info_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Bot) -> int:
        info = await bot.get_webhook_info()
        print(f"bot: @{bot.username} ({bot.first_name}, id {bot.id})")
        print(f"webhook: {info.url or '(none: polling)'}")
        print(f"pending updates: {info.pending_update_count}")
        if info.last_error_message:
            when = f"{info.last_error_date:%Y-%m-%d %H:%M} UTC" if info.last_error_date else ""
            print(f"last error: {info.last_error_message} {when}".rstrip())
        return 0

    return _run(settings, work)
