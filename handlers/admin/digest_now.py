"""/tonghop: the weekly digest now, with its chart, to the leader who asks."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.types import Attachment, Reply
from handlers.access import DistrictRouter
from handlers.digest.compute import build_digest
from handlers.digest.due import render_chart
from handlers.digest.render import digest_text
from handlers.i18n import fmt
from handlers.reports.calendar import reporting_period
from storage.models import District

router = DistrictRouter("admin.digest")


@router.district_command(
    "tonghop", "digest", help_key="admin.help_digest", menu_key="admin.menu_digest"
)
async def digest_command(ctx: Context, _args: str, district: District) -> None:
    """Send the district's digest for the current period: text, then the chart."""
    period = reporting_period(ctx.now, ctx.settings)
    digest = await build_digest(ctx.uow, district, period, ctx.settings)
    chart = await render_chart(digest, ctx.catalog, ctx.locale)
    ctx.reply(Reply(text=digest_text(digest, fmt(ctx))))
    ctx.reply(
        Reply(
            text=ctx.t("digest.chart_caption", district=district.name),
            photo=Attachment(chart, f"digest-{district.code}-{period}.png", "image/png"),
        )
    )
