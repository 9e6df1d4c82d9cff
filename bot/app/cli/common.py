"""Helpers shared by CLI commands: a unit of work over the configured database."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.config import Settings
from storage.db import create_engine, session_factory
from storage.migrate import DatabaseNotMigrated, require_current
from storage.uow import UnitOfWork

T = TypeVar("T")


async def with_uow(settings: Settings, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run `work` in one transaction on a migrated database."""
    engine = create_engine(settings.database.url)
    try:
        await require_current(engine)
        async with UnitOfWork(session_factory(engine)) as uow:
            return await work(uow)
    finally:
        await engine.dispose()


def not_migrated(exc: DatabaseNotMigrated) -> int:
    print(f"chidoan-bot: {exc}. Run: chidoan-bot db upgrade", file=sys.stderr)
    return 3


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """'1 branch', '2 branches', '0 units': operator output reads as English."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
