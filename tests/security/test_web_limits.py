"""The web server under abuse: deep JSON, silent and slow clients, odd but harmless updates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.app.channels.telegram.webhook import SECRET_HEADER, webhook_route
from bot.app.web.server import WebLimits, WebServer
from tests.support.harness import Harness
from tests.support.tally import TALLY
from tests.telegram.driver import BotUnderTest
from tests.zalo.driver import ZaloEnv

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"update_id": 1, "message": ' + DEEP + b"}"
SECRET = "s3cret-for-the-limits"


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
async def test_deeply_nested_json_is_400_on_telegram(
    webhook_bot: BotUnderTest, body: bytes
) -> None:
    TALLY.tried()
    assert await webhook_bot.post_webhook(body) == 400
    lan = webhook_bot.user(9001, "Lan")
    await lan.send_text("xin chào")
    assert lan.text, "still answering"


async def test_deeply_nested_json_is_400_on_zalo(sqlite_harness: Harness, tmp_path: Path) -> None:
    TALLY.tried()
    env = await ZaloEnv.start(sqlite_harness, tmp_path, "webhook")
    try:
        import aiohttp

        from tests.zalo.driver import WEBHOOK_SECRET
        from tests.zalo.fake_zalo import SECRET_HEADER as ZALO_HEADER

        async with (
            aiohttp.ClientSession() as http,
            http.post(env.webhook_url, data=DEEP, headers={ZALO_HEADER: WEBHOOK_SECRET}) as answer,
        ):
            assert answer.status == 400
    finally:
        await env.close()


async def test_a_message_without_a_chat_is_acknowledged_and_logged(
    webhook_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    TALLY.tried()
    update = {"update_id": 9100, "message": {"message_id": 1, "date": 0, "text": "xin chào"}}
    with caplog.at_level(logging.WARNING, logger="bot.app.channels.telegram.adapter"):
        assert await webhook_bot.post_webhook(update) == 200
    warnings = [r for r in caplog.records if "without a chat" in r.getMessage()]
    assert len(warnings) == 1 and "9100" in warnings[0].getMessage()
    assert not webhook_bot.api.calls_to("sendMessage")


@pytest.fixture
async def strict_server(sqlite_harness: Harness) -> AsyncIterator[tuple[WebServer, list[Update]]]:
    limits = WebLimits(idle_seconds=0.5, body_seconds=0.5)
    server = WebServer("127.0.0.1", 0, sqlite_harness.db, limits)
    handled: list[Update] = []

    async def process(update: Update) -> None:
        handled.append(update)

    server.add_route("POST", "/hook", webhook_route(SECRET, Bot("1:x"), process))
    await server.start()
    yield server, handled
    await server.stop()


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sent until it closed the connection (bounded wait)."""
    return await asyncio.wait_for(reader.read(), 10)


async def test_a_silent_connection_is_closed(strict_server: tuple[WebServer, list[Update]]) -> None:
    TALLY.tried()
    server, _ = strict_server
    reader, writer = await asyncio.open_connection("127.0.0.1", server.bound_port)
    assert await closed_by_server(reader) == b""
    writer.close()


async def test_headers_that_never_end_are_cut_off(
    strict_server: tuple[WebServer, list[Update]],
) -> None:
    TALLY.tried()
    server, _ = strict_server
    reader, writer = await asyncio.open_connection("127.0.0.1", server.bound_port)
    writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\nX-Slow: ")
    await writer.drain()
    assert await closed_by_server(reader) == b""
    writer.close()


async def test_a_body_that_never_arrives_is_refused(
    strict_server: tuple[WebServer, list[Update]],
) -> None:
    TALLY.tried()
    server, handled = strict_server
    reader, writer = await asyncio.open_connection("127.0.0.1", server.bound_port)
    head = (
        "POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {SECRET}\r\nContent-Length: 200\r\n\r\n"
    )
    writer.write(head.encode() + b'{"update_id": 1')
    await writer.drain()
    answer = await closed_by_server(reader)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:40]
    assert handled == []
    writer.close()
