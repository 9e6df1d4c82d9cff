"""What a month's workbook reads, streamed district by district in chunks (xuất báo cáo).

Every query selects by district and period through joins: never a list of ids, whose length
would grow with the organisation past the drivers' limits on bound parameters (asyncpg 32,767,
SQLite's SQLITE_MAX_VARIABLE_NUMBER). Rows arrive as plain tuples in chunks, so memory stays
flat however many branches a district has.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Branch, Evidence, GrassrootsUnit, MonthlyReport, YouthCase

#: Rows fetched and handed on at a time.
CHUNK = 1000
#: Any SELECT, whatever its columns.
Q = TypeVar("Q", bound=Select)


class ReportRow(NamedTuple):
    """One branch and its report for the period (report fields None when it has none)."""

    unit_code: str
    unit_name: str
    branch_code: str
    branch_name: str
    report_id: int | None
    status: str | None
    submitted_at: datetime | None
    late: bool | None
    reference: str | None
    answers: dict[str, Any] | None
    flags: list[Any] | None
    review_comment: str | None
    photos: int


class EvidenceRow(NamedTuple):
    """One photo of a report of the period, with what the evidence sheet shows."""

    evidence_id: int
    unit_code: str
    branch_code: str
    branch_name: str
    answers: dict[str, Any]
    item: str | None
    caption: str | None
    sha256: str
    mime: str
    size: int
    width: int | None
    height: int | None
    created_at: datetime


class ArchiveRow(NamedTuple):
    """One photo of a received report, with where it goes in the office archive."""

    report_id: int
    unit_code: str
    unit_name: str
    branch_code: str
    branch_name: str
    status: str
    answers: dict[str, Any]
    evidence_id: int
    item: str | None
    caption: str | None
    sha256: str
    mime: str
    created_at: datetime


class ExportRepository:
    """Streams a district's month: its branches with reports, its photos, its youth cases."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answer_keys(self, district_id: int, period: str) -> set[str]:
        """Every answer key used by the district's reports of the period."""
        keys: set[str] = set()
        query = _of_district(select(MonthlyReport.answers), district_id).where(
            MonthlyReport.period == period
        )
        async for chunk in self._chunks(query):
            for (answers,) in chunk:
                keys.update(answers or {})
        return keys

    async def report_rows(self, district_id: int, period: str) -> AsyncIterator[list[ReportRow]]:
        """Every branch of the district, by unit and branch code, with its report and photos."""
        photos = (
            _of_district(
                select(Evidence.report_id, func.count(Evidence.id).label("n")).join(
                    MonthlyReport, MonthlyReport.id == Evidence.report_id
                ),
                district_id,
            )
            .where(MonthlyReport.period == period)
            .group_by(Evidence.report_id)
            .subquery()
        )
        report = and_(MonthlyReport.branch_id == Branch.id, MonthlyReport.period == period)
        query = (
            select(
                GrassrootsUnit.code,
                GrassrootsUnit.name,
                Branch.code,
                Branch.name,
                MonthlyReport.id,
                MonthlyReport.status,
                MonthlyReport.submitted_at,
                MonthlyReport.late,
                MonthlyReport.reference,
                MonthlyReport.answers,
                MonthlyReport.flags,
                MonthlyReport.review_comment,
                func.coalesce(photos.c.n, 0),
            )
            .select_from(Branch)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .outerjoin(MonthlyReport, report)
            .outerjoin(photos, photos.c.report_id == MonthlyReport.id)
            .where(GrassrootsUnit.district_id == district_id)
            .order_by(GrassrootsUnit.code, Branch.code)
        )
        async for chunk in self._chunks(query):
            yield [ReportRow(*row) for row in chunk]

    async def evidence_rows(
        self, district_id: int, period: str
    ) -> AsyncIterator[list[EvidenceRow]]:
        """Every photo of the district's reports of the period, oldest first."""
        query = (
            _of_district(
                select(
                    Evidence.id,
                    GrassrootsUnit.code,
                    Branch.code,
                    Branch.name,
                    MonthlyReport.answers,
                    Evidence.item,
                    Evidence.caption,
                    Evidence.sha256,
                    Evidence.mime,
                    Evidence.size,
                    Evidence.width,
                    Evidence.height,
                    Evidence.created_at,
                )
                .select_from(Evidence)
                .join(MonthlyReport, MonthlyReport.id == Evidence.report_id),
                district_id,
            )
            .where(MonthlyReport.period == period)
            .order_by(Evidence.id)
        )
        async for chunk in self._chunks(query):
            yield [EvidenceRow(*row) for row in chunk]

    async def archive_rows(
        self, district_id: int, period: str, statuses: tuple[str, ...]
    ) -> AsyncIterator[list[ArchiveRow]]:
        """Every photo of the district's reports of the period in `statuses`, by unit, branch
        and arrival: a report's photos come one after another."""
        query = (
            _of_district(
                select(
                    MonthlyReport.id,
                    GrassrootsUnit.code,
                    GrassrootsUnit.name,
                    Branch.code,
                    Branch.name,
                    MonthlyReport.status,
                    MonthlyReport.answers,
                    Evidence.id,
                    Evidence.item,
                    Evidence.caption,
                    Evidence.sha256,
                    Evidence.mime,
                    Evidence.created_at,
                )
                .select_from(Evidence)
                .join(MonthlyReport, MonthlyReport.id == Evidence.report_id),
                district_id,
            )
            .where(MonthlyReport.period == period, MonthlyReport.status.in_(statuses))
            .order_by(GrassrootsUnit.code, Branch.code, Evidence.id)
        )
        async for chunk in self._chunks(query):
            yield [ArchiveRow(*row) for row in chunk]

    async def youth_cases(
        self, district_id: int, start: datetime, end: datetime
    ) -> list[YouthCase]:
        """Cases of the district followed at some time in [start, end), with their events."""
        rows = await self.session.scalars(
            select(YouthCase)
            .join(Branch, Branch.id == YouthCase.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .options(
                selectinload(YouthCase.branch).selectinload(Branch.unit),
                selectinload(YouthCase.events),
            )
            .where(
                GrassrootsUnit.district_id == district_id,
                YouthCase.created_at < end,
                or_(YouthCase.closed_at.is_(None), YouthCase.closed_at >= start),
            )
            .order_by(GrassrootsUnit.code, Branch.code, YouthCase.id)
        )
        return list(rows)

    async def _chunks(self, query: Select[Any]) -> AsyncIterator[list[Any]]:
        """The query's rows, CHUNK at a time, through a server-side cursor."""
        result = await self.session.stream(query.execution_options(yield_per=CHUNK))
        async for partition in result.partitions():
            yield list(partition)


def _of_district(query: Q, district_id: int) -> Q:
    """Restrict a query over reports to those of one district's branches."""
    return (
        query.join(Branch, Branch.id == MonthlyReport.branch_id)
        .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
        .where(GrassrootsUnit.district_id == district_id)
    )
