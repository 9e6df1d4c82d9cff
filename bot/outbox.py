"""The outbox sender (hàng gửi): drains queued proactive messages per channel, within limits.

Delivery is at-least-once by construction and at-most-once in practice. A sender claims rows in
its run's name ("name#run") with a lease; before each send it commits that the attempt begins
(only while its claim holds), and right after the send it commits the delivery. A crash loses
nothing: the next run under the same name takes the dead run's claims back at once (another
sender's would wait for the lease), and only the one message in flight when the process died
can go out twice. Pacing comes from the channel's `Budget`, shared with conversational replies.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Channel, PermanentSendError, RetryLater, TemporarySendError
from bot.channels.budget import Budget, Budgets
from bot.clock import Clock
from bot.config import OutboxSettings
from bot.engine.types import Attachment, Choice, Reply
from storage.models import OutboxMessage
from storage.repositories.conversations import ConversationRepository
from storage.repositories.outbox import RUN_SEPARATOR, OutboxRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


def file_ref(path: str | Path, filename: str, mime: str) -> dict[str, str]:
    """A payload's photo or document: a file under data_dir (or an absolute path)."""
    return {"path": str(path), "filename": filename, "mime": mime}


def make_payload(
    text: str,
    choices: Iterable[tuple[str, str] | Choice] = (),
    *,
    photo: dict[str, str] | None = None,
    document: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The outbox payload contract: text, [[payload, label]], and optional file references."""
    pairs = [[c.payload, c.label] if isinstance(c, Choice) else [c[0], c[1]] for c in choices]
    return {"text": text, "choices": pairs, "photo": photo, "document": document}


def _attachment(ref: Mapping[str, str] | None, data_dir: Path) -> Attachment | None:
    if not ref:
        return None
    path = Path(ref["path"])
    if not path.is_absolute():
        path = data_dir / path
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
        budgets: Callable[[str], Budget] | None = None,
        name: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.settings = settings
        self.clock = clock
        self.data_dir = data_dir
        self.budgets = budgets or Budgets(settings, monotonic=monotonic, sleep=sleep)
        #: Claims are made as "name#run": a later run under the same name knows this one is gone.
        self.name = name or settings.sender_name or socket.gethostname()
        self.instance = f"{self.name}{RUN_SEPARATOR}{uuid.uuid4().hex[:8]}"
        self._reclaimed = False
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
        if not self._reclaimed:
            await self._reclaim()
        names = sorted(self.channels)
        results = await asyncio.gather(*(self._drain_channel(name) for name in names))
        return sum(results)

    async def _reclaim(self) -> None:
        """Take back at once what an earlier run under our name had claimed: it is gone."""
        async with UnitOfWork(self.sessions) as uow:
            freed, in_doubt = await uow.get(OutboxRepository).reclaim(self.name, self.instance)
        self._reclaimed = True
        if freed:
            log.info("took back %d message(s) claimed by an earlier run of %s", freed, self.name)
        if in_doubt:
            log.warning(
                "%d message(s) were being sent when the earlier run stopped; they may arrive twice",
                in_doubt,
            )

    async def _drain_channel(self, channel: str) -> int:
        budget = self.budgets(channel)
        if budget.pause_left() > 0:
            return 0
        lease = timedelta(seconds=self.settings.lease_seconds)
        async with UnitOfWork(self.sessions) as uow:
            batch = await uow.get(OutboxRepository).claim(
                channel,
                self.clock.now(),
                lease=lease,
                limit=self.settings.batch_size,
                owner=self.instance,
            )
        pending = list(batch)
        sent = 0
        try:
            while pending and not self._stopping.is_set():
                message = min(pending, key=lambda m: budget.ready_at(m.chat_id))
                await budget.take_bulk(message.chat_id)
                pending.remove(message)
                if not await self._start_attempt(message, lease):
                    log.warning("outbox message %s: our claim was taken back; skipped", message.id)
                    continue
                outcome = await self._send_one(channel, message, budget)
                sent += outcome == "sent"
                if outcome == "paused":
                    break
        finally:
            if pending:
                async with UnitOfWork(self.sessions) as uow:
                    await uow.get(OutboxRepository).release([m.id for m in pending], self.instance)
        return sent

    async def _start_attempt(self, message: OutboxMessage, lease: timedelta) -> bool:
        """Commit "about to send" while our claim holds with a margin (else another sender may
        take the row): after a crash, only this message can be in doubt."""
        async with UnitOfWork(self.sessions) as uow:
            return await uow.get(OutboxRepository).start_attempt(
                message.id, self.instance, self.clock.now(), lease / 10
            )

    async def _send_one(self, channel: str, message: OutboxMessage, budget: Budget) -> str:
        """Send one row and record the outcome: 'sent', 'retry', 'parked' or 'paused'."""
        error: str
        retry = True
        try:
            reply = payload_reply(message.payload, self.data_dir)
            await self.channels[channel].send(message.chat_id, reply)
        except RetryLater as exc:
            await budget.pause(exc.retry_after)
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
