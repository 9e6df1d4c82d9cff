"""Photos by what they look like: earlier uses of a picture, and the doubts recorded on photos."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Branch, Evidence, GrassrootsUnit, MonthlyReport, PhotoFlag

if TYPE_CHECKING:
    #: The query of recorded doubts, before the caller narrows it to the photos it wants.
    FlagQuery = Select[PhotoFlag, Evidence, MonthlyReport, Branch, GrassrootsUnit]

#: Ids per `IN (...)`: well under SQLite's limit on bound parameters.
IDS_PER_QUERY = 500


@dataclass(frozen=True)
class EarlierUse:
    """A photo in another report, as the near-duplicate check compares it."""

    evidence_id: int
    sha256: str
    phash: int | None
    dhash: int | None
    created_at: datetime


@dataclass(frozen=True)
class FirstUse:
    """Where and when a reused picture was first used: branch, report period, item, day."""

    evidence_id: int
    branch_code: str
    branch_name: str
    unit_code: str
    unit_name: str
    period: str
    item: str | None  # "meeting", "activity:2", or None for the report as a whole
    answers: dict[str, Any]  # that report's answers, to name its item ("activity:2": which line)
    at: datetime


@dataclass(frozen=True)
class PhotoDoubtView:
    """One recorded doubt about a photo, with everything needed to show it."""

    evidence_id: int
    code: str
    match: str | None
    distance: int | None
    taken_at: datetime | None
    first_use: FirstUse | None


class PhotoFingerprints:
    """Queries over the photos' fingerprints (Evidence.phash, dhash) and their flags."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_flags(self, flags: Iterable[PhotoFlag]) -> None:
        """Record doubts about photos."""
        self.session.add_all(list(flags))
        await self.session.flush()

    async def hashed_since(
        self, after_id: int, also: Sequence[int] = ()
    ) -> Sequence[tuple[int, int, int]]:
        """(id, phash, dhash) of every fingerprinted photo with a larger id or an id in `also`."""
        wanted = Evidence.id > after_id
        if also:
            wanted = or_(wanted, Evidence.id.in_(list(also)))
        rows = await self.session.execute(
            select(Evidence.id, Evidence.phash, Evidence.dhash)
            .where(wanted, Evidence.phash.is_not(None))
            .order_by(Evidence.id)
        )
        return [(int(i), int(p or 0), int(d or 0)) for i, p, d in rows]

    async def same_content(self, sha256: str, *, outside_report: int) -> list[EarlierUse]:
        """Every photo with exactly this content in other reports."""
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.sha256 == sha256, Evidence.report_id != outside_report)
        )
        return [_earlier(e) for e in rows]

    async def photos(self, ids: Iterable[int], *, outside_report: int) -> list[EarlierUse]:
        """The photos with these ids in other reports (ids no longer there are skipped)."""
        found: list[EarlierUse] = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), IDS_PER_QUERY):
            rows = await self.session.scalars(
                select(Evidence).where(
                    Evidence.id.in_(wanted[start : start + IDS_PER_QUERY]),
                    Evidence.report_id != outside_report,
                )
            )
            found += [_earlier(e) for e in rows]
        return found

    async def doubts(self, evidence_ids: Iterable[int]) -> dict[int, list[PhotoDoubtView]]:
        """The recorded doubts of these photos, each reused one with its first use resolved."""
        wanted = sorted(set(evidence_ids))
        found: dict[int, list[PhotoDoubtView]] = {}
        for start in range(0, len(wanted), IDS_PER_QUERY):
            chunk = wanted[start : start + IDS_PER_QUERY]
            _group(found, await self._doubts(partial(_of_photos, chunk)))
        return found

    async def doubts_in_district(
        self, district_id: int, period: str
    ) -> dict[int, list[PhotoDoubtView]]:
        """The doubts of every photo of a district's reports of the period, selected by join
        (never a list of ids, however many photos the district has; flagged ones are few)."""
        photo, report = aliased(Evidence), aliased(MonthlyReport)
        branch, unit = aliased(Branch), aliased(GrassrootsUnit)

        def of_district(query: FlagQuery) -> FlagQuery:
            return (
                query.join(photo, photo.id == PhotoFlag.evidence_id)
                .join(report, report.id == photo.report_id)
                .join(branch, branch.id == report.branch_id)
                .join(unit, unit.id == branch.unit_id)
                .where(unit.district_id == district_id, report.period == period)
            )

        return _group({}, await self._doubts(of_district))

    async def _doubts(self, narrowed: Callable[[FlagQuery], FlagQuery]) -> list[PhotoDoubtView]:
        """The flags the query narrowed to, each reused photo's first use resolved."""
        origin = aliased(Evidence)
        query = (
            select(PhotoFlag, origin, MonthlyReport, Branch, GrassrootsUnit)
            .outerjoin(origin, origin.id == PhotoFlag.origin_id)
            .outerjoin(MonthlyReport, MonthlyReport.id == origin.report_id)
            .outerjoin(Branch, Branch.id == MonthlyReport.branch_id)
            .outerjoin(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
        )
        rows = await self.session.execute(
            narrowed(query).order_by(PhotoFlag.evidence_id, PhotoFlag.id)
        )
        views = []
        for flag, first, report, branch, unit in rows:
            use = None
            if first is not None and report is not None and branch is not None:
                use = _first_use(first, report, branch, unit)
            views.append(
                PhotoDoubtView(
                    flag.evidence_id, flag.code, flag.match, flag.distance, flag.taken_at, use
                )
            )
        return views


def _of_photos(ids: list[int], query: FlagQuery) -> FlagQuery:
    return query.where(PhotoFlag.evidence_id.in_(ids))


def _group(
    found: dict[int, list[PhotoDoubtView]], views: Iterable[PhotoDoubtView]
) -> dict[int, list[PhotoDoubtView]]:
    """Add the views to `found`, by photo."""
    for view in views:
        found.setdefault(view.evidence_id, []).append(view)
    return found


def _earlier(evidence: Evidence) -> EarlierUse:
    return EarlierUse(
        evidence.id, evidence.sha256, evidence.phash, evidence.dhash, evidence.created_at
    )


def _first_use(
    first: Evidence, report: MonthlyReport, branch: Branch, unit: GrassrootsUnit | None
) -> FirstUse:
    return FirstUse(
        evidence_id=first.id,
        branch_code=branch.code,
        branch_name=branch.name,
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
        period=report.period,
        item=first.item,
        answers=dict(report.answers or {}),
        at=first.created_at,
    )
