"""Outbox senders of several processes on one PostgreSQL share the bot's rate: together they
never send more than the platform allows in any second, and nothing is lost or sent twice."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest

from bot.app.channels.shared_budget import SharedBudgets
from bot.app.outbox import OutboxSender
from bot.config import OutboxSettings
from bot.engine.types import Reply
from storage.db import create_engine, session_factory
from storage.repositories.send_schedule import SendScheduleRepository
from tests.support.harness import Harness
from tests.support.outbox_fakes import FakeChannel, enqueue

MESSAGES = 120
LIMIT = {"per_second": 40, "per_chat_per_second": 1, "reply_reserve": 8}


class CountingPlatform(FakeChannel):
    """Records the real moment of every send, whichever sender made it."""

    def __init__(self) -> None:
        super().__init__()
        self.moments: list[float] = []

    async def send(self, chat_id: str, reply: Reply) -> None:
        await super().send(chat_id, reply)
        self.moments.append(time.monotonic())


def busiest_second(moments: list[float]) -> int:
    """The most sends in any one-second window."""
    moments = sorted(moments)
    return max(
        (sum(1 for m in moments[i:] if m < start + 1.0) for i, start in enumerate(moments)),
        default=0,
    )


def postgres_sender(h: Harness, url: str, platform: CountingPlatform, name: str) -> Any:
    """A sender as another process has it: its own engine, sessions and shared budgets."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    settings = OutboxSettings(default=LIMIT, batch_size=10, poll_seconds=0.1)
    outbox = OutboxSender(
        sessions=sessions,
        channels={"fake": platform},
        settings=settings,
        clock=h.clock,
        data_dir=h.data_dir,
        budgets=SharedBudgets(settings, sessions),
        name=name,
    )
    return outbox, engine


async def test_two_senders_together_stay_within_the_bot_rate(harness: Harness) -> None:
    if harness.db.dialect.name != "postgresql":
        pytest.skip("several processes share a bot's rate on PostgreSQL")
    for i in range(MESSAGES):
        await enqueue(harness, f"m{i}", chat_id=f"c{i}")
    platform = CountingPlatform()
    first, first_db = postgres_sender(harness, harness.url, platform, "bot-1")
    second, second_db = postgres_sender(harness, harness.url, platform, "bot-2")
    try:
        await first.start()
        await second.start()
        for _ in range(200):
            if len(platform.sent) >= MESSAGES:
                break
            await asyncio.sleep(0.1)
        await asyncio.gather(first.stop(), second.stop())
    finally:
        await first_db.dispose()
        await second_db.dispose()
    delivered = Counter(platform.texts())
    assert len(delivered) == MESSAGES, "nothing lost"
    assert set(delivered.values()) == {1}, "nothing sent twice"
    assert busiest_second(platform.moments) <= LIMIT["per_second"]


async def test_a_pause_asked_of_one_sender_holds_the_other(harness: Harness) -> None:
    if harness.db.dialect.name != "postgresql":
        pytest.skip("several processes share a bot's rate on PostgreSQL")
    settings = OutboxSettings(default=LIMIT)
    engines = [create_engine(harness.url) for _ in range(2)]
    try:
        first, second = (SharedBudgets(settings, session_factory(e))("fake") for e in engines)
        async with first.bulk("c1"):
            pass
        await first.pause(0.6)  # the platform answered 429 + retry_after to the first process
        started = time.monotonic()
        async with second.bulk("c2"):
            waited = time.monotonic() - started
    finally:
        for engine in engines:
            await engine.dispose()
    assert waited >= 0.5, f"the second process sent {waited:.2f}s after the other's 429"


async def test_moments_taken_together_follow_one_another(harness: Harness) -> None:
    async with harness.uow() as uow:
        schedule = uow.get(SendScheduleRepository)
        first = await schedule.take("fake", 0.1, 1000.0, count=3)
        second = await schedule.take("fake", 0.1, 1000.0, count=3)
    assert first == pytest.approx(0.0, abs=0.02), "the first moment is now"
    assert second - first == pytest.approx(0.3, abs=0.02), "the next taker's come after all three"
