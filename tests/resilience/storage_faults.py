"""A database that refuses writes, for real, on SQLite and PostgreSQL.

SQLite: every new connection is put in `query_only` mode, so writes fail with SQLITE_READONLY
(what an unwritable file gives; chmod does not stop root, which CI may be). PostgreSQL: the
database's `default_transaction_read_only` is switched on, so writes fail with SQLSTATE 25006
(what a read-only replica or a full disk's emergency mode gives). Pools are emptied both ways so
the change reaches every connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.tally import TALLY


def _query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


async def _read_only(url: str, on: bool) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        setting = "on" if on else "off"
        await conn.execute(
            f'ALTER DATABASE "{parsed.database}" SET default_transaction_read_only = {setting}'
        )
    finally:
        await conn.close()


@asynccontextmanager
async def writes_refused(engine: AsyncEngine) -> AsyncIterator[None]:
    """Inside the block, every write through `engine` fails as on an unwritable database."""
    url = engine.url.render_as_string(hide_password=False)
    sqlite = engine.dialect.name == "sqlite"
    TALLY.survived("database refusing writes")
    if sqlite:
        event.listen(engine.sync_engine, "connect", _query_only)
    else:
        await _read_only(url, True)
    await engine.dispose()
    try:
        yield
    finally:
        if sqlite:
            event.remove(engine.sync_engine, "connect", _query_only)
        else:
            await _read_only(url, False)
        await engine.dispose()
