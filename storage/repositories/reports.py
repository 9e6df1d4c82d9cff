"""Monthly reports and their revisions and evidence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Evidence, GrassrootsUnit, MonthlyReport, ReportRevision
from storage.models.org import Branch


class ReportRepository:
    """One report per branch and period."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, branch_id: int, period: str, *, lock: bool = False) -> MonthlyReport | None:
        query = select(MonthlyReport).where(
            MonthlyReport.branch_id == branch_id, MonthlyReport.period == period
        )
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def by_id(self, report_id: int) -> MonthlyReport | None:
        return await self.session.scalar(
            select(MonthlyReport)
            .options(
                selectinload(MonthlyReport.branch)
                .selectinload(Branch.unit)
                .selectinload(GrassrootsUnit.district)
            )
            .where(MonthlyReport.id == report_id)
        )

    async def get_or_create(self, branch_id: int, period: str, now: datetime) -> MonthlyReport:
        """The branch's report for the period, created as an empty draft on first use."""
        report = await self.get(branch_id, period, lock=True)
        if report is not None:
            return report
        try:
            async with self.session.begin_nested():
                report = MonthlyReport(
                    branch_id=branch_id,
                    period=period,
                    answers={},
                    flags=[],
                    created_at=now,
                    updated_at=now,
                )
                self.session.add(report)
        except IntegrityError:
            report = await self.get(branch_id, period, lock=True)
            assert report is not None
        return report

    async def for_district(self, district_id: int, period: str) -> list[MonthlyReport]:
        """Every report of the district's branches for the period (drafts included)."""
        rows = await self.session.scalars(
            select(MonthlyReport)
            .join(Branch)
            .join(GrassrootsUnit)
            .options(selectinload(MonthlyReport.branch).selectinload(Branch.unit))
            .where(GrassrootsUnit.district_id == district_id, MonthlyReport.period == period)
        )
        return list(rows)

    async def for_branch(self, branch_id: int) -> list[MonthlyReport]:
        rows = await self.session.scalars(
            select(MonthlyReport)
            .where(MonthlyReport.branch_id == branch_id)
            .order_by(MonthlyReport.period.desc())
        )
        return list(rows)

    async def add_revision(self, revision: ReportRevision) -> None:
        self.session.add(revision)
        await self.session.flush()

    async def revision_count(self, report_id: int) -> int:
        count = await self.session.scalar(
            select(func.count(ReportRevision.id)).where(ReportRevision.report_id == report_id)
        )
        return int(count or 0)

    async def evidence(self, report_id: int) -> list[Evidence]:
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)
        )
        return list(rows)
