"""The monthly report through the real engine, on SQLite and PostgreSQL: fill, resume, change."""

from __future__ import annotations

from sqlalchemy import select

from handlers.reports.form import load_form
from storage.models import ReportRevision, ReportStatus
from tests.support.harness import Harness
from tests.support.report_script import (
    fill,
    report_of,
    step,
)

FORM_LENGTH = len(load_form().fields)


async def test_a_complete_report_is_sent_with_a_receipt(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    assert "Bắt đầu báo cáo tháng 11/2026" in chat.text and "Câu 1/" in chat.text
    await fill(harness, chat)
    assert await step(harness, chat) == "summary"
    assert "1. Đoàn viên hiện có: 30" in chat.text
    assert "Hỗ trợ khởi nghiệp: 5.000.000 đồng" in chat.text
    assert "Loại hoạt động: Tình nguyện, Văn minh đô thị" in chat.text
    await chat.press("Gửi báo cáo")
    assert "Đã nhận báo cáo tháng 11/2026 lúc 09:00 10/11/2026" in chat.text
    assert "PHTL01-2611-1" in chat.text
    report = await report_of(harness)
    assert report.status == ReportStatus.SUBMITTED and not report.late
    assert report.reference == "PHTL01-2611-1" and report.submitted_at == harness.clock.now()
    assert report.answers == {
        "members_total": 30,
        "admitted": 2,
        "transferred_in": 0,
        "transferred_out": 1,
        "meeting_held": True,
        "meeting_date": "2026-11-09",
        "meeting_attendance": 20,
        "one_plus_one": 5,
        "projects_count": 2,
        "projects": ["Dọn vệ sinh kênh ấp", "Trồng 100 cây xanh"],
        "volunteer_activities": ["volunteer", "civilised_urban"],
        "party_introduced": 0,
        "support_poverty_models": 1,
        "support_charity_houses": 0,
        "support_startup_vnd": 5_000_000,
        "mood": "Đoàn viên phấn khởi",
        "difficulties": "Thiếu kinh phí",
    }
    assert report.form_version == "2026.1"
    async with harness.uow() as uow:
        revisions = (await uow.session.scalars(select(ReportRevision))).all()
    assert [(r.number, r.action, r.by_id) for r in revisions] == [
        (1, "submit", report.submitted_by_id)
    ]
    assert revisions[0].answers == report.answers


async def test_english_speaker_gets_english_questions(harness: Harness) -> None:
    chat = await harness.registered("u1", language_hint="en")
    await chat.say("/report")
    assert "Question 1/" in chat.text and "How many members" in chat.text


async def test_resumes_where_it_stopped_after_a_restart(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    await chat.say("2")
    await harness.restart()
    harness.clock.advance(days=1)
    await chat.say("0")
    assert "Câu 4/" in chat.text and "chuyển đi" in chat.text
    report = await report_of(harness)
    assert report.answers == {"members_total": 30, "admitted": 2, "transferred_in": 0}


async def test_back_shows_the_saved_answer_and_skip_only_optional(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    await chat.say("2")
    await chat.say("/quaylai")
    assert "Câu 2/" in chat.text and "Đang ghi: 2" in chat.text
    await chat.say("/boqua")
    assert chat.said("common.cannot_skip") and "Câu 2/" in chat.text
    await chat.say("3")
    assert "Câu 3/" in chat.text
    await chat.say("/quaylai")
    await chat.say("/quaylai")
    await chat.say("/quaylai")
    assert "không quay lại được" in chat.text and "Câu 1/" in chat.text
    await fill(harness, chat, until="mood")
    await chat.say("/boqua")
    assert await step(harness, chat) == "field:difficulties"
    assert (await report_of(harness)).answers["mood"] is None, "kept as skipped"
    assert (await report_of(harness)).answers["admitted"] == 3


async def test_cancel_keeps_the_draft_and_baocao_continues(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    await chat.say("/huy")
    assert "vẫn được lưu" in chat.text
    assert await step(harness, chat) == ""
    await chat.say("/baocao")
    assert "làm tiếp" in chat.text and "Câu 2/" in chat.text
    assert (await report_of(harness)).answers == {"members_total": 30}
    await chat.say("/huy")
    await chat.say("/cuatoi")
    at_question_two = harness.catalog.t("vi", "report.mine_progress", n=2, total=FORM_LENGTH)
    assert "Tháng 11/2026: đang soạn" + at_question_two in chat.text


async def test_change_a_line_from_the_summary(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.press("Sửa một mục")
    assert chat.said("report.pick_field")
    await chat.say("99")
    assert chat.said("report.expect.pick")
    await chat.say("1")
    assert "Đang ghi: 30" in chat.text
    await chat.say("35")
    assert await step(harness, chat) == "summary"
    assert "1. Đoàn viên hiện có: 35" in chat.text
    await chat.press("Sửa một mục")
    await chat.say("5")
    await chat.press("Không")
    assert "Ngày sinh hoạt" not in chat.text and "Số người dự" not in chat.text
    answers = (await report_of(harness)).answers
    assert answers["meeting_held"] is False
    assert "meeting_date" not in answers and "meeting_attendance" not in answers
    await chat.press("Sửa một mục")
    await chat.say("5")
    await chat.press("Có")
    assert "Chi đoàn sinh hoạt ngày nào" in chat.text, "a question that now applies is asked"
    await chat.say("hôm qua")
    await chat.say("25")
    assert await step(harness, chat) == "summary"
    await chat.press("Gửi báo cáo")
    assert (await report_of(harness)).answers["meeting_attendance"] == 25


async def test_help_explains_the_current_question(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("/trogiup")
    assert "đi làm ăn xa" in chat.text and "Câu 1/" in chat.text


async def test_bad_answers_get_one_sentence_and_the_question_again(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("ba mươi mấy")
    assert "gõ bằng chữ số nhé, ví dụ: 25" in chat.text and "Câu 1/" in chat.text
    await chat.say("-3")
    assert "từ 0 đến 2.000" in chat.text
    await chat.say("1.200")
    await fill(harness, chat, until="meeting_held")
    await chat.say("chắc vậy")
    assert "có hoặc không" in chat.text
    assert chat.choices == ["Có", "Không"]
    await chat.say("c")
    await chat.say("31/11")
    assert "không có trên lịch" in chat.text
    assert (await report_of(harness)).answers["members_total"] == 1200


async def test_back_from_the_summary_and_from_a_change(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.press("Sửa một mục")
    await chat.say("/quaylai")
    assert await step(harness, chat) == "summary"
    await chat.press("Sửa một mục")
    await chat.say("2")
    await chat.say("/quaylai")
    assert await step(harness, chat) == "summary", "back from a change returns to the summary"
    await chat.say("/quaylai")
    last = harness.catalog.t("vi", "report.progress", n=FORM_LENGTH, total=FORM_LENGTH)
    assert await step(harness, chat) == "field:photos" and last in chat.text
    await chat.say("/quaylai")
    assert await step(harness, chat) == "field:difficulties"


async def test_language_switch_and_a_sticker_repeat_the_question(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    await chat.sticker()
    assert "chỉ đọc được chữ và ảnh" in chat.text and "Câu 2/" in chat.text
    await chat.say("/ngonngu en")
    assert "Question 2/" in chat.text
    await chat.say("3")
    await fill(harness, chat, until="meeting_attendance")
    await chat.say("5")
    assert "Only 5 attended the meeting, fewer than 9" in chat.text
    await fill(harness, chat)
    assert "Notes for the district:" in chat.text and "Only 5 attended" in chat.text
    flags = (await report_of(harness)).flags
    assert flags[0]["note"].startswith("Chỉ 5 người dự sinh hoạt"), "the district reads Vietnamese"


async def test_cancel_at_the_summary_resumes_at_the_summary(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.say("/huy")
    await chat.say("/baocao")
    assert await step(harness, chat) == "summary"


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


async def test_resume_after_a_skip_lands_on_the_photo_step(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="difficulties")
    await chat.say("/boqua")
    assert await step(harness, chat) == "field:photos"
    await chat.say("/huy")
    await chat.say("/baocao")
    last = harness.catalog.t("vi", "report.progress", n=FORM_LENGTH, total=FORM_LENGTH)
    assert chat.said("report.resuming") and last in chat.text
    assert await step(harness, chat) == "field:photos"
    await chat.say("1")  # the first photo target: the meeting
    assert "gắn vào: Sinh hoạt chi đoàn" in chat.text
    answers = (await report_of(harness)).answers
    assert "difficulties" in answers and answers["difficulties"] is None


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


async def test_baocao_during_a_question_asks_it_once(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    await chat.say("/baocao")
    asked = [r.text for r in chat.last if "Câu 2/" in r.text]
    assert len(asked) == 1, chat.texts


async def test_a_summary_line_opens_the_question_of_the_same_number(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, projects_count="0")  # question 10, the list, is passed over
    assert "\n14. Nhà nhân ái: 0" in chat.text and "\n10. " not in chat.text
    await chat.press("Sửa một mục")
    await chat.say("14")
    assert chat.text.startswith("Câu 14/18.") and "nhà nhân ái" in chat.text
    await chat.say("1")
    assert "\n14. Nhà nhân ái: 1" in chat.text
    await chat.press("Sửa một mục")
    await chat.say("10")  # not on the summary
    assert chat.said("report.expect.pick")
