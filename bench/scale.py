"""Prints what the read side costs at national scale on PostgreSQL: one district's digest and
status (the code /tonghop and /trangthai run), the whole country's status (`chidoan-bot status`),
a 3,000-branch province's XLSX export (`chidoan-bot export --district … --district …`), and the
peak memory of each, at several sizes to show how the cost grows.

Each size is a synthetic country in its own database (`bench_national`, dropped and created
again): districts of ~143 branches (700 districts at 100,000 branches) in grassroots units of 30,
12 months of reports per branch (most received, some late, drafts and returned ones), a photo
row on every 5th received report and a difficult-youth case for every 4th branch; the tree is
written by the tests' generator (tests/support/big_org.py), the months with COPY.
The reads run in a child process, so its peak RSS (VmHWM) is theirs alone; times are the first
call and the median of 5 after it.

Needs CHIDOAN_TEST_POSTGRES_URL (skips without it). Default sizes 2,000 and 10,000 branches (a
few minutes for `make bench`); `--full` for 10,000 and 100,000 (about 10 minutes).
Usage: .venv/bin/python bench/scale.py [--full | --sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy.engine import make_url

from bench.common.cli_child import PUBLIC_LINKS, run_cli
from storage import migrate
from storage.db import create_engine
from tests.support import databases
from tests.support.big_org import ANSWERS, STAMP, DistrictSize, seed_big_org

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "bench_national"
PER_DISTRICT = 143  # 100,000 branches in 700 districts
PROVINCE = 3_000  # branches in the exported province
PERIOD = "2026-11"
MONTHS = ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
RUNS = 5


# -- the synthetic country ---------------------------------------------------------------------
def raw_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def recreate(server: str) -> str:
    """`bench_national`, dropped and created again, migrated; returns its SQLAlchemy URL."""
    conn = await asyncpg.connect(raw_dsn(server))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()
    url = make_url(server).set(drivername="postgresql+asyncpg", database=DATABASE)
    rendered = url.render_as_string(hide_password=False)
    await asyncio.to_thread(migrate.upgrade, rendered)
    return rendered


def report_row(report_id: int, branch_id: int, period: str, n: int) -> tuple[Any, ...]:
    """Most reports received (a third approved), every 10th a draft, every 25th returned."""
    status = "submitted" if n % 3 else "approved"
    if n % 10 == 9:
        status = "draft"
    elif n % 25 == 7:
        status = "returned"
    sent = None if status == "draft" else STAMP
    answers = json.dumps(ANSWERS)
    return (report_id, branch_id, period, status, answers, "[]", "", None, sent, n % 7 == 0,
            STAMP, STAMP)  # fmt: skip


REPORT_COLUMNS = ["id", "branch_id", "period", "status", "answers", "flags", "form_version",
                  "reference", "submitted_at", "late", "updated_at", "created_at"]  # fmt: skip
PHOTO_COLUMNS = ["id", "report_id", "sha256", "size", "mime", "width", "height", "item",
                 "created_at"]  # fmt: skip
CASE_COLUMNS = ["id", "branch_id", "full_name", "birth_year", "categories", "status",
                "updated_at", "created_at"]  # fmt: skip


async def copy_months(url: str, first_branch: int, branches: int) -> dict[str, int]:
    """12 months of reports, their photos and the youth cases, with COPY; returns row counts."""
    conn = await asyncpg.connect(raw_dsn(url))
    counts = {"reports": 0, "photos": 0, "cases": 0}
    try:
        for month, period in enumerate(MONTHS):
            reports, photos = [], []
            for i in range(branches):
                report_id = month * branches + i + 1
                row = report_row(report_id, first_branch + i, period, i + month)
                reports.append(row)
                if row[3] in ("submitted", "approved") and (i + month) % 5 == 0:
                    photos.append((len(photos) + counts["photos"] + 1, report_id,
                                   f"{report_id:064x}", 1000, "image/jpeg", 800, 600, "meeting",
                                   STAMP))  # fmt: skip
            await conn.copy_records_to_table(
                "monthly_reports", records=reports, columns=REPORT_COLUMNS
            )
            await conn.copy_records_to_table("evidence", records=photos, columns=PHOTO_COLUMNS)
            counts["reports"] += len(reports)
            counts["photos"] += len(photos)
        cases = [
            (n + 1, first_branch + b, f"Thanh niên {n}", 2004, json.dumps(["jobless"]),
             "open" if n % 3 else "closed", STAMP, STAMP)
            for n, b in enumerate(range(0, branches, 4))
        ]  # fmt: skip
        await conn.copy_records_to_table("youth_cases", records=cases, columns=CASE_COLUMNS)
        counts["cases"] = len(cases)
        for table in ("monthly_reports", "evidence", "youth_cases"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return counts


async def build_country(server: str, size: int) -> tuple[str, list[str], dict[str, int]]:
    """The database of a `size`-branch country; its URL, district codes and row counts."""
    url = await recreate(server)
    engine = create_engine(url)
    count = max(1, round(size / PER_DISTRICT))
    shares = [size // count + (1 if i < size % count else 0) for i in range(count)]
    districts = [DistrictSize(f"D{i:03d}", n) for i, n in enumerate(shares)]
    try:
        org = await seed_big_org(engine, districts, period=None)
    finally:
        await engine.dispose()
    counts = await copy_months(url, 1, org.branches)
    counts["districts"] = len(districts)
    return url, [d.code for d in districts], counts


# -- the reads, in a child process ------------------------------------------------------------
async def timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(first call, median of the next RUNS) in milliseconds."""
    times = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


async def measure_reads(url: str, code: str) -> dict[str, Any]:
    """Digest and status of district `code` and the national status, as the bot computes them."""
    from bot.config import load_settings
    from bot.i18n import Formatter
    from handlers.digest.compute import build_digest, reporting_table
    from handlers.digest.national import national_table, national_text
    from handlers.digest.render import digest_text, table_text
    from handlers.reports.form import catalog_for
    from storage.db import session_factory
    from storage.repositories.org import OrgRepository
    from storage.uow import UnitOfWork

    settings = load_settings(database={"url": url})
    f = Formatter(catalog_for(settings), "vi", settings.bot.timezone)
    engine = create_engine(url)
    sessions = session_factory(engine)

    async def in_uow(work: Callable[[UnitOfWork], Awaitable[str]]) -> str:
        async with UnitOfWork(sessions) as uow:
            return await work(uow)

    async def district(uow: UnitOfWork) -> Any:
        found = await uow.get(OrgRepository).district_by_code(code)
        assert found is not None
        return found

    async def digest(uow: UnitOfWork) -> str:
        return digest_text(await build_digest(uow, await district(uow), PERIOD, settings), f)

    async def status(uow: UnitOfWork) -> str:
        return table_text(await reporting_table(uow, await district(uow), PERIOD, settings), f)

    async def national(uow: UnitOfWork) -> str:
        return national_text(await national_table(uow, PERIOD, settings), f)

    async def district_by_district(uow: UnitOfWork) -> str:
        """The national view without the aggregate: /trangthai's table for every district."""
        tables = [
            await reporting_table(uow, d, PERIOD, settings)
            for d in await uow.get(OrgRepository).list_districts()
        ]
        return str(sum(t.received for t in tables))

    figures: dict[str, Any] = {}
    try:
        for name, work in (("digest", digest), ("status", status), ("national", national)):
            figures[name] = await timed(lambda work=work: in_uow(work))  # type: ignore[misc]
        figures["national_lines"] = (await in_uow(national)).count("\n") + 1
        figures["peak_kib"] = peak_kib()  # before the loop below, which loads every branch
        started = time.perf_counter()
        await in_uow(district_by_district)
        figures["loop"] = (time.perf_counter() - started) * 1000
    finally:
        await engine.dispose()
    return figures


def peak_kib() -> int:
    """This process's peak RSS (VmHWM)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])


def reads(url: str, code: str) -> dict[str, Any]:
    env = {**os.environ, "CHIDOAN_DATABASE__URL": url}
    done = subprocess.run(
        [sys.executable, __file__, "--reads", url, code],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"the reads failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def export(url: str, codes: list[str], out: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, the command's summary line) of the province's export."""
    args = ["export", "--period", PERIOD, "--out", str(out)]
    for code in codes:
        args += ["--district", code]
    done = run_cli(args, {**os.environ, "CHIDOAN_DATABASE__URL": url, **PUBLIC_LINKS})
    if done.code != 0:
        sys.exit(f"the export failed:\n{done.problem}")
    return done.seconds, done.peak_kib, done.stdout


def province(codes: list[str]) -> list[str]:
    """The first districts that together hold PROVINCE branches (all of them, if fewer)."""
    return codes[: max(1, round(PROVINCE / PER_DISTRICT))]


def measure(server: str, size: int, folder: Path) -> None:
    started = time.perf_counter()
    url, codes, counts = asyncio.run(build_country(server, size))
    built = time.perf_counter() - started
    print(
        f"{size:,} branches in {counts['districts']:,} districts: {counts['reports']:,} reports "
        f"(12 months), {counts['photos']:,} photos, {counts['cases']:,} youth cases; "
        f"generated in {built:.0f}s",
        flush=True,
    )
    figures = reads(url, codes[len(codes) // 2])
    for label, key in (
        ("one district's digest (/tonghop)", "digest"),
        ("one district's status (/trangthai)", "status"),
        (f"the national status ({figures['national_lines']} lines)", "national"),
    ):
        first, median = figures[key]
        print(f"  {label:<42} first {first:7.0f} ms, then median {median:7.0f} ms")
    print(f"  {'(before: the same, district by district)':<42} once    {figures['loop']:7.0f} ms")
    print(f"  peak RSS of those reads: {figures['peak_kib'] / 1024:.0f} MB")
    chosen = province(codes)
    took, peak, line = export(url, chosen, folder / f"province-{size}.xlsx")
    print(
        f"  XLSX of a province ({len(chosen)} districts): {took:.1f}s, peak RSS "
        f"{peak / 1024:.0f} MB ({line.split(': ', 1)[-1]})",
        flush=True,
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--reads":
        print(json.dumps(asyncio.run(measure_reads(sys.argv[2], sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,10000", help="branches, comma-separated")
    parser.add_argument("--full", action="store_true", help="10,000 and 100,000 branches")
    args = parser.parse_args()
    server = databases.postgres_server_url()
    if not server:
        print(f"bench/scale.py: skipped, it needs {databases.PG_ENV} (PostgreSQL)")
        return
    sizes = [10_000, 100_000] if args.full else [int(s) for s in args.sizes.split(",")]
    print(f"PostgreSQL, database {DATABASE}, month {PERIOD}:")
    with tempfile.TemporaryDirectory() as name:
        for size in sizes:
            measure(server, size, Path(name))


if __name__ == "__main__":
    main()
