"""The monthly close (chốt số liệu tháng): the final reporting table to each leader, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.i18n import Catalog, Formatter, period_text
from bot.periods import previous_period
from handlers.digest.compute import reporting_table
from handlers.digest.due import preferred_identity
from handlers.digest.render import table_text
from handlers.reminders.deadlines import offset_delta, period_deadline, reporting_period
from storage.models import District, Role
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork

#: After downtime a missed close is still sent within this window; later it would be stale.
CATCH_UP = timedelta(days=7)


def close_moment(period: str, settings: Settings) -> datetime:
    """When the period is closed: the deadline plus `schedule.monthly_close`."""
    return period_deadline(period, settings) + offset_delta(settings.schedule.monthly_close)


def closing_period(now: datetime, settings: Settings) -> str | None:
    """The period whose close is due now (the current one, or the one before), if any."""
    current = reporting_period(now, settings)
    for period in (current, previous_period(current)):
        moment = close_moment(period, settings)
        if moment <= now < moment + CATCH_UP:
            return period
    return None


async def due_monthly_close(
    uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog
) -> int:
    """Queue the close message of the due period to every district leader; returns how many."""
    period = closing_period(now, settings)
    if period is None:
        return 0
    outbox = uow.get(OutboxRepository)
    queued = 0
    for district in await uow.session.scalars(select(District).order_by(District.code)):
        leaders = await uow.get(PeopleRepository).holders(Role.LEADER, district_id=district.id)
        if not leaders:
            continue
        table = await reporting_table(uow, district, period, settings)
        for person in leaders:
            identity = preferred_identity(person)
            if identity is None:
                continue
            locale = person.locale or settings.bot.default_locale
            f = Formatter(catalog, locale, settings.bot.timezone)
            text = "\n".join(
                [
                    f.t("digest.close_heading", period=period_text(period), district=district.name),
                    table_text(table, f),
                ]
            )
            payload: dict[str, Any] = {"text": text, "choices": [], "photo": None, "document": None}
            queued += await outbox.enqueue(
                key=f"close:{district.code}:{period}:{person.id}",
                kind="close",
                channel=identity.channel,
                chat_id=identity.chat_id,
                payload=payload,
                now=now,
                person_id=person.id,
            )
    return queued
