"""A sending budget shared by the processes of one bot (hạn mức gửi dùng chung).

Several bot processes on one PostgreSQL each run an outbox sender; the platform counts the bot's
messages, not the process's. Each outbox send therefore takes its moment from the channel's
schedule in the database (`SendScheduleRepository.take`: one atomic UPDATE), spaced by the
outbox's interval, and a 429 seen by one process holds the schedule for all. A few moments
(about 0.15 s of them) are taken at once, so the database is asked once per few messages.
Everything the process knows alone stays with its `SendBudget`: replies first, one message a
second per chat, the sliding second of its own sends.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.channels.budget import Budgets, SendBudget, Sleep
from bot.config import OutboxSettings
from storage.repositories.send_schedule import SendScheduleRepository
from storage.uow import UnitOfWork

#: How far ahead (seconds) one process takes its moments.
TAKE_AHEAD = 0.15


class SharedBudget:
    """A channel's `Budget` whose outbox sends follow the schedule all processes share."""

    def __init__(
        self,
        local: SendBudget,
        channel: str,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.local = local
        self.channel = channel
        self.sessions = sessions
        self.clock = clock
        self.monotonic = monotonic
        self.sleep = sleep
        self.moments: deque[float] = deque()  # taken, not yet used (monotonic seconds)

    def reply(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        return self.local.reply(chat_id)

    @asynccontextmanager
    async def bulk(self, chat_id: str) -> AsyncIterator[None]:
        async with self.local.bulk(chat_id):
            wait = await self._next_moment() - self.monotonic()
            if wait > 0:
                await self.sleep(wait)
            yield

    async def _next_moment(self) -> float:
        """A moment of ours: one taken earlier and not yet missed, or the first of a new take."""
        interval = self.local.bulk_interval
        while self.moments and self.moments[0] < self.monotonic() - interval:
            self.moments.popleft()  # missed (nothing to send then): gone, never saved up
        if not self.moments:
            count = max(1, int(TAKE_AHEAD / interval))
            async with UnitOfWork(self.sessions) as uow:
                wait = await uow.get(SendScheduleRepository).take(
                    self.channel, interval, self.clock(), count
                )
            first = self.monotonic() + wait
            self.moments.extend(first + i * interval for i in range(count))
        return self.moments.popleft()

    def ready_at(self, chat_id: str) -> float:
        return self.local.ready_at(chat_id)

    async def pause(self, seconds: float) -> None:
        await self.local.pause(seconds)
        self.moments.clear()
        async with UnitOfWork(self.sessions) as uow:
            await uow.get(SendScheduleRepository).hold(self.channel, seconds, self.clock())

    def pause_left(self) -> float:
        return self.local.pause_left()


class SharedBudgets:
    """One shared budget per channel, over the process's own `Budgets`."""

    def __init__(
        self,
        settings: OutboxSettings,
        sessions: async_sessionmaker[AsyncSession],
        *,
        local: Budgets | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        # The shared schedule paces the outbox; the process's own budget keeps the rest.
        self.local = local or Budgets(settings, sleep=sleep, pace_bulk=False)
        self.sessions = sessions
        self.clock = clock
        self.sleep = sleep
        self._budgets: dict[str, SharedBudget] = {}

    def __call__(self, channel: str) -> SharedBudget:
        budget = self._budgets.get(channel)
        if budget is None:
            budget = self._budgets[channel] = SharedBudget(
                self.local(channel), channel, self.sessions, clock=self.clock, sleep=self.sleep
            )
        return budget
