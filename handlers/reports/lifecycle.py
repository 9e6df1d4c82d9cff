"""Vòng đời báo cáo tháng: draft → submitted → approved or returned; reopened, locked, late.

One function per rule, on primitives (a report, the moment, settings, a unit of work), so the
chat, the scheduler and the CLI apply the same rules. Every change of status is kept as a
revision (who, when, the answers as they stood).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.periods import previous_period
from handlers.reports.calendar import current_period, due
from storage.models import Branch, MonthlyReport, ReportStatus, Role
from storage.repositories.digest import RECEIVED
from storage.repositories.people import PeopleRepository
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

#: Sent reports: changed only on a copy (a correction), and counted as received (DHIS2).
SENT = frozenset(RECEIVED)
#: A returned report stays open for correction this long, even after the deadline.
RETURN_WINDOW = timedelta(days=7)
#: How long the branch may correct a report the district reopened (mở lại).
REOPEN_WINDOW = timedelta(days=7)
#: Revisions that are a send by the branch (the first one, or a correction).
SENDS = ("submit", "correct")


def received(report: MonthlyReport | None) -> bool:
    """Submitted or approved; a returned report is back with the branch and not counted."""
    return report is not None and report.status in SENT


def correcting(report: MonthlyReport) -> bool:
    """A sent report is changed on a copy until the correction is sent."""
    return report.status in SENT


def reopened(report: MonthlyReport, now: datetime) -> bool:
    """Whether a reopening (mở lại, or the window after a return) is still running."""
    return report.reopened_until is not None and now < report.reopened_until


def editable(report: MonthlyReport, now: datetime, settings: Settings) -> bool:
    """Drafts and returned reports always are (late if need be); submitted ones until the
    deadline or the end of the correction window, whichever is later; approved ones only while
    reopened."""
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) or reopened(report, now):
        return True
    sent = report.status == ReportStatus.SUBMITTED
    return sent and now < correctable_until(report, now, settings)


def window_end(report: MonthlyReport, settings: Settings) -> datetime | None:
    """The end of the correction window: `reporting.correction_window_hours` after the report
    was first sent (corrections do not extend it); None before it is sent."""
    if report.submitted_at is None:
        return None
    return report.submitted_at + timedelta(hours=settings.reporting.correction_window_hours)


def _own_limit(report: MonthlyReport, settings: Settings) -> datetime:
    """The later of the deadline and the correction window, without any reopening."""
    deadline = due(report.period, settings)
    end = window_end(report, settings)
    return max(deadline, end) if end is not None else deadline


def lock_reason(report: MonthlyReport, now: datetime, settings: Settings) -> tuple[str, datetime]:
    """Why a report cannot be changed, as a message name, and the moment that message names:
    past the time to correct it ("locked", with that time), or approved before or after the
    deadline ("locked_approved_early" / "locked_approved", with the deadline)."""
    deadline = due(report.period, settings)
    if report.status == ReportStatus.APPROVED:
        return ("locked_approved_early" if now < deadline else "locked_approved"), deadline
    limit = _own_limit(report, settings)
    if report.reopened_until is not None:
        limit = max(limit, report.reopened_until)
    return "locked", limit


def correctable_until(report: MonthlyReport, now: datetime, settings: Settings) -> datetime:
    """Until when a sent report can be corrected: the deadline or the end of the correction
    window, or later while reopened."""
    limit = _own_limit(report, settings)
    if report.reopened_until is not None and reopened(report, now):
        return max(report.reopened_until, limit)
    return limit


async def extended_by(
    uow: UnitOfWork, report: MonthlyReport, now: datetime, settings: Settings
) -> str | None:
    """Why corrections run past the deadline and the correction window: "return" (trả lại) or
    "reopen" (mở lại) by the district; None when those are the limit."""
    if correctable_until(report, now, settings) <= _own_limit(report, settings):
        return None
    returned = await uow.get(ReportRepository).revision_count(report.id, "return")
    return "return" if returned else "reopen"


def unchanged(report: MonthlyReport, answers: dict[str, Any]) -> bool:
    """Whether a correction about to be sent changes no answer of the sent report."""
    return dict(report.answers or {}) == dict(answers)


async def open_periods(
    uow: UnitOfWork, branch_id: int, now: datetime, settings: Settings
) -> list[tuple[str, MonthlyReport | None]]:
    """The months a branch can work on now: last month first while it is owed and not sent
    (before its deadline, or overdue: see `owed`), this month, last month while reopened, and
    any report the district returned."""
    current = current_period(now, settings)
    reports = {r.period: r for r in await uow.get(ReportRepository).for_branch(branch_id)}
    last = previous_period(current)
    before = reports.get(last)
    unsent = before is None or before.status == ReportStatus.DRAFT
    chosen: list[tuple[str, MonthlyReport | None]] = []
    if unsent and (now < due(last, settings) or await owed(uow, branch_id, last, before, settings)):
        chosen.append((last, before))
    chosen.append((current, reports.get(current)))
    if before is not None and not unsent and reopened(before, now):
        chosen.append((last, before))
    for period, report in sorted(reports.items(), reverse=True):
        if report.status == ReportStatus.RETURNED and all(p != period for p, _ in chosen):
            chosen.append((period, report))
    return chosen


async def owed(
    uow: UnitOfWork,
    branch_id: int,
    period: str,
    report: MonthlyReport | None,
    settings: Settings,
) -> bool:
    """Whether the branch owes this month's report through the bot: it started it, or it had a
    secretary registered before the month's deadline (a branch that joined later does not)."""
    if report is not None:
        return True
    since = await uow.get(PeopleRepository).first_held_since(Role.SECRETARY, branch_id=branch_id)
    return since is not None and since < due(period, settings)


def overdue(period: str, report: MonthlyReport | None, now: datetime, settings: Settings) -> bool:
    """Never sent (no report, or a draft), and past its deadline."""
    unsent = report is None or report.status == ReportStatus.DRAFT
    return unsent and now >= due(period, settings)


@dataclass(frozen=True)
class Receipt:
    """What the secretary is told after sending: which month, when, which reference."""

    period: str
    at: datetime
    reference: str
    revision: int  # which correction this is (1 for the first); 0 for the first send
    late: bool
    correction: bool
    number: int = 0  # the revision row's number (an idempotency key's part)
    after_return: bool = False  # the district had returned it: the reviewer waits for it


async def submit(
    uow: UnitOfWork,
    report: MonthlyReport,
    branch: Branch,
    *,
    answers: dict[str, Any],
    flags: list[Any],
    form_version: str,
    by_id: int | None,
    now: datetime,
    settings: Settings,
) -> Receipt:
    """Gửi báo cáo: send the report (or a correction of it); late when first sent after the
    deadline; a receipt reference the first time."""
    correction = report.submitted_at is not None
    after_return = report.status == ReportStatus.RETURNED
    report.answers, report.flags = dict(answers), list(flags)
    report.status = ReportStatus.SUBMITTED.value
    report.form_version = form_version
    report.updated_at = now
    if not correction:
        report.submitted_by_id, report.submitted_at = by_id, now
        report.late = now > due(report.period, settings)
    repo = uow.get(ReportRepository)
    if report.reference is None:
        report.reference = await _free_reference(repo, branch, report.period)
    number = await repo.add_revision(
        report, action="correct" if correction else "submit", by_id=by_id, at=now
    )
    corrections = await repo.revision_count(report.id, "correct")
    return Receipt(
        report.period,
        now,
        report.reference,
        corrections,
        report.late,
        correction,
        number,
        after_return,
    )


async def _free_reference(repo: ReportRepository, branch: Branch, period: str) -> str:
    """A short unique receipt code: PHTL01-2611-1 (branch, yymm, a counter if ever taken)."""
    stem = f"{re.sub(r'[^A-Z0-9]', '', branch.code.upper())[:16]}-{period[2:4]}{period[5:7]}"
    number = 1
    while await repo.reference_taken(f"{stem}-{number}"):
        number += 1
    return f"{stem}-{number}"


async def _review(
    uow: UnitOfWork,
    report: MonthlyReport,
    status: ReportStatus,
    *,
    by_id: int,
    now: datetime,
    comment: str | None,
) -> int:
    """Record the district's decision on the report and as a revision; returns its number."""
    report.status = status.value
    report.review_comment = comment
    report.reviewed_by_id, report.reviewed_at = by_id, now
    report.updated_at = now
    action = "approve" if status == ReportStatus.APPROVED else "return"
    return await uow.get(ReportRepository).add_revision(
        report, action=action, by_id=by_id, at=now, note=comment
    )


async def approve(uow: UnitOfWork, report: MonthlyReport, *, by_id: int, now: datetime) -> int:
    """Duyệt: the report is final. A window left from an earlier return closes with it (only a
    new reopening may open it again)."""
    number = await _review(uow, report, ReportStatus.APPROVED, by_id=by_id, now=now, comment=None)
    report.reopened_until = None
    return number


async def return_to_branch(
    uow: UnitOfWork, report: MonthlyReport, *, by_id: int, now: datetime, comment: str
) -> int:
    """Trả lại: back to the branch with the district's comment, correctable for a week."""
    number = await _review(
        uow, report, ReportStatus.RETURNED, by_id=by_id, now=now, comment=comment
    )
    report.reopened_until = max(report.reopened_until or now, now + RETURN_WINDOW)
    return number


def why_not_reopen(report: MonthlyReport, now: datetime, settings: Settings) -> str | None:
    """Why the district cannot reopen this report: "already_open" (a draft or a returned
    report is open to the branch), "already_reopened" (a reopening or a return's window is still
    running: reopening again would change nothing) or "too_old" (/baocao reaches this month and
    the last only)."""
    if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return "already_open"
    if reopened(report, now):
        return "already_reopened"
    current = current_period(now, settings)
    if report.period not in (current, previous_period(current)):
        return "too_old"
    return None


async def reopen(uow: UnitOfWork, report: MonthlyReport, *, by_id: int, now: datetime) -> datetime:
    """Mở lại: the branch may correct and resend for a week; back to "submitted", so it is
    reviewed again once corrected. Returns until when."""
    until = now + REOPEN_WINDOW
    report.reopened_until = until
    report.status = ReportStatus.SUBMITTED.value
    report.updated_at = now
    note = f"reopened until {until.isoformat()}"
    await uow.get(ReportRepository).add_revision(
        report, action="reopen", by_id=by_id, at=now, note=note
    )
    return until


async def last_sent_at(uow: UnitOfWork, report: MonthlyReport) -> datetime | None:
    """When the report was last sent (first send or latest correction)."""
    latest = await uow.get(ReportRepository).last_revision_at(report.id, *SENDS)
    return latest or report.submitted_at
