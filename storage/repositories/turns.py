"""An update's turn in its chat: taken, deduplicated and read in as few statements as we can.

The engine runs one transaction per update. What it reads before any handler runs is always the
same (the conversation row, the person writing and their roles), so it is one SELECT built once
and executed with new values. The processed-update log is written in the same transaction:

- on PostgreSQL, first: one INSERT that takes the chat's transaction-level advisory lock and
  marks the update (ON CONFLICT DO NOTHING RETURNING). Every process handling the same chat waits
  on that lock, so a chat's updates are handled one at a time across processes, and every
  statement after it reads what the previous update committed; a redelivered update that another
  process is still handling waits on its uncommitted row, then finds it. A handler that fails
  rolls the mark back with everything else, so the update is handled again when redelivered;
- on SQLite (one process by design), last: the write lock is taken only at the first write, so
  a chat busy reading (an export) does not hold the others; the read above also says whether
  the update was already handled, and the closing INSERT catches a race with a redelivery.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, Table, and_, bindparam, exists, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import (
    Branch,
    ChatIdentity,
    Conversation,
    GrassrootsUnit,
    Person,
    ProcessedUpdate,
    RoleAssignment,
)
from storage.repositories.conversations import AlreadyHandled, ConversationRepository

#: The person's roles and their places, joined into the same SELECT (no lazy loads later).
_ROLE_JOINS = (
    joinedload(Person.roles)
    .joinedload(RoleAssignment.branch)
    .joinedload(Branch.unit)
    .joinedload(GrassrootsUnit.district),
    joinedload(Person.roles).joinedload(RoleAssignment.unit).joinedload(GrassrootsUnit.district),
    joinedload(Person.roles).joinedload(RoleAssignment.district),
)


def _opening(with_seen: bool) -> Any:
    """The conversation row (locked where the database can), the person and their roles."""
    seen = exists().where(
        ProcessedUpdate.channel == bindparam("channel"),
        ProcessedUpdate.update_id == bindparam("update_id"),
    )
    columns: list[Any] = [Conversation, Person, seen if with_seen else literal(False)]
    return (
        select(*columns)
        .outerjoin(
            ChatIdentity,
            and_(
                ChatIdentity.channel == Conversation.channel,
                ChatIdentity.external_id == bindparam("user_id"),
            ),
        )
        .outerjoin(Person, Person.id == ChatIdentity.person_id)
        .options(*_ROLE_JOINS)
        .where(
            Conversation.channel == bindparam("channel"),
            Conversation.chat_id == bindparam("chat_id"),
        )
        .with_for_update(of=Conversation)
    )


# Built once: SQLAlchemy then finds their compiled form in its cache by identity, cheaply.
_OPEN_CHECKING = _opening(with_seen=True)
_OPEN = _opening(with_seen=False)


def chat_key(channel: str, chat_id: str) -> int:
    """The chat's advisory lock key: a stable signed 64-bit hash (the same in every process)."""
    digest = hashlib.blake2b(f"{channel}\x1f{chat_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class Turn:
    """What an update's handling starts from."""

    conversation: Conversation
    person: Person | None
    #: The update was handled before (committed): nothing is to be done.
    already_handled: bool = False


class TurnRepository:
    """Takes the chat's turn, opens its state and closes the update log for one update."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.shared = session.bind is not None and session.bind.dialect.name == "postgresql"

    async def claim(self, channel: str, chat_id: str, update_id: str | None, now: datetime) -> bool:
        """PostgreSQL: wait for the chat's turn across processes and mark the update handled;
        False when it was handled already. SQLite: nothing to do here (True)."""
        if not self.shared:
            return True
        key = chat_key(channel, chat_id)
        if update_id is None:
            await self.session.execute(_LOCK, {"key": key})
            return True
        marked = await self.session.execute(
            _CLAIM, {"key": key, "channel": channel, "update_id": update_id, "now": now}
        )
        return marked.first() is not None

    async def open(
        self, channel: str, chat_id: str, user_id: str, update_id: str | None, now: datetime
    ) -> Turn:
        """The conversation row (created on a chat's first update), the person, their roles."""
        statement = _OPEN if self.shared or update_id is None else _OPEN_CHECKING
        values = {"channel": channel, "chat_id": chat_id, "user_id": user_id}
        values["update_id"] = update_id or ""
        row = (await self.session.execute(statement, values)).unique().first()
        if row is None:
            await ConversationRepository(self.session).get_or_create(channel, chat_id, now)
            row = (await self.session.execute(statement, values)).unique().first()
            assert row is not None
        conversation, person, seen = row
        return Turn(conversation, person, bool(seen))

    async def record(self, channel: str, update_id: str | None, now: datetime) -> None:
        """SQLite: mark the update handled, last; raises `AlreadyHandled` when it was already.
        PostgreSQL: marked by `claim` already."""
        if self.shared or update_id is None:
            return
        marked = await self.session.execute(
            _RECORD_SQLITE, {"channel": channel, "update_id": update_id, "now": now}
        )
        if marked.first() is None:
            raise AlreadyHandled(f"{channel}:{update_id}")


_LOG: Table = ProcessedUpdate.__table__  # type: ignore[assignment]
_LOCK = select(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger())))
_MARK = (
    bindparam("channel", type_=String()),
    bindparam("update_id", type_=String()),
    bindparam("now", type_=_LOG.c.processed_at.type),
)
_CLAIM = (
    postgresql.insert(_LOG)
    .from_select(
        ["channel", "update_id", "processed_at"],
        select(*_MARK).select_from(_LOCK.subquery("turn")),
    )
    .on_conflict_do_nothing()
    .returning(_LOG.c.update_id)
)
_RECORD_SQLITE = (
    sqlite.insert(_LOG)
    .values(channel=_MARK[0], update_id=_MARK[1], processed_at=_MARK[2])
    .on_conflict_do_nothing()
    .returning(_LOG.c.update_id)
)
