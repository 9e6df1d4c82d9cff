"""Prints how long a near-duplicate photo lookup takes with 10k, 100k and 1M photos stored.

A lookup is what every incoming photo costs (handlers.evidence.checks.first_use): the exact-content
query, the index's refresh from the database, the in-memory scan, and the confirmation of the
candidates against their rows. Stored hashes are random 64-bit values with pHash's constant bit
set (the generated photos' bits are otherwise 0.5 ± 0.08); half the queries are 3 bits from a
stored photo, half match nothing. Rows are bulk loaded (executemany on SQLite, COPY on
PostgreSQL), then analysed. "cold" is a new process's first lookup: it reads every hash once.
Usage: .venv/bin/python bench/photo_lookup.py [--sizes 10000,100000,1000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.media_fingerprint import Fingerprint, to_signed
from bot.photo_index import NearDuplicateIndex
from handlers.evidence.checks import first_use
from storage.db import create_engine, session_factory
from storage.models import Branch, District, GrassrootsUnit, MonthlyReport
from storage.uow import UnitOfWork
from tests.support import databases

REPORTS = 1200  # 100 branches × 12 months
DC_BIT = 1 << 63  # pHash's first bit (the DCT's constant term) is always set
COLUMNS = ("report_id", "sha256", "size", "mime", "phash", "dhash", "created_at")


def random_hashes(rng: random.Random) -> tuple[int, int]:
    return rng.getrandbits(64) | DC_BIT, rng.getrandbits(64)


def rows(start: int, count: int, rng: random.Random, report_ids: list[int]) -> list[tuple]:  # type: ignore[type-arg]
    at = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for n in range(start, start + count):
        phash, dhash = random_hashes(rng)
        sha = f"{n:064x}"
        made.append((report_ids[n % len(report_ids)], sha, 1, "image/jpeg",
                     to_signed(phash), to_signed(dhash), at))  # fmt: skip
    return made


async def seed_reports(sessions: object) -> list[int]:
    async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
        district = District(code="B", name="Bench")
        unit = GrassrootsUnit(code="B-1", name="Unit", district=district)
        reports = []
        for b in range(REPORTS // 12):
            branch = Branch(code=f"B-1-{b}", name=f"Branch {b}", unit=unit)
            for month in range(1, 13):
                reports.append(
                    MonthlyReport(branch=branch, period=f"2026-{month:02d}", answers={}, flags=[])
                )
        uow.session.add_all([district, unit, *reports])
        await uow.flush()
        return [r.id for r in reports]


async def load(url: str, batch: list[tuple]) -> float:  # type: ignore[type-arg]
    """Bulk insert evidence rows; seconds taken."""
    started = time.perf_counter()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(parsed.database or "") as conn:
            conn.executemany(
                f"INSERT INTO evidence ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*r[:6], r[6].strftime("%Y-%m-%d %H:%M:%S.%f")) for r in batch],
            )
            conn.execute("ANALYZE evidence")
    else:
        raw = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(raw)
        try:
            await conn.copy_records_to_table("evidence", records=batch, columns=list(COLUMNS))
            # As autovacuum would soon after a load this size: fresh statistics for the planner.
            await conn.execute("ANALYZE evidence")
        finally:
            await conn.close()
    return time.perf_counter() - started


async def lookups(sessions: object, queries: list[Fingerprint], report_id: int) -> list[float]:
    """Milliseconds per lookup, a new index (a new process) each time this is called."""
    index = NearDuplicateIndex.over(sessions)  # type: ignore[arg-type]
    took = []
    for n, prints in enumerate(queries):
        async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
            started = time.perf_counter()
            await first_use(uow, f"{'f' * 60}{n:04x}", prints, report_id, index)
            took.append((time.perf_counter() - started) * 1000)
    return took


def make_queries(stored: list[tuple], count: int, rng: random.Random) -> list[Fingerprint]:  # type: ignore[type-arg]
    """Half near a stored photo (3 bits off in each hash), half fresh pictures."""
    queries = []
    for n in range(count):
        if n % 2 == 0:
            row = rng.choice(stored)
            phash, dhash = row[4] % 2**64 ^ 0b10101, row[5] % 2**64 ^ 0b111
        else:
            phash, dhash = random_hashes(rng)
        queries.append(Fingerprint(phash, dhash))
    return queries


async def measure(url: str, sizes: list[int], count: int) -> None:
    db = create_engine(url)
    sessions = session_factory(db)
    report_ids = await seed_reports(sessions)
    rng = random.Random(12)
    stored = 0
    sample: list[tuple] = []  # type: ignore[type-arg]
    for size in sizes:
        batch = rows(stored, size - stored, rng, report_ids)
        seconds = await load(url, batch)
        sample = batch[:1000]
        stored = size
        took = await lookups(sessions, make_queries(sample, count, rng), report_ids[-1])
        cold, warm = took[0], sorted(took[1:])
        p50 = statistics.median(warm)
        p95 = warm[int(len(warm) * 0.95)]
        print(
            f"  {size:>9,} photos: lookup p50 {p50:5.1f} ms, p95 {p95:5.1f} ms; "
            f"cold first lookup {cold / 1000:5.2f} s; loaded {len(batch):,} rows in {seconds:.1f} s"
        )
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        template = databases.make_sqlite_template(Path(folder))
        print("SQLite:")
        asyncio.run(measure(f"sqlite+aiosqlite:///{template}", sizes, args.queries))
    server = databases.postgres_server_url()
    if server:
        url = databases.create_postgres_database(server)
        try:
            print("PostgreSQL:")
            asyncio.run(measure(url, sizes, args.queries))
        finally:
            databases.drop_postgres_database(server, url)


if __name__ == "__main__":
    main()
