"""Several senders on one PostgreSQL outbox never deliver the same row twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from storage.db import create_engine, session_factory
from tests.support.harness import Harness
from tests.support.outbox_fakes import FakeChannel, enqueue, rows, sender


async def test_two_senders_share_the_work_without_duplicates(harness: Harness, tmp_path: Path):
    if harness.db.dialect.name != "postgresql":
        pytest.skip("several senders need PostgreSQL (SQLite has one writer)")
    for i in range(120):
        await enqueue(harness, f"m{i}", chat_id=f"c{i % 40}")
    channel = FakeChannel()
    fast = {"default": {"per_second": 100_000, "per_chat_per_second": 100_000}, "batch_size": 7}
    first = sender(harness, {"fake": channel}, name="bot-1", **fast)
    second_db = create_engine(harness.url)
    second = sender(harness, {"fake": channel}, name="bot-2", **fast)
    second.sessions = session_factory(second_db)
    by_sender = [0, 0]
    try:
        for _ in range(40):
            done = await asyncio.gather(first.drain_once(), second.drain_once())
            by_sender = [a + b for a, b in zip(by_sender, done, strict=True)]
            if sum(done) == 0:
                break
    finally:
        await second_db.dispose()
    delivered = Counter(channel.texts())
    assert len(delivered) == 120, "nothing lost"
    assert set(delivered.values()) == {1}, "nothing sent twice"
    assert min(by_sender) > 0, f"both senders took part: {by_sender}"
    assert {m.status for m in (await rows(harness)).values()} == {"sent"}
