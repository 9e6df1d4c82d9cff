"""The health check, migrations, and storage behaviour shared by both databases."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.exc import IntegrityError

from bot.app.web.server import WebServer
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import District
from storage.repositories.conversations import (
    AlreadyHandled,
    ConversationRepository,
    UpdateLog,
)
from storage.uow import UnitOfWork
from tests.support.harness import Harness, local


async def _get(port: int) -> tuple[int, dict[str, str]]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, await response.json()


async def test_healthz_reports_database_reachable(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    server = WebServer("127.0.0.1", 0, engine)
    await server.start()
    try:
        assert await _get(server.bound_port) == (
            200,
            {"status": "ok", "database": "ok", "disk": "ok"},
        )
    finally:
        await server.stop()
        await engine.dispose()


async def test_healthz_reports_database_unreachable() -> None:
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    server = WebServer("127.0.0.1", 0, engine)
    await server.start()
    try:
        status, body = await _get(server.bound_port)
        assert status == 503 and body["database"] == "unreachable"
    finally:
        await server.stop()
        await engine.dispose()


async def test_empty_database_is_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    try:
        with pytest.raises(migrate.DatabaseNotMigrated, match="no revision"):
            await migrate.require_current(engine)
    finally:
        await engine.dispose()


async def test_migrated_database_is_at_head(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await migrate.require_current(engine)
    finally:
        await engine.dispose()


async def test_unit_of_work_rolls_back_on_error(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        with pytest.raises(RuntimeError):
            async with UnitOfWork(sessions) as uow:
                uow.session.add(District(code="X", name="X"))
                await uow.flush()
                raise RuntimeError("fail after writing")
        async with UnitOfWork(sessions) as uow:
            uow.session.add(District(code="X", name="X"))
        with pytest.raises(IntegrityError):
            async with UnitOfWork(sessions) as uow:
                uow.session.add(District(code="X", name="again"))
    finally:
        await engine.dispose()


async def test_update_log_and_conversation_are_idempotent(harness: Harness) -> None:
    now = local(2026, 11, 10, 9, 0)
    async with harness.uow() as uow:
        log = uow.get(UpdateLog)
        assert not await log.seen("fake", "1")
        await log.record("fake", "1", now)
        with pytest.raises(AlreadyHandled):
            await log.record("fake", "1", now)
        first = await uow.get(ConversationRepository).get_or_create("fake", "c", now)
        second = await uow.get(ConversationRepository).get_or_create("fake", "c", now)
        assert first.id == second.id
    async with harness.uow() as uow:
        assert await uow.get(UpdateLog).seen("fake", "1")


async def test_times_come_back_aware(harness: Harness) -> None:
    code = await harness.invite()
    async with harness.uow() as uow:
        from sqlalchemy import select

        from storage.models import Invite

        invite = await uow.session.scalar(select(Invite))
        assert invite is not None and invite.expires_at.tzinfo is not None
        assert code
