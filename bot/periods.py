"""Reporting periods ("YYYY-MM") and their deadlines, in the district's time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import ReportingSettings

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> str | None:
    """'2026-11', '11/2026' or '11-2026' → '2026-11'; None when it is not a month."""
    text = text.strip()
    match = _PERIOD.match(text) or re.match(r"^(\d{1,2})[/-](\d{4})$", text)
    if match is None:
        return None
    a, b = match.groups()
    year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 2000 <= year <= 2100 else None


def period_of(moment: datetime, tz: str) -> str:
    """The period a moment falls in, in local time."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local.year:04d}-{local.month:02d}"


def shift(period: str, months: int) -> str:
    year, month = (int(p) for p in period.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_period(period: str) -> str:
    return shift(period, -1)


def period_start(period: str, tz: str) -> datetime:
    """Local midnight on the first day of the period."""
    year, month = (int(p) for p in period.split("-"))
    return datetime(year, month, 1, tzinfo=ZoneInfo(tz))


def period_end(period: str, tz: str) -> datetime:
    """Local midnight on the first day of the next period (exclusive end)."""
    return period_start(shift(period, 1), tz)


def deadline(period: str, reporting: ReportingSettings, tz: str) -> datetime:
    """When the period's report is due (deadline_day at deadline_time, local)."""
    due_month = shift(period, reporting.deadline_month_offset)
    hours, minutes = (int(p) for p in reporting.deadline_time.split(":"))
    start = period_start(due_month, tz)
    return start + timedelta(days=reporting.deadline_day - 1, hours=hours, minutes=minutes)
