"""Claims carry the run that made them: a restart takes its dead run's claims back at once, and
only the message that was in flight can go out twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.engine.types import Reply
from storage.repositories.outbox import OutboxRepository
from tests.support.harness import Harness
from tests.support.outbox_fakes import FakeChannel, FakeTime, enqueue, rows, sender

FAST = {"default": {"per_second": 1000, "per_chat_per_second": 1000, "reply_reserve": 1}}


async def test_a_restart_takes_back_the_dead_runs_claims_at_once(harness: Harness) -> None:
    for i in range(5):
        await enqueue(harness, f"m{i}", chat_id=f"c{i}")
    async with harness.uow() as uow:  # the run before: claimed five, began sending one, died
        repo = uow.get(OutboxRepository)
        now = harness.clock.now()
        claimed = await repo.claim(
            "fake", now, lease=timedelta(seconds=300), limit=10, owner="bot-1#dead"
        )
        assert len(claimed) == 5
        assert await repo.start_attempt(claimed[0].id, "bot-1#dead", now, timedelta(seconds=30))
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    await harness.restart()
    assert await sender(harness, {"fake": channel}, time, name="bot-1").drain_once() == 5
    assert time.now - 1000 < 1, "no lease was waited for"
    assert sorted(channel.texts()) == [f"m{i}" for i in range(5)]
    saved = await rows(harness)
    assert {m.status for m in saved.values()} == {"sent"}
    assert all(m.claimed_by is None and m.attempted_at is None for m in saved.values())


@dataclass
class Interrupting(FakeChannel):
    """Runs `meanwhile` once, while the first message is on its way (a second run starting)."""

    meanwhile: Callable[[], Awaitable[object]] | None = None

    async def send(self, chat_id: str, reply: Reply) -> None:
        step, self.meanwhile = self.meanwhile, None
        if step is not None:
            await step()
        await super().send(chat_id, reply)


async def test_a_run_whose_claims_were_taken_back_stops_sending_them(harness: Harness) -> None:
    for i in range(6):
        await enqueue(harness, f"m{i}", chat_id=f"c{i}")
    channel = Interrupting()
    first = sender(harness, {"fake": channel}, name="bot-1", **FAST)
    second = sender(harness, {"fake": channel}, name="bot-1", **FAST)
    channel.meanwhile = second.drain_once
    await first.drain_once()
    delivered = Counter(channel.texts())
    assert set(delivered) == {f"m{i}" for i in range(6)}, "nothing lost"
    assert sum(delivered.values()) == 7 and delivered["m0"] == 2, "only m0, in flight, twice"
    assert {m.status for m in (await rows(harness)).values()} == {"sent"}
