"""Side trips: a command in the middle of something keeps the menu or the question answerable."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import MonthlyReport
from tests.support.harness import Harness


async def test_menu_stays_answerable_after_a_mistyped_command(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/trogiup")
    first_item = chat.choices[0]
    assert "Báo cáo tháng" in first_item
    await chat.say("/khongco")
    await chat.say("1")
    assert "báo cáo tháng" in chat.text.lower() and "Câu 1/" in chat.text


async def test_a_bare_number_never_runs_a_menu_that_is_not_on_screen(
    sqlite_harness: Harness,
) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/trogiup")
    await chat.say("/cuatoi")  # real content, no choices: the old menu is gone from view
    await chat.say("1")
    assert "chưa hiểu" in chat.text and "Câu 1/" not in chat.text
    assert chat.choices, "the menu is shown again to choose from"


async def test_question_is_asked_again_after_a_side_command(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    for answer in ("25", "2", "0", "0"):
        await chat.say(answer)
    assert chat.choices == ["Có", "Không"]
    await chat.say("/cuatoi")
    assert chat.choices == ["Có", "Không"], "the waiting yes/no question comes back last"
    await chat.say("/abc")
    assert "/abc" in chat.text and chat.choices == ["Có", "Không"]
    await chat.say("1")
    assert "ngày nào" in chat.text
    async with harness.uow() as uow:
        report = await uow.session.scalar(select(MonthlyReport))
        assert report is not None and report.answers.get("meeting_held") is True


async def test_flow_controls_do_not_repeat_the_question(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("/boqua")
    asked = [r.text for r in chat.last if "Câu 1/" in r.text]
    assert len(asked) == 1, chat.texts


async def test_menu_words_work_even_when_no_menu_is_on_screen(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/cuatoi")
    await chat.say("/quaylai")  # a reply with no choices: the menu is not on screen
    await chat.say("thanh nien kho khan")
    assert "thanh niên có hoàn cảnh khó khăn" in chat.text.lower()
