"""Queueing in bulk: one INSERT … ON CONFLICT DO NOTHING per batch, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from bot.config import load_settings
from bot.i18n import Catalog
from handlers.reminders.scheduled import due_reminders
from storage.models import OutboxMessage
from storage.repositories.outbox import ENQUEUE_BATCH, NewMessage, OutboxRepository
from tests.support.big_org import DistrictSize, seed_big_org
from tests.support.harness import Harness, local


@contextmanager
def statements(harness: Harness) -> Iterator[list[str]]:
    """Every SQL statement the harness's engine runs inside the block."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(harness.db.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(harness.db.sync_engine, "before_cursor_execute", record)


def message(key: str, chat_id: str = "c1") -> NewMessage:
    return NewMessage(key, "test", "fake", chat_id, {"text": key, "choices": []})


async def outbox_count(harness: Harness) -> int:
    async with harness.uow() as uow:
        return int(await uow.session.scalar(select(func.count(OutboxMessage.id))) or 0)


async def test_new_keys_are_queued_and_known_ones_skipped(harness: Harness) -> None:
    now = harness.clock.now()
    async with harness.uow() as uow:
        assert await uow.get(OutboxRepository).enqueue_many([message("a"), message("b")], now)
    wanted = [message("b"), message("c"), message("c", chat_id="other"), message("d")]
    async with harness.uow() as uow:
        assert await uow.get(OutboxRepository).enqueue_many(wanted, now) == ["c", "d"]
    async with harness.uow() as uow:
        repo = uow.get(OutboxRepository)
        assert await repo.enqueue_many([], now) == []
        c = await repo.by_key("c")
    assert c is not None and c.chat_id == "c1", "the first message of a repeated key wins"
    assert c.status == "queued" and c.available_at == now and c.attempts == 0
    assert await outbox_count(harness) == 4


async def test_one_statement_per_batch(harness: Harness) -> None:
    many = [message(f"m{i}", chat_id=f"c{i}") for i in range(2 * ENQUEUE_BATCH + 1)]
    with statements(harness) as seen:
        async with harness.uow() as uow:
            added = await uow.get(OutboxRepository).enqueue_many(many, harness.clock.now())
    assert len(added) == len(many)
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    assert len(inserts) == 3 and all("ON CONFLICT" in s.upper() for s in inserts)
    assert await outbox_count(harness) == len(many)


async def test_the_reminder_tick_queues_a_large_organisation_in_bulk(harness: Harness) -> None:
    org = await seed_big_org(
        harness.db, [DistrictSize("BIG", 1500), DistrictSize("SMALL", 40)], period=None,
        secretaries="fake",
    )  # fmt: skip
    settings = load_settings(database={"url": harness.url})
    due = local(2026, 11, 20, 17, 1)  # the "5 days before" reminder
    with statements(harness) as seen:
        async with harness.uow() as uow:
            added = await due_reminders(uow, due, settings, Catalog())
    # The sample org's branches have no secretary: every reminder is for a generated branch.
    assert added == org.secretaries == 1540
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    assert len(inserts) == 4, "one INSERT per batch of each district"
    assert len(seen) < 40, f"a handful of statements, not a few per branch: {len(seen)}"
    async with harness.uow() as uow:
        again = await due_reminders(uow, due, settings, Catalog())
    assert again == 0 and await outbox_count(harness) == 1540
