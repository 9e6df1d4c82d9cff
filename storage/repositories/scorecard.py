"""Year-long sums per branch for the "3 chủ động" scorecard, aggregated in SQL on both databases.

Answers are JSON; the figures are read with SQLAlchemy's JSON element casts, which compile to
`JSON_EXTRACT` on SQLite and `->>` on PostgreSQL. Never loads a youth's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, distinct, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Branch,
    Evidence,
    GrassrootsUnit,
    MonthlyReport,
    ReportRevision,
    YouthCase,
)
from storage.models.youth import YouthCaseEvent
from storage.repositories.digest import RECEIVED
from storage.repositories.flags import flagged

HELP_GIVEN = "help_given"


@dataclass(frozen=True)
class AnswerKeys:
    """The form's question keys the sums read."""

    members: str
    admitted: str
    transferred_in: str
    transferred_out: str
    meeting_held: str
    meeting_attendance: str
    one_plus_one: str
    projects: str
    party_introduced: str


@dataclass(frozen=True)
class BranchRow:
    """A branch and its grassroots unit, without loading either object."""

    id: int
    code: str
    name: str
    unit_id: int
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class FlaggedReport:
    """A report with flags: where, which month, its status, the flags and its answers."""

    branch_id: int
    branch_name: str
    unit_code: str
    unit_name: str
    period: str
    status: str
    flags: list[Any]
    answers: dict[str, Any]
    report_id: int = 0


def _number(report: Any, key: str) -> ColumnElement[int]:
    """A whole-number answer, 0 when skipped or absent."""
    return func.coalesce(report.answers[key].as_integer(), 0)


def _held(report: Any, key: str) -> ColumnElement[bool]:
    return report.answers[key].as_boolean()


class ScorecardRepository:
    """Sums over a district's received reports for a set of months."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _received(self, report: Any, district_id: int, periods: Sequence[str]) -> Any:
        """The reports counted: received, of the district, in the months."""
        return (
            select()
            .select_from(report)
            .join(Branch, Branch.id == report.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                report.period.in_(list(periods)),
                report.status.in_(RECEIVED),
            )
        )

    async def report_sums(
        self, district_id: int, periods: Sequence[str], keys: AnswerKeys
    ) -> dict[int, dict[str, int]]:
        """Per branch: received, on time, meetings, attendance and the summed figures."""
        m = MonthlyReport
        held = _held(m, keys.meeting_held)
        attended = and_(held, m.answers[keys.meeting_attendance].as_integer().is_not(None))
        columns = {
            "received": func.count(m.id),
            "on_time": func.sum(case((m.late.is_(False), 1), else_=0)),
            "meetings": func.sum(case((held, 1), else_=0)),
            "attendance": func.sum(case((attended, _number(m, keys.meeting_attendance)), else_=0)),
            "attendance_base": func.sum(case((attended, _number(m, keys.members)), else_=0)),
            "one_plus_one": func.sum(_number(m, keys.one_plus_one)),
            "projects": func.sum(_number(m, keys.projects)),
            "admitted": func.sum(_number(m, keys.admitted)),
            "moves": func.sum(
                _number(m, keys.admitted)
                + _number(m, keys.transferred_in)
                - _number(m, keys.transferred_out)
            ),
            "party_introduced": func.sum(_number(m, keys.party_introduced)),
        }
        query = self._received(m, district_id, periods).add_columns(
            m.branch_id, *(c.label(name) for name, c in columns.items())
        )
        rows = await self.session.execute(query.group_by(m.branch_id))
        return {
            row.branch_id: {name: int(getattr(row, name) or 0) for name in columns} for row in rows
        }

    async def member_bounds(
        self, district_id: int, periods: Sequence[str], keys: AnswerKeys
    ) -> dict[int, tuple[int, int, int]]:
        """Per branch: members and the month's movement in its first received report of the
        range, and members in its last — so the year's balance can be checked."""
        m = MonthlyReport
        bounds = (
            self._received(m, district_id, periods)
            .add_columns(
                m.branch_id.label("branch_id"),
                func.min(m.period).label("first"),
                func.max(m.period).label("last"),
            )
            .group_by(m.branch_id)
            .subquery()
        )
        first, last = aliased(MonthlyReport), aliased(MonthlyReport)
        moves = (
            _number(first, keys.admitted)
            + _number(first, keys.transferred_in)
            - _number(first, keys.transferred_out)
        )
        query = (
            select(
                bounds.c.branch_id,
                _number(first, keys.members),
                moves,
                _number(last, keys.members),
            )
            .join(
                first, and_(first.branch_id == bounds.c.branch_id, first.period == bounds.c.first)
            )
            .join(last, and_(last.branch_id == bounds.c.branch_id, last.period == bounds.c.last))
        )
        rows = await self.session.execute(query)
        return {int(b): (int(f), int(mv), int(la)) for b, f, mv, la in rows.all()}

    async def photo_sums(
        self,
        district_id: int,
        periods: Sequence[str],
        meeting_held: str,
        meeting_item: str,
        project_prefix: str,
    ) -> dict[int, tuple[int, int]]:
        """Per branch: meetings held with a meeting photo, and projects with a photo (each
        project counted once however many photos it has). One pass over the photos."""
        m, e = MonthlyReport, Evidence
        meeting = case((and_(e.item == meeting_item, _held(m, meeting_held)), m.id))
        project = case(
            (
                e.item.startswith(project_prefix, autoescape=True),
                cast(m.id, String) + ":" + e.item,
            )
        )
        query = (
            self._received(m, district_id, periods)
            .add_columns(m.branch_id, func.count(distinct(meeting)), func.count(distinct(project)))
            .join(e, e.report_id == m.id)
            .group_by(m.branch_id)
        )
        rows = await self.session.execute(query)
        return {int(b): (int(meetings), int(projects)) for b, meetings, projects in rows.all()}

    async def branches(self, district_id: int) -> list[BranchRow]:
        """The district's branches with their unit, by unit code then branch code."""
        rows = await self.session.execute(
            select(
                Branch.id,
                Branch.code,
                Branch.name,
                GrassrootsUnit.id,
                GrassrootsUnit.code,
                GrassrootsUnit.name,
            )
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(GrassrootsUnit.district_id == district_id)
            .order_by(GrassrootsUnit.code, Branch.code)
        )
        return [BranchRow(*row) for row in rows.all()]

    async def flagged(
        self,
        district_id: int,
        periods: Sequence[str],
        statuses: Sequence[str] = RECEIVED,
        *,
        photos: bool = False,
    ) -> list[FlaggedReport]:
        """Reports with at least one flag (few: flags are the exception), oldest month first;
        with `photos`, also those whose only doubts are on their photos."""
        m = MonthlyReport
        has_flags = flagged() if photos else func.json_array_length(m.flags) > 0
        query = (
            select(
                m.branch_id,
                Branch.name,
                GrassrootsUnit.code,
                GrassrootsUnit.name,
                m.period,
                m.status,
                m.flags,
                m.answers,
                m.id,
            )
            .join(Branch, Branch.id == m.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                m.period.in_(list(periods)),
                m.status.in_(list(statuses)),
                has_flags,
            )
            .order_by(m.period, GrassrootsUnit.code, Branch.code)
        )
        rows = await self.session.execute(query)
        return [
            FlaggedReport(int(b), bn, uc, un, p, s, list(f or []), dict(a or {}), int(i))
            for b, bn, uc, un, p, s, f, a, i in rows.all()
        ]

    async def change_stamp(self) -> tuple[int, ...]:
        """Numbers that grow whenever something a scorecard counts changes: every submission,
        correction, return or approval writes a report revision; every photo an evidence row;
        every change to a youth case an event. Primary-key maxima: read from the index."""
        maxima = [
            select(func.coalesce(func.max(column), 0)).scalar_subquery()
            for column in (ReportRevision.id, Evidence.id, YouthCaseEvent.id, Branch.id)
        ]
        row = (await self.session.execute(select(*maxima))).one()
        return tuple(int(value) for value in row)

    async def youth_sums(
        self, district_id: int, start: datetime, end: datetime
    ) -> dict[int, tuple[int, int, int]]:
        """Per branch: cases open at some time in [start, end), those with any history entry
        in that time, and those with help recorded in it. Counts only."""
        c, e = YouthCase, YouthCaseEvent
        in_range = and_(e.case_id == c.id, e.at >= start, e.at < end)
        reviewed = exists().where(in_range)
        helped = exists().where(in_range, e.kind == HELP_GIVEN)
        query = (
            select(
                c.branch_id,
                func.count(c.id),
                func.sum(case((reviewed, 1), else_=0)),
                func.sum(case((helped, 1), else_=0)),
            )
            .join(Branch, Branch.id == c.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                c.created_at < end,
                (c.closed_at.is_(None)) | (c.closed_at >= start),
            )
            .group_by(c.branch_id)
        )
        rows = await self.session.execute(query)
        return {int(b): (int(n), int(r or 0), int(h or 0)) for b, n, r, h in rows.all()}
