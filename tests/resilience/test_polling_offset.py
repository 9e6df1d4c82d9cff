"""Telegram polling confirms an update (offset past it) only once it is handled and stored.

A scripted Bot stands in for Telegram: getUpdates returns every update at or above the offset,
as Telegram does, and records each offset it was sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from telegram import Update

from bot.app.channels.telegram.polling import Poller
from bot.engine.types import NotStored


class ScriptedTelegram:
    """getUpdates over a list of pending updates; the offset confirms (drops) older ones."""

    def __init__(self, *ids: int) -> None:
        self.pending = [Update(update_id=i) for i in ids]
        self.offsets: list[int | None] = []
        self.polled = asyncio.Event()

    async def delete_webhook(self) -> bool:
        return True

    async def get_updates(self, *, offset: int | None, **_: Any) -> Sequence[Update]:
        self.offsets.append(offset)
        if offset is not None:
            self.pending = [u for u in self.pending if u.update_id >= offset]
        self.polled.set()
        await asyncio.sleep(0 if self.pending else 0.01)
        return list(self.pending)


async def run_until(
    poller: Poller, telegram: ScriptedTelegram, done: asyncio.Event, polls: int = 2
) -> None:
    """Poll until `done`, then `polls` more times (so the offset after it is seen)."""
    await poller.start()
    try:
        await asyncio.wait_for(done.wait(), 10)
        for _ in range(polls):
            telegram.polled.clear()
            await asyncio.wait_for(telegram.polled.wait(), 10)
    finally:
        await poller.stop()


async def test_handled_updates_are_confirmed_and_handled_once() -> None:
    telegram = ScriptedTelegram(5, 6, 7)
    handled: list[int] = []
    done = asyncio.Event()

    async def process(update: Update) -> None:
        handled.append(update.update_id)
        if len(handled) == 3:
            done.set()

    poller = Poller(telegram, process, timeout=1, allowed_updates=["message"])  # type: ignore[arg-type]
    await run_until(poller, telegram, done)
    assert sorted(handled) == [5, 6, 7] and len(handled) == 3
    assert telegram.offsets[-1] == 8


async def test_an_update_finished_during_a_poll_is_not_handled_again() -> None:
    telegram = ScriptedTelegram(1)
    handled: list[int] = []
    done = asyncio.Event()

    async def process(update: Update) -> None:
        handled.append(update.update_id)
        done.set()

    poller = Poller(telegram, process, timeout=1, allowed_updates=["message"])  # type: ignore[arg-type]
    await run_until(poller, telegram, done, polls=5)
    assert handled == [1]


async def test_an_unstored_update_holds_the_offset_until_it_is_stored() -> None:
    telegram = ScriptedTelegram(10, 11)
    attempts: dict[int, int] = {}
    done = asyncio.Event()

    async def process(update: Update) -> None:
        attempts[update.update_id] = attempts.get(update.update_id, 0) + 1
        if update.update_id == 10 and attempts[10] == 1:
            raise NotStored("database refuses writes")
        if attempts.get(10) == 2:
            done.set()

    poller = Poller(telegram, process, timeout=1, allowed_updates=["message"])  # type: ignore[arg-type]
    await run_until(poller, telegram, done)
    assert attempts == {10: 2, 11: 1}
    before_stored = telegram.offsets[: telegram.offsets.index(12)]
    assert all(o is None or o <= 10 for o in before_stored), "never confirmed before stored"
