"""Photo evidence rows (ảnh minh chứng): added, labelled with an item, removed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Evidence, PhotoFlag


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

    async def of_report(self, report_id: int, evidence_id: int) -> Evidence | None:
        """One photo, only if it belongs to this report."""
        return await self.session.scalar(
            select(Evidence).where(Evidence.id == evidence_id, Evidence.report_id == report_id)
        )

    async def by_id(self, evidence_id: int) -> Evidence | None:
        return await self.session.get(Evidence, evidence_id)

    async def drop_flag(self, flag: PhotoFlag) -> None:
        """Forget one doubt about a photo."""
        await self.session.delete(flag)

    async def flags_pointing_at(self, evidence_id: int) -> list[PhotoFlag]:
        """Doubts on other photos that name this one as the first use of their picture."""
        rows = await self.session.scalars(
            select(PhotoFlag).where(PhotoFlag.origin_id == evidence_id).order_by(PhotoFlag.id)
        )
        return list(rows)

    async def remove(self, evidence: Evidence) -> None:
        """Delete a photo row and the doubts recorded on it (nothing may point at it any more:
        see `handlers.evidence.manage.remove_photo`)."""
        await self.session.execute(delete(PhotoFlag).where(PhotoFlag.evidence_id == evidence.id))
        await self.session.delete(evidence)
        await self.session.flush()
