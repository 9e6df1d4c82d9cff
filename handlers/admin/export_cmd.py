"""/xuat: the district's XLSX workbook for a month, sent as a file; names only when chosen."""

from __future__ import annotations

import io
from datetime import timedelta

from bot.engine.context import Context
from bot.engine.types import Attachment, Reply
from bot.i18n import period_text
from bot.periods import parse_period
from handlers.access import DistrictRouter
from handlers.admin.scope import period_arg
from handlers.evidence.links import PhotoLinks
from handlers.export.build import export_workbook
from handlers.reports.form import form_for
from storage.models import District

router = DistrictRouter("admin.export")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITHOUT_NAMES, WITH_NAMES = "n", "y"


@router.district_command(
    "xuat", "export", help_key="admin.help_export", menu_key="admin.menu_export"
)
async def export_command(ctx: Context, args: str, _district: District) -> None:
    """Ask whether to add the youth list with names; the plain workbook is the first choice."""
    period = period_arg(ctx, args, "xuat")
    if period is None:
        return
    ctx.say(
        "admin.export_ask",
        period=period_text(period),
        choices=(
            ctx.choice(f"xuat:{WITHOUT_NAMES}:{period}", "admin.export_without_names"),
            ctx.choice(f"xuat:{WITH_NAMES}:{period}", "admin.export_with_names"),
        ),
    )


def export_filename(district_code: str, period: str, with_names: bool) -> str:
    """baocao-PH-2026-11.xlsx, or …-co-ten.xlsx for the file that holds real names."""
    return f"baocao-{district_code}-{period}{'-co-ten' if with_names else ''}.xlsx"


# Anywhere: /xuat may be typed in the middle of another flow, and the answer must reach here.
@router.district_choice("xuat", anywhere=True)
async def export_chosen(ctx: Context, rest: str, district: District) -> None:
    """Build the workbook; the names sheet (audited) only when it was chosen."""
    assert ctx.person is not None  # the guard refuses anyone not registered
    names, _, raw = rest.partition(":")
    period = parse_period(raw)
    if period is None:
        ctx.stale()
        return
    with_youth = names == WITH_NAMES  # the guard found a leader or admin role
    content = io.BytesIO()
    summary = await export_workbook(
        ctx.uow,
        out=content,
        period=period,
        districts=[district],
        form=form_for(ctx.settings),
        catalog=ctx.catalog,
        locale=ctx.locale,
        tz=ctx.settings.bot.timezone,
        now=ctx.now,
        person_id=ctx.person.id,
        with_youth=with_youth,
        via=ctx.incoming.channel,
        links=ctx.services.maybe(PhotoLinks),  # type: ignore[type-abstract]
        link_ttl=timedelta(days=ctx.settings.web.workbook_link_days),
    )
    text = ctx.t(
        "admin.export_ready",
        period=period_text(period),
        branches=summary.branches,
        received=summary.received,
        photos=summary.photos,
    )
    note = "admin.export_names_note" if with_youth else "admin.export_no_names_note"
    ctx.reply(
        Reply(
            text=f"{text}\n{ctx.t(note)}",
            document=Attachment(
                content.getvalue(),
                export_filename(district.code, period, with_youth),
                XLSX,
                sensitive=with_youth,
            ),
        )
    )
