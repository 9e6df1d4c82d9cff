"""Helpers shared by CLI commands: a unit of work over the configured database."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeVar

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


class CannotWrite(Exception):
    """The output file cannot be created where the operator asked."""


@contextmanager
def partial_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file in the target's folder that becomes `path` only if all goes well.

    mkstemp makes it readable by this user only, whatever the umask: a workbook may hold names
    of young people, an archive photos of people, and the rename keeps that mode."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
