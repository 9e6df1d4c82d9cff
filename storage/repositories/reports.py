"""Monthly reports and their revisions and evidence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Evidence, GrassrootsUnit, MonthlyReport, ReportRevision
from storage.models.org import Branch

#: Built once (its compiled form is then found in SQLAlchemy's cache by identity).
_LOCKED = (
    select(MonthlyReport)
    .where(MonthlyReport.id == bindparam("report_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


class ReportRepository:
    """One report per branch and period."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        #: Reports locked in this transaction (a repository lives as long as its unit of work).
        self._locked: dict[int, MonthlyReport] = {}

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

    async def locked(self, report_id: int) -> MonthlyReport | None:
        """The report, locked for this transaction where the database can (PostgreSQL), and
        read afresh: two secretaries of one branch answering at once take turns. Asked again
        in the same transaction, the report is the one already read (we hold its lock, and our
        own changes are on it): no second SELECT."""
        held = self._locked.get(report_id)
        if held is not None:
            return held
        report = await self.session.scalar(_LOCKED, {"report_id": report_id})
        if report is not None:
            self._locked[report_id] = report
        return report

    async def add_revision(
        self,
        report: MonthlyReport,
        *,
        action: str,
        by_id: int | None,
        at: datetime,
        note: str | None = None,
    ) -> int:
        """Keep the report's answers as they stand now, with who did what; returns its number."""
        number = await self.revision_count(report.id) + 1
        self.session.add(
            ReportRevision(
                report_id=report.id,
                number=number,
                action=action,
                answers=dict(report.answers or {}),
                note=note,
                by_id=by_id,
                at=at,
            )
        )
        await self.session.flush()
        return number

    async def revision_count(self, report_id: int, *actions: str) -> int:
        """How many revisions the report has (only of these actions, when given)."""
        query = select(func.count(ReportRevision.id)).where(ReportRevision.report_id == report_id)
        if actions:
            query = query.where(ReportRevision.action.in_(actions))
        return int(await self.session.scalar(query) or 0)

    async def last_revision_at(self, report_id: int, *actions: str) -> datetime | None:
        """When the latest revision of these actions was made."""
        query = select(func.max(ReportRevision.at)).where(
            ReportRevision.report_id == report_id, ReportRevision.action.in_(actions)
        )
        latest: datetime | None = await self.session.scalar(query)
        return latest

    async def reference_taken(self, reference: str) -> bool:
        """Whether a report already carries this receipt reference."""
        found = await self.session.scalar(
            select(MonthlyReport.id).where(MonthlyReport.reference == reference)
        )
        return found is not None

    async def evidence(self, report_id: int) -> list[Evidence]:
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)
        )
        return list(rows)
