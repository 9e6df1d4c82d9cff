"""At national size no statement binds more parameters than a driver allows.

asyncpg refuses more than 32,767 bound parameters in one statement and SQLite more than
SQLITE_MAX_VARIABLE_NUMBER (32,766 by default; some builds allow more). A district of 36,500
branches, nine in ten of them with a received report, is past both: the export of every district
and the digest must select by district, never by a list of ids.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from handlers.digest.compute import build_digest
from handlers.export.build import export_workbook
from handlers.export.sheet import HEADER_ROW
from handlers.reports.form import form_for
from storage.models import District, GrassrootsUnit
from tests.support.big_org import DistrictSize, seed_big_org
from tests.support.harness import Harness

#: SQLite's default SQLITE_MAX_VARIABLE_NUMBER, the lower of the two drivers' limits.
PARAMETER_LIMIT = 32_766
BIG = 36_500


def rows_in_sheet(path: Path, number: int) -> int:
    """Rows of a sheet, header included, counted in its XML (reading 36,500 rows would be slow)."""
    with zipfile.ZipFile(path) as book:
        return book.read(f"xl/worksheets/sheet{number}.xml").count(b"<row ")


@contextmanager
def largest_statement(harness: Harness) -> Iterator[list[int]]:
    """Records how many parameters each statement bound (the most per row for executemany)."""
    counts: list[int] = []

    def record(*args: Any) -> None:
        parameters, executemany = args[3], args[5]
        rows = parameters if executemany else [parameters]
        counts.append(max((len(row) for row in rows), default=0))

    event.listen(harness.db.sync_engine, "before_cursor_execute", record)
    try:
        yield counts
    finally:
        event.remove(harness.db.sync_engine, "before_cursor_execute", record)


async def test_export_and_digest_of_a_district_past_the_parameter_limits(
    harness: Harness, tmp_path: Path
) -> None:
    org = await seed_big_org(harness.db, [DistrictSize("BIG", BIG), DistrictSize("SMALL", 30)])
    assert org.reports > PARAMETER_LIMIT and org.received > PARAMETER_LIMIT
    out = tmp_path / "all.xlsx"
    with largest_statement(harness) as counts:
        async with harness.uow() as uow:
            districts = list(await uow.session.scalars(select(District).order_by(District.code)))
            units = int(await uow.session.scalar(select(func.count(GrassrootsUnit.id))) or 0)
            summary = await export_workbook(
                uow,
                out=out,
                period="2026-11",
                districts=districts,
                form=form_for(harness.settings),
                catalog=harness.catalog,
                locale="vi",
                tz=harness.settings.bot.timezone,
                now=harness.clock.now(),
                person_id=None,
                with_youth=True,
                via="test",
            )
            big = next(d for d in districts if d.code == "BIG")
            digest = await build_digest(uow, big, "2026-11", harness.settings)
    assert max(counts) < PARAMETER_LIMIT
    sample_branches = 7  # the harness's sample district
    assert summary.branches == org.branches + sample_branches
    assert summary.received == org.received and summary.photos == org.photos
    # Title block and header, a row per branch, a subtotal per unit, a total per district and
    # one for them all.
    above = HEADER_ROW
    totals = units + len(districts) + 1
    assert rows_in_sheet(out, 1) == above + summary.branches + totals
    assert rows_in_sheet(out, 2) == above + org.photos
    big_received = sum(1 for n in range(BIG) if n % 10 != 9)
    assert digest.table.expected == BIG and digest.table.received == big_received
    assert digest.photos == len(range(0, BIG, 20))
