"""The difficult-youth list after the new-user review: confirm closing, reopen, stop, words."""

from __future__ import annotations

import logging

import pytest

from bot.engine.textnorm import resolve_choice
from tests.support.harness import Harness
from tests.youth_support import add_person, audit_rows, cases, events


async def test_closing_asks_first_and_no_keeps_the_case_open(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Đã thoát khó khăn")
    assert "Đóng hồ sơ của Nguyễn Văn An (lý do: Đã thoát khó khăn)?" in chat.text
    assert chat.choices == ["Đóng hồ sơ", "Không đóng"]
    [case] = await cases(harness)
    assert case.status == "open", "one tap on the reason closes nothing"
    await chat.press("Không đóng")
    assert "chưa đóng" in chat.text and "Ghi nhận đã giúp đỡ" in chat.choices
    [case] = await cases(harness)
    assert case.status == "open"
    assert [e.kind for e in await events(harness)] == ["created"]


async def test_a_closed_case_can_be_reopened_with_history_and_audit(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Đã chuyển đi nơi khác")
    await chat.press("Đóng hồ sơ")
    await chat.press("Hồ sơ đã đóng")
    await chat.press("Nguyễn Văn An (2005)")
    await chat.press("Mở lại hồ sơ")
    assert "Đã mở lại hồ sơ của Nguyễn Văn An" in chat.text
    assert "Trạng thái: đang theo dõi" in chat.text and "Đóng hồ sơ" in chat.choices
    [case] = await cases(harness)
    assert (case.status, case.close_reason, case.closed_at) == ("open", None, None)
    kinds = [(e.kind, e.detail) for e in await events(harness)]
    assert kinds[-1] == ("reopened", {"was": "moved_away"})
    assert [a.action for a in await audit_rows(harness)][-2:] == ["youth.close", "youth.reopen"]


async def test_stopping_an_add_warns_and_carrying_on_loses_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    await chat.say("Lê Thị Cúc")
    await chat.say("2006")
    await chat.say("/huy")
    assert "không giữ bản nháp" in chat.text
    assert chat.choices == ["Bỏ, không lưu", "Nhập tiếp"]
    await chat.say("nhap tiep")
    assert "Câu 3/7" in chat.text and "Giới tính" in chat.text
    await chat.say("/quaylai")
    assert "Câu 2/7" in chat.text
    await chat.say("2006")
    await chat.say("/huy")
    await chat.say("/huy")  # a second /huy confirms
    assert "chưa thêm người này" in chat.text
    assert await cases(harness) == []
    assert "Cúc" not in caplog.text, "sensitive answers never reach the logs"


async def test_stopping_before_any_answer_just_stops(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    await chat.say("/huy")
    assert "chưa thêm người này" in chat.text and chat.choices == []


async def test_done_does_not_sound_like_closing_cases(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("Xong")
    assert chat.text == "Xong. Gõ /thanhnien khi cần xem lại."


async def test_after_closing_the_only_case_the_list_offers_the_closed_ones(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.say("chuyen di")  # words of "Đã chuyển đi nơi khác", typed without diacritics
    assert "lý do: Đã chuyển đi nơi khác" in chat.text
    await chat.say("dong")
    assert "không còn ai đang theo dõi" in chat.text and "chưa có ai" not in chat.text
    assert "Hồ sơ đã đóng" in chat.choices
    [case] = await cases(harness)
    assert (case.status, case.close_reason) == ("closed", "moved_away")


def test_typed_words_match_the_one_label_that_contains_them() -> None:
    choices = [
        ["reason:out_of_difficulty", "Đã thoát khó khăn"],
        ["reason:moved_away", "Đã chuyển đi nơi khác"],
        ["reason:aged_out", "Đã quá tuổi thanh niên"],
        ["add", "➕ Thêm người"],
    ]
    assert resolve_choice("chuyen di", choices) == "reason:moved_away"
    assert resolve_choice("noi khac chuyen", choices) == "reason:moved_away"
    assert resolve_choice("qua tuoi", choices) == "reason:aged_out"
    assert resolve_choice("them", choices) == "add"
    assert resolve_choice("da", choices) is None, "ambiguous: in three labels"
    assert resolve_choice("chuyen nha", choices) is None
    assert resolve_choice("➕", choices) is None


async def test_fixing_one_answer_from_the_confirm_screen_keeps_the_rest(
    sqlite_harness: Harness,
) -> None:
    from handlers.youth.add import STEPS

    chat = await sqlite_harness.registered("u1")
    await chat.say("/thanhnien")
    await chat.press(1)  # Thêm người
    for answer in (
        "Nguyen Van A",
        "2005",
        "nam",
        "Ap Long Phung",
        "1, 4",
        "Me mat som",
        "hoc nghe",
    ):
        await chat.say(answer)
    assert "Lưu" in chat.choices
    await chat.say("/quaylai")
    await chat.say("/quaylai")
    await chat.say("Mồ côi mẹ, sống với bà")
    assert "Lưu" in chat.choices, "back at the confirm screen, not at the next question"
    assert "Mồ côi mẹ, sống với bà" in chat.text and "hoc nghe" in chat.text
    await chat.say("/quaylai")
    await chat.say("/boqua")
    assert "hoc nghe" in chat.text, "/boqua while fixing keeps the saved answer"
    assert len(STEPS) == 8
