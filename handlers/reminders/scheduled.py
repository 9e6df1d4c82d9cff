"""Nhắc nộp báo cáo: the scheduled reminders to branches that have not reported.

The admin's on-demand /nhacnho lives in `handlers.reminders.command`.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.i18n import Catalog, moment, period_text, plural_key
from handlers.notify.payload import make_payload
from handlers.reminders.deadlines import days_between, due_periods, period_deadline
from handlers.reports.form import load_form
from handlers.reports.lifecycle import SENT
from handlers.reports.progress import Progress, progress
from storage.models import (
    Branch,
    ChatIdentity,
    District,
    GrassrootsUnit,
    Person,
    ReportStatus,
    Role,
)
from storage.repositories.conversations import ConversationRepository
from storage.repositories.org import OrgRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.recipients import RecipientRepository
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


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


# -- who has not reported ----------------------------------------------------------------------
async def pending(uow: UnitOfWork, district: District, period: str) -> list[UnitPlan]:
    """Per unit, the branches whose report for `period` is not submitted, with whom to tell."""
    reports = await uow.get(ReportRepository).for_district(district.id, period)
    status = {r.branch_id: r.status for r in reports}
    missing = [
        (unit, [b for b in unit.branches if status.get(b.id) not in SENT])
        for unit in district.units
    ]
    holders = await uow.get(RecipientRepository).holders_by_branch(
        Role.SECRETARY, (b.id for _, branches in missing for b in branches)
    )
    plans = []
    for unit, branches in missing:
        if branches:
            plan = UnitPlan(unit)
            for branch in branches:
                plan.branches.append((branch, await reachable(uow, holders.get(branch.id, []))))
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
    due = period_deadline(period, settings)
    values: dict[str, Any] = {
        "name": name,
        "branch": branch,
        "period": period_text(period),
        "deadline": moment(due, tz),
    }
    started = (
        "reminders.action_almost" if progress and progress.ready else "reminders.action_partial"
    )

    def action(fresh: str) -> str:
        """The closing sentence: how to start, or how far the draft already is."""
        if progress is None or not progress.started:
            return catalog.t(locale, fresh)
        return catalog.t(locale, started, n=progress.at, total=progress.total)

    if now >= due:
        days = max(1, days_between(due, now, tz))
        values["action"] = action("reminders.action_overdue")
        return catalog.t(locale, plural_key("reminders.overdue", days, locale), days=days, **values)
    left = days_between(now, due, tz)
    if left <= 0:
        return catalog.t(
            locale, "reminders.today", action=action("reminders.action_today"), **values
        )
    values["action"] = action("reminders.action_before")
    return catalog.t(locale, plural_key("reminders.before", left, locale), days=left, **values)


async def draft_progress(
    uow: UnitOfWork, branch: Branch, period: str, settings: Settings
) -> Progress | None:
    """How far the branch's draft for the period is; None when there is no draft."""
    report = await uow.get(ReportRepository).get(branch.id, period)
    if report is None or report.status != ReportStatus.DRAFT:
        return None
    return progress(load_form(settings.reporting.form_file), report.answers or {})


def reminder_key(period: str, branch: Branch, slot: str, target: Target) -> str:
    """One reminder per period, branch, slot and secretary."""
    return f"reminder:{period}:{branch.code}:{slot}:{target.person.id}"


async def remind_branch(
    uow: UnitOfWork,
    branch: Branch,
    people: list[Target],
    *,
    period: str,
    slot: str,
    now: datetime,
    settings: Settings,
    catalog: Catalog,
    done: Set[str] = frozenset(),
) -> int:
    """Queue one reminder per secretary of the branch; returns how many were new.

    `done` holds keys known to exist already: they are skipped without a query each.
    """
    added = 0
    progress: Progress | None = None
    measured = False
    for target in people:
        key = reminder_key(period, branch, slot, target)
        if key in done:
            continue
        locale = _locale(target.person, settings)
        if not measured:
            progress, measured = await draft_progress(uow, branch, period, settings), True
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
        added += await uow.get(OutboxRepository).enqueue(
            key=key,
            kind="reminder",
            channel=target.identity.channel,
            chat_id=target.identity.chat_id,
            person_id=target.person.id,
            payload=payload,
            now=now,
        )
    return added


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
            plural_key("reminders.unit_overdue", days, _locale(target.person, settings)),
            name=target.person.display_name,
            unit=plan.unit.name,
            period=period_text(period),
            deadline=moment(due, tz),
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
        for district in await uow.get(OrgRepository).districts():
            for plan in await pending(uow, district, period):
                for branch, people in plan.branches:
                    added += await remind_branch(
                        uow,
                        branch,
                        people,
                        period=period,
                        slot=slot.name,
                        now=now,
                        settings=settings,
                        catalog=catalog,
                        done=done,
                    )
                if slot.escalate:
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
