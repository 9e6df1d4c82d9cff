"""/xeploai [YYYY]: the "3 chủ động" scorecard of the district, as text and a chart."""

from __future__ import annotations

import asyncio
import re

from bot.engine.context import Context
from bot.engine.types import Attachment, Reply
from handlers.access import DistrictRouter
from handlers.i18n import fmt
from handlers.scorecard.chart import scorecard_chart
from handlers.scorecard.compute import build_scorecard, default_year, year_range
from handlers.scorecard.render import scorecard_text
from storage.models import District

router = DistrictRouter("scorecard")

_YEAR = re.compile(r"^(20\d\d|2100)$")


def year_arg(ctx: Context, args: str) -> int | None:
    """The year typed after the command, or the latest one with a month due; None (and a hint)
    when unreadable."""
    text = args.strip()
    default = default_year(ctx.now, ctx.settings)
    if not text:
        return default
    if _YEAR.match(text) is None:
        ctx.say("scorecard.bad_year", text=text[:20], year=default)
        return None
    return int(text)


@router.district_command("xeploai", "scorecard", help_key="scorecard.help")
async def scorecard_command(ctx: Context, args: str, district: District) -> None:
    """The district's scorecard for the year: a short text per unit, then the chart."""
    year = year_arg(ctx, args)
    if year is None:
        return
    card = await build_scorecard(ctx.uow, district, *year_range(year), ctx.now, ctx.settings)
    ctx.reply(Reply(text=scorecard_text(card, ctx.catalog, ctx.locale)))
    if not (card.months and card.units):
        return
    # matplotlib is CPU-bound: drawn off the event loop.
    chart = await asyncio.to_thread(scorecard_chart, card, fmt(ctx).t)
    ctx.reply(
        Reply(
            text=ctx.t("scorecard.chart_caption", district=district.name),
            photo=Attachment(chart, f"xeploai-{district.code}-{year}.png", "image/png"),
        )
    )
