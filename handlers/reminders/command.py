"""/nhacnho (remind): the admin previews who would be reminded now, then sends on confirmation."""

from __future__ import annotations

import logging
from typing import Any

from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import names_per_group, period_text
from bot.periods import parse_period
from handlers.i18n import fmt
from handlers.notify.notifier import Notifier, Recipient
from handlers.reminders.pending import UnitPlan, pending
from handlers.reminders.scheduled import plan_reminders, reminder_key
from handlers.reports.calendar import due, local, reporting_period
from storage.models import Branch, Role
from storage.repositories.ops import OpsRepository
from storage.repositories.org import OrgRepository

log = logging.getLogger(__name__)
router = Router("remind")


def notifier(ctx: Context) -> Notifier:
    """The notifier of this update's unit of work."""
    return Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now)


async def _admin_plans(ctx: Context, period: str) -> list[UnitPlan]:
    """Who has not reported in the districts this admin runs."""
    wanted = {r.district_id for r in ctx.roles(Role.ADMIN) if r.district_id is not None}
    plans: list[UnitPlan] = []
    for district in await ctx.repo(OrgRepository).districts():
        if district.id in wanted:
            plans.extend(await pending(notifier(ctx), district, period))
    return plans


@router.command(
    "nhacnho",
    "remind",
    roles=[Role.ADMIN],
    help_key="reminders.help_remind",
    menu_key="reminders.menu_remind",
)
async def remind_command(ctx: Context, _args: str) -> None:
    """Who would be reminded now; sending waits for a confirmation."""
    period = reporting_period(ctx.now, ctx.settings)
    plans = await _admin_plans(ctx, period)
    month = period_text(period)
    if not plans:
        ctx.say("reminders.all_reported", period=month)
        return
    branches = [item for plan in plans for item in plan.branches]
    people = sum(len(targets_) for _, targets_ in branches)
    lines = preview_lines(ctx, plans)
    f = fmt(ctx)
    values: dict[str, Any] = {
        "period": month,
        "deadline": f.moment(due(period, ctx.settings)),
        "branches": f.plural("reminders.n_branches", len(branches)),
        "people": f.plural("reminders.n_secretaries", people),
        "lines": "\n".join(lines),
    }
    if people == 0:
        # Nobody could receive a reminder: offering to send would only say "0 queued".
        ctx.say("reminders.preview_nobody", **values)
        return
    keys = [_manual_key(ctx, period, b, t) for b, targets_ in branches for t in targets_]
    if len(await ctx.repo(OpsRepository).existing_keys(keys)) == len(keys):
        # Everyone was already reminded today: say so now rather than after a useless tap.
        ctx.say("reminders.preview_sent_today", **values)
        return
    ctx.say(
        "reminders.preview",
        **values,
        choices=(
            ctx.choice(f"nhacnho:gui:{period}", "reminders.send"),
            ctx.choice("nhacnho:thoi", "reminders.dont_send"),
        ),
    )


def _manual_slot(ctx: Context) -> str:
    """Today's /nhacnho slot: one manual reminder per secretary a day."""
    return f"manual-{local(ctx.now, ctx.settings):%Y-%m-%d}"


def _manual_key(ctx: Context, period: str, branch: Branch, recipient: Recipient) -> str:
    """The outbox key of today's /nhacnho reminder to one secretary."""
    return reminder_key(period, branch, _manual_slot(ctx), recipient)


def preview_lines(ctx: Context, plans: list[UnitPlan]) -> list[str]:
    """Per unit the branches to remind, then those nobody can be reminded at; each branch once."""
    f = fmt(ctx)
    reachable_by_unit = [(p.unit, [b.name for b, people in p.branches if people]) for p in plans]
    unreachable = [b.name for p in plans for b, people in p.branches if not people]
    groups = sum(1 for _, found in reachable_by_unit if found) + (1 if unreachable else 0)
    limit = names_per_group(groups)
    lines = [
        ctx.t("reminders.unit_line", unit=unit.name, branches=f.names(found, limit))
        for unit, found in reachable_by_unit
        if found
    ]
    if unreachable:
        lines.append(
            ctx.t(
                "reminders.unreachable",
                count=len(unreachable),
                branches=f.names(unreachable, limit),
            )
        )
    return lines


@router.on_choice("nhacnho", anywhere=True)
async def remind_confirmed(ctx: Context, rest: str) -> None:
    """Send (through the outbox) or drop the reminders previewed by /nhacnho."""
    if not ctx.has_role(Role.ADMIN):
        ctx.say("common.not_allowed")
        return
    action, _, raw = rest.partition(":")
    period = parse_period(raw)
    if action != "gui" or period is None:
        ctx.say("reminders.not_sent")
        return
    plans = await _admin_plans(ctx, period)
    people = sum(len(recipients) for plan in plans for _, recipients in plan.branches)
    notices = plan_reminders(notifier(ctx), plans, period=period, slot=_manual_slot(ctx))
    added = await notifier(ctx).queue(notices)
    if added == 0 and people > 0:
        ctx.say("reminders.already_sent_today", period=period_text(period))
    else:
        ctx.say(
            fmt(ctx).plural_key("reminders.queued", added), count=added, period=period_text(period)
        )
    log.info(
        "admin %s queued %d manual reminder(s) for %s", ctx.person and ctx.person.id, added, period
    )
