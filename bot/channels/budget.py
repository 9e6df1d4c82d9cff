"""A bot's sending budget (hạn mức gửi): shared by conversational replies and the outbox.

A chat platform limits what one bot account sends: Telegram about 30 messages a second overall
and about one a second to one chat; a 429 says how long to wait. Replies to a secretary who is
typing and the outbox's reminders spend the same allowance, so they share one budget per channel,
and replies come first:

- the outbox is paced below the limit (`per_second - reply_reserve`), so a reply usually finds
  room at once; when replies need more, the outbox waits for them, never the other way round;
- every send of either kind is counted in one sliding window that never holds more than
  `per_second` sends (the window is a little longer than a second: requests reach the platform
  a few milliseconds after they leave);
- after a reply or a reminder to a chat, the outbox leaves that chat alone for a second;
- a 429 pauses the outbox for its `retry_after`; a reply only waits out its own 429.

This budget lives in the process. `Budget` is what its users rely on, so a budget shared by
several processes (kept in PostgreSQL or Redis) can replace it without touching them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.config import ChannelLimits, OutboxSettings

#: Seconds over which at most `per_second` sends are allowed (one second plus network jitter).
WINDOW = 1.05
#: Per-chat slots remembered before old ones are forgotten.
MAX_CHATS = 10_000

Sleep = Callable[[float], Awaitable[None]]


class Budget(Protocol):
    """What replies and the outbox ask of a channel's budget."""

    async def reply(self, chat_id: str) -> None:
        """Wait for room for one conversational message (briefly: replies come first)."""

    def ready_at(self, chat_id: str) -> float:
        """When the outbox could send to this chat (monotonic seconds; an estimate)."""

    async def take_bulk(self, chat_id: str) -> None:
        """Wait until the outbox may send to this chat, and count the send."""

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
    ) -> None:
        self.limits = limits
        self.monotonic = monotonic
        self.sleep = sleep
        self.sent: deque[float] = deque()  # moments of the sends inside the window
        self.next_bulk = 0.0
        self.next_chat: dict[str, float] = {}
        self.paused_until = 0.0
        self.replies_waiting = 0

    @property
    def bulk_interval(self) -> float:
        """Seconds between two outbox sends: the rate left after the replies' reserve."""
        return 1 / (self.limits.per_second - self.limits.reply_reserve)

    async def reply(self, chat_id: str) -> None:
        self.replies_waiting += 1
        try:
            while (wait := self._window_free_at() - self.monotonic()) > 0:
                await self.sleep(wait)
        finally:
            self.replies_waiting -= 1
        self._count(chat_id)

    def ready_at(self, chat_id: str) -> float:
        at = max(self.next_bulk, self.next_chat.get(chat_id, 0.0), self.paused_until)
        at = max(at, self._window_free_at())
        if self.replies_waiting:
            at = max(at, self.monotonic() + self.bulk_interval)
        return at

    async def take_bulk(self, chat_id: str) -> None:
        while (wait := self.ready_at(chat_id) - self.monotonic()) > 0:
            await self.sleep(wait)
        self.next_bulk = self.monotonic() + self.bulk_interval
        self._count(chat_id)

    async def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)

    def pause_left(self) -> float:
        return max(0.0, self.paused_until - self.monotonic())

    def _window_free_at(self) -> float:
        """When the window has room for one more send."""
        now = self.monotonic()
        while self.sent and self.sent[0] <= now - WINDOW:
            self.sent.popleft()
        if len(self.sent) < max(1, self.limits.per_second):
            return now
        return self.sent[0] + WINDOW

    def _count(self, chat_id: str) -> None:
        now = self.monotonic()
        self.sent.append(now)
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
    ) -> None:
        self.settings = settings
        self.monotonic = monotonic
        self.sleep = sleep
        self._budgets: dict[str, SendBudget] = {}

    def __call__(self, channel: str) -> SendBudget:
        budget = self._budgets.get(channel)
        if budget is None:
            budget = self._budgets[channel] = SendBudget(
                self.settings.limits(channel), monotonic=self.monotonic, sleep=self.sleep
            )
        return budget
