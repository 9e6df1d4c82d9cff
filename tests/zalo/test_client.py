"""The Zalo API client against the fake Zalo server: envelopes, typed errors, retries, secrecy."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.app.channels.zalo.client import (
    BotInfo,
    RetryPolicy,
    ZaloApiError,
    ZaloClient,
    ZaloNetworkError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from tests.zalo.fake_zalo import TOKEN, FakeZalo, text_event

FAST = RetryPolicy(attempts=3, base=0.01, cap=0.05)


def client_for(zalo: FakeZalo, token: str = TOKEN) -> ZaloClient:
    return ZaloClient(token, zalo.base_url, request_timeout=5, retry=FAST)


async def test_results_are_typed(fake_zalo: FakeZalo) -> None:
    async with client_for(fake_zalo) as client:
        me = await client.get_me()
        sent = await client.send_message("u1", "Xin chào")
        photo = await client.send_photo("u1", "https://example.org/a.png", "Biểu đồ")
        typing = await client.send_chat_action("u1")
        info = await client.get_webhook_info()
    assert me == BotInfo(id="1234567890", account_name="bot.chidoan", account_type="BASIC")
    assert sent.message_id.startswith("sent") and sent.date > 1_700_000_000_000
    assert photo.message_id != sent.message_id
    assert typing is True and info.url == ""
    assert fake_zalo.called("sendPhoto") == [
        {"chat_id": "u1", "photo": "https://example.org/a.png", "caption": "Biểu đồ"}
    ]
    assert fake_zalo.called("sendChatAction") == [{"chat_id": "u1", "action": "typing"}]


async def test_webhook_methods_round_trip(fake_zalo: FakeZalo) -> None:
    async with client_for(fake_zalo) as client:
        assert await client.set_webhook("https://bot.example.org/zalo/webhook", "s3cret-token")
        assert (await client.get_webhook_info()).url == "https://bot.example.org/zalo/webhook"
        assert await client.delete_webhook()
        assert (await client.get_webhook_info()).url == ""
        with pytest.raises(ValueError, match="8 to 256"):
            await client.set_webhook("https://bot.example.org/zalo/webhook", "short")
    assert fake_zalo.called("setWebhook") == [
        {"url": "https://bot.example.org/zalo/webhook", "secret_token": "s3cret-token"}
    ]


async def test_get_updates_reads_the_event_and_408_means_nothing_new(
    fake_zalo: FakeZalo,
) -> None:
    event = text_event("u9", "Minh", "/start ABCD-2345")
    await fake_zalo.queue.put(event)
    async with client_for(fake_zalo) as client:
        first = await client.get_updates(poll_seconds=1)
        empty = await client.get_updates(poll_seconds=1)
    assert [(u.chat_id, u.user_id, u.text) for u in first] == [("u9", "u9", "/start ABCD-2345")]
    assert first[0].message_id == event["message"]["message_id"]
    assert empty == []
    assert fake_zalo.called("getUpdates")[0] == {"timeout": 1}


async def test_error_envelope_becomes_typed_error_without_retry(fake_zalo: FakeZalo) -> None:
    fake_zalo.fail("sendMessage", 403, "Forbidden: user blocked the bot")
    async with client_for(fake_zalo) as client:
        with pytest.raises(ZaloApiError) as caught:
            await client.send_message("u1", "hi")
    assert caught.value.code == 403 and "blocked" in caught.value.description
    assert not isinstance(caught.value, ZaloServerError | ZaloRateLimited)
    assert len(fake_zalo.called("sendMessage")) == 1


async def test_429_then_success_is_retried(fake_zalo: FakeZalo) -> None:
    fake_zalo.fail("sendMessage", 429, "Quota exceeded")
    async with client_for(fake_zalo) as client:
        sent = await client.send_message("u1", "Nhắc hạn nộp báo cáo")
    assert sent.message_id
    assert len(fake_zalo.called("sendMessage")) == 2


async def test_429_retries_are_bounded_and_carry_retry_after(fake_zalo: FakeZalo) -> None:
    fake_zalo.fail("sendMessage", 429, "Quota exceeded", times=5, retry_after=0.02)
    async with client_for(fake_zalo) as client:
        with pytest.raises(ZaloRateLimited) as caught:
            await client.send_message("u1", "hi")
    assert caught.value.retry_after == pytest.approx(0.02)
    assert len(fake_zalo.called("sendMessage")) == FAST.attempts


async def test_5xx_retried_then_raised(fake_zalo: FakeZalo) -> None:
    fake_zalo.fail("sendMessage", 502, "Bad Gateway", times=2)
    async with client_for(fake_zalo) as client:
        assert (await client.send_message("u1", "hi")).message_id
        fake_zalo.fail("getMe", 500, "Internal", times=9)
        with pytest.raises(ZaloServerError):
            await client.get_me()
    assert len(fake_zalo.called("sendMessage")) == 3
    assert len(fake_zalo.called("getMe")) == FAST.attempts


async def test_401_is_unauthorized_and_not_retried(fake_zalo: FakeZalo) -> None:
    async with client_for(fake_zalo, token="1234567890:revoked") as client:
        with pytest.raises(ZaloUnauthorized) as caught:
            await client.get_me()
    assert caught.value.code == 401
    assert fake_zalo.calls == [], "a wrong token never reaches the bot's methods"


async def test_network_failure_is_typed_and_never_shows_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = ZaloClient(TOKEN, f"http://127.0.0.1:{port}", request_timeout=2, retry=FAST)
    caplog.set_level(logging.DEBUG)
    async with client:
        with pytest.raises(ZaloNetworkError) as caught:
            await client.send_message("u1", "hi")
    secret = TOKEN.split(":")[1]
    assert secret not in str(caught.value) and secret not in repr(client)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert secret not in caplog.text


async def test_answer_that_is_not_an_envelope(fake_zalo: FakeZalo) -> None:
    fake_zalo.answer_html("getMe", 502)
    fake_zalo.answer_html("getMe", 502)
    fake_zalo.answer_html("getMe", 502)
    async with client_for(fake_zalo) as client:
        with pytest.raises(ZaloServerError) as caught:
            await client.get_me()
        fake_zalo.answer_html("sendMessage", 503)
        assert (await client.send_message("u1", "hi")).message_id, "retried after the HTML page"
    assert caught.value.code == 502
