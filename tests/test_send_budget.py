"""One sending budget per bot, shared by replies and the outbox: replies first, limits kept."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.app.channels.budget import SendBudget
from bot.app.channels.telegram.ratelimit import BULK, BudgetRateLimiter
from bot.config import ChannelLimits

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TELEGRAM = ChannelLimits(per_second=30, per_chat_per_second=1, reply_reserve=1)


class Time:
    """Monotonic seconds that move only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def budget(time: Time, limits: ChannelLimits = TELEGRAM) -> SendBudget:
    return SendBudget(limits, monotonic=time.monotonic, sleep=time.sleep)


def most_in_any_second(moments: list[float]) -> int:
    """The most sends that fall inside one second."""
    return max(sum(1 for t in moments if start <= t < start + 1.0) for start in moments)


async def take_bulk(b: SendBudget, chat_id: str) -> None:
    """An outbox send that takes no time."""
    async with b.bulk(chat_id):
        pass


async def reply(b: SendBudget, chat_id: str) -> None:
    async with b.reply(chat_id):
        pass


async def test_the_outbox_alone_stays_below_the_limit() -> None:
    time, sent = Time(), []
    b = budget(time)
    for i in range(200):
        await take_bulk(b, f"c{i}")
        sent.append(time.now)
    rate = (len(sent) - 1) / (sent[-1] - sent[0])
    assert rate == pytest.approx(29, rel=0.01), "per_second - reply_reserve"
    assert most_in_any_second(sent) <= 30


async def test_a_reply_finds_room_at_once_beside_the_outbox() -> None:
    time = Time()
    b = budget(time)
    waits = []
    for i in range(100):
        await take_bulk(b, f"c{i}")
        before = time.now
        await reply(b, f"secretary{i}")
        waits.append(time.now - before)
    assert max(waits) == 0


async def test_replies_take_what_they_need_and_the_outbox_gives_way() -> None:
    time = Time()
    b = budget(time)
    moments: list[float] = []
    waits: list[float] = []

    async def outbox() -> None:
        for i in range(300):
            await take_bulk(b, f"c{i}")
            moments.append(time.now)

    async def chats() -> None:
        for i in range(60):  # a burst of replies well above the reserve: 10 a second
            await time.sleep(0.1)
            asked = time.now
            await reply(b, f"s{i % 5}")
            waits.append(time.now - asked)
            moments.append(time.now)

    await asyncio.gather(outbox(), chats())
    assert max(waits) <= 1 / 29 + 1e-9, "a reply waits one outbox slot at most"
    assert most_in_any_second(sorted(moments)) <= 30, "together never over the limit"


async def test_after_a_reply_the_outbox_leaves_that_chat_alone_for_a_second() -> None:
    time = Time()
    b = budget(time)
    await reply(b, "lan")
    replied = time.now
    await take_bulk(b, "lan")
    assert time.now - replied == pytest.approx(1.0)
    assert b.ready_at("someone-else") < time.now + 1


async def test_a_429_pauses_the_outbox_only() -> None:
    time = Time()
    b = budget(time)
    await b.pause(7)
    assert b.pause_left() == 7
    before = time.now
    await reply(b, "lan")
    assert time.now == before, "replies go on"
    await take_bulk(b, "minh")
    assert time.now - before == pytest.approx(7)


class Api:
    """A callback that answers 429 `floods` times, then succeeds."""

    def __init__(self, floods: int) -> None:
        self.floods, self.calls = floods, 0

    async def __call__(self, *_args: Any, **_kwargs: Any) -> bool:
        self.calls += 1
        if self.calls <= self.floods:
            raise RetryAfter(timedelta(seconds=0.01))
        return True


async def test_the_telegram_limiter_lets_replies_go_first_and_hands_429s_to_the_outbox() -> None:
    time = Time()
    b = budget(time)
    limiter = BudgetRateLimiter(b)
    data = {"chat_id": 42, "text": "…"}
    reply = Api(floods=1)
    assert await limiter.process_request(reply, (), {}, "sendMessage", data, None)
    assert reply.calls == 2, "a reply waits out its 429 and is sent"
    assert len(b.ended) == 1 and b.pause_left() > 0, "counted once; the outbox pauses"
    bulk = Api(floods=1)
    with pytest.raises(RetryAfter):
        await limiter.process_request(bulk, (), {}, "sendMessage", data, BULK)
    assert bulk.calls == 1, "the outbox postpones the message itself"
    assert len(b.ended) == 1, "the outbox counts its own sends when it paces them"
    updates = Api(floods=0)
    assert await limiter.process_request(updates, (), {}, "getUpdates", {}, None)
    assert len(b.ended) == 1, "requests to no chat are not counted"


async def test_a_send_counts_while_in_flight_and_for_a_second_after_it_ended() -> None:
    time = Time()
    b = budget(time, ChannelLimits(per_second=2, per_chat_per_second=1, reply_reserve=1))
    async with b.reply("a"):
        await time.sleep(5)  # a slow request: the platform got it some time in these 5 s
        async with b.reply("b"):
            pass
        assert b.ready_at("c") > time.now, "two in the last second: no room"
    ended = time.now
    assert b.ready_at("c") == pytest.approx(ended + 1.0)


def test_the_outbox_always_keeps_some_of_the_limit() -> None:
    with pytest.raises(ValueError, match="reply_reserve"):
        ChannelLimits(per_second=5, reply_reserve=5)
