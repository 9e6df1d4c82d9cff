"""What every channel is: connect, listen, send, disconnect — and the errors a send may raise."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from bot.engine.engine import ChatLocks
from bot.engine.types import Incoming, Reply

#: The engine's entry point as a channel sees it.
HandleIncoming = Callable[[Incoming], Awaitable[list[Reply]]]
#: A chat's turn (the engine's `turn`): held from receiving an update to its last reply.
ChatTurn = Callable[[str, str], AbstractAsyncContextManager[None]]


def separate_turns() -> ChatTurn:
    """Turns kept by one channel alone, for a channel run without the engine's (tools, tests)."""
    locks = ChatLocks()
    return lambda channel, chat_id: locks.hold((channel, chat_id))


class SendError(Exception):
    """A message could not be delivered."""


class RetryLater(SendError):
    """The platform asked us to slow down (429): wait `retry_after` seconds, then retry."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"retry after {retry_after}s")
        self.retry_after = retry_after


class TemporarySendError(SendError):
    """A network error or 5xx: worth retrying with backoff."""


class PermanentSendError(SendError):
    """The chat is gone, the bot was blocked, or the request is invalid: do not retry."""


class Channel(ABC):
    """A chat platform connected to the engine."""

    name: str = ""

    @abstractmethod
    async def start(self) -> None:
        """Connect and begin delivering updates to the engine."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop listening and release connections."""

    @abstractmethod
    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one reply; raises a `SendError` subclass when it cannot."""
