"""One update is one transaction, on SQLite as on PostgreSQL: all of it is saved, or none of it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.engine.context import Context
from bot.engine.engine import Engine
from bot.engine.router import Router
from bot.engine.types import Incoming
from handlers import ROUTERS
from storage.db import create_engine, session_factory
from storage.models import Conversation, District, ProcessedUpdate
from storage.uow import UnitOfWork
from tests.support.harness import Harness


class Failing:
    """A command that fails while `broken` is set, and answers the menu question otherwise."""

    def __init__(self) -> None:
        self.broken = True

    def router(self) -> Router:
        router = Router("failing")

        @router.command("hong", public=True)
        async def hong(ctx: Context, _args: str) -> None:
            ctx.update(touched="yes")
            ctx.say("common.menu")
            if self.broken:
                raise RuntimeError("the handler failed after writing")

        return router


def update(text: str, update_id: str, chat: str = "new-chat") -> Incoming:
    return Incoming(channel="fake", chat_id=chat, user_id=chat, text=text, update_id=update_id)


async def count(harness: Harness, model: type, **where: str) -> int:
    async with harness.uow() as uow:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(await uow.session.scalar(query) or 0)


async def test_a_failed_update_leaves_nothing_and_its_redelivery_is_handled(
    harness: Harness,
) -> None:
    failing = Failing()
    harness._build([*ROUTERS, failing.router()])
    catalog, engine = harness.catalog, harness.engine
    [apology] = await engine.handle(update("/hong", "77"))
    assert apology.text == catalog.t("vi", "common.error")
    assert await count(harness, ProcessedUpdate, channel="fake", update_id="77") == 0
    assert await count(harness, Conversation, channel="fake", chat_id="new-chat") == 0
    failing.broken = False
    [answer] = await engine.handle(update("/hong", "77"))
    assert answer.text == catalog.t("vi", "common.menu"), "the redelivery is handled"
    assert await count(harness, ProcessedUpdate, channel="fake", update_id="77") == 1
    assert await engine.handle(update("/hong", "77")) == [], "and then it is a no-op"


async def test_a_released_savepoint_is_undone_with_its_transaction(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        with pytest.raises(RuntimeError):
            async with UnitOfWork(sessions) as uow:
                async with uow.session.begin_nested():
                    uow.session.add(District(code="SP", name="Savepoint"))
                raise RuntimeError("the unit of work fails after the savepoint was released")
        async with UnitOfWork(sessions) as uow:
            assert await uow.session.scalar(select(District).filter_by(code="SP")) is None
            async with uow.session.begin_nested():
                uow.session.add(District(code="SP", name="Savepoint"))
            with pytest.raises(IntegrityError):
                async with uow.session.begin_nested():
                    uow.session.add(District(code="SP", name="Again"))
        async with UnitOfWork(sessions) as uow:
            names = await uow.session.scalars(select(District.name).filter_by(code="SP"))
            assert list(names) == ["Savepoint"], "a rolled-back savepoint keeps the rest"
    finally:
        await engine.dispose()


async def test_the_same_update_at_two_workers_is_handled_once(harness: Harness) -> None:
    other_db = create_engine(harness.url)
    try:
        other = Engine(
            settings=harness.settings,
            sessions=session_factory(other_db),
            routers=ROUTERS,
            clock=harness.clock,
            catalog=harness.catalog,
        )
        twice = update("/start", "88", chat="two-workers")
        answers = await asyncio.gather(harness.engine.handle(twice), other.handle(twice))
    finally:
        await other_db.dispose()
    assert sorted(len(replies) for replies in answers) == [0, 1], "one answers, one stays quiet"
    assert await count(harness, ProcessedUpdate, channel="fake", update_id="88") == 1
    assert await count(harness, Conversation, channel="fake", chat_id="two-workers") == 1
