"""The weekly digest as a scheduler due check: once per ISO week per district leader."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.i18n import Catalog, Formatter
from handlers.digest.chart import digest_chart
from handlers.digest.compute import build_digest
from handlers.digest.model import Digest
from handlers.digest.render import digest_text
from handlers.reminders.deadlines import reporting_period as current_period
from storage.models import ChatIdentity, District, OutboxMessage, Person, Role
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork


def week_moment(now: datetime, settings: Settings) -> tuple[str, datetime]:
    """This ISO week's label ('2026-W47') and when its digest becomes due."""
    tz = ZoneInfo(settings.bot.timezone)
    local = now.astimezone(tz)
    year, week, weekday = local.isocalendar()
    monday = local.date() - timedelta(days=weekday - 1)
    day = monday + timedelta(days=settings.digest.digest_weekday)
    return f"{year}-W{week:02d}", datetime.combine(day, time(settings.digest.digest_hour), tz)


def digest_key(district: District, week: str, person_id: int) -> str:
    """The idempotency key: one digest per district, ISO week and leader."""
    return f"digest:{district.code}:{week}:{person_id}"


async def render_chart(digest: Digest, catalog: Catalog, locale: str) -> bytes:
    """The chart, drawn off the event loop (matplotlib is CPU-bound)."""
    return await asyncio.to_thread(
        digest_chart,
        digest,
        catalog.t(locale, "digest.chart_units"),
        catalog.t(locale, "digest.chart_trend"),
    )


def write_file(path: Path, data: bytes) -> None:
    """Write atomically so the sender never reads half a chart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def preferred_identity(person: Person) -> ChatIdentity | None:
    """The account the person linked most recently: the one they are most likely to read."""
    return max(person.identities, key=lambda i: (i.created_at, i.id), default=None)


async def _queued(uow: UnitOfWork, keys: list[str]) -> set[str]:
    """Which of these outbox keys already exist."""
    rows = await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    return set(rows)


async def due_digests(uow: UnitOfWork, now: datetime, settings: Settings, catalog: Catalog) -> int:
    """Queue each district leader's digest for this week once it is due; returns how many."""
    week, moment = week_moment(now, settings)
    if now < moment:
        return 0
    period = current_period(now, settings)
    queued = 0
    districts = list(await uow.session.scalars(select(District).order_by(District.code)))
    for district in districts:
        leaders = await uow.get(PeopleRepository).holders(Role.LEADER, district_id=district.id)
        keys = {digest_key(district, week, p.id): p for p in leaders}
        done = await _queued(uow, list(keys))
        waiting = {k: p for k, p in keys.items() if k not in done}
        if not waiting:
            continue  # the common case on every tick: nothing is computed
        digest = await build_digest(uow, district, period, settings)
        queued += await _enqueue(uow, digest, waiting, now, settings, catalog, week)
    return queued


async def _enqueue(
    uow: UnitOfWork,
    digest: Digest,
    waiting: dict[str, Person],
    now: datetime,
    settings: Settings,
    catalog: Catalog,
    week: str,
) -> int:
    """Queue the digest to each waiting leader, in their language, with the chart."""
    outbox = uow.get(OutboxRepository)
    charts: dict[str, str] = {}
    count = 0
    for key, person in waiting.items():
        identity = preferred_identity(person)
        if identity is None:
            continue
        locale = person.locale or settings.bot.default_locale
        if locale not in charts:
            chart = await render_chart(digest, catalog, locale)
            # Named by content: a later, different chart never replaces one still waiting to go.
            digest_id = hashlib.sha256(chart).hexdigest()[:12]
            name = f"digest-{digest.table.district_code}-{week}-{locale}-{digest_id}.png"
            # Stored relative to data_dir: the sender resolves it against its own data_dir.
            relative = Path("outbox") / "digest" / name
            await asyncio.to_thread(write_file, settings.bot.data_dir / relative, chart)
            charts[locale] = str(relative)
        payload: dict[str, Any] = {
            "text": digest_text(digest, Formatter(catalog, locale, settings.bot.timezone)),
            "choices": [],
            "photo": {
                "path": charts[locale],
                "filename": Path(charts[locale]).name,
                "mime": "image/png",
            },
            "document": None,
        }
        count += await outbox.enqueue(
            key=key,
            kind="digest",
            channel=identity.channel,
            chat_id=identity.chat_id,
            payload=payload,
            now=now,
            person_id=person.id,
        )
    return count
