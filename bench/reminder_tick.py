"""Prints how long one scheduler tick takes to queue the reminders of a large organisation.

Every branch has one secretary and no report, so a tick at a reminder slot queues one reminder per
branch; the next tick finds them queued and adds nothing. SQLite in a temporary folder, and
PostgreSQL when CHIDOAN_TEST_POSTGRES_URL is set.

Usage: .venv/bin/python bench/reminder_tick.py [--sizes 2000,20000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import load_settings
from bot.i18n import Catalog
from handlers.reminders.scheduled import due_reminders
from storage.db import create_engine, session_factory
from storage.uow import UnitOfWork
from tests.support import databases
from tests.support.big_org import DistrictSize, seed_big_org
from tests.support.harness import local

#: Five days before the default deadline (25th, 17:00): the "5d" reminder is due.
SLOT = local(2026, 11, 20, 17, 1)


async def measure(url: str, size: int) -> None:
    db = create_engine(url)
    sessions = session_factory(db)
    started = time.perf_counter()
    # Districts of 1,200 branches (the upper end in domain.md), the last one smaller.
    districts = [
        DistrictSize(f"T{i:03d}", min(1200, size - i * 1200)) for i in range(-(-size // 1200))
    ]
    await seed_big_org(db, districts, period=None, secretaries="telegram")
    seeded = time.perf_counter() - started
    settings = load_settings(database={"url": url})
    catalog = Catalog()
    for label in ("first tick", "next tick "):
        started = time.perf_counter()
        async with UnitOfWork(sessions) as uow:
            added = await due_reminders(uow, SLOT, settings, catalog)
        took = time.perf_counter() - started
        print(f"  {size:>6,} branches, {label}: {added:>6,} queued in {took:6.2f}s", flush=True)
    print(f"  (seeding took {seeded:.1f}s)")
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000", help="branches, comma-separated")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        template = databases.make_sqlite_template(Path(folder))
        print("SQLite:")
        for size in sizes:
            (Path(folder) / str(size)).mkdir()
            copy = databases.sqlite_copy(template, Path(folder) / str(size))
            asyncio.run(measure(copy, size))
    server = databases.postgres_server_url()
    if server:
        print("PostgreSQL:")
        for size in sizes:
            url = databases.create_postgres_database(server)
            try:
                asyncio.run(measure(url, size))
            finally:
                databases.drop_postgres_database(server, url)


if __name__ == "__main__":
    main()
