"""kill -9 in the middle of a drain, five times: nothing lost, at most one message twice, and the
restarted sender does not wait for the dead one's leases (300 s here: the test would time out)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from tests.support.harness import Harness
from tests.support.outbox_fakes import enqueue, rows
from tests.support.tally import TALLY
from tests.zalo.fake_zalo import FakeZalo

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = 40
#: Each run sends three messages, then is killed while the platform holds the fourth: the
#: platform drops it (the kill came first), except in the third run, where it had delivered it.
DELIVERED_BEFORE_THE_KILL = [False, False, True, False, False]
SETTLE_SECONDS = 60


async def start_worker(harness: Harness, zalo: FakeZalo, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.outbox_worker",
            harness.url,
            zalo.base_url,
            "bot-1",
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )


async def all_sent(harness: Harness) -> None:
    """Until every row is marked sent (the worker is another process: we poll its database)."""
    while True:
        if {m.status for m in (await rows(harness)).values()} == {"sent"}:
            return
        await asyncio.sleep(0.1)


async def test_killed_five_times_mid_drain(harness: Harness, tmp_path: Path) -> None:
    for i in range(MESSAGES):
        await enqueue(harness, f"k{i:02d}", chat_id=f"c{i}", channel="zalo")
    log = tmp_path / "worker.log"
    zalo = FakeZalo()
    await zalo.start()
    try:
        for delivered in DELIVERED_BEFORE_THE_KILL:
            held = zalo.hold_send(after=3)
            worker = await start_worker(harness, zalo, log)
            await asyncio.wait_for(held.reached.wait(), SETTLE_SECONDS)
            os.kill(worker.pid, signal.SIGKILL)
            await worker.wait()
            held.deliver() if delivered else held.drop()
        worker = await start_worker(harness, zalo, log)
        try:
            await asyncio.wait_for(all_sent(harness), SETTLE_SECONDS)
        finally:
            worker.terminate()
            await worker.wait()
    finally:
        await zalo.stop()
    delivered_texts = Counter(zalo.delivered())
    TALLY.survived("kill -9 while sending", len(DELIVERED_BEFORE_THE_KILL))
    TALLY.missing(MESSAGES, len(set(delivered_texts) & {f"k{i:02d}" for i in range(MESSAGES)}))
    assert set(delivered_texts) == {f"k{i:02d}" for i in range(MESSAGES)}, "nothing lost"
    duplicates = sum(delivered_texts.values()) - len(delivered_texts)
    assert duplicates <= 1, f"{duplicates} duplicates: {log.read_text()[-2000:]}"
