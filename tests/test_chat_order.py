"""One chat's updates keep their order on every channel: the engine's turn spans a photo's
download and the replies; different chats go on meanwhile."""

from __future__ import annotations

import asyncio

from bot.engine.types import Incoming
from tests.support.harness import Harness


def text(chat: str, words: str) -> Incoming:
    return Incoming(channel="zalo", chat_id=chat, user_id=chat, text=words)


async def test_a_slow_download_keeps_the_next_message_of_its_chat_waiting(
    sqlite_harness: Harness,
) -> None:
    engine = sqlite_harness.engine
    order: list[str] = []
    downloaded = asyncio.Event()

    async def photo_then_reply() -> None:
        async with engine.turn("zalo", "lan"):
            await downloaded.wait()  # the photo is still coming from the platform
            await engine.handle(text("lan", "/trogiup"))  # re-enters the turn it holds
            order.append("photo")

    async def next_message(chat: str) -> None:
        await engine.handle(text(chat, "/trogiup"))
        order.append(chat)

    first = asyncio.create_task(photo_then_reply())
    await asyncio.sleep(0)
    after = asyncio.create_task(next_message("lan"))
    other = asyncio.create_task(next_message("minh"))
    await other  # another chat is not held up
    assert order == ["minh"]
    downloaded.set()
    await asyncio.gather(first, after)
    assert order == ["minh", "photo", "lan"]
