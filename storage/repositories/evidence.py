"""Photo evidence rows (ảnh minh chứng): added, labelled with an item, counted."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
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
