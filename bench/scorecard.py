"""Prints how long the "3 chủ động" scorecard and the dashboard page take for a large district.

A district of 40 grassroots units × 30 branches (1,200 branches, the upper end in domain.md),
twelve months of reports (about 14,000), a meeting photo and some project photos each, 300 youth
cases with help recorded, on a fresh SQLite file; with CHIDOAN_TEST_POSTGRES_URL set, on a
throw-away PostgreSQL database too. Targets: scorecard ≤ 2 s, page server time ≤ 200 ms.
Run: .venv/bin/python bench/scorecard.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app.dashboard.web import DashboardPages
from bot.app.web.links import SignedLinks
from bot.app.web.server import WebServer
from bot.clock import ManualClock
from bot.config import load_settings
from bot.i18n import Catalog, Formatter
from handlers.dashboard.links import issue_link
from handlers.scorecard.chart import scorecard_chart
from handlers.scorecard.compute import build_scorecard, rules_of, year_range
from handlers.scorecard.workbook import scorecard_workbook
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import (
    Branch,
    District,
    Evidence,
    GrassrootsUnit,
    MonthlyReport,
    Person,
    ReportRevision,
    RoleAssignment,
    YouthCase,
    YouthCaseEvent,
)
from storage.uow import UnitOfWork

UNITS, BRANCHES, YEAR = 40, 30, 2026
NOW = datetime(2026, 12, 28, 3, 0, tzinfo=UTC)  # after December's deadline: all 12 months due
PAGE_REQUESTS = 20


def _answers(n: int, month: int, unit: int) -> dict[str, Any]:
    # One unit in five misses a meeting every third month: not met.
    held = n % (3 if unit % 5 == 0 else 13) != 0
    return {
        "members_total": 30,
        "admitted": 1 if month in (3, 9) else 0,
        "transferred_in": 0,
        "transferred_out": 1 if month in (3, 9) else 0,  # so the member count adds up
        "meeting_held": held,
        **({"meeting_attendance": 20} if held else {}),
        "one_plus_one": n % 3,
        "projects_count": 1 if month % 4 == 0 else 0,
        "party_introduced": 1 if n % 31 == 0 else 0,
    }


async def seed(uow: UnitOfWork) -> tuple[District, Person]:
    """The synthetic district, a year of reports, photos, youth cases and one leader."""
    district = District(code="BIG", name="Huyện đoàn Thử Nghiệm")
    uow.session.add(district)
    await uow.flush()
    units = [
        {"code": f"BIG-{u:02d}", "name": f"Đoàn xã số {u + 1}", "district_id": district.id}
        for u in range(UNITS)
    ]
    await uow.session.execute(insert(GrassrootsUnit), units)
    unit_ids = list(await uow.session.scalars(select(GrassrootsUnit.id).order_by("id")))
    branches = [
        {"code": f"BIG-{u:02d}-{b:02d}", "name": f"Chi đoàn ấp {b + 1}", "unit_id": unit_id}
        for u, unit_id in enumerate(unit_ids)
        for b in range(BRANCHES)
    ]
    await uow.session.execute(insert(Branch), branches)
    branch_ids = list(await uow.session.scalars(select(Branch.id).order_by(Branch.id)))
    reports, n = [], 0
    for branch_id in branch_ids:
        for month in range(1, 13):
            n += 1
            if n % 11 == 0:
                continue  # some months never reported
            sent = datetime(YEAR, month, 20, 3, 0, tzinfo=UTC)
            reused = {"field": "photos", "code": "photo_reused", "note": "x"}
            flags = [reused] if n % 53 == 0 else []
            reports.append(
                {
                    "branch_id": branch_id,
                    "period": f"{YEAR}-{month:02d}",
                    "status": "submitted",
                    "late": n % 7 == 0,
                    "submitted_at": sent,
                    "answers": _answers(n, month, branch_id // BRANCHES),
                    "flags": flags,
                    "created_at": sent,
                    "updated_at": sent,
                }
            )
    await uow.session.execute(insert(MonthlyReport), reports)
    rows = await uow.session.execute(select(MonthlyReport.id, MonthlyReport.answers))
    photos = []
    for report_id, answers in rows.all():
        items = ["meeting"] if answers.get("meeting_held") else []
        items += ["activity:1"] if answers.get("projects_count") else []
        photos += [
            {
                "report_id": report_id,
                "sha256": f"{report_id:032d}{i:032d}",
                "size": 1,
                "mime": "image/jpeg",
                "item": item,
                "created_at": NOW,
            }
            for i, item in enumerate(items)
        ]
    await uow.session.execute(insert(Evidence), photos)
    cases = [
        {
            "branch_id": branch_id,
            "full_name": "X",
            "categories": ["poor"],
            "status": "open",
            "created_at": NOW - timedelta(days=400),
            "updated_at": NOW,
        }
        for branch_id in branch_ids[::4]
    ]
    await uow.session.execute(insert(YouthCase), cases)
    case_ids = list(await uow.session.scalars(select(YouthCase.id)))
    events = [
        {"case_id": c, "kind": "help_given", "detail": {}, "at": NOW - timedelta(days=60)}
        for c in case_ids[: len(case_ids) * 9 // 10]
    ]
    await uow.session.execute(insert(YouthCaseEvent), events)
    leader = Person(display_name="Lãnh đạo", created_at=NOW)
    uow.session.add(leader)
    await uow.flush()
    uow.session.add(
        RoleAssignment(person_id=leader.id, role="leader", district_id=district.id, created_at=NOW)
    )
    return district, leader


async def measure(url: str, folder: Path, label: str) -> None:
    """Seed, then time the scorecard, its chart and workbook, and the page."""
    settings = load_settings(database={"url": url}, bot={"data_dir": str(folder)})
    engine = create_engine(url)
    sessions = session_factory(engine)
    clock = ManualClock(NOW)
    catalog = Catalog()
    async with UnitOfWork(sessions) as uow:
        district, leader = await seed(uow)
    rules = rules_of(settings)
    timings = []
    for _ in range(3):
        async with UnitOfWork(sessions) as uow:
            start = time.perf_counter()
            card = await build_scorecard(uow, district, *year_range(YEAR), NOW, settings, rules)
            timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    chart = scorecard_chart(card, Formatter(catalog, "vi").t)
    charting = time.perf_counter() - start
    start = time.perf_counter()
    workbook = scorecard_workbook(card, rules, catalog, "vi")
    workbook_time = time.perf_counter() - start

    server = WebServer("127.0.0.1", 0, engine)
    links = SignedLinks(folder / "links", "", b"bench", timedelta(hours=1), clock)
    first_pages = DashboardPages(sessions, links, settings, catalog, clock)
    first_pages.attach(server.app)
    await server.start()
    links.base_url = f"http://127.0.0.1:{server.bound_port}"
    async with UnitOfWork(sessions) as uow:
        page_url, _ = await issue_link(
            uow, links, leader, district, locale="vi", now=NOW, ttl=timedelta(hours=12)
        )
    page_times = []
    async with aiohttp.ClientSession() as http:
        for _ in range(PAGE_REQUESTS + 1):
            page_times.append(await timed_get(http, page_url))
        changed = []
        for _ in range(3):
            # A report sent anywhere moves the change stamp: the year is computed again.
            async with UnitOfWork(sessions) as uow:
                report_id = await uow.session.scalar(select(MonthlyReport.id).limit(1))
                number = await uow.session.scalar(select(func.count(ReportRevision.id)))
                uow.session.add(
                    ReportRevision(
                        report_id=report_id, number=number + 1, action="submit", answers={}, at=NOW
                    )
                )
            changed.append(await timed_get(http, page_url))
            await first_pages.warmed()  # the new card, computed in the background meanwhile
    await server.stop()
    # The server started again (a restart, or a link just sent): it prepares the district first.
    server = WebServer("127.0.0.1", 0, engine)
    pages = DashboardPages(sessions, links, settings, catalog, clock)
    pages.attach(server.app)
    start = time.perf_counter()
    await server.start()
    await pages.warmed()
    warming = time.perf_counter() - start
    warm_url = page_url.replace(links.base_url, f"http://127.0.0.1:{server.bound_port}")
    async with aiohttp.ClientSession() as http:
        warm_first = await timed_get(http, warm_url)
        body = await (await http.get(warm_url)).read()
    await server.stop()
    await engine.dispose()
    reports = sum(u.figures.received for u in card.units)
    print(f"== {label}: {UNITS} units, {UNITS * BRANCHES} branches, {reports} reports in 12 months")
    print(
        f"scorecard:       {min(timings) * 1000:7.0f} ms best of 3 "
        f"(first {timings[0] * 1000:.0f} ms; target ≤ 2000 ms), {card.met_units} units met"
    )
    print(f"chart (PNG):     {charting * 1000:7.0f} ms  ({len(chart) // 1024} KiB)")
    print(f"workbook (XLSX): {workbook_time * 1000:7.0f} ms  ({len(workbook) // 1024} KiB)")
    cold, warm = page_times[0], sorted(page_times[1:])
    print(
        f"dashboard page:  {statistics.median(warm) * 1000:7.0f} ms median of {PAGE_REQUESTS} "
        f"requests, slowest {warm[-1] * 1000:.0f} ms (target ≤ 200 ms); {len(body) // 1024} KiB"
    )
    print(
        f"first request:   {warm_first * 1000:7.0f} ms once the server has prepared the district "
        f"(at start, or when its link is sent: {warming * 1000:.0f} ms in the background); "
        f"{cold * 1000:.0f} ms with nothing prepared (it computes the year's scorecard)"
    )
    print(
        f"page after a new report: {statistics.median(changed) * 1000:.0f} ms median of 3 "
        "(the kept scorecard shown once, the new one computed in the background)"
    )


async def timed_get(http: aiohttp.ClientSession, url: str) -> float:
    """Seconds until the whole page arrived."""
    start = time.perf_counter()
    async with http.get(url) as response:
        await response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)  # Alembic runs its own event loop
    asyncio.run(measure(url, folder, "SQLite"))
    server = os.environ.get("CHIDOAN_TEST_POSTGRES_URL")
    if server:
        from tests.support.databases import create_postgres_database, drop_postgres_database

        pg_url = create_postgres_database(server)
        try:
            asyncio.run(measure(pg_url, folder, "PostgreSQL"))
        finally:
            drop_postgres_database(server, pg_url)


if __name__ == "__main__":
    main()
