"""District-level aggregates for the digest and the status table (bản tin tổng hợp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Branch,
    District,
    Evidence,
    GrassrootsUnit,
    MonthlyReport,
    ReportStatus,
    YouthCase,
)

#: A report counts as received (DHIS2: "actual reports") once submitted, and stays so when approved.
RECEIVED = (ReportStatus.SUBMITTED.value, ReportStatus.APPROVED.value)


@dataclass(frozen=True)
class CaseCounts:
    """One difficult-youth case without anything that identifies the person."""

    branch_id: int
    categories: list[Any]
    status: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class DistrictCounts:
    """One district's reporting counts for a period (bảng tình hình báo cáo toàn quốc)."""

    code: str
    name: str
    expected: int
    received: int
    on_time: int
    returned: int


class DigestRepository:
    """Counts over a district's branches; never loads a youth's name."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def received_photos(self, district_id: int, period: str) -> dict[int, int]:
        """Photos per received report of the district for the period (none: left out)."""
        rows = await self.session.execute(
            select(Evidence.report_id, func.count(Evidence.id))
            .join(MonthlyReport, MonthlyReport.id == Evidence.report_id)
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.period == period,
                MonthlyReport.status.in_(RECEIVED),
            )
            .group_by(Evidence.report_id)
        )
        return {report_id: int(count) for report_id, count in rows.all()}

    async def photo_count(self, report_id: int) -> int:
        """Photos attached to one report."""
        count = await self.session.scalar(
            select(func.count(Evidence.id)).where(Evidence.report_id == report_id)
        )
        return int(count or 0)

    async def received_by_period(self, district_id: int, periods: list[str]) -> dict[str, int]:
        """Reports received (submitted or approved) per period, for the trend."""
        rows = await self.session.execute(
            select(MonthlyReport.period, func.count(MonthlyReport.id))
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.period.in_(periods),
                MonthlyReport.status.in_(RECEIVED),
            )
            .group_by(MonthlyReport.period)
        )
        found = {period: int(count) for period, count in rows.all()}
        return {period: found.get(period, 0) for period in periods}

    async def youth_cases(self, district_id: int) -> list[CaseCounts]:
        """Every case of the district's branches, reduced to what may be counted."""
        rows = await self.session.execute(
            select(
                YouthCase.branch_id,
                YouthCase.categories,
                YouthCase.status,
                YouthCase.created_at,
                YouthCase.closed_at,
            )
            .join(Branch, Branch.id == YouthCase.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(GrassrootsUnit.district_id == district_id)
        )
        return [CaseCounts(*row) for row in rows.all()]

    async def status_by_district(self, period: str) -> list[DistrictCounts]:
        """Expected, received, on-time and returned reports of every district, in ONE query.

        The national view: aggregated in SQL (GROUP BY district), so its cost is one scan of
        the period's reports, not a round trip and a thousand ORM rows per district.
        """
        received = MonthlyReport.status.in_(RECEIVED)
        returned = MonthlyReport.status == ReportStatus.RETURNED.value
        one = case((received, 1), else_=0)
        rows = await self.session.execute(
            select(
                District.code,
                District.name,
                func.count(Branch.id),
                func.coalesce(func.sum(one), 0),
                func.coalesce(func.sum(case((received & ~MonthlyReport.late, 1), else_=0)), 0),
                func.coalesce(func.sum(case((returned, 1), else_=0)), 0),
            )
            .select_from(District)
            .outerjoin(GrassrootsUnit, GrassrootsUnit.district_id == District.id)
            .outerjoin(Branch, Branch.unit_id == GrassrootsUnit.id)
            .outerjoin(
                MonthlyReport,
                (MonthlyReport.branch_id == Branch.id) & (MonthlyReport.period == period),
            )
            .group_by(District.id, District.code, District.name)
            .order_by(District.code)
        )
        return [
            DistrictCounts(code, name, int(e), int(r), int(o), int(t))
            for code, name, e, r, o, t in rows.all()
        ]
