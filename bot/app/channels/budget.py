"""A bot's sending budget (hạn mức gửi): shared by conversational replies and the outbox.

A chat platform limits what one bot account sends: Telegram about 30 messages a second overall
and about one a second to one chat; a 429 says how long to wait. Replies to a secretary who is
typing and the outbox's reminders spend the same allowance, so they share one budget per channel,
and replies come first:

- the outbox is paced below the limit (`per_second - reply_reserve`), so a reply usually finds
  room at once; when replies need more, the outbox waits for them, never the other way round;
- every send of either kind counts against one sliding second from the moment it starts until a
  second after it ended: the platform received it somewhere in between, so its own count of any
  second can never exceed `per_second`, however the network delays requests;
- after a send to a chat the outbox leaves that chat alone for `1 / per_chat_per_second`;
- a 429 pauses the outbox for its `retry_after`; a reply only waits out its own.

This budget lives in the process. `Budget` is what its users rely on, so a budget shared by
several processes (kept in PostgreSQL or Redis) can replace it without touching them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from bot.config import ChannelLimits, OutboxSettings

#: Per-chat slots remembered before old ones are forgotten.
MAX_CHATS = 10_000
#: Longest the outbox sleeps before looking at the budget again (seconds).
RECHECK = 0.25

Sleep = Callable[[float], Awaitable[None]]


class Budget(Protocol):
    """What replies and the outbox ask of a channel's budget."""

    def reply(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        """Around one conversational message: waits (briefly, replies come first) for room."""

    def bulk(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        """Around one outbox message: waits until the outbox may send to this chat."""

    def ready_at(self, chat_id: str) -> float:
        """When the outbox could send to this chat (monotonic seconds; an estimate)."""

    async def pause(self, seconds: float) -> None:
        """The platform answered 429: the outbox sends nothing for `seconds`."""

    def pause_left(self) -> float:
        """Seconds the outbox still has to wait after a 429 (0 when it may send)."""


class SendBudget:
    """The in-process `Budget` of one channel."""

    def __init__(
        self,
        limits: ChannelLimits,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        pace_bulk: bool = True,
    ) -> None:
        self.limits = limits
        self.monotonic = monotonic
        self.sleep = sleep
        #: False when the outbox's pace comes from elsewhere (a schedule shared by processes).
        self.pace_bulk = pace_bulk
        self.ended: deque[float] = deque()  # when the sends of the last second ended
        self.in_flight = 0
        self.next_bulk = 0.0
        self.last_bulk = float("-inf")
        self.next_chat: dict[str, float] = {}
        self.paused_until = 0.0
        self.replies_waiting = 0

    @property
    def bulk_interval(self) -> float:
        """Seconds between two outbox sends: the rate left after the replies' reserve."""
        return 1 / (self.limits.per_second - self.limits.reply_reserve)

    @asynccontextmanager
    async def reply(self, chat_id: str) -> AsyncIterator[None]:
        self.replies_waiting += 1
        try:
            while (wait := self._room_at() - self.monotonic()) > 0:
                await self.sleep(wait)
        finally:
            self.replies_waiting -= 1
        async with self._sending(chat_id):
            yield

    @asynccontextmanager
    async def bulk(self, chat_id: str) -> AsyncIterator[None]:
        while (wait := self.ready_at(chat_id) - self.monotonic()) > 0:
            # A reply to this chat may be on its way (its slot is open-ended): look again soon.
            await self.sleep(min(wait, RECHECK))
        # Paced on a schedule: a send that started late lets the next one make up for it (one
        # interval at most, never closer than 1/per_second), so the outbox's own work between
        # sends does not slow its rate.
        now = self.monotonic()
        self.next_bulk = max(self.next_bulk, now - self.bulk_interval) + self.bulk_interval
        self.last_bulk = now
        async with self._sending(chat_id):
            yield

    def ready_at(self, chat_id: str) -> float:
        at = 0.0
        if self.pace_bulk:
            at = max(self.next_bulk, self.last_bulk + 1 / self.limits.per_second)
        at = max(at, self.next_chat.get(chat_id, 0.0), self.paused_until)
        at = max(at, self._room_at())
        if self.replies_waiting:
            at = max(at, self.monotonic() + self.bulk_interval)
        return at

    async def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)

    def pause_left(self) -> float:
        return max(0.0, self.paused_until - self.monotonic())

    def _room_at(self) -> float:
        """When one more send fits in the last second (counting the ones still in flight)."""
        now = self.monotonic()
        while self.ended and self.ended[0] <= now - 1.0:
            self.ended.popleft()
        if len(self.ended) + self.in_flight < max(1, self.limits.per_second):
            return now
        # Full: room when the oldest ended send leaves the second (or soon, if all in flight).
        return self.ended[0] + 1.0 if self.ended else now + self.bulk_interval

    @asynccontextmanager
    async def _sending(self, chat_id: str) -> AsyncIterator[None]:
        self.in_flight += 1
        # Nothing else to this chat until this one is done and the chat's interval has passed.
        self.next_chat[chat_id] = float("inf")
        try:
            yield
        finally:
            self.in_flight -= 1
            now = self.monotonic()
            self.ended.append(now)
            self.next_chat[chat_id] = now + 1 / self.limits.per_chat_per_second
            if len(self.next_chat) > MAX_CHATS:  # forget chats whose slot has long passed
                self.next_chat = {c: t for c, t in self.next_chat.items() if t > now}


class Budgets:
    """One budget per channel, made on first use from the outbox's limits for it."""

    def __init__(
        self,
        settings: OutboxSettings,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        pace_bulk: bool = True,
    ) -> None:
        self.settings = settings
        self.monotonic = monotonic
        self.sleep = sleep
        self.pace_bulk = pace_bulk
        self._budgets: dict[str, SendBudget] = {}

    def __call__(self, channel: str) -> SendBudget:
        budget = self._budgets.get(channel)
        if budget is None:
            budget = self._budgets[channel] = SendBudget(
                self.settings.limits(channel),
                monotonic=self.monotonic,
                sleep=self.sleep,
                pace_bulk=self.pace_bulk,
            )
        return budget
