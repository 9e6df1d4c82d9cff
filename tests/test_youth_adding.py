"""Adding a young person: stopping warns first (no draft of sensitive data), fixes keep the rest."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from storage.models import Conversation
from tests.support.harness import Harness
from tests.youth_support import cases


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


async def test_an_unfinished_add_survives_a_restart_and_cancel_keeps_nothing(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    await chat.say("Lê Thị Cúc")
    await chat.say("2006")
    await harness.restart()
    await chat.say("khác")
    assert "Câu 4/7" in chat.text
    await chat.say("/huy")
    assert "không giữ bản nháp" in chat.text, "stopping asks before dropping the answers"
    await chat.press("Bỏ, không lưu")
    assert "chưa thêm người này" in chat.text
    assert await cases(harness) == []
    async with harness.uow() as uow:
        conv = await uow.session.scalar(select(Conversation))
        assert conv is not None and "Cúc" not in str(conv.data)
