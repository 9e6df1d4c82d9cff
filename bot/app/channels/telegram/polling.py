"""Long polling that confirms an update to Telegram only once it is handled and stored.

getUpdates confirms every update below the offset it is called with. PTB's own updater moves
the offset as soon as updates are fetched, so a crash loses whatever was queued but not yet
handled. Here the offset never passes an update still being handled, nor one whose handling
could not be stored (the engine raised `NotStored`): those come back on the next call.
Different chats are still handled at the same time; one chat in order (the channel's locks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.engine.types import NotStored

log = logging.getLogger(__name__)

#: Handles one update completely (engine committed, replies sent); may raise `NotStored`.
Process = Callable[[Update], Awaitable[None]]
#: While an update is still being handled, poll this often for others (seconds).
BUSY_POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0
#: Updates handled at once (one database session each); the rest wait their turn in order.
CONCURRENT_UPDATES = 32


class Poller:
    """`start` begins polling in the background; `stop` lets updates in hand finish first."""

    def __init__(
        self,
        bot: Bot,
        process: Process,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
    ) -> None:
        self.bot = bot
        self.process = process
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self._in_hand: dict[int, asyncio.Task[None]] = {}
        self._handled: set[int] = set()  # handled ids at or above the offset
        self._unstored: set[int] = set()  # must be fetched and handled again
        self._highest = -1
        self._failures = 0
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(CONCURRENT_UPDATES)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def offset(self) -> int | None:
        """Past every handled update, never past one still in hand or left unstored."""
        waiting = set(self._in_hand) | self._unstored
        if waiting:
            return min(waiting)
        return self._highest + 1 if self._highest >= 0 else None

    async def start(self) -> None:
        # getUpdates is refused while a webhook is set (left over from webhook mode).
        await self.bot.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="telegram-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._in_hand:
            _done, late = await asyncio.wait(
                set(self._in_hand.values()), timeout=STOP_GRACE_SECONDS
            )
            for task in late:
                task.cancel()

    async def _run(self) -> None:
        while True:
            busy = bool(self._in_hand)
            offset = self.offset()
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=0 if busy else self.timeout,
                    allowed_updates=self.allowed_updates,
                )
            except InvalidToken:
                log.error("Telegram refused the token while polling; polling stopped")
                return
            except RetryAfter as exc:
                await asyncio.sleep(exc._retry_after.total_seconds())
                continue
            except TelegramError as exc:
                await self._back_off(f"getUpdates failed ({exc})")
                continue
            self._prune(offset)
            self._take(updates)
            if self._unstored and not self._in_hand:
                await self._back_off(f"{len(self._unstored)} update(s) not stored yet")
            elif self._in_hand:
                await self._wait_while_busy()

    async def _wait_while_busy(self) -> None:
        """Until half of the updates in hand (at least one) are finished, or a second passes.

        The offset cannot pass an update in hand, so every poll fetches those again (up to
        100, each parsed by PTB): polling after each one finishes cost more than handling them.
        """
        pending = set(self._in_hand.values())
        enough = max(1, len(pending) // 2)
        loop = asyncio.get_running_loop()
        until = loop.time() + BUSY_POLL_SECONDS
        finished = 0
        while finished < enough and pending:
            done, pending = await asyncio.wait(
                pending, timeout=until - loop.time(), return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                return
            finished += len(done)

    def _take(self, updates: Sequence[Update]) -> list[Update]:
        """Start handling the updates not already handled or in hand, oldest first."""
        fresh = [
            u
            for u in sorted(updates, key=lambda u: u.update_id)
            if u.update_id not in self._in_hand and u.update_id not in self._handled
        ]
        for update in fresh:
            self._unstored.discard(update.update_id)
            self._highest = max(self._highest, update.update_id)
            task = asyncio.create_task(self._handle(update), name="telegram-update")
            self._in_hand[update.update_id] = task
        return fresh

    async def _handle(self, update: Update) -> None:
        try:
            async with self._slots:
                await self.process(update)
        except NotStored:
            self._unstored.add(update.update_id)
        except Exception:
            # A bug on our side after the engine ran: fetching it again would fail again.
            log.exception("telegram update %s failed", update.update_id)
            self._handled.add(update.update_id)
        else:
            self._handled.add(update.update_id)
            self._failures = 0
        finally:
            self._in_hand.pop(update.update_id, None)

    def _prune(self, sent: int | None) -> None:
        """Forget handled ids below the offset just sent: Telegram confirmed those for good.

        Not the offset as it is now: an update finished during the call came back in its answer
        and must still be known as handled.
        """
        if sent is not None:
            self._handled = {i for i in self._handled if i >= sent}

    async def _back_off(self, why: str) -> None:
        self._failures += 1
        wait = min(MAX_BACKOFF_SECONDS, 2.0 ** min(self._failures, 6))
        log.warning("telegram polling: %s; trying again in %.0fs", why, wait)
        await asyncio.sleep(wait)
