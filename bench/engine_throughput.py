"""How many updates a second the engine handles on SQLite, and at what memory cost.

Registers N secretaries across many branches, then sends each of them M messages that switch
language back and forth (a full unit of work per update: dedupe, conversation row, person and roles
loaded, reply built). Prints updates/s, latency percentiles and peak RSS. No assertions: figures.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.config import load_settings
from bot.engine.engine import Engine
from bot.engine.types import Incoming
from bot.orgfile import OrgRow
from handlers import ROUTERS
from handlers.invites import create_invite, find_place
from handlers.organisation import apply_org
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import Role
from storage.uow import UnitOfWork


def province(units: int, branches: int) -> list[OrgRow]:
    return [
        OrgRow(0, "D1", "Huyện đoàn Bench", f"U{u}", f"Đoàn {u}", f"B{u}-{b}", f"Chi đoàn {u}-{b}")
        for u in range(units)
        for b in range(branches)
    ]


async def main(users: int, messages: int, concurrency: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chidoan-bench-"))
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    await asyncio.to_thread(migrate.upgrade, url)
    settings = load_settings(None, database={"url": url}, bot={"data_dir": str(folder)})
    db = create_engine(url)
    sessions = session_factory(db)
    clock = ManualClock(datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    engine = Engine(settings=settings, sessions=sessions, routers=ROUTERS, clock=clock)
    rows = province(units=max(1, users // 20), branches=20)
    async with UnitOfWork(sessions) as uow:
        await apply_org(uow, rows)
    codes = []
    async with UnitOfWork(sessions) as uow:
        for row in rows[:users]:
            place = await find_place(uow, Role.SECRETARY, row.branch_code)
            invite = await create_invite(
                uow, role=Role.SECRETARY, place=place, now=clock.now(), ttl_days=14
            )
            codes.append(invite.code)
    update = 0

    def message(user: int, text: str) -> Incoming:
        nonlocal update
        update += 1
        return Incoming("bench", f"c{user}", f"c{user}", text=text, update_id=str(update))

    for user, code in enumerate(codes):
        await engine.handle(message(user, f"/start {code}"))
    latencies: list[float] = []

    async def one_user(user: int) -> None:
        for i in range(messages):
            text = "/ngonngu en" if i % 2 == 0 else "/ngonngu vi"
            started = time.perf_counter()
            await engine.handle(message(user, text))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    for batch in range(0, users, concurrency):
        await asyncio.gather(*(one_user(u) for u in range(batch, min(users, batch + concurrency))))
    elapsed = time.perf_counter() - started
    await db.dispose()
    latencies.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine on SQLite: {users} secretaries x {messages} updates, {concurrency} at once")
    print(f"  throughput      {len(latencies) / elapsed:8.1f} updates/s")
    print(f"  latency p50     {statistics.median(latencies) * 1000:8.1f} ms")
    print(f"  latency p95     {latencies[int(len(latencies) * 0.95)] * 1000:8.1f} ms")
    print(f"  peak RSS        {peak_mb:8.1f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.messages, args.concurrency))
