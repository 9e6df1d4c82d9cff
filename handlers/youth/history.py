"""Lịch sử hồ sơ: what happened to a youth case, who did it and when, old values included.

The history is as sensitive as the record (an old value may name a religion or an illness), so
the branch's secretary and the district read it under the same guard as the record, and every
reading is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.i18n import day
from handlers.i18n import fmt
from handlers.youth.views import audit, categories_text, subject
from storage.models import YouthCase, YouthCaseEvent
from storage.repositories.people import PeopleRepository

KINDS = ("created", "updated", "help_given", "closed", "reopened")


async def show_history(ctx: Context, case: YouthCase) -> None:
    """Say the case's history, oldest first, and audit the reading."""
    names: dict[int, str] = {}
    people = ctx.repo(PeopleRepository)
    for person_id in {e.by_id for e in case.events if e.by_id is not None}:
        found = await people.get(person_id)
        names[person_id] = found.display_name if found and found.display_name else ""
    lines = [_line(ctx, event, names) for event in case.events]
    audit(ctx, "youth.history", subject(case), branch_id=case.branch_id, events=len(lines))
    ctx.say("youth.history", name=case.full_name, lines="\n".join(lines))


def _line(ctx: Context, event: YouthCaseEvent, names: dict[int, str]) -> str:
    who = names.get(event.by_id or 0) or ctx.t("youth.history_someone")
    kind = event.kind if event.kind in KINDS else "other"
    detail = event.detail or {}
    values: dict[str, Any] = {"when": fmt(ctx).moment(event.at), "who": who}
    if kind == "updated":
        field = str(detail.get("field", ""))
        values.update(field=ctx.t(f"youth.field.{field}"), old=_old(ctx, field, detail.get("old")))
    elif kind == "help_given":
        values.update(what=detail.get("what", ""), day=day(str(detail.get("on", ""))))
    elif kind == "closed":
        reason = detail.get("note") or ctx.t(f"youth.reason.{detail.get('reason', 'other')}")
        values.update(reason=reason)
    return ctx.t(f"youth.history_line.{kind}", **values)


def _old(ctx: Context, field: str, value: Any) -> str:
    """A value as it stood before a correction, as the record shows it."""
    if value in (None, "", []):
        return "—"
    if field == "categories" and isinstance(value, list):
        return categories_text(ctx, value) or "—"
    if field == "sex":
        return ctx.t(f"youth.sex.{value}")
    return str(value)
