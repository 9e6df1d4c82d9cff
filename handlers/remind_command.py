"""/nhacnho (remind): the admin previews who would be reminded now, then sends on confirmation."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.context import Context
from bot.engine.router import Router
from bot.periods import parse_period, period_label
from handlers.deadlines import period_deadline, reporting_period
from handlers.digest.numbers import plural_key
from handlers.digest.render import names, names_per_group, translator
from handlers.reminders import (
    Target,
    UnitPlan,
    pending,
    queue_reminders,
    reminder_key,
    when_text,
)
from storage.models import (
    Branch,
    Role,
)
from storage.repositories.ops import OpsRepository
from storage.repositories.org import OrgRepository

log = logging.getLogger(__name__)
router = Router("remind")


async def _admin_plans(ctx: Context, period: str) -> list[UnitPlan]:
    wanted = {r.district_id for r in ctx.roles(Role.ADMIN) if r.district_id is not None}
    plans: list[UnitPlan] = []
    for district in await ctx.repo(OrgRepository).districts():
        if district.id in wanted:
            plans.extend(await pending(ctx.uow, district, period))
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
    month = period_label(period)
    if not plans:
        ctx.say("reminders.all_reported", period=month)
        return
    branches = [item for plan in plans for item in plan.branches]
    people = sum(len(targets_) for _, targets_ in branches)
    lines = preview_lines(ctx, plans)
    values: dict[str, Any] = {
        "period": month,
        "deadline": when_text(period_deadline(period, ctx.settings), ctx.settings.bot.timezone),
        "branches": ctx.t(plural_key("reminders.n_branches", len(branches)), count=len(branches)),
        "people": ctx.t(plural_key("reminders.n_secretaries", people), count=people),
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


def _manual_key(ctx: Context, period: str, branch: Branch, target: Target) -> str:
    """The outbox key of today's /nhacnho reminder to one secretary (one a day)."""
    day = f"{ctx.now.astimezone(ZoneInfo(ctx.settings.bot.timezone)):%Y-%m-%d}"
    return reminder_key(period, branch, f"manual-{day}", target)


def preview_lines(ctx: Context, plans: list[UnitPlan]) -> list[str]:
    """Per unit the branches to remind, then those nobody can be reminded at; each branch once."""
    t = translator(ctx.catalog, ctx.locale)
    reachable_by_unit = [(p.unit, [b.name for b, people in p.branches if people]) for p in plans]
    unreachable = [b.name for p in plans for b, people in p.branches if not people]
    groups = sum(1 for _, found in reachable_by_unit if found) + (1 if unreachable else 0)
    limit = names_per_group(groups)
    lines = [
        ctx.t("reminders.unit_line", unit=unit.name, branches=names(found, limit, t))
        for unit, found in reachable_by_unit
        if found
    ]
    if unreachable:
        lines.append(
            ctx.t(
                "reminders.unreachable",
                count=len(unreachable),
                branches=names(unreachable, limit, t),
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
    day = f"{ctx.now.astimezone(ZoneInfo(ctx.settings.bot.timezone)):%Y-%m-%d}"
    plans = await _admin_plans(ctx, period)
    people = sum(len(targets_) for plan in plans for _, targets_ in plan.branches)
    added = await queue_reminders(
        ctx.uow,
        plans,
        period=period,
        slot=f"manual-{day}",
        now=ctx.now,
        settings=ctx.settings,
        catalog=ctx.catalog,
    )
    if added == 0 and people > 0:
        ctx.say("reminders.already_sent_today", period=period_label(period))
    else:
        ctx.say(plural_key("reminders.queued", added), count=added, period=period_label(period))
    log.info(
        "admin %s queued %d manual reminder(s) for %s", ctx.person and ctx.person.id, added, period
    )
