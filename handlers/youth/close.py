"""Closing and reopening a youth case (đóng / mở lại hồ sơ); each change is history and audit."""

from __future__ import annotations

from bot.engine.context import Context
from handlers.youth.views import audit, subject
from storage.models import YouthCase, YouthCaseEvent
from storage.repositories.youth import CLOSED, OPEN, YouthRepository


async def add_event(ctx: Context, case: YouthCase, kind: str, detail: dict[str, str]) -> None:
    """One line of the case's history, by whoever is talking, now."""
    by_id = ctx.person.id if ctx.person else None
    case.updated_at = ctx.now
    await ctx.repo(YouthRepository).add_event(
        YouthCaseEvent(case_id=case.id, kind=kind, detail=detail, by_id=by_id, at=ctx.now)
    )


async def close_case(ctx: Context, case: YouthCase, reason: str, note: str | None) -> None:
    """Stop following the case; it stays in the list of closed cases."""
    case.status = CLOSED
    case.close_reason = reason
    case.closed_at = ctx.now
    detail = {"reason": reason, **({"note": note} if note else {})}
    await add_event(ctx, case, "closed", detail)
    audit(ctx, "youth.close", subject(case), branch_id=case.branch_id, reason=reason)


async def reopen_case(ctx: Context, case: YouthCase) -> None:
    """Follow a closed case again (closed by mistake, or the difficulty came back)."""
    was = case.close_reason or ""
    case.status = OPEN
    case.close_reason = None
    case.closed_at = None
    await add_event(ctx, case, "reopened", {"was": was})
    audit(ctx, "youth.reopen", subject(case), branch_id=case.branch_id, was=was)
