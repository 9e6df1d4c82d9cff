"""/xuat: the district's XLSX workbook for a month, sent as a file."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Router
from bot.engine.types import Attachment, Reply
from handlers.admin.scope import own_district, period_arg
from handlers.digest.compute import is_received
from handlers.digest.numbers import fmt_period
from handlers.export.build import export_workbook
from storage.models import Role

router = Router("admin.export")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.command(
    "xuat",
    "export",
    roles=[Role.LEADER, Role.ADMIN],
    help_key="admin.help_export",
    menu_key="admin.menu_export",
)
async def export_command(ctx: Context, args: str) -> None:
    """The workbook; leaders and admins of the district also get the youth list (audited)."""
    district = own_district(ctx)
    if district is None or ctx.person is None:
        ctx.say("common.not_allowed")
        return
    period = period_arg(ctx, args, "xuat")
    if period is None:
        return
    content, data = await export_workbook(
        ctx.uow,
        period=period,
        districts=[district],
        catalog=ctx.catalog,
        locale=ctx.locale,
        tz=ctx.settings.bot.timezone,
        now=ctx.now,
        person_id=ctx.person.id,
        with_youth=True,  # own_district found a leader or admin role over this district
        via=ctx.incoming.channel,
    )
    ctx.reply(
        Reply(
            text=ctx.t(
                "admin.export_ready",
                period=fmt_period(period),
                branches=len(data.rows),
                received=sum(1 for _, r in data.rows if is_received(r)),
                photos=len(data.evidence),
            ),
            document=Attachment(content, f"baocao-{district.code}-{period}.xlsx", XLSX),
        )
    )
