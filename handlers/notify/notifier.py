"""Thông báo chủ động: the one way any proactive message is queued.

Reminders, escalations, digests, the monthly close, returned and reopened reports and
broadcasts all come here. The notifier decides who is reached on which chat (one rule, see
`reach`), writes the payload with the one payload builder, keeps attached files under the data
directory by a relative path, and names every message by an idempotency key, so a tick that
runs twice, late, or after a restart queues nothing new.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.config import Settings
from bot.i18n import Catalog, Formatter
from handlers.notify.payload import FileRef, make_payload
from storage.models import ChatIdentity, Person
from storage.repositories.ops import OpsRepository
from storage.repositories.outbox import NewMessage, OutboxRepository
from storage.repositories.recipients import RecipientRepository
from storage.uow import UnitOfWork


def notice_key(kind: str, about: Sequence[str], person_id: int) -> str:
    """The idempotency key: `reminder:2026-11:PH-TL-01:5d:42` — what, about what, for whom."""
    return ":".join((kind, *about, str(person_id)))


@dataclass(frozen=True)
class Recipient:
    """Người nhận: a person, the one chat that reaches them, and their language."""

    person: Person
    channel: str
    chat_id: str
    locale: str


@dataclass(frozen=True)
class Notice:
    """One proactive message before it is queued: its kind, what it is about, to whom, what."""

    kind: str  # reminder, escalation, digest, close, broadcast, report_returned, ...
    about: tuple[str, ...]  # the middle of the key: ("2026-11", "PH-TL-01", "5d")
    to: Recipient
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # (payload, label): one tap to act
    photo: FileRef | None = None

    @property
    def key(self) -> str:
        return notice_key(self.kind, self.about, self.to.person.id)


def choose_chat(
    identities: Sequence[ChatIdentity], recent: Sequence[tuple[str, str]]
) -> ChatIdentity:
    """The chat that reaches a person: the one they wrote from most recently; when none of
    their chats has talked yet, the account they linked last (a person may use Telegram and
    Zalo, and reads the one they use)."""
    mine = {(i.channel, i.chat_id): i for i in identities}
    for chat in recent:
        if chat in mine:
            return mine[chat]
    return max(identities, key=lambda i: (i.created_at, i.id))


class Notifier:
    """Queues notices in the outbox of one unit of work (nothing is sent from here)."""

    def __init__(
        self, uow: UnitOfWork, settings: Settings, catalog: Catalog, now: datetime
    ) -> None:
        self.uow, self.settings, self.catalog, self.now = uow, settings, catalog, now

    async def reach(self, people: Iterable[Person]) -> list[Recipient]:
        """Each person with the chat that reaches them; people without any chat are left out."""
        reachable = [p for p in dict.fromkeys(people) if p.identities]
        several = [
            (i.channel, i.chat_id) for p in reachable if len(p.identities) > 1 for i in p.identities
        ]
        recent = await self.uow.get(RecipientRepository).recent_chats(several)
        found = []
        for person in reachable:
            chat = choose_chat(person.identities, recent)
            locale = person.locale or self.settings.bot.default_locale
            found.append(Recipient(person, chat.channel, chat.chat_id, locale))
        return found

    def speak(self, recipient: Recipient) -> Formatter:
        """Messages, numbers and dates in the recipient's language."""
        return Formatter(self.catalog, recipient.locale, self.settings.bot.timezone)

    async def queued(self, keys: Iterable[str]) -> set[str]:
        """Which of these keys are already in the outbox (in any state)."""
        return await self.uow.get(OpsRepository).existing_keys(list(keys))

    async def queue(self, notices: Iterable[Notice]) -> int:
        """Queue each notice once per key; returns how many are new.

        All of them in one bulk call (one INSERT … ON CONFLICT DO NOTHING per batch of rows):
        thousands of reminders cost a few statements, and a key queued before is skipped."""
        messages = [
            NewMessage(
                key=notice.key,
                kind=notice.kind,
                channel=notice.to.channel,
                chat_id=notice.to.chat_id,
                person_id=notice.to.person.id,
                payload=make_payload(notice.text, notice.choices, photo=notice.photo),
            )
            for notice in notices
        ]
        return len(await self.uow.get(OutboxRepository).enqueue_many(messages, self.now))

    def keep_file(self, relative: Path, data: bytes, mime: str) -> FileRef:
        """Write a file the sender will attach under the data directory (atomically, so the
        sender never reads half of it); the reference names it relative to that directory."""
        path = self.settings.bot.data_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
        return FileRef.under(relative, mime)
