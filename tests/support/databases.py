"""Test databases: a migrated SQLite template copied per test, and a throw-away PostgreSQL database.

PostgreSQL runs when CHIDOAN_TEST_POSTGRES_URL is set (any database on the server: each test
session creates its own database beside it and drops it at the end, so parallel runs don't clash).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import create_engine
from storage.models import Base

PG_ENV = "CHIDOAN_TEST_POSTGRES_URL"


def postgres_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def make_sqlite_template(folder: Path) -> Path:
    path = folder / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    target = folder / "chidoan.db"
    shutil.copy(template, target)
    return f"sqlite+aiosqlite:///{target}"


def _raw_dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(_raw_dsn(url, make_url(url).database or "postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_postgres_database(server_url: str) -> str:
    """A new, migrated database; returns its SQLAlchemy URL."""
    name = f"chidoan_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(drivername="postgresql+asyncpg", database=name)
    rendered = url.render_as_string(hide_password=False)
    migrate.upgrade(rendered)
    return rendered


def drop_postgres_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_all(url: str) -> None:
    """Empty every table (PostgreSQL), keeping the schema and the Alembic revision."""
    engine = create_engine(url)
    try:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
