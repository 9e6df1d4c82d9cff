"""Nhắc nộp báo cáo: the scheduled reminders to branches that have not reported.

The admin's on-demand /nhacnho lives in `handlers.remind_command`.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import Catalog
from bot.outbox import make_payload
from bot.periods import period_label
from handlers.deadlines import days_between, due_periods, period_deadline
from handlers.digest.numbers import plural_key
from handlers.report.form import FieldType, load_form
from storage.models import (
    Branch,
    ChatIdentity,
    District,
    GrassrootsUnit,
    MonthlyReport,
    Person,
    ReportStatus,
    Role,
)
from storage.repositories.conversations import ConversationRepository
from storage.repositories.org import OrgRepository
from storage.repositories.outbox import NewMessage, OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.recipients import RecipientRepository
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


#: A report in one of these states counts as reported; draft, returned or none does not.
REPORTED = frozenset({ReportStatus.SUBMITTED.value, ReportStatus.APPROVED.value})
#: The button every reminder carries: runs /baocao, inside or outside a flow.
REPORT_NOW = "cmd:baocao"


@dataclass
class Target:
    """A secretary to remind, and the chat that reaches them."""

    person: Person
    identity: ChatIdentity


@dataclass
class UnitPlan:
    """The branches of one grassroots unit that have not reported, with their secretaries."""

    unit: GrassrootsUnit
    branches: list[tuple[Branch, list[Target]]] = field(default_factory=list)
    #: branch id → its report for the period when one exists (a draft, or returned)
    reports: dict[int, MonthlyReport] = field(default_factory=dict)


# -- who has not reported ----------------------------------------------------------------------
async def pending(uow: UnitOfWork, district: District, period: str) -> list[UnitPlan]:
    """Per unit, the branches whose report for `period` is not submitted, with whom to tell."""
    reports = await uow.get(ReportRepository).for_district(district.id, period)
    by_branch = {r.branch_id: r for r in reports}
    status = {r.branch_id: r.status for r in reports}
    missing = [
        (unit, [b for b in unit.branches if status.get(b.id) not in REPORTED])
        for unit in district.units
    ]
    holders = await uow.get(RecipientRepository).holders_by_branch(Role.SECRETARY, district.id)
    plans = []
    for unit, branches in missing:
        if branches:
            plan = UnitPlan(unit)
            for branch in branches:
                plan.branches.append((branch, await reachable(uow, holders.get(branch.id, []))))
                if branch.id in by_branch:
                    plan.reports[branch.id] = by_branch[branch.id]
            plans.append(plan)
    return plans


async def reachable(uow: UnitOfWork, people: list[Person]) -> list[Target]:
    """Each person with the chat that reaches them; people without a chat are left out."""
    found = []
    for person in people:
        identity = await reach(uow, person)
        if identity is not None:
            found.append(Target(person, identity))
    return found


async def targets(uow: UnitOfWork, role: Role, **place: int) -> list[Target]:
    """Holders of `role` over the place, each with the chat they used last."""
    return await reachable(uow, await uow.get(PeopleRepository).holders(role, **place))


async def reach(uow: UnitOfWork, person: Person) -> ChatIdentity | None:
    """The identity whose chat was active most recently (a person may use Telegram and Zalo)."""
    identities = sorted(person.identities, key=lambda i: i.id)
    if len(identities) <= 1:
        return identities[0] if identities else None
    convs = await uow.get(ConversationRepository).for_person(person.id)
    recent = sorted(convs, key=lambda c: c.updated_at)
    for conv in reversed(recent):
        for identity in identities:
            if (identity.channel, identity.chat_id) == (conv.channel, conv.chat_id):
                return identity
    return identities[-1]


# -- what a reminder says ----------------------------------------------------------------------
def _locale(person: Person, settings: Settings) -> str:
    return person.locale or settings.bot.default_locale


def when_text(moment: datetime, tz: str) -> str:
    return f"{moment.astimezone(ZoneInfo(tz)):%H:%M %d/%m/%Y}"


def reminder_text(
    catalog: Catalog,
    locale: str,
    *,
    name: str,
    branch: str,
    period: str,
    now: datetime,
    settings: Settings,
    progress: tuple[int, int] = (0, 0),
) -> str:
    """Days left, deadline today, or days overdue — whichever is true now — and what to do:
    start, go on from question n, or just send a draft that is fully answered."""
    tz = settings.bot.timezone
    due = period_deadline(period, settings)
    values: dict[str, Any] = {
        "name": name,
        "branch": branch,
        "period": period_label(period),
        "deadline": when_text(due, tz),
    }
    done, total = progress
    started = "reminders.action_almost" if done >= total else "reminders.action_partial"

    def action(fresh: str) -> str:
        """The closing sentence: how to start, or how far the draft already is."""
        return catalog.t(locale, started if done else fresh, done=done, total=total)

    if now >= due:
        days = max(1, days_between(due, now, tz))
        values["action"] = action("reminders.action_overdue")
        return catalog.t(locale, plural_key("reminders.overdue", days), days=days, **values)
    left = days_between(now, due, tz)
    if left <= 0:
        return catalog.t(
            locale, "reminders.today", action=action("reminders.action_today"), **values
        )
    values["action"] = action("reminders.action_before")
    return catalog.t(locale, plural_key("reminders.before", left), days=left, **values)


def draft_progress(report: MonthlyReport | None, settings: Settings) -> tuple[int, int]:
    """(answered, applicable) questions of a draft report; (0, 0) when there is none."""
    if report is None or report.status != ReportStatus.DRAFT or not report.answers:
        return (0, 0)
    answers = report.answers
    questions = load_form(settings.reporting.form_file).applicable(answers)
    # The photo step keeps its photos as evidence, not as an answer: it never counts as missing.
    keys = [q.key for q in questions if q.type is not FieldType.PHOTOS]
    return (sum(1 for key in keys if key in answers), len(keys))


def reminder_key(period: str, branch: Branch, slot: str, target: Target) -> str:
    """One reminder per period, branch, slot and secretary."""
    return f"reminder:{period}:{branch.code}:{slot}:{target.person.id}"


def branch_reminders(
    branch: Branch,
    people: list[Target],
    *,
    report: MonthlyReport | None,
    period: str,
    slot: str,
    now: datetime,
    settings: Settings,
    catalog: Catalog,
    done: Set[str] = frozenset(),
) -> list[NewMessage]:
    """One reminder per secretary of the branch, except keys in `done` (known to be queued)."""
    messages = []
    progress = draft_progress(report, settings)
    for target in people:
        key = reminder_key(period, branch, slot, target)
        if key in done:
            continue
        locale = _locale(target.person, settings)
        text = reminder_text(
            catalog,
            locale,
            name=target.person.display_name,
            branch=branch.name,
            period=period,
            now=now,
            settings=settings,
            progress=progress,
        )
        payload = make_payload(text, [(REPORT_NOW, catalog.t(locale, "reminders.report_now"))])
        messages.append(
            NewMessage(
                key=key,
                kind="reminder",
                channel=target.identity.channel,
                chat_id=target.identity.chat_id,
                person_id=target.person.id,
                payload=payload,
            )
        )
    return messages


async def queue_reminders(
    uow: UnitOfWork,
    plans: list[UnitPlan],
    *,
    period: str,
    slot: str,
    now: datetime,
    settings: Settings,
    catalog: Catalog,
    done: Set[str] = frozenset(),
) -> int:
    """Queue the reminders of every branch in the plans, in bulk; returns how many were new."""
    messages = [
        message
        for plan in plans
        for branch, people in plan.branches
        for message in branch_reminders(
            branch,
            people,
            report=plan.reports.get(branch.id),
            period=period,
            slot=slot,
            now=now,
            settings=settings,
            catalog=catalog,
            done=done,
        )
    ]
    return len(await uow.get(OutboxRepository).enqueue_many(messages, now))


async def escalate(
    uow: UnitOfWork,
    plan: UnitPlan,
    *,
    period: str,
    slot: str,
    now: datetime,
    settings: Settings,
    catalog: Catalog,
) -> int:
    """Tell the unit's secretaries which of their branches are still missing."""
    tz = settings.bot.timezone
    due = period_deadline(period, settings)
    listed = "\n".join(f"• {branch.name}" for branch, _ in plan.branches)
    added = 0
    days = max(1, days_between(due, now, tz))
    for target in await targets(uow, Role.UNIT_SECRETARY, unit_id=plan.unit.id):
        text = catalog.t(
            _locale(target.person, settings),
            plural_key("reminders.unit_overdue", days),
            name=target.person.display_name,
            unit=plan.unit.name,
            period=period_label(period),
            deadline=when_text(due, tz),
            days=days,
            branches=listed,
        )
        added += await uow.get(OutboxRepository).enqueue(
            key=f"escalation:{period}:{plan.unit.code}:{slot}:{target.person.id}",
            kind="escalation",
            channel=target.identity.channel,
            chat_id=target.identity.chat_id,
            person_id=target.person.id,
            payload=make_payload(text),
            now=now,
        )
    return added


# -- the due check -----------------------------------------------------------------------------
async def due_reminders(
    uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog
) -> int:
    """Queue the reminder due now for every branch that has not reported (once per slot)."""
    added = 0
    for period, slot in due_periods(now, settings):
        # Every tick of the slot's window comes here; known keys cost one query in all.
        done = await uow.get(OutboxRepository).existing_keys(f"reminder:{period}:")
        # Everyone first, then one bulk insert: on SQLite the write lock is held only for it.
        plans = [
            plan
            for district in await uow.get(OrgRepository).districts()
            for plan in await pending(uow, district, period)
        ]
        added += await queue_reminders(
            uow,
            plans,
            period=period,
            slot=slot.name,
            now=now,
            settings=settings,
            catalog=catalog,
            done=done,
        )
        if slot.escalate:
            for plan in plans:
                added += await escalate(
                    uow,
                    plan,
                    period=period,
                    slot=slot.name,
                    now=now,
                    settings=settings,
                    catalog=catalog,
                )
    return added


# -- /nhacnho: preview, then send on confirmation -----------------------------------------------
