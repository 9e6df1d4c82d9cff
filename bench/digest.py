"""Prints how long the digest, its chart and the XLSX export take for a large district.

A district of 40 grassroots units × 30 branches (1,200 branches, the upper end in domain.md),
six months of reports, two photos per report, 300 youth cases, on a fresh SQLite file.
Run: .venv/bin/python bench/digest.py
"""

from __future__ import annotations

import asyncio
import io
import tempfile
import time
from pathlib import Path

from bot.config import load_settings
from bot.i18n import Catalog, Formatter
from bot.periods import shift
from handlers.digest.chart import digest_chart
from handlers.digest.compute import build_digest
from handlers.digest.render import digest_text
from handlers.export.build import export_workbook
from handlers.reports.form import form_for
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import (
    Branch,
    District,
    Evidence,
    GrassrootsUnit,
    MonthlyReport,
    YouthCase,
)
from storage.uow import UnitOfWork

UNITS, BRANCHES, MONTHS = 40, 30, 6
PERIOD = "2026-11"


async def seed(uow: UnitOfWork) -> District:
    """The synthetic district, its reports, photos and youth cases."""
    from datetime import UTC, datetime

    now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    district = District(code="BIG", name="Huyện đoàn Thử Nghiệm")
    uow.session.add(district)
    await uow.flush()
    n = 0
    for u in range(UNITS):
        unit = GrassrootsUnit(
            code=f"BIG-{u:02d}", name=f"Đoàn xã số {u + 1}", district_id=district.id
        )
        uow.session.add(unit)
        await uow.flush()
        for b in range(BRANCHES):
            branch = Branch(
                code=f"BIG-{u:02d}-{b:02d}", name=f"Chi đoàn ấp {b + 1}", unit_id=unit.id
            )
            uow.session.add(branch)
            await uow.flush()
            for m in range(MONTHS):
                n += 1
                if n % 7 == 0:
                    continue  # some branches never report
                report = MonthlyReport(
                    branch_id=branch.id,
                    period=shift(PERIOD, -m),
                    status="submitted",
                    late=n % 5 == 0,
                    submitted_at=now,
                    flags=[],
                    created_at=now,
                    updated_at=now,
                    answers={
                        "members_total": 30,
                        "admitted": 1,
                        "meeting_held": True,
                        "one_plus_one": 2,
                        "projects_count": 1,
                        "projects": ["Dọn kênh"],
                        "support_startup_vnd": 1_000_000,
                    },
                )
                uow.session.add(report)
                await uow.flush()
                for i in range(2):
                    uow.session.add(
                        Evidence(
                            report_id=report.id,
                            sha256=f"{report.id:032d}{i:032d}",
                            size=1,
                            mime="image/jpeg",
                            created_at=now,
                        )
                    )
            if b % 4 == 0:
                uow.session.add(
                    YouthCase(
                        branch_id=branch.id,
                        full_name="X",
                        categories=["poor"],
                        created_at=now,
                        updated_at=now,
                    )
                )
    return district


async def measure(folder: Path, url: str) -> None:
    """Seed, then time each step once."""
    settings = load_settings(database={"url": url}, bot={"data_dir": str(folder)})
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        district = await seed(uow)
    catalog = Catalog()
    async with UnitOfWork(sessions) as uow:
        start = time.perf_counter()
        digest = await build_digest(uow, district, PERIOD, settings)
        figures = time.perf_counter() - start
        start = time.perf_counter()
        text = digest_text(digest, Formatter(catalog, "vi", settings.bot.timezone))
        rendering = time.perf_counter() - start
        start = time.perf_counter()
        chart = digest_chart(digest, "Tỉ lệ nộp", "6 tháng")
        charting = time.perf_counter() - start
        start = time.perf_counter()
        workbook = io.BytesIO()
        await export_workbook(
            uow,
            out=workbook,
            period=PERIOD,
            districts=[district],
            form=form_for(settings),
            catalog=catalog,
            locale="vi",
            tz=settings.bot.timezone,
            now=digest.table.deadline,
            person_id=None,
            with_youth=True,
            via="bench",
        )
        exporting = time.perf_counter() - start
    await engine.dispose()
    print(f"district: {UNITS} units, {UNITS * BRANCHES} branches, {MONTHS} months of reports")
    print(f"digest figures:  {figures * 1000:7.0f} ms")
    print(f"digest text:     {rendering * 1000:7.0f} ms  ({len(text)} characters)")
    print(f"chart (PNG):     {charting * 1000:7.0f} ms  ({len(chart) // 1024} KiB)")
    print(f"export (XLSX):   {exporting * 1000:7.0f} ms  ({len(workbook.getvalue()) // 1024} KiB)")


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)  # Alembic runs its own event loop
    asyncio.run(measure(folder, url))


if __name__ == "__main__":
    main()
