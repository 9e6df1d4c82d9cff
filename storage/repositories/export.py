"""What a month's workbook holds beyond the reports: their photos, the youth followed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Branch, Evidence, GrassrootsUnit, YouthCase


class ExportRepository:
    """Reads for the XLSX export (xuất báo cáo)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def photos_of(self, report_ids: Iterable[int]) -> list[Evidence]:
        """The photos of these reports, in the order they came."""
        ids = list(report_ids)
        if not ids:
            return []
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.report_id.in_(ids)).order_by(Evidence.id)
        )
        return list(rows)

    async def youth_followed(
        self, district_ids: Iterable[int], start: datetime, end: datetime
    ) -> list[YouthCase]:
        """Cases followed at some time between `start` and `end` (opened before the end, not
        closed before the start), with their branch and history, by unit and branch code."""
        rows = await self.session.scalars(
            select(YouthCase)
            .join(Branch, Branch.id == YouthCase.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .options(
                selectinload(YouthCase.branch).selectinload(Branch.unit),
                selectinload(YouthCase.events),
            )
            .where(
                GrassrootsUnit.district_id.in_(list(district_ids)),
                YouthCase.created_at < end,
                or_(YouthCase.closed_at.is_(None), YouthCase.closed_at >= start),
            )
            .order_by(GrassrootsUnit.code, Branch.code, YouthCase.id)
        )
        return list(rows)
