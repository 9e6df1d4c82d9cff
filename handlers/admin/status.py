"""/trangthai: who has reported this month, by grassroots unit (bảng tình hình báo cáo)."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Router
from handlers.access import own_district, own_unit
from handlers.admin.scope import period_arg
from handlers.digest.compute import reporting_table
from handlers.digest.render import table_text
from handlers.i18n import fmt
from storage.models import ReportStatus, Role
from storage.repositories.flags import FlagRepository

#: Reports the district has seen: sent, approved, or returned to be fixed.
SEEN_BY_DISTRICT = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED)

router = Router("admin.status")


@router.command(
    "trangthai",
    "status",
    roles=[Role.LEADER, Role.ADMIN, Role.UNIT_SECRETARY],
    help_key="admin.help_status",
    menu_key="admin.menu_status",
)
async def status_command(ctx: Context, args: str) -> None:
    """The reporting table now: the whole district, or a unit secretary's own unit."""
    period = period_arg(ctx, args, "trangthai")
    if period is None:
        return
    district = own_district(ctx)
    unit_id = None
    title = district.name if district else ""
    if district is None:
        unit = own_unit(ctx)
        if unit is None:
            ctx.say("common.not_allowed")
            return
        district, unit_id, title = unit.district, unit.id, unit.name
    table = await reporting_table(ctx.uow, district, period, ctx.settings, unit_id=unit_id)
    body = table_text(table, fmt(ctx))
    flagged = await ctx.repo(FlagRepository).count_flagged(
        district.id, period, SEEN_BY_DISTRICT, unit_id=unit_id
    )
    ctx.say("admin.status_title", place=title, table=body)
    key = "admin.status_flagged" if unit_id is None else "admin.status_flagged_unit"
    ctx.say(key if flagged else "admin.status_none_flagged", count=flagged)
