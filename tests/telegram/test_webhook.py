"""Webhook mode: secret checked first, bad bodies refused, a redelivered update is a no-op."""

from __future__ import annotations

import logging

import pytest

from tests.telegram.driver import PUBLIC_BASE_URL, WEBHOOK_SECRET, BotUnderTest


async def test_start_sets_the_webhook_with_its_secret(webhook_bot: BotUnderTest) -> None:
    call = webhook_bot.api.calls_to("setWebhook")[-1]
    assert call.params["url"] == PUBLIC_BASE_URL + "/telegram/webhook"
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert call.json("allowed_updates") == ["message", "callback_query"]
    assert not webhook_bot.api.calls_to("getUpdates"), "no polling in webhook mode"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", WEBHOOK_SECRET + "x"])
async def test_wrong_or_missing_secret_is_403_and_the_body_is_never_read(
    webhook_bot: BotUnderTest, secret: str | None
) -> None:
    lan = webhook_bot.user(3001, "Lan")
    assert await webhook_bot.post_webhook(lan.text_update("xin chào"), secret=secret) == 403
    assert await webhook_bot.post_webhook(b"{not json", secret=secret) == 403
    await webhook_bot.settle()
    assert webhook_bot.received == []
    assert not webhook_bot.api.calls_to("sendMessage")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"message": {}}',
        b'"text"',
        b"\xff\xfe",
        b'{"update_id": 5, "message": "x"}',
        b'{"update_id": 5, "message": {"message_id": 1}}',
    ],
)
async def test_malformed_json_is_400_and_logged(
    webhook_bot: BotUnderTest, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app.channels.telegram.webhook"):
        assert await webhook_bot.post_webhook(body) == 400
    assert "malformed update" in caplog.text
    lan = webhook_bot.user(3002, "Lan")
    await lan.send_text("xin chào")
    assert "mã mời" in lan.text, "the bot keeps working after a bad request"


async def test_the_same_update_delivered_twice_is_handled_once(webhook_bot: BotUnderTest) -> None:
    lan = webhook_bot.user(3003, "Lan")
    update = lan.text_update("xin chào")
    await lan.deliver(update)
    assert "mã mời" in lan.text
    await lan.deliver(update)
    assert lan.last == [], "a redelivered update gets no second answer"
    assert len(webhook_bot.received) == 2
    assert webhook_bot.received[0].update_id == webhook_bot.received[1].update_id
    assert len(webhook_bot.api.calls_to("sendMessage")) == 1
