"""What the district dashboard shows, computed live: this month's reporting status by unit, the
flagged reports with their reasons, and the scorecard so far this year. Counts and branch names
only: no young person's name, and no free text a secretary typed (it may hold one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.i18n import Catalog
from handlers.digest.compute import reporting_table
from handlers.digest.model import ReportingTable, rate
from handlers.reports.calendar import reporting_period
from handlers.reports.reasons import Reason, of_report, photo_reasons_in_district, short
from handlers.scorecard.cache import ScorecardCache
from handlers.scorecard.compute import build_scorecard, default_year, year_range
from handlers.scorecard.model import Scorecard
from storage.models import District, ReportStatus
from storage.repositories.scorecard import FlaggedReport, ScorecardRepository
from storage.uow import UnitOfWork

#: A flag counts once the district can see the report: sent, approved or returned.
VISIBLE = (ReportStatus.SUBMITTED.value, ReportStatus.APPROVED.value, ReportStatus.RETURNED.value)
_COUNTS = ("expected", "on_time", "late", "missing", "returned", "flagged")


@dataclass(frozen=True)
class UnitStatusRow:
    """Đoàn cơ sở (or the whole district): this month's reports by state."""

    code: str
    name: str
    expected: int
    on_time: int
    late: int
    missing: int
    returned: int
    flagged: int

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def reporting_rate(self) -> float | None:
        return rate(self.received, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.expected)


@dataclass(frozen=True)
class FlaggedLine:
    """One flagged report: where, and why in words a leader reads (never the typed note)."""

    unit: str
    branch: str
    status: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DashboardView:
    """Everything on the page."""

    district: District
    table: ReportingTable
    units: tuple[UnitStatusRow, ...]
    total: UnitStatusRow
    flagged: tuple[FlaggedLine, ...]
    year: int
    scorecard: Scorecard


def flag_reasons(
    report: FlaggedReport, catalog: Catalog, locale: str, photos: list[Reason] | None = None
) -> tuple[str, ...]:
    """Each flag as '<kind> · <question>: <figure>', then the photos' doubts: the reasons of
    `handlers/reports/reasons.py`, the same /duyet and the digest give (never a typed note)."""
    found = [*of_report(report.flags, report.answers), *(photos or [])]
    return tuple(short(catalog, locale, reason) for reason in found)


def status_rows(
    table: ReportingTable, flagged: list[FlaggedReport]
) -> tuple[tuple[UnitStatusRow, ...], UnitStatusRow]:
    """One row per unit from the digest's reporting table, plus flagged counts; and the total."""
    by_unit: dict[str, int] = {}
    for report in flagged:
        by_unit[report.unit_code] = by_unit.get(report.unit_code, 0) + 1
    rows = tuple(
        UnitStatusRow(
            u.code,
            u.name,
            u.expected,
            u.on_time,
            u.received - u.on_time,
            len(u.missing),
            len(u.returned),
            by_unit.get(u.code, 0),
        )
        for u in table.units
    )
    total = UnitStatusRow(
        table.district_code,
        table.district_name,
        *(sum(getattr(r, f) for r in rows) for f in _COUNTS),
    )
    return rows, total


async def build_view(
    uow: UnitOfWork,
    district: District,
    now: datetime,
    settings: Settings,
    catalog: Catalog,
    locale: str,
    cache: ScorecardCache | None = None,
) -> DashboardView:
    """The page's figures for `district`, now (the scorecard through `cache` when given)."""
    period = reporting_period(now, settings)
    table = await reporting_table(uow, district, period, settings)
    flagged = await uow.get(ScorecardRepository).flagged(
        district.id, [period], VISIBLE, photos=True
    )
    photos = await photo_reasons_in_district(uow, district.id, period)
    units, total = status_rows(table, flagged)
    year = default_year(now, settings)
    if cache is None:
        card = await build_scorecard(uow, district, *year_range(year), now, settings)
    else:
        card = await cache.scorecard(uow, district, *year_range(year), now, settings)
    lines = tuple(
        FlaggedLine(
            r.unit_name,
            r.branch_name,
            r.status,
            flag_reasons(r, catalog, locale, photos.get(r.report_id)),
        )
        for r in flagged
    )
    return DashboardView(district, table, units, total, lines, year, card)
