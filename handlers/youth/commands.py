"""/thanhnien: the difficult-youth list (thanh niên có hoàn cảnh khó khăn), by role."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Router
from handlers.youth.add import add_flow
from handlers.youth.district import district_flow
from handlers.youth.edit import edit_flow
from handlers.youth.secretary import youth_flow
from storage.models import Role

router = Router("youth")
for _flow in (youth_flow, add_flow, district_flow, edit_flow):
    router.flow(_flow)


@router.command(
    "thanhnien",
    "youth",
    roles=[Role.SECRETARY, Role.LEADER, Role.ADMIN],
    help_key="youth.help",
    menu_key="youth.menu",
)
async def youth_command(ctx: Context, args: str) -> None:
    """The difficult-youth list: a secretary's own branch, or a leader's whole district."""
    leads = ctx.has_role(Role.LEADER, Role.ADMIN)
    if not ctx.has_role(Role.SECRETARY):
        await district_flow.start(ctx, args)
    elif leads:
        ctx.end_flow()  # the scope answer is handled outside any flow
        choices = (
            ctx.choice("youth_scope:branch", "youth.scope_branch"),
            ctx.choice("youth_scope:district", "youth.scope_district"),
        )
        ctx.say("youth.which_scope", choices=choices)
    else:
        await youth_flow.start(ctx, args)


@router.on_choice("youth_scope", anywhere=True)
async def youth_scope(ctx: Context, which: str) -> None:
    """Someone both secretary and leader picks their branch's list or the district's."""
    if which == "district" and ctx.has_role(Role.LEADER, Role.ADMIN):
        await district_flow.start(ctx, "")
    elif which == "branch" and ctx.has_role(Role.SECRETARY):
        await youth_flow.start(ctx, "")
    else:
        ctx.stale()
