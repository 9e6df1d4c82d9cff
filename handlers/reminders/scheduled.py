"""Nhắc nộp báo cáo: the scheduled reminders to branches that have not reported.

Before the deadline each branch's secretaries are reminded at the configured times; after it,
the last overdue reminder also tells the grassroots unit's secretaries which branches are
missing. The admin's on-demand /nhacnho lives in `handlers.reminders.command`.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.i18n import Catalog, moment, period_text, plural_key
from handlers.notify.notifier import Notice, Notifier, Recipient, notice_key
from handlers.reminders.deadlines import due_periods
from handlers.reminders.pending import UnitPlan, pending
from handlers.reports.calendar import days_between, due
from handlers.reports.form import load_form
from handlers.reports.progress import Progress, progress
from storage.models import Branch, MonthlyReport, ReportStatus, Role
from storage.repositories.org import OrgRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork

#: The button every reminder carries: runs /baocao, inside or outside a flow.
REPORT_NOW = "cmd:baocao"


def reminder_text(
    catalog: Catalog,
    locale: str,
    *,
    name: str,
    branch: str,
    period: str,
    now: datetime,
    settings: Settings,
    progress: Progress | None = None,
) -> str:
    """Days left, deadline today, or days overdue — whichever is true now — and what to do:
    start, go on from question n, or just send a draft that is fully answered."""
    tz = settings.bot.timezone
    deadline = due(period, settings)
    values: dict[str, Any] = {
        "name": name,
        "branch": branch,
        "period": period_text(period),
        "deadline": moment(deadline, tz),
    }
    started = (
        "reminders.action_almost" if progress and progress.ready else "reminders.action_partial"
    )

    def action(fresh: str) -> str:
        """The closing sentence: how to start, or how far the draft already is."""
        if progress is None or not progress.started:
            return catalog.t(locale, fresh)
        return catalog.t(locale, started, n=progress.at, total=progress.total)

    if now >= deadline:
        days = max(1, days_between(deadline, now, settings))
        values["action"] = action("reminders.action_overdue")
        return catalog.t(locale, plural_key("reminders.overdue", days, locale), days=days, **values)
    left = days_between(now, deadline, settings)
    if left <= 0:
        return catalog.t(
            locale, "reminders.today", action=action("reminders.action_today"), **values
        )
    values["action"] = action("reminders.action_before")
    return catalog.t(locale, plural_key("reminders.before", left, locale), days=left, **values)


def draft_progress(notifier: Notifier, report: MonthlyReport | None) -> Progress | None:
    """How far a draft report is; None when there is no draft."""
    if report is None or report.status != ReportStatus.DRAFT:
        return None
    return progress(load_form(notifier.settings.reporting.form_file), report.answers or {})


def reminder_key(period: str, branch: Branch, slot: str, recipient: Recipient) -> str:
    """One reminder per period, branch, slot and secretary."""
    return notice_key("reminder", (period, branch.code, slot), recipient.person.id)


def branch_reminders(
    notifier: Notifier,
    branch: Branch,
    people: list[Recipient],
    *,
    report: MonthlyReport | None,
    period: str,
    slot: str,
    done: Set[str] = frozenset(),
) -> list[Notice]:
    """One reminder per secretary of the branch, saying how far its draft `report` is.

    `done` holds keys known to exist already: they are left out without a query each.
    """
    waiting = [r for r in people if reminder_key(period, branch, slot, r) not in done]
    if not waiting:
        return []
    where = draft_progress(notifier, report)
    notices = []
    for recipient in waiting:
        text = reminder_text(
            notifier.catalog,
            recipient.locale,
            name=recipient.person.display_name,
            branch=branch.name,
            period=period,
            now=notifier.now,
            settings=notifier.settings,
            progress=where,
        )
        report_now = notifier.speak(recipient).t("reminders.report_now")
        about = (period, branch.code, slot)
        notices.append(Notice("reminder", about, recipient, text, ((REPORT_NOW, report_now),)))
    return notices


def plan_reminders(
    notifier: Notifier,
    plans: Iterable[UnitPlan],
    *,
    period: str,
    slot: str,
    done: Set[str] = frozenset(),
) -> list[Notice]:
    """The reminders of every branch in the plans, from what the plans hold (no query)."""
    return [
        notice
        for plan in plans
        for branch, people in plan.branches
        for notice in branch_reminders(
            notifier,
            branch,
            people,
            report=plan.reports.get(branch.id),
            period=period,
            slot=slot,
            done=done,
        )
    ]


async def escalations(
    notifier: Notifier, plan: UnitPlan, *, period: str, slot: str
) -> list[Notice]:
    """Tell the unit's secretaries which of their branches are still missing."""
    deadline = due(period, notifier.settings)
    days = max(1, days_between(deadline, notifier.now, notifier.settings))
    listed = "\n".join(f"• {branch.name}" for branch, _ in plan.branches)
    holders = await notifier.uow.get(PeopleRepository).holders(
        Role.UNIT_SECRETARY, unit_id=plan.unit.id
    )
    notices = []
    for recipient in await notifier.reach(holders):
        f = notifier.speak(recipient)
        text = f.plural(
            "reminders.unit_overdue",
            days,
            name=recipient.person.display_name,
            unit=plan.unit.name,
            period=f.month(period),
            deadline=f.moment(deadline),
            days=days,
            branches=listed,
        )
        notices.append(Notice("escalation", (period, plan.unit.code, slot), recipient, text))
    return notices


# -- the due check -----------------------------------------------------------------------------
async def due_reminders(
    uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog
) -> int:
    """Queue the reminder due now for every branch that has not reported (once per slot), all
    districts' in one go: everyone is worked out first, then queued in one bulk call, so on
    SQLite the write lock is held only for the insert."""
    notifier = Notifier(uow, settings, catalog, now)
    notices: list[Notice] = []
    for period, slot in due_periods(now, settings):
        # Every tick of the slot's window comes here; known keys cost one query in all.
        done = await uow.get(OutboxRepository).existing_keys(f"reminder:{period}:")
        for district in await uow.get(OrgRepository).districts():
            plans = await pending(notifier, district, period)
            notices += plan_reminders(notifier, plans, period=period, slot=slot.name, done=done)
            if slot.escalate:
                for plan in plans:
                    notices += await escalations(notifier, plan, period=period, slot=slot.name)
    return await notifier.queue(notices)
