"""Lịch nhắc: when each reminder of a period is due, computed from config alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.periods import shift
from handlers.reports.calendar import due, offset_delta, reporting_period


@dataclass(frozen=True)
class Slot:
    """One reminder time of a period: due at `at`, still worth sending until `until`."""

    name: str  # stable, part of the idempotency key: "5d", "morning", "overdue-1d"
    at: datetime
    until: datetime
    overdue: bool
    escalate: bool  # also tell the grassroots unit's secretaries


def _morning(due: datetime, settings: Settings) -> datetime:
    hours, minutes = (int(p) for p in settings.schedule.morning_time.split(":"))
    local = due.astimezone(ZoneInfo(settings.bot.timezone))
    return local.replace(hour=hours, minute=minutes, second=0, microsecond=0)


def slots(period: str, settings: Settings) -> list[Slot]:
    """Every reminder of the period in time order, each valid until the next one begins.

    A reminder before the deadline is never sent after it; any reminder is dropped once
    `catch_up_hours` have passed, so a long outage does not wake people with stale news.
    """
    deadline = due(period, settings)
    grace = timedelta(hours=settings.schedule.catch_up_hours)
    before: list[tuple[str, datetime]] = []
    for offset in settings.schedule.reminders_before:
        at = (
            _morning(deadline, settings) if offset == "morning" else deadline - offset_delta(offset)
        )
        if at < deadline:
            before.append((offset, at))
    overdue = [
        (f"overdue-{o}", deadline + offset_delta(o)) for o in settings.schedule.reminders_overdue
    ]
    before.sort(key=lambda item: item[1])
    overdue.sort(key=lambda item: item[1])
    result: list[Slot] = []
    for group, limit, is_overdue in ((before, deadline, False), (overdue, None, True)):
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
