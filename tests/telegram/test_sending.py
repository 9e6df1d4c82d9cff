"""Sending through the real Bot: what arrives at the API, and how failures map to send errors."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.app.channels.base import PermanentSendError, RetryLater, TemporarySendError
from bot.app.channels.telegram.outbound import send_error
from bot.engine.types import Attachment, Choice, Reply
from tests.telegram.driver import BotUnderTest

# PTB warns about RetryAfter's future type whenever one is built; nothing for us to change.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHART = Attachment(b"\x89PNG\r\n\x1a\nchart-bytes", "bieu-do.png", "image/png")
EXPORT = Attachment(b"PK\x03\x04export-bytes", "bao-cao-2026-11.xlsx", "application/xlsx")


async def test_long_text_with_html_characters_arrives_whole_in_pieces(
    polling_bot: BotUnderTest,
) -> None:
    api = polling_bot.api
    text = "\n".join(f'{i}. Chi đoàn <ấp {i}> & "bạn" — đã nộp' for i in range(300))
    await polling_bot.channel.send("4001", Reply(text=text, choices=(Choice("2|ok", "Xem"),)))
    sent = api.chat_messages(4001)
    assert len(sent) > 1 and all(len(m["text"]) <= 4096 for m in sent)
    assert "\n".join(m["text"] for m in sent) == text
    assert [("reply_markup" in m) for m in sent] == [False] * (len(sent) - 1) + [True]
    assert all(c.params["parse_mode"] == "HTML" for c in api.calls_to("sendMessage"))


async def test_chart_is_sent_as_photo_and_export_as_document(polling_bot: BotUnderTest) -> None:
    api = polling_bot.api
    await polling_bot.channel.send("4002", Reply(text="Biểu đồ tháng 11", photo=CHART))
    await polling_bot.channel.send("4002", Reply(text="Bảng tổng hợp", document=EXPORT))
    photo, document = api.calls_to("sendPhoto")[-1], api.calls_to("sendDocument")[-1]
    assert photo.files["photo"] == CHART.data and photo.params["caption"] == "Biểu đồ tháng 11"
    assert document.files["document"] == EXPORT.data
    assert document.params["caption"] == "Bảng tổng hợp"


@pytest.mark.parametrize(
    ("status", "description", "parameters", "expected"),
    [
        (403, "Forbidden: bot was blocked by the user", None, PermanentSendError),
        (400, "Bad Request: chat not found", None, PermanentSendError),
        (500, "Internal Server Error", None, TemporarySendError),
        (502, "Bad Gateway", None, TemporarySendError),
    ],
)
async def test_send_maps_api_errors(
    polling_bot: BotUnderTest,
    status: int,
    description: str,
    parameters: dict[str, int] | None,
    expected: type[Exception],
) -> None:
    polling_bot.api.fail("sendMessage", status, description, parameters)
    with pytest.raises(expected):
        await polling_bot.channel.send("4003", Reply(text="Nhắc hạn báo cáo"))


def test_error_mapping_for_timeouts_floods_and_migrations() -> None:
    retry = send_error(RetryAfter(timedelta(seconds=7)))
    assert isinstance(retry, RetryLater) and retry.retry_after == 7
    assert isinstance(send_error(TimedOut()), TemporarySendError)
    assert isinstance(send_error(NetworkError("connection reset")), TemporarySendError)
    assert isinstance(send_error(Forbidden("blocked")), PermanentSendError)
    assert isinstance(send_error(BadRequest("Chat not found")), PermanentSendError)
    assert isinstance(send_error(ChatMigrated(-100123)), PermanentSendError)


async def test_flood_limit_is_waited_out_not_dropped(polling_bot: BotUnderTest) -> None:
    api = polling_bot.api
    lan = polling_bot.user(4004, "Lan")
    api.fail("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    await lan.send_text("xin chào")
    assert "mã mời" in lan.text
    assert len(api.calls_to("sendMessage")) == 2, "refused once, then sent after the wait"


async def test_an_outbox_429_pauses_the_outbox_but_not_the_replies(
    polling_bot: BotUnderTest,
) -> None:
    api, budget = polling_bot.api, polling_bot.channel.budget
    api.fail("sendMessage", 429, "Too Many Requests: retry after 9", {"retry_after": 9})
    with pytest.raises(RetryLater) as caught:
        await polling_bot.channel.send("4005", Reply(text="Nhắc hạn"))
    assert caught.value.retry_after == 9, "the outbox postpones the message itself"
    assert len(api.calls_to("sendMessage")) == 1, "and the channel did not retry it"
    lan = polling_bot.user(4009, "Lan")
    await lan.send_text("xin chào")
    assert "mã mời" in lan.text
    assert budget.pause_left() > 0, "the reply went out while the outbox was still paused"


async def test_a_failed_reply_is_logged_and_the_bot_carries_on(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    bot.api.blocked_chats.add(4006)
    blocked = bot.user(4006, "Lan")
    with caplog.at_level(logging.ERROR, logger="bot.app.channels.telegram.adapter"):
        update = blocked.text_update("xin chào")
        await blocked.deliver(update)
    assert f"reply to update {update['update_id']} in chat 4006 not sent" in caplog.text
    other = bot.user(4007, "Minh")
    await other.send_text("xin chào")
    assert "mã mời" in other.text


async def test_an_engine_failure_gives_an_apology_and_the_next_message_works(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = bot.app.engine
    real = engine._handle

    async def broken(incoming: object) -> list[Reply]:
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine, "_handle", broken)
    lan = bot.user(4008, "Lan")
    await lan.send_text("xin chào")
    assert "trục trặc" in lan.text
    monkeypatch.setattr(engine, "_handle", real)
    await lan.send_text("xin chào")
    assert "mã mời" in lan.text
