"""A report's life: whose it is, which months are open, locking, submitting with a receipt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.engine.context import Context
from bot.periods import (
    deadline,
    period_end,
    period_of,
    period_start,
    previous_period,
)
from storage.models import Branch, MonthlyReport, ReportRevision, ReportStatus, Role
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository

LOCKED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def tz(ctx: Context) -> str:
    """The district's time zone name."""
    return ctx.settings.bot.timezone


def local(ctx: Context, moment: datetime) -> datetime:
    """A moment in the district's local time."""
    return moment.astimezone(ZoneInfo(tz(ctx)))


def today(ctx: Context) -> date:
    """Today in the district's time zone."""
    return local(ctx, ctx.now).date()


def due(ctx: Context, period: str) -> datetime:
    """The period's deadline (hạn nộp)."""
    return deadline(period, ctx.settings.reporting, tz(ctx))


def period_bounds(ctx: Context, period: str) -> tuple[date, date]:
    """First and last day of the month."""
    first = period_start(period, tz(ctx)).date()
    last = (period_end(period, tz(ctx)) - timedelta(days=1)).date()
    return first, last


def my_branches(ctx: Context) -> list[Branch]:
    """The branches this person is secretary of (Bí thư chi đoàn), in code order."""
    branches = {r.branch.id: r.branch for r in ctx.roles(Role.SECRETARY) if r.branch is not None}
    return sorted(branches.values(), key=lambda b: b.code)


def owns(ctx: Context, report: MonthlyReport) -> bool:
    """Whether this person may read and change the report (secretary of its branch)."""
    return any(b.id == report.branch_id for b in my_branches(ctx))


async def locked_report(ctx: Context, report_id: int) -> MonthlyReport | None:
    """The report, locked for this transaction where the database can (PostgreSQL): two
    secretaries of one branch answering at the same moment take turns, nothing is overwritten."""
    query = select(MonthlyReport).where(MonthlyReport.id == report_id).with_for_update()
    return await ctx.uow.session.scalar(query.execution_options(populate_existing=True))


def reopened(report: MonthlyReport, now: datetime) -> bool:
    """Whether an admin's reopening (mở lại) is still running."""
    return report.reopened_until is not None and now < report.reopened_until


def editable(ctx: Context, report: MonthlyReport) -> bool:
    """Drafts and returned reports always are (late if need be); submitted ones until the
    deadline; approved ones only when an admin reopened them."""
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) or reopened(report, ctx.now):
        return True
    return report.status == ReportStatus.SUBMITTED and ctx.now < due(ctx, report.period)


def correctable_until(ctx: Context, report: MonthlyReport) -> datetime:
    """Until when a sent report can be corrected: the deadline, or later when reopened."""
    if report.reopened_until is not None and reopened(report, ctx.now):
        return max(report.reopened_until, due(ctx, report.period))
    return due(ctx, report.period)


def locked_key(ctx: Context, report: MonthlyReport) -> str:
    """Why a report cannot be changed: approved by the district (before or after the deadline,
    so the deadline is named in the right tense), or past its deadline."""
    if report.status != ReportStatus.APPROVED:
        return "report.locked"
    before = ctx.now < due(ctx, report.period)
    return "report.locked_approved_early" if before else "report.locked_approved"


async def extended_by(ctx: Context, report: MonthlyReport) -> str | None:
    """Why corrections run past the deadline: "return" (trả lại) or "reopen" (mở lại) by the
    district, whichever came last; None when the deadline itself is the limit."""
    if correctable_until(ctx, report) <= due(ctx, report.period):
        return None
    query = (
        select(ReportRevision.action)
        .where(ReportRevision.report_id == report.id, ReportRevision.action == "return")
        .limit(1)
    )
    returned = await ctx.uow.session.scalar(query)
    return "return" if returned else "reopen"


def correction_until_key(key: str, why: str | None) -> str:
    """`key`, or its variant saying the district returned / reopened the report."""
    return f"{key}_{why}" if why else key


def correcting(report: MonthlyReport) -> bool:
    """A submitted report is changed on a copy until the correction is sent."""
    return report.status in LOCKED_STATUSES


async def open_periods(ctx: Context, branch: Branch) -> list[tuple[str, MonthlyReport | None]]:
    """The months this branch can work on now: this month, last month while still open, and
    any report the district returned."""
    current = period_of(ctx.now, tz(ctx))
    repo = ctx.repo(ReportRepository)
    reports = {r.period: r for r in await repo.for_branch(branch.id)}
    chosen: list[tuple[str, MonthlyReport | None]] = [(current, reports.get(current))]
    last = previous_period(current)
    before = reports.get(last)
    last_open = before is None or before.status == ReportStatus.DRAFT
    if (last_open and ctx.now < due(ctx, last)) or (
        before is not None and reopened(before, ctx.now)
    ):
        chosen.append((last, before))
    for period, report in sorted(reports.items(), reverse=True):
        if report.status == ReportStatus.RETURNED and all(p != period for p, _ in chosen):
            chosen.append((period, report))
    return chosen


async def _free_reference(ctx: Context, branch: Branch, period: str) -> str:
    """A short unique receipt code: PHTL01-2611-1 (branch, yymm, a counter if ever taken)."""
    stem = f"{re.sub(r'[^A-Z0-9]', '', branch.code.upper())[:16]}-{period[2:4]}{period[5:7]}"
    session = ctx.uow.session
    number = 1
    while await session.scalar(
        select(MonthlyReport.id).where(MonthlyReport.reference == f"{stem}-{number}")
    ):
        number += 1
    return f"{stem}-{number}"


@dataclass(frozen=True)
class Receipt:
    """What the secretary is told after sending: which month, when, which reference."""

    period: str
    at: datetime
    reference: str
    revision: int  # which correction this is (1 for the first); 0 for the first send
    late: bool
    correction: bool


async def submit(
    ctx: Context, report: MonthlyReport, answers: dict[str, Any], flags: list[Any]
) -> Receipt:
    """Send the report (or a correction): keep a revision with who and when."""
    first_time = report.submitted_at is None
    correction = not first_time
    report.answers = dict(answers)
    report.flags = list(flags)
    report.status = ReportStatus.SUBMITTED
    report.updated_at = ctx.now
    by = ctx.person.id if ctx.person else None
    if first_time:
        report.submitted_by_id = by
        report.submitted_at = ctx.now
        report.late = ctx.now > due(ctx, report.period)
    if report.reference is None:
        branch = await ctx.repo(OrgRepository).branch(report.branch_id)
        assert branch is not None
        report.reference = await _free_reference(ctx, branch, report.period)
    repo = ctx.repo(ReportRepository)
    number = await repo.revision_count(report.id) + 1
    corrections = await correction_count(ctx, report.id) + (1 if correction else 0)
    await repo.add_revision(
        ReportRevision(
            report_id=report.id,
            number=number,
            action="correct" if correction else "submit",
            answers=dict(answers),
            by_id=by,
            at=ctx.now,
        )
    )
    return Receipt(report.period, ctx.now, report.reference, corrections, report.late, correction)


async def correction_count(ctx: Context, report_id: int) -> int:
    """How many corrections (bản sửa) were sent: returns and approvals are not counted."""
    query = select(func.count(ReportRevision.id)).where(
        ReportRevision.report_id == report_id, ReportRevision.action == "correct"
    )
    return int(await ctx.uow.session.scalar(query) or 0)


async def last_sent_at(session: Any, report: MonthlyReport) -> datetime | None:
    """When the report was last sent (first send or latest correction), for lists and reviews."""
    query = select(func.max(ReportRevision.at)).where(
        ReportRevision.report_id == report.id,
        ReportRevision.action.in_(("submit", "correct")),
    )
    latest: datetime | None = await session.scalar(query)
    return latest or report.submitted_at


def unchanged(report: MonthlyReport, answers: dict[str, Any]) -> bool:
    """Whether a correction about to be sent changes no answer of the sent report."""
    return dict(report.answers or {}) == dict(answers)
