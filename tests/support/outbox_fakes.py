"""A fake chat platform for outbox tests, and a fake time that moves when the sender sleeps."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app.channels.base import Channel
from bot.app.outbox import OutboxSender
from bot.clock import ManualClock
from bot.config import OutboxSettings
from bot.engine.types import Reply
from storage.models import OutboxMessage
from storage.repositories.outbox import OutboxRepository
from tests.support.harness import Harness


class FakeTime:
    """Monotonic seconds plus the wall clock, both moved only by `sleep` (no real waiting)."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.clock.advance(seconds=seconds)


@dataclass
class Sent:
    at: float
    chat_id: str
    reply: Reply


@dataclass
class FakeChannel(Channel):
    """Records what it delivers; `failures[chat_id]` lists errors to raise before succeeding."""

    time: FakeTime | None = None
    name: str = "fake"
    failures: dict[str, list[Exception]] = field(default_factory=lambda: defaultdict(list))
    sent: list[Sent] = field(default_factory=list)
    attempts: int = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.attempts += 1
        await asyncio.sleep(0)  # let a concurrent sender run in between
        if self.failures.get(chat_id):
            raise self.failures[chat_id].pop(0)
        self.sent.append(Sent(self.time.monotonic() if self.time else 0.0, chat_id, reply))

    def texts(self) -> list[str]:
        return [s.reply.text for s in self.sent]


def sender(
    h: Harness,
    channels: dict[str, Channel],
    time: FakeTime | None = None,
    *,
    name: str = "bot-1",
    **settings: Any,
) -> OutboxSender:
    """An outbox sender over the harness's database, paced by fake time when given."""
    extra: dict[str, Any] = {}
    if time is not None:
        extra = {"monotonic": time.monotonic, "sleep": time.sleep}
    return OutboxSender(
        sessions=h.sessions,
        channels=channels,
        settings=OutboxSettings(**settings),
        clock=h.clock,
        data_dir=h.data_dir,
        name=name,
        **extra,
    )


async def enqueue(
    h: Harness, key: str, chat_id: str = "c1", channel: str = "fake", **payload: Any
) -> bool:
    async with h.uow() as uow:
        return await uow.get(OutboxRepository).enqueue(
            key=key,
            kind=payload.pop("kind", "test"),
            channel=channel,
            chat_id=chat_id,
            payload={"text": key, "choices": [], "photo": None, "document": None, **payload},
            now=h.clock.now(),
        )


async def rows(h: Harness) -> dict[str, OutboxMessage]:
    """Every outbox row by key."""
    async with h.uow() as uow:
        found = await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return {m.key: m for m in found}


def data_file(h: Harness, relative: str, data: bytes) -> Path:
    path = h.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
