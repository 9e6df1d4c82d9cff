"""Database engines: SQLite (WAL, foreign keys on) by default, PostgreSQL through asyncpg.

On SQLite we run the transactions ourselves (SQLAlchemy's recipe for SQLite with aiosqlite: the
driver's own BEGIN handling is switched off and BEGIN is emitted from an event). Python's sqlite3
module, left alone, opens a transaction only before INSERT/UPDATE/DELETE, so a SAVEPOINT issued
first became a transaction of its own that its RELEASE committed at once: a unit of work that
failed later still left those rows behind.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
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
        # No pre-ping: on asyncpg it is BEGIN, a ping and ROLLBACK at every checkout, a
        # transaction more than each update needs. A connection the server dropped fails its
        # first statement instead; SQLAlchemy then discards the pool's connections, the update
        # is not stored, and it is delivered again (Telegram, Zalo and the outbox all retry).
        kwargs["pool_recycle"] = 3600
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "before_cursor_execute", _begin_before_first_write)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # None: the driver emits no BEGIN of its own (it still commits and rolls back).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: Statements that write (SAVEPOINT and DDL included): the first one opens the transaction.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")


def _begin_before_first_write(
    conn: Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    """BEGIN IMMEDIATE before a unit of work's first write; everything after joins it.

    Why at the first write and not at the start: SQLite has one writer. Reads before the first
    write run outside the write lock, so a chat busy with a slow read (an export, a chart) does
    not hold up the others; and IMMEDIATE takes the write lock at BEGIN, where the busy timeout
    waits for it, instead of upgrading a read snapshot later, which fails at once with "database
    is locked" when another connection wrote in between.
    """
    if statement.lstrip()[:9].upper().startswith(_WRITES) and not _in_transaction(conn):
        cursor.execute("BEGIN IMMEDIATE")


def _in_transaction(conn: Connection) -> bool:
    """Whether SQLite itself has a transaction open on this connection."""
    return bool(getattr(conn.connection.driver_connection, "in_transaction", False))


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
