"""Findings of the new-user review of the monthly report: each test fails without its fix."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.report import answers as parse
from storage.models import ReportRevision, ReportStatus, Role
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import fill, report_of, step

LOCALES = Path(__file__).resolve().parent.parent / "locales"
BRANCH = "Chi đoàn ấp Long Phụng · 11/2026"


async def _sent(harness: Harness, **typed: str) -> Chat:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, **typed)
    await chat.press("Gửi báo cáo")
    assert "Mã biên nhận" in chat.text
    return chat


async def _actions(harness: Harness) -> list[str]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(ReportRevision).order_by(ReportRevision.number))
        return [r.action for r in rows]


async def _change(chat: Chat, line: str, value: str) -> None:
    """From the summary: change summary line `line` to `value`."""
    await chat.press("Sửa một mục")
    await chat.say(line)
    await chat.say(value)


# -- 1. approval ends a reopening ------------------------------------------------------------
async def test_an_approved_report_stays_locked_after_a_return_and_resend(
    harness: Harness,
) -> None:
    chat = await _sent(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(BRANCH)
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Số người dự chưa khớp biên bản, nhờ sửa lại")
    await chat.say("/baocao")
    await _change(chat, "7", "18")
    await chat.press("Gửi báo cáo")
    assert "bản sửa lần 1" in chat.text
    await leader.say("/duyet")
    await leader.press(BRANCH)
    await leader.press("✅ Duyệt")
    report = await report_of(harness)
    assert report.status == ReportStatus.APPROVED and report.reopened_until is None
    await chat.say("/baocao")
    assert "đã được Huyện đoàn duyệt" in chat.text and "đã khoá" in chat.text
    assert await step(harness, chat) == "" and "Gửi bản sửa" not in chat.choices
    await chat.say("/cuatoi")
    assert "Tháng 11/2026: đã duyệt" in chat.text
    assert (await report_of(harness)).answers["meeting_attendance"] == 18


# -- 2. digits followed by number words -------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [("2 muoi", 20), ("2 mươi", 20), ("1 tram", 100), ("3 nghin", 3000), ("3 ngàn", 3000)],
)
def test_digits_with_a_multiplier_word_are_multiplied(typed: str, value: int) -> None:
    assert parse.parse_int(typed) == value


@pytest.mark.parametrize("typed", ["5 ba", "2 mươi 3 mươi", "1 tram 2 tram"])
def test_digits_with_number_words_we_cannot_read_are_refused(typed: str) -> None:
    with pytest.raises(parse.Unreadable):
        parse.parse_int(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2 million", 2_000_000),
        ("5 trăm nghìn", 500_000),
        ("500 k", 500_000),
        ("3 trieu", 3_000_000),
    ],
)
def test_money_reads_spelled_multipliers(typed: str, value: int) -> None:
    assert parse.parse_money(typed) == value


@pytest.mark.parametrize("typed", ["2 mươi lăm", "5 ba", "3 triệu năm"])
def test_money_with_unreadable_number_words_is_refused(typed: str) -> None:
    with pytest.raises(parse.Unreadable):
        parse.parse_money(typed)


async def test_number_words_after_digits_save_the_right_figure(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("2 muoi")
    assert (await report_of(harness)).answers["members_total"] == 20
    await chat.say("2 muoi 3 muoi")
    assert "ví dụ: 25" in chat.text and await step(harness, chat) == "field:admitted"
    assert "admitted" not in (await report_of(harness)).answers
    await fill(harness, chat, until="projects_count", members_total="20")
    await chat.say("1 tram")
    assert "từ 0 đến 50" in chat.text and await step(harness, chat) == "field:projects_count"
    assert "projects_count" not in (await report_of(harness)).answers


# -- 3. resume lands where the secretary stopped ----------------------------------------------
async def test_resume_after_a_skip_lands_on_the_photo_step(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="difficulties")
    await chat.say("/boqua")
    assert await step(harness, chat) == "field:photos"
    await chat.say("/huy")
    await chat.say("/baocao")
    assert "làm tiếp" in chat.text and "Câu 18/18" in chat.text
    assert await step(harness, chat) == "field:photos"
    await chat.say("1")  # the first photo target: the meeting
    assert "gắn vào: Sinh hoạt chi đoàn" in chat.text
    answers = (await report_of(harness)).answers
    assert "difficulties" in answers and answers["difficulties"] is None


# -- 4. lists over several messages, long answers --------------------------------------------
async def test_projects_sent_one_per_message_are_gathered(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects", projects_count="3")
    await chat.say("Dọn vệ sinh kênh ấp")
    assert "Đã ghi 1/3" in chat.text and await step(harness, chat) == "field:projects"
    await harness.restart()
    await chat.say("Trồng 100 cây xanh")
    assert "Đã ghi 2/3" in chat.text
    await chat.say("Sửa cầu khỉ")
    assert await step(harness, chat) == "field:volunteer_activities"
    projects = (await report_of(harness)).answers["projects"]
    assert projects == ["Dọn vệ sinh kênh ấp", "Trồng 100 cây xanh", "Sửa cầu khỉ"]


async def test_a_long_mood_answer_is_kept(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="mood")
    mood = ("Đoàn viên phấn khởi, an tâm công tác. " * 40)[:1259]
    await chat.say(mood)
    assert (await report_of(harness)).answers["mood"] == mood.strip()
    await chat.say("/quaylai")
    await chat.say("Đoàn viên phấn khởi. " * 200)  # 4,200 characters
    assert "tối đa là 3000" in chat.text
    kept = (await report_of(harness)).answers["mood"]
    assert 2900 < len(kept) <= 3000 and kept.startswith("Đoàn viên phấn khởi.")


# -- 5. corrections, deadlines, send times ----------------------------------------------------
async def test_corrections_are_numbered_and_a_no_change_send_makes_none(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 12, 8, 0))
    await chat.say("/baocao")
    await chat.press("Gửi bản sửa")
    assert "không có gì thay đổi" in chat.text and "17:00 25/11/2026" in chat.text
    assert await _actions(harness) == ["submit"]
    await chat.say("/baocao")
    await _change(chat, "1", "31")
    await chat.say("/cuatoi")
    assert "Tháng 11/2026: đang sửa, chưa gửi" in chat.text
    await chat.say("/baocao")  # the unsent correction is still there
    assert "1. Đoàn viên hiện có: 31" in chat.text
    await chat.press("Gửi bản sửa")
    assert "bản sửa lần 1" in chat.text
    harness.clock.set(local(2026, 11, 13, 10, 30))
    await chat.say("/baocao")
    await _change(chat, "2", "3")
    await chat.press("Gửi bản sửa")
    assert "bản sửa lần 2" in chat.text
    assert await _actions(harness) == ["submit", "correct", "correct"]
    await chat.say("/cuatoi")
    assert "đã nộp — gửi lúc 10:30 13/11/2026" in chat.text


async def test_one_deadline_per_screen_after_a_return(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 24, 12, 23))  # the return runs past the deadline (25/11)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(BRANCH)
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Nhờ bổ sung ảnh sinh hoạt")
    await chat.say("/baocao")
    await _change(chat, "1", "31")
    await chat.press("Gửi báo cáo")
    shown = "12:23 01/12/2026"
    assert f"sửa được đến {shown}" in chat.text and "17:00 25/11/2026" not in chat.text
    await chat.say("/baocao")
    assert f"sửa được đến {shown}" in chat.text


async def test_the_reviewer_sees_the_latest_send(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 14, 15, 45))
    await chat.say("/baocao")
    await _change(chat, "1", "31")
    await chat.press("Gửi bản sửa")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(BRANCH)
    assert "Bản sửa gửi gần nhất lúc 15:45 14/11/2026" in leader.text


# -- 6. figures and progress ------------------------------------------------------------------
async def test_more_transfers_out_than_members_is_flagged(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="transferred_out", members_total="25")
    await chat.say("30")
    assert "Chuyển đi 30 đoàn viên, nhiều hơn số đoàn viên hiện có (25)" in chat.text
    assert await step(harness, chat) == "field:meeting_held"
    flags = (await report_of(harness)).flags
    assert any(f["code"] == "transfers_exceed_members" for f in flags)


async def test_the_question_count_is_stable(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    assert "khoảng 18 câu" in chat.text and "Câu 1/18" in chat.text
    await fill(harness, chat, until="meeting_held")
    assert "Câu 5/18" in chat.text
    await chat.say("không")
    assert "Câu 8/18" in chat.text
    await fill(harness, chat, until="photos", meeting_held="không")
    assert "Câu 18/18" in chat.text


# -- 7. wording --------------------------------------------------------------------------------
def _values(table: dict[str, object]) -> list[str]:
    found: list[str] = []
    for value in table.values():
        found += _values(value) if isinstance(value, dict) else [str(value)]
    return found


def test_report_wording_uses_one_term_each() -> None:
    vi = _values(tomllib.loads((LOCALES / "vi" / "report.toml").read_text("utf-8")))
    en = _values(tomllib.loads((LOCALES / "en" / "report.toml").read_text("utf-8")))
    assert not any("Đô thị văn minh" in v or "đô thị văn minh" in v for v in vi)
    assert any("Văn minh đô thị" in v for v in vi)
    assert not any("Sinh hoạt chi đoàn tháng" in v for v in vi)
    assert not any(v.strip() == "buổi sinh hoạt" for v in vi)
    assert not any("triệu" in v for v in en), "English examples use million"
