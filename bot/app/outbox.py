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
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.channels.base import Channel, PermanentSendError, RetryLater, TemporarySendError
from bot.app.channels.budget import Budget, Budgets
from bot.clock import Clock
from bot.config import OutboxSettings
from bot.engine.types import Attachment, Choice, Reply
from storage.models import OutboxMessage
from storage.repositories.conversations import ConversationRepository
from storage.repositories.outbox import PARKED, RUN_SEPARATOR, OutboxRepository
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
            message = await self._settle(channel, None, pending, budget, lease)
            while message is not None:
                async with budget.bulk(message.chat_id):
                    outcome = await self._send(channel, message, budget)
                sent += outcome.delivered
                message = await self._settle(channel, (message, outcome), pending, budget, lease)
        finally:
            if pending:
                async with UnitOfWork(self.sessions) as uow:
                    await uow.get(OutboxRepository).release([m.id for m in pending], self.instance)
        return sent

    async def _settle(
        self,
        channel: str,
        done: tuple[OutboxMessage, Outcome] | None,
        pending: list[OutboxMessage],
        budget: Budget,
        lease: timedelta,
    ) -> OutboxMessage | None:
        """One commit: the outcome of the message just sent, and the attempt of the next one.

        The attempt is committed before its send, and only while our claim holds with a margin
        (else another sender may take the row): after a crash, only that message is in doubt.
        """
        go_on = not self._stopping.is_set() and (done is None or not done[1].paused)
        async with UnitOfWork(self.sessions) as uow:
            if done is not None:
                await self._record(uow, channel, *done)
            repo = uow.get(OutboxRepository)
            while go_on and pending:
                message = min(pending, key=lambda m: budget.ready_at(m.chat_id))
                pending.remove(message)
                now = self.clock.now()
                if await repo.start_attempt(message.id, self.instance, now, lease / 10):
                    return message
                log.warning("outbox message %s: our claim was taken back; skipped", message.id)
        return None

    async def _send(self, channel: str, message: OutboxMessage, budget: Budget) -> Outcome:
        """Send one row; what came of it is recorded by `_settle`."""
        try:
            reply = payload_reply(message.payload, self.data_dir)
            await self.channels[channel].send(message.chat_id, reply)
        except RetryLater as exc:
            await budget.pause(exc.retry_after)
            log.warning("%s asked to wait %.1fs; pausing that channel", channel, exc.retry_after)
            return Outcome(paused=True, pause=exc.retry_after, error=str(exc))
        except PermanentSendError as exc:
            return Outcome(error=f"permanent: {exc}", retry=False)
        except TemporarySendError as exc:
            return Outcome(error=f"temporary: {exc}")
        except Exception as exc:
            log.exception("unexpected error sending outbox message %s", message.id)
            return Outcome(error=f"unexpected: {type(exc).__name__}: {exc}")
        return Outcome(delivered=True)

    async def _record(
        self, uow: UnitOfWork, channel: str, message: OutboxMessage, outcome: Outcome
    ) -> None:
        repo = uow.get(OutboxRepository)
        now = self.clock.now()
        if outcome.delivered:
            if await repo.mark_sent(message.id, now):
                await self._remember_choices(uow, channel, message, now)
            else:
                log.warning("outbox message %s was no longer queued after sending", message.id)
        elif outcome.paused:
            # A 429 is not a failed attempt: the message waits, the channel's outbox pauses.
            until = now + timedelta(seconds=outcome.pause)
            await repo.postpone(message.id, until, outcome.error)
        else:
            s = self.settings
            delay = min(s.backoff_cap_seconds, s.backoff_base_seconds * 2**message.attempts)
            retry_at = now + timedelta(seconds=delay) if outcome.retry else None
            status = await repo.fail(
                message.id, outcome.error, retry_at=retry_at, max_attempts=s.max_attempts
            )
            if status == PARKED:
                log.warning("outbox message %s parked: %s", message.key, outcome.error)

    async def _remember_choices(
        self, uow: UnitOfWork, channel: str, message: OutboxMessage, now: datetime
    ) -> None:
        """Remember the offered choices, so a typed '1' answers the message."""
        choices = message.payload.get("choices") or []
        if not choices:
            return
        conv = await uow.get(ConversationRepository).get_or_create(channel, message.chat_id, now)
        if conv.flow is None:  # inside a flow, the question asked there keeps its choices
            conv.choices = [list(c) for c in choices]
            conv.seq = (conv.seq or 0) + 1
            if conv.person_id is None:
                conv.person_id = message.person_id


@dataclass(frozen=True)
class Outcome:
    """What one send came to: delivered, paused by a 429, or failed (retry later or never)."""

    delivered: bool = False
    paused: bool = False
    pause: float = 0.0  # seconds, when paused
    error: str = ""
    retry: bool = True
