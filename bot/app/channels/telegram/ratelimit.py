"""python-telegram-bot's rate limiter, backed by the channel's send budget (replies first).

Replaces PTB's `AIORateLimiter`, whose one queue made a secretary's reply wait behind the
reminders of a fan-out, and whose every 429 stopped all requests. Here a request to a chat is
a conversational reply unless the outbox marked it `BULK`: replies take room from the budget
at once, outbox requests were already paced by the outbox through the same budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.app.channels.budget import Budget

log = logging.getLogger(__name__)

#: `rate_limit_args` of a request the outbox makes.
BULK = "bulk"
#: A reply's 429 is waited out this many times before the reply is given up.
REPLY_RETRIES = 5

Result = bool | dict[str, Any] | list[dict[str, Any]]


class BudgetRateLimiter(BaseRateLimiter[str]):
    """Requests to a chat pass through the budget; others (getUpdates, answers) go straight."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        if rate_limit_args == BULK:
            return await self._bulk(callback, args, kwargs)
        async with self.budget.reply(str(chat_id)):
            return await self._reply(callback, args, kwargs, endpoint, chat_id)

    async def _bulk(
        self, callback: Callable[..., Coroutine[Any, Any, Result]], args: Any, kwargs: Any
    ) -> Result:
        """The outbox paced it already; a 429 pauses the outbox, which postpones the message."""
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            await self.budget.pause(_seconds(exc))
            raise

    async def _reply(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: Any,
        endpoint: str,
        chat_id: object,
    ) -> Result:
        """A reply waits out its own 429s (the outbox steps back meanwhile), then goes."""
        retries = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc)
                await self.budget.pause(wait)
                retries += 1
                if retries > REPLY_RETRIES:
                    raise
                log.info("%s to chat %s: 429, retrying in %.1fs", endpoint, chat_id, wait)
                await asyncio.sleep(wait)


def _seconds(exc: RetryAfter) -> float:
    return exc._retry_after.total_seconds()  # the public one warns (int now, timedelta later)
