"""`chidoan-bot run` (the bot) and `chidoan-bot chat` (a terminal conversation)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path
from typing import Any

from bot.app.assembly import App, add_background
from bot.app.channels.console import ConsoleChannel
from bot.app.cli.common import not_migrated
from bot.app.cli.logfile import console_log_path, logs_to_file
from bot.app.dashboard import attach_dashboard
from bot.app.demo import console_banner
from bot.app.wiring import attach_chat_channels
from bot.config import ConfigError, Settings
from storage.migrate import DatabaseNotMigrated, require_current


def register(sub: Any) -> None:
    run = sub.add_parser(
        "run",
        help="run the bot (console when no chat token is configured)",
        description="Run the bot: web server, scheduler, outbox sender and every chat channel "
        "whose token is configured (Telegram, Zalo). With no token, talk to it in this terminal.",
    )
    run.set_defaults(func=run_command)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal as one chat user")
    chat.add_argument("--user", required=True, help="the chat user id to speak as")
    chat.add_argument("--name", default="", help="display name (default: the user id)")
    chat.set_defaults(func=chat_command, quiet_logs=True)


def _console(app: App, user: str, name: str) -> ConsoleChannel:
    return ConsoleChannel(
        app.engine.handle,
        user_id=user,
        display_name=name or user,
        out_dir=app.settings.bot.data_dir / "console",
        max_photo_bytes=int(app.settings.media.max_photo_mb * 1024 * 1024),
        not_stored=app.catalog.t(app.settings.bot.default_locale, "common.not_stored"),
    )


async def _run(settings: Settings, log_file: Path | None = None) -> int:
    app = App(settings)
    attached = attach_chat_channels(app)
    attach_dashboard(app)
    if attached:
        print(f"chidoan-bot: running with {', '.join(attached)}", file=sys.stderr)
        add_background(app)
        await app.run()
        return 0
    user = getpass.getuser() or "console"
    console = _console(app, user, user)
    app.add_channel(console)
    add_background(app)
    try:
        await require_current(app.db)
        banner = await console_banner(app, user)
    except BaseException:
        await app.db.dispose()
        raise
    print("\n".join([*banner, *_console_notes(settings, log_file)]))
    await app.run(until=console.finished.wait)
    return 0


def _console_notes(settings: Settings, log_file: Path | None) -> list[str]:
    """Where the log lines go, and whether /healthz and the dashboard are served."""
    notes = [f"Log lines go to {log_file}, not to this conversation."] if log_file else []
    web = settings.web
    if web.enabled:
        notes.append(f"Web server (/healthz, dashboard) on http://{web.host}:{web.port}.")
    else:
        notes.append(
            "The web server (/healthz, dashboard) is off; start it with CHIDOAN_WEB__ENABLED=true."
        )
    return notes


async def _chat(settings: Settings, user: str, name: str) -> int:
    app = App(settings)
    console = _console(app, user, name)
    app.add_channel(console)
    await app.run(until=console.finished.wait)
    return 0


def _guard(coro: Any) -> int:
    try:
        return int(asyncio.run(coro))
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    except ConfigError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def run_command(_args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram.enabled or settings.zalo.enabled:
        return _guard(_run(settings))
    # Console mode: this terminal holds the conversation, so log lines go to a file.
    with logs_to_file(console_log_path(settings)) as path:
        return _guard(_run(settings, path))


def chat_command(args: argparse.Namespace, settings: Settings) -> int:
    with logs_to_file(console_log_path(settings)):
        return _guard(_chat(settings, args.user, args.name))
