"""Hạn nộp báo cáo: when each reminder of a period is due, computed from config alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.periods import deadline, period_of, shift


@dataclass(frozen=True)
class Slot:
    """One reminder time of a period: due at `at`, still worth sending until `until`."""

    name: str  # stable, part of the idempotency key: "5d", "morning", "overdue-1d"
    at: datetime
    until: datetime
    overdue: bool
    escalate: bool  # also tell the grassroots unit's secretaries


def offset_delta(offset: str) -> timedelta:
    """'5d' → 5 days, '12h' → 12 hours (validated in config)."""
    amount = int(offset[:-1])
    return timedelta(days=amount) if offset.endswith("d") else timedelta(hours=amount)


def reporting_period(now: datetime, settings: Settings) -> str:
    """The period whose report is due this month (the current one, or the one before)."""
    return shift(period_of(now, settings.bot.timezone), -settings.reporting.deadline_month_offset)


def period_deadline(period: str, settings: Settings) -> datetime:
    return deadline(period, settings.reporting, settings.bot.timezone)


def _morning(due: datetime, settings: Settings) -> datetime:
    hours, minutes = (int(p) for p in settings.schedule.morning_time.split(":"))
    local = due.astimezone(ZoneInfo(settings.bot.timezone))
    return local.replace(hour=hours, minute=minutes, second=0, microsecond=0)


def slots(period: str, settings: Settings) -> list[Slot]:
    """Every reminder of the period in time order, each valid until the next one begins.

    A reminder before the deadline is never sent after it; any reminder is dropped once
    `catch_up_hours` have passed, so a long outage does not wake people with stale news.
    """
    due = period_deadline(period, settings)
    grace = timedelta(hours=settings.schedule.catch_up_hours)
    before: list[tuple[str, datetime]] = []
    for offset in settings.schedule.reminders_before:
        at = _morning(due, settings) if offset == "morning" else due - offset_delta(offset)
        if at < due:
            before.append((offset, at))
    overdue = [(f"overdue-{o}", due + offset_delta(o)) for o in settings.schedule.reminders_overdue]
    before.sort(key=lambda item: item[1])
    overdue.sort(key=lambda item: item[1])
    result: list[Slot] = []
    for group, limit, is_overdue in ((before, due, False), (overdue, None, True)):
        for index, (name, at) in enumerate(group):
            nxt = group[index + 1][1] if index + 1 < len(group) else limit
            until = min(x for x in (nxt, at + grace) if x is not None)
            last = index == len(group) - 1
            escalate = is_overdue and last and settings.schedule.escalate_to_unit
            result.append(Slot(name, at, until, is_overdue, escalate))
    return result


def due_slot(period: str, now: datetime, settings: Settings) -> Slot | None:
    """The one reminder of `period` due now: the latest begun and not yet stale."""
    current = [s for s in slots(period, settings) if s.at <= now < s.until]
    return current[-1] if current else None


def due_periods(now: datetime, settings: Settings) -> list[tuple[str, Slot]]:
    """Every period with a reminder due now (around a month's turn, maybe two)."""
    base = reporting_period(now, settings)
    found = []
    for months in (-2, -1, 0, 1):
        period = shift(base, months)
        slot = due_slot(period, now, settings)
        if slot is not None:
            found.append((period, slot))
    return found


def days_between(earlier: datetime, later: datetime, tz: str) -> int:
    """Whole calendar days from one local date to the other."""
    zone = ZoneInfo(tz)
    return (later.astimezone(zone).date() - earlier.astimezone(zone).date()).days
