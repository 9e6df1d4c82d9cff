"""Prints figures: how fast the outbox drains (without pacing) and what a reminder tick costs.

Usage: .venv/bin/python bench/outbox_bench.py   (SQLite in a temporary folder; set
CHIDOAN_TEST_POSTGRES_URL to also measure PostgreSQL)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app.channels.base import Channel
from bot.app.outbox import OutboxSender
from bot.clock import ManualClock
from bot.config import OutboxSettings, load_settings
from bot.engine.types import Reply
from bot.i18n import Catalog
from handlers.notify.payload import make_payload
from handlers.reminders.scheduled import due_reminders
from storage.db import create_engine, session_factory
from storage.models import (
    Branch,
    ChatIdentity,
    District,
    GrassrootsUnit,
    Person,
    RoleAssignment,
)
from storage.repositories.outbox import OutboxRepository
from storage.uow import UnitOfWork
from tests.support import databases
from tests.support.harness import local

MESSAGES = 2000
BRANCHES = 1000


class NullChannel(Channel):
    """Accepts every message at once."""

    name = "bench"

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> None:
        return None


async def seed_org(sessions: object) -> None:
    """One district, 20 units, BRANCHES branches, one secretary each (none has reported)."""
    async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
        district = District(code="B", name="Bench")
        uow.session.add(district)
        for u in range(20):
            unit = GrassrootsUnit(code=f"B-{u}", name=f"Unit {u}", district=district)
            uow.session.add(unit)
            for b in range(BRANCHES // 20):
                branch = Branch(code=f"B-{u}-{b}", name=f"Branch {u}-{b}", unit=unit)
                person = Person(display_name=f"P{u}-{b}", locale=None)
                person.identities = [
                    ChatIdentity(channel="bench", external_id=f"{u}-{b}", chat_id=f"{u}-{b}")
                ]
                person.roles = [RoleAssignment(role="secretary", branch=branch)]
                uow.session.add_all([branch, person])


async def measure(url: str) -> None:
    db = create_engine(url)
    sessions = session_factory(db)
    clock = ManualClock(local(2026, 11, 20, 17, 1))
    settings = load_settings(database={"url": url})
    async with UnitOfWork(sessions) as uow:
        repo = uow.get(OutboxRepository)
        for i in range(MESSAGES):
            await repo.enqueue(
                key=f"m{i}",
                kind="bench",
                channel="bench",
                chat_id=f"c{i}",
                payload=make_payload(f"m{i}"),
                now=clock.now(),
            )
    fast = {"per_second": 1e9, "per_chat_per_second": 1e9}
    sender = OutboxSender(
        sessions=sessions,
        channels={"bench": NullChannel()},
        settings=OutboxSettings(default=fast, batch_size=100),
        clock=clock,
        data_dir=Path("."),
    )
    started = time.perf_counter()
    sent = 0
    while n := await sender.drain_once():
        sent += n
    took = time.perf_counter() - started
    print(f"  drain: {sent} messages in {took:.2f}s = {sent / took:.0f} msg/s (database cost only)")
    await seed_org(sessions)
    catalog = Catalog()
    for label in ("first tick (enqueues)", "next tick (nothing new)"):
        started = time.perf_counter()
        async with UnitOfWork(sessions) as uow:
            added = await due_reminders(uow, clock.now(), settings, catalog)
        took = time.perf_counter() - started
        print(f"  reminder {label}: {BRANCHES} branches, {added} queued, {took:.2f}s")
    await db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = databases.make_sqlite_template(Path(folder))
        print("SQLite:")
        asyncio.run(measure(f"sqlite+aiosqlite:///{template}"))
    server = databases.postgres_server_url()
    if server:
        url = databases.create_postgres_database(server)
        try:
            print("PostgreSQL:")
            asyncio.run(measure(url))
        finally:
            databases.drop_postgres_database(server, url)


if __name__ == "__main__":
    main()
