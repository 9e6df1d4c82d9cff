"""How long a whole monthly report takes through the engine, many secretaries at once (SQLite).

N secretaries of N branches each type a complete report as a person would (18 answers, the
summary, "gửi báo cáo"), `--concurrency` of them at the same time. Prints reports per second,
per-message latency percentiles, and checks every report ended up submitted. Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bot.orgfile import OrgRow
from handlers.organisation import apply_org
from storage import migrate
from storage.models import MonthlyReport
from tests.support.harness import Harness, local
from tests.support.report_script import TYPED

ORDER = list(TYPED)  # the form's order; "có" to the meeting keeps every question in play


async def main(secretaries: int, concurrency: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chidoan-bench-"))
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    await asyncio.to_thread(migrate.upgrade, url)
    harness = Harness(url, folder / "data", now=local(2026, 11, 20, 9, 0))
    rows = [
        OrgRow(0, "D", "Huyện đoàn", f"U{b // 20}", f"Đoàn {b // 20}", f"B{b}", f"Chi đoàn {b}")
        for b in range(secretaries)
    ]
    async with harness.uow() as uow:
        await apply_org(uow, rows)
    chats = [
        await harness.registered(f"s{b}", code=f"B{b}", name=f"Bí thư {b}")
        for b in range(secretaries)
    ]
    latencies: list[float] = []

    async def report(index: int) -> None:
        chat = chats[index]
        for text in ["/baocao", *(TYPED[key] for key in ORDER), "gui bao cao"]:
            started = time.perf_counter()
            await chat.say(text)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    for batch in range(0, secretaries, concurrency):
        await asyncio.gather(
            *(report(i) for i in range(batch, min(secretaries, batch + concurrency)))
        )
    elapsed = time.perf_counter() - started
    async with harness.uow() as uow:
        submitted = await uow.session.scalar(
            select(func.count(MonthlyReport.id)).where(MonthlyReport.status == "submitted")
        )
    await harness.close()
    latencies.sort()
    print(
        f"monthly report through the engine on SQLite: {secretaries} secretaries, "
        f"{concurrency} at once, {len(ORDER) + 2} messages each"
    )
    print(f"  reports submitted {submitted}/{secretaries}")
    print(f"  reports per second {secretaries / elapsed:7.1f}")
    print(f"  message p50        {statistics.median(latencies) * 1000:7.1f} ms")
    print(f"  message p95        {latencies[int(len(latencies) * 0.95)] * 1000:7.1f} ms")
    print(
        f"  peak RSS           {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.1f} MB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--secretaries", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.secretaries, args.concurrency))
