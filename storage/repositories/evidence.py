"""Photo evidence rows (ảnh minh chứng): added, labelled with an item, counted."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Evidence


class EvidenceRepository:
    """The photos attached to reports."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, evidence: Evidence) -> Evidence:
        """Keep a new photo row (its id is set on return)."""
        self.session.add(evidence)
        await self.session.flush()
        return evidence

    async def label(self, report_id: int, evidence_ids: Iterable[int], item: str | None) -> None:
        """Say what these photos of the report prove (None: the report as a whole)."""
        ids = list(evidence_ids)
        if ids:
            await self.session.execute(
                update(Evidence)
                .where(Evidence.id.in_(ids), Evidence.report_id == report_id)
                .values(item=item)
            )

    async def of_report(self, report_id: int) -> list[Evidence]:
        """A report's photos in the order they came."""
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)
        )
        return list(rows)
