"""The outbox sender (hàng gửi): drains queued proactive messages per channel, within limits.

Delivery is at-least-once by construction and at-most-once in practice: a row is claimed with
a lease, sent, and marked sent in its own committed transaction right after the send. Only a
crash in the instant between the send and that commit can repeat a message; a crash anywhere
else loses nothing, because an expired lease makes the row claimable again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.channels.base import Channel, PermanentSendError, RetryLater, TemporarySendError
from bot.clock import Clock
from bot.config import ChannelLimits, OutboxSettings
from bot.engine.types import Attachment, Choice, Reply
from storage.models import OutboxMessage
from storage.repositories.conversations import ConversationRepository
from storage.repositories.outbox import OutboxRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


def _attachment(ref: Mapping[str, str] | None, data_dir: Path) -> Attachment | None:
    if not ref:
        return None
    path = Path(ref["path"])
    if not path.is_absolute():
        # Rows queued before 2026-12 named the file relative to the working directory
        # ("data/outbox/…"); they still resolve, so `outbox requeue` delivers them.
        path = next((p for p in (data_dir / path, path) if p.exists()), data_dir / path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PermanentSendError(f"file {ref['path']} unreadable: {exc}") from exc
    return Attachment(data=data, filename=ref.get("filename") or path.name, mime=ref["mime"])


def payload_reply(payload: Mapping[str, Any], data_dir: Path) -> Reply:
    """Rebuild the Reply a row describes; a missing file is a permanent failure."""
    text = payload.get("text")
    if not isinstance(text, str):
        raise PermanentSendError("payload has no text")
    choices = tuple(Choice(payload=p, label=label) for p, label in payload.get("choices") or [])
    return Reply(
        text=text,
        choices=choices,
        photo=_attachment(payload.get("photo"), data_dir),
        document=_attachment(payload.get("document"), data_dir),
    )


@dataclass
class Pacer:
    """Spacing of sends on one channel: overall, per chat, and a pause after a 429."""

    limits: ChannelLimits
    next_any: float = 0.0
    next_chat: dict[str, float] = field(default_factory=dict)
    paused_until: float = 0.0

    def ready_at(self, chat_id: str) -> float:
        return max(self.next_any, self.next_chat.get(chat_id, 0.0), self.paused_until)

    def sent(self, chat_id: str, at: float) -> None:
        self.next_any = at + 1 / self.limits.per_second
        self.next_chat[chat_id] = at + 1 / self.limits.per_chat_per_second
        if len(self.next_chat) > 10_000:  # forget chats whose slot has long passed
            self.next_chat = {c: t for c, t in self.next_chat.items() if t > at}


class OutboxSender:
    """Sends what the outbox holds through the running channels; `drain_once` for tests."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        channels: Mapping[str, Channel],
        settings: OutboxSettings,
        clock: Clock,
        data_dir: Path,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.settings = settings
        self.clock = clock
        self.data_dir = data_dir
        self.monotonic = monotonic
        self.sleep = sleep
        self.pacers: dict[str, Pacer] = {}
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the message in hand, then stop (cancel after a grace period)."""
        self._stopping.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=10)
        except TimeoutError:
            self._task.cancel()
        except Exception:
            log.exception("outbox sender ended with an error")
        self._task = None

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("outbox drain failed; retrying after the poll interval")
                sent = 0
            if sent == 0:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.settings.poll_seconds)

    # -- draining ----------------------------------------------------------------------------
    async def drain_once(self) -> int:
        """One pass over every running channel; returns how many messages were delivered."""
        names = sorted(self.channels)
        results = await asyncio.gather(*(self._drain_channel(name) for name in names))
        return sum(results)

    def _pacer(self, channel: str) -> Pacer:
        pacer = self.pacers.get(channel)
        if pacer is None:
            pacer = self.pacers[channel] = Pacer(self.settings.limits(channel))
        return pacer

    async def _drain_channel(self, channel: str) -> int:
        pacer = self._pacer(channel)
        if pacer.paused_until > self.monotonic():
            return 0
        lease = timedelta(seconds=self.settings.lease_seconds)
        async with UnitOfWork(self.sessions) as uow:
            batch = await uow.get(OutboxRepository).claim(
                channel, self.clock.now(), lease=lease, limit=self.settings.batch_size
            )
        pending = list(batch)
        sent = 0
        try:
            while pending and not self._stopping.is_set():
                message = min(pending, key=lambda m: pacer.ready_at(m.chat_id))
                wait = pacer.ready_at(message.chat_id) - self.monotonic()
                if wait > 0:
                    await self.sleep(wait)
                if not self._lease_left(message, lease):
                    break
                pending.remove(message)
                outcome = await self._send_one(channel, message, pacer)
                sent += outcome == "sent"
                if outcome == "paused":
                    break
        finally:
            if pending:
                async with UnitOfWork(self.sessions) as uow:
                    await uow.get(OutboxRepository).release([m.id for m in pending])
        return sent

    def _lease_left(self, message: OutboxMessage, lease: timedelta) -> bool:
        """Whether our claim still holds with a margin (else another sender may take it)."""
        if message.claimed_until is None:
            return False
        return self.clock.now() < message.claimed_until - lease / 10

    async def _send_one(self, channel: str, message: OutboxMessage, pacer: Pacer) -> str:
        """Send one row and record the outcome: 'sent', 'retry', 'parked' or 'paused'."""
        error: str
        retry = True
        try:
            reply = payload_reply(message.payload, self.data_dir)
            pacer.sent(message.chat_id, self.monotonic())
            await self.channels[channel].send(message.chat_id, reply)
        except RetryLater as exc:
            pacer.paused_until = self.monotonic() + exc.retry_after
            until = self.clock.now() + timedelta(seconds=exc.retry_after)
            async with UnitOfWork(self.sessions) as uow:
                await uow.get(OutboxRepository).postpone(message.id, until, str(exc))
            log.warning("%s asked to wait %.1fs; pausing that channel", channel, exc.retry_after)
            return "paused"
        except PermanentSendError as exc:
            error, retry = f"permanent: {exc}", False
        except TemporarySendError as exc:
            error = f"temporary: {exc}"
        except Exception as exc:
            log.exception("unexpected error sending outbox message %s", message.id)
            error = f"unexpected: {type(exc).__name__}: {exc}"
        else:
            await self._mark_sent(channel, message)
            return "sent"
        return await self._record_failure(message, error, retry)

    async def _mark_sent(self, channel: str, message: OutboxMessage) -> None:
        """Commit the delivery at once; remember offered choices so a typed '1' maps."""
        now = self.clock.now()
        async with UnitOfWork(self.sessions) as uow:
            if not await uow.get(OutboxRepository).mark_sent(message.id, now):
                log.warning("outbox message %s was no longer queued after sending", message.id)
                return
            choices = message.payload.get("choices") or []
            if choices:
                conv = await uow.get(ConversationRepository).get_or_create(
                    channel, message.chat_id, now
                )
                if conv.flow is None:  # inside a flow, the question asked there keeps its choices
                    conv.choices = [list(c) for c in choices]
                    conv.seq = (conv.seq or 0) + 1
                    if conv.person_id is None:
                        conv.person_id = message.person_id

    async def _record_failure(self, message: OutboxMessage, error: str, retry: bool) -> str:
        s = self.settings
        delay = min(s.backoff_cap_seconds, s.backoff_base_seconds * 2**message.attempts)
        retry_at: datetime | None = self.clock.now() + timedelta(seconds=delay) if retry else None
        async with UnitOfWork(self.sessions) as uow:
            status = await uow.get(OutboxRepository).fail(
                message.id, error, retry_at=retry_at, max_attempts=s.max_attempts
            )
        if status == "parked":
            log.warning("outbox message %s parked: %s", message.key, error)
            return "parked"
        return "retry"
