"""What a branch and its district sent before: the two reads of one history check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Branch, GrassrootsUnit, MonthlyReport, ReportStatus

#: Reports the district has received: sent, or approved since (a returned one is being fixed).
SENT = (ReportStatus.SUBMITTED.value, ReportStatus.APPROVED.value)


class ReportHistoryRepository:
    """Sent reports read for the history checks: one query for the branch, one for the district."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def own(
        self, branch_id: int, before: str, limit: int
    ) -> list[tuple[str, dict[str, Any]]]:
        """The branch's last `limit` sent reports of months before `before`, latest first:
        (period, answers)."""
        rows = await self.session.execute(
            select(MonthlyReport.period, MonthlyReport.answers)
            .where(
                MonthlyReport.branch_id == branch_id,
                MonthlyReport.period < before,
                MonthlyReport.status.in_(SENT),
            )
            .order_by(MonthlyReport.period.desc())
            .limit(limit)
        )
        return [(str(p), dict(a or {})) for p, a in rows.all()]

    async def district_month(
        self, branch_id: int, period: str
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """The other branches' sent reports of the month in the branch's district: (branch
        name, unit name, answers), selected by join from the branch itself."""
        own_unit = select(Branch.unit_id).where(Branch.id == branch_id).scalar_subquery()
        own_district = (
            select(GrassrootsUnit.district_id)
            .where(GrassrootsUnit.id == own_unit)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(Branch.name, GrassrootsUnit.name, MonthlyReport.answers)
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == own_district,
                MonthlyReport.period == period,
                MonthlyReport.branch_id != branch_id,
                MonthlyReport.status.in_(SENT),
            )
            .order_by(GrassrootsUnit.code, Branch.code)
        )
        return [(str(b), str(u), dict(a or {})) for b, u, a in rows.all()]
