"""Which reports the district should look at twice: a flag on the report, or on one of its photos.

One definition (`flagged`) for every place that lists, orders or counts them: /duyet, /trangthai,
the digest, the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Branch, Evidence, GrassrootsUnit, MonthlyReport, PhotoFlag

#: Ids per `IN (...)`: well under SQLite's limit on bound parameters.
IDS_PER_QUERY = 500


def has_photo_flag() -> ColumnElement[bool]:
    """The report (MonthlyReport in the query) has a photo with a recorded doubt."""
    return exists().where(
        Evidence.report_id == MonthlyReport.id, PhotoFlag.evidence_id == Evidence.id
    )


def flagged() -> ColumnElement[bool]:
    """The report (MonthlyReport in the query) has a flag of its own or on a photo."""
    return or_(func.json_array_length(MonthlyReport.flags) > 0, has_photo_flag())


class FlagRepository:
    """Reports with doubts, by district and month, and the photos that carry them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_flagged(
        self, district_id: int, period: str, statuses: Sequence[str], unit_id: int | None = None
    ) -> int:
        """How many reports of the district (or of one unit) for the month are flagged."""
        query = (
            select(func.count(MonthlyReport.id))
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.period == period,
                MonthlyReport.status.in_(list(statuses)),
                flagged(),
            )
        )
        if unit_id is not None:
            query = query.where(Branch.unit_id == unit_id)
        return int(await self.session.scalar(query) or 0)

    async def doubtful_photos_in_district(self, district_id: int, period: str) -> dict[int, int]:
        """Photo (evidence id) → its report, for the district's doubtful photos of the month."""
        rows = await self.session.execute(
            select(Evidence.id, Evidence.report_id)
            .join(MonthlyReport, MonthlyReport.id == Evidence.report_id)
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.period == period,
                exists().where(PhotoFlag.evidence_id == Evidence.id),
            )
        )
        return {int(e): int(r) for e, r in rows.all()}

    async def doubtful_photos(self, report_ids: Iterable[int]) -> dict[int, int]:
        """Photo (evidence id) → its report, for the doubtful photos of these reports."""
        wanted = sorted(set(report_ids))
        found: dict[int, int] = {}
        for start in range(0, len(wanted), IDS_PER_QUERY):
            rows = await self.session.execute(
                select(Evidence.id, Evidence.report_id).where(
                    Evidence.report_id.in_(wanted[start : start + IDS_PER_QUERY]),
                    exists().where(PhotoFlag.evidence_id == Evidence.id),
                )
            )
            found.update({int(e): int(r) for e, r in rows.all()})
        return found
