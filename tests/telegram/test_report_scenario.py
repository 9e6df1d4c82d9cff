"""A whole monthly report on Telegram: real PTB against the fake Bot API, polling and webhook,
SQLite and PostgreSQL: deep-link registration, typed answers, pressed buttons, a photo, the
receipt, and the stored report compared with what was sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.engine.types import InKind
from tests.support.harness import Harness
from tests.support.report_check import (
    DAYS_INTO_MONTH,
    MEETING_DATE_TYPED,
    PHOTO_CAPTION,
    RECEIPT,
    REFERENCE,
    SUMMARY_LINES,
    assert_report_matches,
    jpeg_photo,
)
from tests.telegram.driver import BotUnderTest, TelegramUser, running_bot
from tests.telegram.fake_api import FakeBotApi


@pytest.fixture(params=["polling", "webhook"])
async def report_bot(
    request: pytest.FixtureRequest, api: FakeBotApi, harness: Harness
) -> AsyncIterator[BotUnderTest]:
    """The real bot in both modes, over both databases."""
    async with running_bot(api, harness, request.param) as running:
        yield running


async def type_answer(lan: TelegramUser, text: str, next_question: int) -> None:
    """Type an answer; the bot takes it and asks question `next_question`."""
    await lan.send_text(text)
    assert f"Câu {next_question}/" in lan.text, f"{text!r} was not taken: {lan.text}"


async def press(lan: TelegramUser, label: str) -> dict[str, Any]:
    """Press a button of the latest question; it must be answered and the question edited."""
    api = lan.api
    question = lan.keyboard_message()
    assert question is not None, f"no buttons to press; last: {lan.text}"
    markup = question["reply_markup"]
    assert set(markup) == {"inline_keyboard"}, "choices are an inline keyboard"
    update = lan.press_update(label, question)
    answered = len(api.calls_to("answerCallbackQuery"))
    await lan.deliver(update)
    answers = api.calls_to("answerCallbackQuery")[answered:]
    query_id = update["callback_query"]["id"]
    assert [a.params["callback_query_id"] for a in answers] == [query_id], "press answered once"
    edits = [
        e
        for e in api.calls_to("editMessageText")
        if int(e.params["message_id"]) == question["message_id"]
    ]
    assert edits, f"the question of {label!r} was not edited"
    edited = api.messages[(lan.user_id, question["message_id"])]
    assert edited["text"].endswith(f"→ {label}") and "reply_markup" not in edited
    return edited


async def test_secretary_registers_by_deep_link_and_sends_a_whole_report(
    report_bot: BotUnderTest, harness: Harness
) -> None:
    bot, api = report_bot, report_bot.api
    lan = bot.user(3001, "Lan", last_name="Nguyễn")
    await lan.send_text(f"/start {await harness.invite()}")
    assert "đăng ký thành công" in lan.text and "Chi đoàn ấp Long Phụng" in lan.text

    harness.clock.advance(days=DAYS_INTO_MONTH)
    await lan.send_text("/baocao")
    assert "Bắt đầu báo cáo tháng 11/2026" in lan.text and "Câu 1/" in lan.text
    await type_answer(lan, "25 người", 2)
    await type_answer(lan, "hai", 3)
    await type_answer(lan, "không ạ", 4)
    await type_answer(lan, "1 bạn", 5)
    assert lan.buttons == ["Có", "Không"]
    await press(lan, "Có")
    assert "Câu 6/" in lan.text
    await type_answer(lan, MEETING_DATE_TYPED, 7)
    await type_answer(lan, "20 người", 8)
    await type_answer(lan, "5", 9)
    await type_answer(lan, "2", 10)
    await type_answer(lan, "- Dọn vệ sinh kênh ấp\n- Trồng 100 cây xanh", 11)

    assert lan.buttons == ["Tình nguyện", "Nông thôn mới", "Văn minh đô thị", "Xong"]
    await press(lan, "Tình nguyện")
    assert "Đã chọn: Tình nguyện." in lan.text and "Câu 11/" in lan.text
    await press(lan, "Văn minh đô thị")
    assert "Đã chọn: Tình nguyện, Văn minh đô thị." in lan.text
    await press(lan, "Xong")
    assert "Câu 12/" in lan.text
    await type_answer(lan, "0", 13)
    await type_answer(lan, "một", 14)
    await type_answer(lan, "0", 15)
    await type_answer(lan, "1.500.000", 16)
    await type_answer(lan, "Đoàn viên phấn khởi, hăng hái", 17)
    await type_answer(lan, "Thiếu kinh phí tổ chức", 18)

    assert lan.buttons[0] == "Sinh hoạt chi đoàn" and lan.buttons[-1] == "Xong"
    await press(lan, "Sinh hoạt chi đoàn")
    assert "ảnh gửi tiếp sẽ gắn vào: Sinh hoạt chi đoàn" in lan.text
    photo = jpeg_photo()
    await lan.send_photo(photo, caption=PHOTO_CAPTION)
    assert "Ảnh đang gắn vào: Sinh hoạt chi đoàn" in lan.text
    assert api.files[api.calls_to("getFile")[-1].params["file_id"]].data == photo
    await press(lan, "Xong")

    for line in SUMMARY_LINES:
        assert line in lan.text, f"{line!r} not in the summary: {lan.text}"
    assert lan.buttons == ["Gửi báo cáo", "Sửa một mục", "Để sau"]
    await press(lan, "Gửi báo cáo")
    assert RECEIPT in lan.text and REFERENCE in lan.text

    await assert_report_matches(harness, photo)
    presses = [u for u in bot.received if u.kind is InKind.CHOICE]
    assert len(presses) == len(api.calls_to("answerCallbackQuery")) == 7
    sent = api.calls_to("sendMessage")
    assert all(
        set(call.json("reply_markup")) == {"inline_keyboard"}
        for call in sent
        if "reply_markup" in call.params
    ), "every set of choices went out as an inline keyboard"
