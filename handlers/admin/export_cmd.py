"""/xuat: the district's XLSX workbook for a month, sent as a file; names only when chosen."""

from __future__ import annotations

import io

from bot.engine.context import Context
from bot.engine.router import Router
from bot.engine.types import Attachment, Reply
from bot.periods import parse_period
from handlers.admin.scope import own_district, period_arg
from handlers.digest.numbers import fmt_period
from handlers.export.build import export_workbook
from storage.models import Role

router = Router("admin.export")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITHOUT_NAMES, WITH_NAMES = "n", "y"


@router.command(
    "xuat",
    "export",
    roles=[Role.LEADER, Role.ADMIN],
    help_key="admin.help_export",
    menu_key="admin.menu_export",
)
async def export_command(ctx: Context, args: str) -> None:
    """Ask whether to add the youth list with names; the plain workbook is the first choice."""
    district = own_district(ctx)
    if district is None or ctx.person is None:
        ctx.say("common.not_allowed")
        return
    period = period_arg(ctx, args, "xuat")
    if period is None:
        return
    ctx.say(
        "admin.export_ask",
        period=fmt_period(period),
        choices=(
            ctx.choice(f"xuat:{WITHOUT_NAMES}:{period}", "admin.export_without_names"),
            ctx.choice(f"xuat:{WITH_NAMES}:{period}", "admin.export_with_names"),
        ),
    )


def export_filename(district_code: str, period: str, with_names: bool) -> str:
    """baocao-PH-2026-11.xlsx, or …-co-ten.xlsx for the file that holds real names."""
    return f"baocao-{district_code}-{period}{'-co-ten' if with_names else ''}.xlsx"


# Anywhere: /xuat may be typed in the middle of another flow, and the answer must reach here.
@router.on_choice("xuat", anywhere=True)
async def export_chosen(ctx: Context, rest: str) -> None:
    """Build the workbook; the names sheet (audited) only when it was chosen."""
    district = own_district(ctx)
    if district is None or ctx.person is None:
        ctx.say("common.not_allowed")
        return
    names, _, raw = rest.partition(":")
    period = parse_period(raw)
    if period is None:
        ctx.stale()
        return
    with_youth = names == WITH_NAMES  # own_district found a leader or admin role
    content = io.BytesIO()
    summary = await export_workbook(
        ctx.uow,
        out=content,
        period=period,
        districts=[district],
        catalog=ctx.catalog,
        locale=ctx.locale,
        tz=ctx.settings.bot.timezone,
        now=ctx.now,
        person_id=ctx.person.id,
        with_youth=with_youth,
        via=ctx.incoming.channel,
    )
    text = ctx.t(
        "admin.export_ready",
        period=fmt_period(period),
        branches=summary.branches,
        received=summary.received,
        photos=summary.photos,
    )
    note = "admin.export_names_note" if with_youth else "admin.export_no_names_note"
    ctx.reply(
        Reply(
            text=f"{text}\n{ctx.t(note)}",
            document=Attachment(
                content.getvalue(), export_filename(district.code, period, with_youth), XLSX
            ),
        )
    )
