"""Fixtures: databases on SQLite and (when configured) PostgreSQL, and the flow harness."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support import databases
from tests.support.harness import Harness

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    server = databases.postgres_server_url()
    if server is None:
        yield None
        return
    url = databases.create_postgres_database(server)
    yield url
    databases.drop_postgres_database(server, url)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database for this test."""
    return databases.sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database: the test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return databases.sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
    url = request.getfixturevalue("postgres_database")
    if url is None:
        if os.environ.get("CHIDOAN_REQUIRE_POSTGRES"):
            pytest.fail(f"CI requires PostgreSQL but {databases.PG_ENV} is unset")
        pytest.skip(f"PostgreSQL not configured ({databases.PG_ENV} unset)")
    asyncio.run(databases.truncate_all(url))
    return str(url)


@pytest.fixture
async def harness(db_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """The engine over both databases, org imported, clock at 2026-11-10 09:00 Vietnam time."""
    h = Harness(db_url, tmp_path / "data")
    await h.import_org()
    yield h
    await h.close()


@pytest.fixture
async def sqlite_harness(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """The same harness on SQLite only, for tests that do not touch the database's dialect."""
    h = Harness(sqlite_url, tmp_path / "data")
    await h.import_org()
    yield h
    await h.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder with a database URL of its own, as on a fresh clone (CLI tests)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path}/data/t.db")
    monkeypatch.setenv("CHIDOAN_BOT__DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The security and resilience suites' one line: inputs tried, faults survived, data lost."""
    from tests.support.tally import TALLY

    line = TALLY.line()
    if line is not None:
        terminalreporter.write_line(line)
