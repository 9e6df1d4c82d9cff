"""The weekly digest as a scheduler due check: once per ISO week per district leader."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import Catalog
from handlers.digest.chart import digest_chart
from handlers.digest.compute import build_digest
from handlers.digest.model import Digest
from handlers.digest.render import digest_text
from handlers.notify.notifier import Notice, Notifier, Recipient, notice_key
from handlers.notify.payload import FileRef
from handlers.reports.calendar import reporting_period
from storage.models import District, Person, Role
from storage.repositories.org import OrgRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork

PNG = "image/png"


def week_moment(now: datetime, settings: Settings) -> tuple[str, datetime]:
    """This ISO week's label ('2026-W47') and when its digest becomes due."""
    tz = ZoneInfo(settings.bot.timezone)
    local = now.astimezone(tz)
    year, week, weekday = local.isocalendar()
    monday = local.date() - timedelta(days=weekday - 1)
    day = monday + timedelta(days=settings.digest.digest_weekday)
    return f"{year}-W{week:02d}", datetime.combine(day, time(settings.digest.digest_hour), tz)


async def render_chart(digest: Digest, catalog: Catalog, locale: str) -> bytes:
    """The chart, drawn off the event loop (matplotlib is CPU-bound)."""
    return await asyncio.to_thread(
        digest_chart,
        digest,
        catalog.t(locale, "digest.chart_units"),
        catalog.t(locale, "digest.chart_trend"),
    )


async def due_digests(uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog) -> int:
    """Queue each district leader's digest for this week once it is due; returns how many."""
    week, moment = week_moment(now, settings)
    if now < moment:
        return 0
    notifier = Notifier(uow, settings, catalog, now)
    period = reporting_period(now, settings)
    queued = 0
    for district in await uow.get(OrgRepository).districts(with_branches=False):
        leaders = await uow.get(PeopleRepository).holders(Role.LEADER, district_id=district.id)
        waiting = await _waiting(notifier, district, week, leaders)
        if not waiting:
            continue  # the common case on every tick: nothing is computed
        digest = await build_digest(uow, district, period, settings)
        queued += await _queue(notifier, digest, await notifier.reach(waiting), week)
    return queued


async def _waiting(
    notifier: Notifier, district: District, week: str, leaders: list[Person]
) -> list[Person]:
    """The leaders whose digest of this week is not queued yet."""
    keys = {notice_key("digest", (district.code, week), p.id): p for p in leaders}
    done = await notifier.queued(keys)
    return [person for key, person in keys.items() if key not in done]


async def _queue(notifier: Notifier, digest: Digest, recipients: list[Recipient], week: str) -> int:
    """Queue the digest to each leader, in their language, with the chart drawn once per
    language."""
    charts: dict[str, FileRef] = {}
    notices = []
    for recipient in recipients:
        locale = recipient.locale
        if locale not in charts:
            chart = await render_chart(digest, notifier.catalog, locale)
            # Named by content: a later, different chart never replaces one still waiting to go.
            name = f"digest-{digest.table.district_code}-{week}-{locale}-"
            name += f"{hashlib.sha256(chart).hexdigest()[:12]}.png"
            charts[locale] = await asyncio.to_thread(
                notifier.keep_file, Path("outbox") / "digest" / name, chart, PNG
            )
        text = digest_text(digest, notifier.speak(recipient))
        about = (digest.table.district_code, week)
        notices.append(Notice("digest", about, recipient, text, photo=charts[locale]))
    return await notifier.queue(notices)
