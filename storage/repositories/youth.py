"""Youth in difficult circumstances (thanh niên có hoàn cảnh khó khăn) and their case history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Branch, GrassrootsUnit, YouthCase, YouthCaseEvent

OPEN = "open"
CLOSED = "closed"


class YouthRepository:
    """Cases of one branch or one district; nothing is ever deleted."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, case: YouthCase) -> YouthCase:
        self.session.add(case)
        await self.session.flush()
        return case

    async def get(self, case_id: int) -> YouthCase | None:
        """One case with its branch, unit, district and history loaded."""
        return await self.session.scalar(
            select(YouthCase)
            .options(
                selectinload(YouthCase.branch)
                .selectinload(Branch.unit)
                .selectinload(GrassrootsUnit.district),
                selectinload(YouthCase.events),
            )
            .where(YouthCase.id == case_id)
            # Reload even when already in the session, so history added meanwhile shows.
            .execution_options(populate_existing=True)
        )

    async def for_branch(self, branch_id: int, *, status: str | None = OPEN) -> list[YouthCase]:
        """The branch's cases (open ones by default), oldest first so numbers stay stable."""
        query = select(YouthCase).where(YouthCase.branch_id == branch_id)
        if status is not None:
            query = query.where(YouthCase.status == status)
        rows = await self.session.scalars(query.order_by(YouthCase.id))
        return list(rows)

    async def counts_for_district(self, district_id: int) -> dict[int, dict[str, int]]:
        """{branch_id: {"open": n, "closed": m}} for the district's branches that have cases."""
        rows = await self.session.execute(
            select(YouthCase.branch_id, YouthCase.status, func.count(YouthCase.id))
            .join(Branch, Branch.id == YouthCase.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(GrassrootsUnit.district_id == district_id)
            .group_by(YouthCase.branch_id, YouthCase.status)
        )
        counts: dict[int, dict[str, int]] = {}
        for branch_id, status, count in rows:
            counts.setdefault(branch_id, {OPEN: 0, CLOSED: 0})[status] = int(count)
        return counts

    async def add_event(self, event: YouthCaseEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    async def events(self, case_id: int) -> list[YouthCaseEvent]:
        rows = await self.session.scalars(
            select(YouthCaseEvent)
            .where(YouthCaseEvent.case_id == case_id)
            .order_by(YouthCaseEvent.id)
        )
        return list(rows)
