"""The monthly close (chốt số liệu tháng): the final reporting table to each leader, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.i18n import Catalog
from bot.periods import previous_period
from handlers.digest.compute import reporting_table
from handlers.digest.render import table_text
from handlers.notify.notifier import Notice, Notifier
from handlers.reports.calendar import due, offset_delta, reporting_period
from storage.models import Role
from storage.repositories.org import OrgRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork

#: After downtime a missed close is still sent within this window; later it would be stale.
CATCH_UP = timedelta(days=7)


def close_moment(period: str, settings: Settings) -> datetime:
    """When the period is closed: the deadline plus `schedule.monthly_close`."""
    return due(period, settings) + offset_delta(settings.schedule.monthly_close)


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
    notifier = Notifier(uow, settings, catalog, now)
    queued = 0
    for district in await uow.get(OrgRepository).districts(with_branches=False):
        leaders = await uow.get(PeopleRepository).holders(Role.LEADER, district_id=district.id)
        recipients = await notifier.reach(leaders)
        if not recipients:
            continue
        table = await reporting_table(uow, district, period, settings)
        notices = []
        for recipient in recipients:
            f = notifier.speak(recipient)
            heading = f.t("digest.close_heading", period=f.month(period), district=district.name)
            text = f"{heading}\n{table_text(table, f)}"
            notices.append(Notice("close", (district.code, period), recipient, text))
        queued += await notifier.queue(notices)
    return queued
