"""Where a leader, admin or unit secretary may look: their own district, or their own unit."""

from __future__ import annotations

from bot.engine.context import Context
from bot.periods import parse_period
from handlers.reports.calendar import reporting_period
from storage.models import District, GrassrootsUnit, Role

DISTRICT_ROLES = (Role.LEADER, Role.ADMIN)


def own_district(ctx: Context, *roles: Role) -> District | None:
    """Huyện đoàn of the person's first active leader/admin role (of the given kinds)."""
    for assignment in ctx.roles(*(roles or DISTRICT_ROLES)):
        if assignment.district is not None:
            return assignment.district
    return None


def own_unit(ctx: Context) -> GrassrootsUnit | None:
    """Đoàn cơ sở of the person's unit-secretary role."""
    for assignment in ctx.roles(Role.UNIT_SECRETARY):
        if assignment.unit is not None:
            return assignment.unit
    return None


def period_arg(ctx: Context, args: str, command: str) -> str | None:
    """The period typed after a command, or the current one; None (and a hint) when unreadable."""
    if not args.strip():
        return reporting_period(ctx.now, ctx.settings)
    period = parse_period(args)
    if period is None:
        ctx.say("admin.bad_period", example=f"/{command} {reporting_period(ctx.now, ctx.settings)}")
    return period
