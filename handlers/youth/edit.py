"""Correcting one field of a youth record (sửa thông tin hồ sơ); the old value stays in history."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.engine.types import Choice
from handlers.common import dispatcher
from handlers.youth.add import STEPS, AddYouthFlow
from handlers.youth.views import audit, secretary_case, subject
from storage.models import YouthCase, YouthCaseEvent
from storage.repositories.youth import OPEN, YouthRepository

#: The record's fields in question order; the add flow's step names are the data keys.
FIELDS = STEPS[:-1]
COLUMNS = {"name": "full_name"}


def field_choices(ctx: Context) -> tuple[Choice, ...]:
    """One choice per field that can be corrected."""
    return tuple(ctx.choice(f"field:{f}", f"youth.field.{f}") for f in FIELDS)


class EditYouthFlow(AddYouthFlow):
    """The add flow's question for one field; the answer replaces that field of the record."""

    name = "youth_edit"

    async def start(self, ctx: Context, args: str) -> None:
        """`args` is "<branch id>:<case id>:<field>", checked by the caller."""
        branch_id, case_id, field = args.split(":")
        ctx.goto(self.name, field, {"branch_id": int(branch_id), "case_id": int(case_id)})
        await self.ask(ctx)

    def progress(self, ctx: Context) -> str:
        return ""

    async def _next(self, ctx: Context, step: str) -> None:
        data = ctx.data
        case = await secretary_case(ctx, int(data["case_id"]), int(data["branch_id"]))
        if case is None or case.status != OPEN:
            ctx.say("youth.not_found")
        else:
            await self._apply(ctx, case, step, data.get(step))
            ctx.say("youth.updated", field=ctx.t(f"youth.field.{step}"))
        await self._back_to_case(ctx)

    async def _apply(self, ctx: Context, case: YouthCase, field: str, value: Any) -> None:
        """Change one column and keep the old value in the case's history."""
        column = COLUMNS.get(field, field)
        old = getattr(case, column)
        setattr(case, column, list(value) if isinstance(value, list) else value)
        case.updated_at = ctx.now
        by_id = ctx.person.id if ctx.person else None
        await ctx.repo(YouthRepository).add_event(
            YouthCaseEvent(
                case_id=case.id,
                kind="updated",
                detail={"field": field, "old": old},
                by_id=by_id,
                at=ctx.now,
            )
        )
        audit(ctx, "youth.update", subject(case), branch_id=case.branch_id, field=field)

    async def back(self, ctx: Context) -> None:
        await self._back_to_case(ctx)

    async def cancel(self, ctx: Context) -> None:
        ctx.say("youth.edit_cancelled")
        await self._back_to_case(ctx)

    async def _back_to_case(self, ctx: Context) -> None:
        data = ctx.data
        ctx.goto("youth", "case", {"branch_id": data["branch_id"], "case_id": data["case_id"]})
        flow = dispatcher(ctx).flow("youth")
        if flow is not None:
            await flow.ask(ctx)


edit_flow = EditYouthFlow()
