"""`chidoan-bot db upgrade|current`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.config import Settings
from storage import migrate
from storage.db import create_engine, ensure_sqlite_dir


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="database migrations")
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply every migration (safe to repeat)")
    upgrade.set_defaults(func=upgrade_command)
    current = actions.add_parser("current", help="show the database's revision and the code's")
    current.set_defaults(func=current_command)


def upgrade_command(_args: argparse.Namespace, settings: Settings) -> int:
    ensure_sqlite_dir(settings.database.url)
    migrate.upgrade(settings.database.url)
    print(f"database is at {migrate.head_revision()}")
    return 0


async def _current(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return await migrate.current_revision(engine)
    finally:
        await engine.dispose()


def current_command(_args: argparse.Namespace, settings: Settings) -> int:
    current = asyncio.run(_current(settings.database.url))
    head = migrate.head_revision()
    print(f"database: {current or 'empty'}\ncode:     {head}")
    return 0 if current == head else 1
