"""Lịch báo cáo: which month is being reported, its deadline and its days, in local time."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.engine.textnorm import fold
from bot.periods import deadline, parse_period, period_end, period_of, period_start, shift

# "10", "tháng 10", "thang 10", "T10", "th 10", "month 10", with "/2026" or "/26" maybe.
_TYPED_MONTH = re.compile(
    r"^(?:thang|th|t|month)?\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2})|\s+(?:nam\s+)?(\d{4}))?$"
)


def current_period(now: datetime, settings: Settings) -> str:
    """The calendar month `now` falls in, in the district's time zone."""
    return period_of(now, settings.bot.timezone)


def typed_period(text: str, now: datetime, settings: Settings) -> str | None:
    """A month as a secretary types it after /baocao: '10', 'tháng 10', 'thang 10', 'T10',
    '10/2026', '10/26', '2026-10' → '2026-10'. Without a year, the latest such month that is
    not after this one (typed in January, '12' is last December). None when it is no month."""
    folded = fold(text)
    exact = parse_period(folded)
    if exact is not None:
        return exact
    match = _TYPED_MONTH.match(folded)
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    month, year_text = int(match.group(1)), match.group(2) or match.group(3)
    if year_text is not None:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return f"{year:04d}-{month:02d}" if 2000 <= year <= 2100 else None
    current = current_period(now, settings)
    typed = f"{current[:4]}-{month:02d}"
    return typed if typed <= current else shift(typed, -12)


def reporting_period(now: datetime, settings: Settings) -> str:
    """The period whose report is due this month (the current one, or the one before)."""
    return shift(current_period(now, settings), -settings.reporting.deadline_month_offset)


def due(period: str, settings: Settings) -> datetime:
    """The period's deadline (hạn nộp)."""
    return deadline(period, settings.reporting, settings.bot.timezone)


def local(moment: datetime, settings: Settings) -> datetime:
    """A moment in the district's local time."""
    return moment.astimezone(ZoneInfo(settings.bot.timezone))


def today(now: datetime, settings: Settings) -> date:
    """Today in the district's time zone."""
    return local(now, settings).date()


def period_bounds(period: str, settings: Settings) -> tuple[date, date]:
    """First and last day of the month."""
    tz = settings.bot.timezone
    return period_start(period, tz).date(), (period_end(period, tz) - timedelta(days=1)).date()


def offset_delta(offset: str) -> timedelta:
    """'5d' → 5 days, '12h' → 12 hours (the offsets of the schedule, validated in config)."""
    amount = int(offset[:-1])
    return timedelta(days=amount) if offset.endswith("d") else timedelta(hours=amount)


def days_between(earlier: datetime, later: datetime, settings: Settings) -> int:
    """Whole calendar days from one local date to the other."""
    return (local(later, settings).date() - local(earlier, settings).date()).days
