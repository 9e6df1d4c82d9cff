"""Lịch báo cáo: which month is being reported, its deadline and its days, in local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.periods import deadline, period_end, period_of, period_start, shift


def current_period(now: datetime, settings: Settings) -> str:
    """The calendar month `now` falls in, in the district's time zone."""
    return period_of(now, settings.bot.timezone)


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
