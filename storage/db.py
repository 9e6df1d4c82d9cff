"""Database engines: SQLite (WAL, foreign keys on) by default, PostgreSQL through asyncpg."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL (any driver)."""
    return make_url(url).get_backend_name() == "sqlite"


#: The database holds personal data: only the bot's own user may read it, whatever the umask.
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700


def ensure_sqlite_dir(url: str) -> None:
    """Create a SQLite file's folder (0700) and the file (0600) so a fresh clone needs no set-up.

    SQLite gives its -wal and -shm files the database file's mode, so creating the database
    0600 before SQLite opens it keeps all three private; older files are tightened here too.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database).expanduser()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=PRIVATE_DIR)
        os.chmod(path.parent, PRIVATE_DIR)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if file.stat().st_mode & 0o777 != PRIVATE_FILE:
                os.chmod(file, PRIVATE_FILE)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for `url`, with SQLite tuned for one writer and many readers."""
    ensure_sqlite_dir(url)
    # Statement parameters can hold names of youth in difficulty: never in errors or logs.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
