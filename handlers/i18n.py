"""The reader's language in a chat: `fmt(ctx)` formats numbers, dates and plurals for them."""

from __future__ import annotations

from bot.engine.context import Context
from bot.i18n import Formatter


def fmt(ctx: Context) -> Formatter:
    """Messages, numbers, dates and plurals in this person's language and the district's time."""
    return Formatter(ctx.catalog, ctx.locale, ctx.settings.bot.timezone)
