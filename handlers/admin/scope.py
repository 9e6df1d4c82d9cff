"""The month typed after a district command (/trangthai 2026-11, /xuat 11/2026)."""

from __future__ import annotations

from bot.engine.context import Context
from bot.periods import parse_period
from handlers.reports.calendar import reporting_period


def period_arg(ctx: Context, args: str, command: str) -> str | None:
    """The period typed after a command, or the current one; None (and a hint) when unreadable."""
    if not args.strip():
        return reporting_period(ctx.now, ctx.settings)
    period = parse_period(args)
    if period is None:
        ctx.say("admin.bad_period", example=f"/{command} {reporting_period(ctx.now, ctx.settings)}")
    return period
