"""The scheduler component: ticks inside the loop, survives a failing check, one leader on PG."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot.app.assembly import App, add_background
from bot.app.outbox import OutboxSender
from bot.app.scheduler import Leadership, Scheduler
from bot.config import Settings, load_settings
from bot.i18n import Catalog
from storage.db import create_engine
from storage.repositories.outbox import OutboxRepository
from storage.uow import UnitOfWork
from tests.support.harness import Harness
from tests.support.outbox_fakes import FakeChannel, rows


def scheduler(h: Harness, checks: list, **schedule: float) -> Scheduler:
    settings = h.settings.model_copy(
        update={"schedule": h.settings.schedule.model_copy(update=schedule)}
    )
    return Scheduler(
        settings=settings,
        db=h.db,
        sessions=h.sessions,
        clock=h.clock,
        catalog=h.catalog,
        checks=checks,
    )


async def test_ticks_in_the_running_loop_and_stops_cleanly(sqlite_harness: Harness) -> None:
    seen: list[datetime] = []

    async def check(uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog) -> int:
        seen.append(now)
        return 0

    component = scheduler(sqlite_harness, [check], tick_seconds=1)
    await component.start()
    try:
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.02)
    finally:
        await component.stop()
    assert seen == [sqlite_harness.clock.now()], "the first tick runs at start, on our clock"
    assert component._aps is None
    count = len(seen)
    await asyncio.sleep(1.2)
    assert len(seen) == count, "no tick after stop"


async def test_a_failing_check_does_not_stop_the_others(sqlite_harness: Harness) -> None:
    async def broken(uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog) -> int:
        raise RuntimeError("boom")

    async def works(uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog) -> int:
        added = await uow.get(OutboxRepository).enqueue(
            key="k", kind="test", channel="fake", chat_id="c", payload={"text": "x"}, now=now
        )
        return int(added)

    component = scheduler(sqlite_harness, [broken, works])
    assert await component.tick() == 1
    await component.leadership.release()
    assert list(await rows(sqlite_harness)) == ["k"]


async def test_one_process_leads_on_postgres(harness: Harness) -> None:
    other_db = create_engine(harness.url)
    first, second = Leadership(harness.db), Leadership(other_db)
    try:
        assert await first.acquire()
        assert await first.acquire(), "the leader keeps leading"
        if harness.db.dialect.name == "postgresql":
            assert not await second.acquire(), "a second process waits"
            await first.release()
            assert await second.acquire(), "and takes over when the leader goes"
        else:
            assert await second.acquire(), "SQLite: a single process always leads"
    finally:
        await first.release()
        await second.release()
        await other_db.dispose()


async def test_the_running_app_sends_what_the_outbox_holds(sqlite_url: str, tmp_path: Path):
    settings = load_settings(database={"url": sqlite_url}, bot={"data_dir": str(tmp_path)})
    app = App(settings)
    channel = FakeChannel()
    app.add_channel(channel)
    add_background(app)
    assert [type(c) for c in app.components] == [FakeChannel, Scheduler, OutboxSender]
    async with UnitOfWork(app.sessions) as uow:
        await uow.get(OutboxRepository).enqueue(
            key="hello",
            kind="test",
            channel="fake",
            chat_id="c1",
            payload={"text": "xin chào"},
            now=app.clock.now(),
        )
    await app.start()
    try:
        for _ in range(200):
            if channel.sent:
                break
            await asyncio.sleep(0.02)
    finally:
        await app.stop()
    assert channel.texts() == ["xin chào"]


async def test_a_tick_cancelled_at_shutdown_is_not_a_failure(sqlite_harness: Harness) -> None:
    """asyncio.run cancels what is left at exit; APScheduler must not log that as an error."""
    started = asyncio.Event()

    async def slow(*_args: object) -> int:
        started.set()
        await asyncio.sleep(60)
        return 0

    ticker = scheduler(sqlite_harness, [slow])
    await ticker.start()
    await asyncio.wait_for(started.wait(), 5)
    running = ticker._running
    assert running is not None
    running.cancel()
    await asyncio.sleep(0.05)
    assert running.done() and not running.cancelled(), "the tick ended quietly"
    await ticker.stop()
    await ticker._job()  # a tick that starts after stop does nothing
    assert ticker._running is None


async def test_stopping_lets_a_tick_in_progress_finish(sqlite_harness: Harness) -> None:
    """APScheduler cancels running jobs at its shutdown: a tick stopped in the middle of a
    database call would leave its connection to be torn down as the process exits."""
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[int] = []

    async def busy(uow: UnitOfWork, *_args: object) -> int:
        started.set()
        await release.wait()
        await uow.get(OutboxRepository).counts()  # still talking to the database
        finished.append(1)
        return 0

    ticker = scheduler(sqlite_harness, [busy])
    await ticker.start()
    await asyncio.wait_for(started.wait(), 5)
    stopping = asyncio.create_task(ticker.stop())
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert finished == [1], "the tick in progress ran to its end"
