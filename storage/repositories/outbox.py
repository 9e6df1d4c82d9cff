"""The outbox: enqueue proactive messages once per idempotency key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage

#: A message's status: waiting to be sent, delivered, or given up on (see `last_error`).
QUEUED, SENT, PARKED = "queued", "sent", "parked"
#: Rows per INSERT: 11 parameters each, far below any driver's limit on parameters.
ENQUEUE_BATCH = 500
#: Between a sender's name and its run in `claimed_by`: "bot-1#3f9a2c1e".
RUN_SEPARATOR = "#"
#: A row nobody holds: no claim, no attempt in flight.
UNCLAIMED: dict[str, Any] = {"claimed_until": None, "claimed_by": None, "attempted_at": None}


@dataclass(frozen=True)
class NewMessage:
    """One proactive message to queue; the key makes queueing it twice a no-op."""

    key: str
    kind: str
    channel: str
    chat_id: str
    payload: dict[str, Any]
    person_id: int | None = None
    available_at: datetime | None = None


def _row(message: NewMessage, now: datetime) -> dict[str, Any]:
    return {
        "key": message.key,
        "kind": message.kind,
        "channel": message.channel,
        "chat_id": message.chat_id,
        "person_id": message.person_id,
        "payload": message.payload,
        "status": QUEUED,
        "attempts": 0,
        "available_at": message.available_at or now,
        "created_at": now,
    }


class OutboxRepository:
    """Adding the same key twice adds nothing; the sender claims and marks rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        key: str,
        kind: str,
        channel: str,
        chat_id: str,
        payload: dict[str, Any],
        now: datetime,
        person_id: int | None = None,
        available_at: datetime | None = None,
    ) -> bool:
        """Queue one message; False when a message with this key already exists."""
        message = NewMessage(key, kind, channel, chat_id, payload, person_id, available_at)
        return bool(await self.enqueue_many([message], now))

    async def enqueue_many(self, messages: Iterable[NewMessage], now: datetime) -> list[str]:
        """Queue every message whose key is new; returns those keys, in the order given.

        One INSERT … ON CONFLICT (key) DO NOTHING per batch of rows: thousands of reminders
        cost a few statements, and a key queued before (or twice in `messages`) is skipped.
        """
        rows: dict[str, dict[str, Any]] = {}
        for m in messages:
            rows.setdefault(m.key, _row(m, now))
        new: set[str] = set()
        batch = list(rows.values())
        # Rows given apart from the statement: it is compiled once and cached, whatever the count.
        statement = (
            self._insert()
            .on_conflict_do_nothing(index_elements=[OutboxMessage.key])
            .returning(OutboxMessage.key)
        )
        for start in range(0, len(batch), ENQUEUE_BATCH):
            new.update(await self.session.scalars(statement, batch[start : start + ENQUEUE_BATCH]))
        return [key for key in rows if key in new]

    def _insert(self) -> Any:
        """INSERT with ON CONFLICT: each dialect has its own construct, with the same API."""
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql.insert(OutboxMessage)
        return sqlite.insert(OutboxMessage)

    async def claim(
        self, channel: str, now: datetime, *, lease: timedelta, limit: int, owner: str
    ) -> list[OutboxMessage]:
        """Take up to `limit` due rows of `channel` for `lease` in `owner`'s name.

        On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so other
        senders skip them; on SQLite (one writer) the same statement is rendered without the
        lock clause. Either way the conditional UPDATE only takes rows that are still free.
        """
        candidates = list(
            await self.session.scalars(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == QUEUED,
                    OutboxMessage.channel == channel,
                    OutboxMessage.available_at <= now,
                    _free(now),
                )
                .order_by(OutboxMessage.available_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not candidates:
            return []
        claimed = list(
            await self.session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == QUEUED, _free(now))
                .values(claimed_until=now + lease, claimed_by=owner)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
        if not claimed:
            return []
        rows = await self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.available_at, OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def reclaim(self, name: str, owner: str) -> tuple[int, int]:
        """Free the claims of earlier runs under `name` (their process is gone, since `owner`,
        the run starting now, has that name): (claims freed, of which maybe sent already)."""
        earlier = (
            OutboxMessage.status == QUEUED,
            OutboxMessage.claimed_by.startswith(f"{name}{RUN_SEPARATOR}", autoescape=True),
            OutboxMessage.claimed_by != owner,
        )
        in_doubt = await self.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                *earlier, OutboxMessage.attempted_at.is_not(None)
            )
        )
        result = await self.session.execute(
            update(OutboxMessage)
            .where(*earlier)
            .values(claimed_until=None, claimed_by=None)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result), int(in_doubt or 0)

    async def start_attempt(
        self, message_id: int, owner: str, now: datetime, margin: timedelta
    ) -> bool:
        """Record that `owner` is about to send the message; False when its claim no longer holds
        (taken back by a later run, or its lease ends within `margin`): then it must not send."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == QUEUED,
                OutboxMessage.claimed_by == owner,
                OutboxMessage.claimed_until > now + margin,
            )
            .values(attempted_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def mark_sent(self, message_id: int, now: datetime) -> bool:
        """Record a delivery; False when the row was no longer queued."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == QUEUED)
            .values(status=SENT, sent_at=now, **UNCLAIMED)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def postpone(self, message_id: int, until: datetime, error: str) -> None:
        """Put a message back for later without counting a failed attempt (a 429)."""
        await self._set(message_id, available_at=until, last_error=error, **UNCLAIMED)

    async def release(self, message_ids: list[int], owner: str) -> None:
        """Give back claimed rows that were not sent (a sender that stops early)."""
        if message_ids:
            await self.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(message_ids),
                    OutboxMessage.status == QUEUED,
                    OutboxMessage.claimed_by == owner,
                )
                .values(**UNCLAIMED)
                .execution_options(synchronize_session=False)
            )

    async def fail(
        self, message_id: int, error: str, *, retry_at: datetime | None, max_attempts: int
    ) -> str:
        """Count a failed attempt: retry at `retry_at`, or park (no retry, or attempts used up)."""
        message = await self.session.get(OutboxMessage, message_id, populate_existing=True)
        if message is None or message.status != QUEUED:
            return message.status if message else PARKED
        attempts = message.attempts + 1
        parked = retry_at is None or attempts >= max_attempts
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_error": error[:2000],
            "status": PARKED if parked else QUEUED,
            **UNCLAIMED,
        }
        if not parked:
            values["available_at"] = retry_at
        await self._set(message_id, **values)
        return PARKED if parked else QUEUED

    async def requeue_parked(self, now: datetime) -> int:
        """Give every parked message a fresh set of attempts (after the cause was fixed)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == PARKED)
            .values(status=QUEUED, attempts=0, available_at=now, **UNCLAIMED)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    async def counts(self) -> list[tuple[str, str, str, int]]:
        """(status, kind, channel, how many), sorted."""
        rows = await self.session.execute(
            select(
                OutboxMessage.status,
                OutboxMessage.kind,
                OutboxMessage.channel,
                func.count(OutboxMessage.id),
            )
            .group_by(OutboxMessage.status, OutboxMessage.kind, OutboxMessage.channel)
            .order_by(OutboxMessage.status, OutboxMessage.kind, OutboxMessage.channel)
        )
        return [(status, kind, channel, int(n)) for status, kind, channel, n in rows]

    async def by_key(self, key: str) -> OutboxMessage | None:
        return await self.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.key == key)
            .execution_options(populate_existing=True)
        )

    async def existing_keys(self, prefix: str) -> set[str]:
        """Keys already queued (in any status) that start with `prefix`."""
        rows = await self.session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.startswith(prefix, autoescape=True))
        )
        return set(rows)

    async def _set(self, message_id: int, **values: Any) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _free(now: datetime) -> Any:
    """Unclaimed, or claimed under a lease that has run out."""
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
