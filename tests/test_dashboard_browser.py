"""The dashboard in a real browser: headless Chromium opens it at 360 px and 1280 px, the figures
it shows match the database, nothing overflows a phone's width, nothing is fetched from elsewhere,
and a screenshot of each width is kept under tests/output/ (git-ignored)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Branch, GrassrootsUnit, MonthlyReport, Role
from tests.support.chromium import Browser, headless_chromium, require_chromium
from tests.support.dashboard import Served, dashboard_server, link_for
from tests.support.harness import Harness
from tests.support.scorecard_seed import EXPECTED_DECEMBER, EXPECTED_UNITS, NOW, seed_year

OUTPUT = Path(__file__).resolve().parent / "output"
WIDTHS = (360, 1280)

#: The figures as the browser lays them out: status and scorecard rows by unit code.
READ_FIGURES = """(() => {
  const rows = {};
  for (const tr of document.querySelectorAll('#status tr[data-unit]')) {
    const cells = {};
    for (const td of tr.querySelectorAll('td[data-figure]')) {
      cells[td.dataset.figure] = td.innerText.trim();
    }
    rows[tr.dataset.unit] = cells;
  }
  const verdicts = {};
  for (const tr of document.querySelectorAll('#scorecard tr[data-unit]')) {
    verdicts[tr.dataset.unit] = tr.dataset.met;
  }
  return {rows, verdicts};
})()"""
#: What "readable" is checked as: no sideways scrolling, body text at least 14 px, chart loaded.
READ_LAYOUT = """(() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  font: parseFloat(getComputedStyle(document.body).fontSize),
  rowDisplay: getComputedStyle(document.querySelector('#status tbody tr')).display,
  chartWidth: document.querySelector('#chart img').naturalWidth,
}))()"""


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    binary = require_chromium()
    async with headless_chromium(binary) as browser:
        yield browser


@pytest.fixture
async def served(sqlite_harness: Harness) -> AsyncIterator[Served]:
    await seed_year(sqlite_harness)
    sqlite_harness.clock.set(NOW)
    async with dashboard_server(sqlite_harness) as served:
        yield served


async def _december_from_the_database(harness: Harness) -> dict[str, dict[str, int]]:
    """This month's reports per unit and state, counted straight from the tables."""
    flagged = (func.json_array_length(MonthlyReport.flags) > 0).label("flagged")
    async with harness.uow() as uow:
        rows = await uow.session.execute(
            select(
                GrassrootsUnit.code, MonthlyReport.status, MonthlyReport.late, flagged, func.count()
            )
            .join(Branch, Branch.unit_id == GrassrootsUnit.id)
            .join(MonthlyReport, MonthlyReport.branch_id == Branch.id)
            .where(MonthlyReport.period == "2026-12")
            .group_by(GrassrootsUnit.code, MonthlyReport.status, MonthlyReport.late, flagged)
        )
        branches = await uow.session.execute(
            select(GrassrootsUnit.code, func.count(Branch.id))
            .join(Branch, Branch.unit_id == GrassrootsUnit.id)
            .group_by(GrassrootsUnit.code)
        )
    counts = {
        unit: {"expected": n, "on_time": 0, "late": 0, "returned": 0, "flagged": 0}
        for unit, n in branches.all()
    }
    for unit, status, late, has_flags, count in rows.all():
        figures = counts[unit]
        if status in ("submitted", "approved"):
            figures["late" if late else "on_time"] += count
        elif status == "returned":
            figures["returned"] += count
        if has_flags and status != "draft":
            figures["flagged"] += count
    for figures in counts.values():
        figures["missing"] = (
            figures["expected"] - figures["on_time"] - figures["late"] - figures["returned"]
        )
    return counts


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_page_in_chromium_shows_the_databases_figures_and_fits_the_screen(
    sqlite_harness: Harness, served: Served, browser: Browser, width: int
) -> None:
    leader = await sqlite_harness.registered("lead", Role.LEADER, "PH")
    url = await link_for(leader)
    page = await browser.page(width, 800)
    await page.open(url)
    shown = await page.evaluate(READ_FIGURES)
    stored = await _december_from_the_database(sqlite_harness)
    for unit, figures in stored.items():
        if not unit.startswith("PH"):
            continue
        row = {key: int(value) for key, value in shown["rows"][unit].items() if key in figures}
        assert row == figures, unit
        keys = ("expected", "on_time", "late", "missing", "returned", "flagged")
        assert tuple(row[k] for k in keys) == EXPECTED_DECEMBER[unit]
    assert shown["verdicts"] == {
        unit: "yes" if met else "no" for unit, (_s, met, _c, _w) in EXPECTED_UNITS.items()
    }
    layout = await page.evaluate(READ_LAYOUT)
    assert layout["overflow"] <= 0, f"the page scrolls sideways by {layout['overflow']} px"
    assert layout["font"] >= 14 and layout["chartWidth"] > 0
    assert layout["rowDisplay"] == ("block" if width < 600 else "table-row")
    assert all(u.startswith(served.base_url) for u in page.requested()), page.requested()
    png = await page.screenshot(OUTPUT / f"dashboard-{width}px.png")
    assert png.startswith(b"\x89PNG")
