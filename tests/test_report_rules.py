"""Every rule of the form through the chat: a passing and a failing case each."""

from __future__ import annotations

from datetime import timedelta

from storage.models import MonthlyReport, ReportStatus
from storage.repositories.org import OrgRepository
from tests.support.harness import Chat, Harness
from tests.support.report_script import (
    fill,
    report_of,
    step,
)


async def _started(harness: Harness) -> Chat:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    return chat


async def _last_month(harness: Harness, members: int) -> None:
    """October's report, already sent, with `members` members."""
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
        uow.session.add(
            MonthlyReport(
                branch_id=branch.id,
                period="2026-10",
                status=ReportStatus.SUBMITTED,
                answers={"members_total": members},
                flags=[],
                submitted_at=harness.clock.now() - timedelta(days=20),
                reference="PHTL01-2610-1",
            )
        )


async def test_attendance_cannot_exceed_the_members_of_the_month(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_attendance")  # 30 members now, 1 transferred out
    await chat.say("32")
    assert chat.said("report.rule.attendance_le_members", left=32, right=31)
    assert await step(harness, chat) == "field:meeting_attendance"
    await chat.say("31")
    assert await step(harness, chat) == "field:one_plus_one"


async def test_members_cannot_drop_below_attendance_when_changed(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat)
    await chat.press("Sửa một mục")
    await chat.say("1")
    await chat.say("10")
    assert "không thể nhiều hơn" in chat.text
    assert (await report_of(harness)).answers["members_total"] == 30


async def test_party_introductions_cannot_exceed_members(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="party_introduced")
    await chat.say("40")
    assert chat.said("report.rule.party_le_members", left=40, right=30)
    await chat.say("4")
    assert (await report_of(harness)).answers["party_introduced"] == 4


async def test_a_first_report_cannot_admit_more_than_it_holds(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(
        harness, chat, members_total="3", admitted="5", transferred_in="0", meeting_attendance="3"
    )
    await chat.press("Gửi báo cáo")
    assert chat.said("report.rule.first_report_members", left=5, right=4)
    assert await step(harness, chat) == "field:admitted"
    await chat.say("2")
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt")


async def test_after_a_sent_report_the_member_balance_judges_admissions(
    harness: Harness,
) -> None:
    await _last_month(harness, 0)
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_held", members_total="3", admitted="5")
    assert await step(harness, chat) == "balance", "a question with a reason, not a refusal"


async def test_a_graduation_month_is_sendable_and_not_questioned(harness: Harness) -> None:
    await _last_month(harness, 35)
    chat = await _started(harness)
    await fill(
        harness,
        chat,
        members_total="5",
        admitted="0",
        transferred_in="0",
        transferred_out="30",
        meeting_attendance="30",
    )
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt"), chat.text
    assert (await report_of(harness)).flags == []


async def test_meeting_date_inside_the_month_and_not_ahead(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_date")
    await chat.say("15/10")
    assert "không nằm trong tháng báo cáo" in chat.text
    await chat.say("20/11")
    assert "chưa tới" in chat.text
    await chat.say("15.11.2025")
    assert "không nằm trong tháng" in chat.text
    await chat.say("3-11")
    assert (await report_of(harness)).answers["meeting_date"] == "2026-11-03"


async def test_one_line_per_project(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="projects")
    await chat.say("- Dọn vệ sinh kênh\n- Trồng cây\n- Sửa cầu")
    assert "báo 2 công trình" in chat.text and "ghi 3 dòng" in chat.text
    await chat.say("- Dọn vệ sinh kênh\n- Trồng cây")
    assert (await report_of(harness)).answers["projects"] == ["Dọn vệ sinh kênh", "Trồng cây"]


async def test_no_projects_means_no_list_question(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="projects_count")
    await chat.say("0")
    assert await step(harness, chat) == "field:volunteer_activities"


async def test_member_count_that_adds_up_is_not_questioned(harness: Harness) -> None:
    await _last_month(harness, 29)
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_held")  # 29 + 2 + 0 − 1 = 30
    assert await step(harness, chat) == "field:meeting_held"


async def test_member_count_that_moved_unexplained_is_confirmed_with_a_reason(
    harness: Harness,
) -> None:
    await _last_month(harness, 25)
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_held")
    assert await step(harness, chat) == "balance"
    assert chat.said("report.balance_question", previous=25, expected=26, reported=30)
    await chat.press("Đúng, ghi lý do")
    await chat.say("   ")
    assert "vài chữ" in chat.text
    await chat.say("4 bạn đi làm xa về lại sinh hoạt")
    assert "Đã ghi lý do" in chat.text and await step(harness, chat) == "field:meeting_held"
    report = await report_of(harness)
    assert report.flags == [
        {
            "field": "members_total",
            "code": "member_balance",
            "note": "Số đoàn viên 30 khác với số dự tính 26 (tháng trước 25). "
            "Lý do: 4 bạn đi làm xa về lại sinh hoạt",
            "reason": "4 bạn đi làm xa về lại sinh hoạt",
        }
    ]


async def test_member_count_gap_can_be_fixed_instead(harness: Harness) -> None:
    await _last_month(harness, 25)
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_held")
    await chat.press("Sửa lại số đoàn viên")
    assert chat.said("report.balance_retype", previous=25, expected=26)
    assert not chat.said("report.current_answer"), "the questioned 30 is not the answer any more"
    await chat.say("26")
    assert await step(harness, chat) == "field:meeting_held"
    report = await report_of(harness)
    assert report.answers["members_total"] == 26 and report.flags == []


async def _explained_gap(harness: Harness) -> Chat:
    """30 members against 26 expected from October's 25, explained, then the summary."""
    await _last_month(harness, 25)
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_held")
    await chat.press("Đúng, ghi lý do")
    await chat.say("4 bạn đi làm xa về lại sinh hoạt")
    await fill(harness, chat)
    assert await step(harness, chat) == "summary"
    return chat


async def test_changing_a_count_that_leaves_the_gap_as_explained_asks_nothing_again(
    harness: Harness,
) -> None:
    chat = await _explained_gap(harness)
    await chat.press("Sửa một mục")
    await chat.say("2")  # admitted: 2 again
    await chat.say("2")
    assert await step(harness, chat) == "summary"
    [flag] = (await report_of(harness)).flags
    assert flag["reason"] == "4 bạn đi làm xa về lại sinh hoạt"


async def test_a_new_gap_after_a_change_shows_the_reason_given_before(harness: Harness) -> None:
    chat = await _explained_gap(harness)
    await chat.press("Sửa một mục")
    await chat.say("2")
    await chat.say("3")  # 25 + 3 + 0 − 1 = 27, still not 30
    await chat.press("Đúng, ghi lý do")
    assert chat.said("report.reason_question_again", reason="4 bạn đi làm xa về lại sinh hoạt")
    await chat.press("Giữ lý do cũ")
    assert await step(harness, chat) == "summary"
    [flag] = (await report_of(harness)).flags
    assert flag["reason"] == "4 bạn đi làm xa về lại sinh hoạt" and "dự tính 27" in flag["note"]


async def test_unusual_figures_are_accepted_and_flagged(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="meeting_attendance")
    await chat.say("5")
    assert "ghi chú để Huyện đoàn lưu ý" in chat.text and "ít hơn 9" in chat.text
    assert await step(harness, chat) == "field:one_plus_one"
    report = await report_of(harness)
    assert [(f["field"], f["code"]) for f in report.flags] == [
        ("meeting_attendance", "low_attendance")
    ]
    await chat.say("/quaylai")
    await chat.say("20")
    assert (await report_of(harness)).flags == [], "a corrected figure clears its flag"


async def test_a_usual_figure_is_not_flagged(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat)
    assert "lưu ý" not in chat.text
    assert (await report_of(harness)).flags == []


async def test_money_in_the_ways_people_write_it(harness: Harness) -> None:
    chat = await _started(harness)
    await fill(harness, chat, until="support_startup_vnd")
    await chat.say("năm đô")
    assert "5 triệu, 500k" in chat.text
    await chat.say("250 triệu")
    assert "lưu ý" in chat.text
    report = await report_of(harness)
    assert report.answers["support_startup_vnd"] == 250_000_000
    assert report.flags[0]["code"] == "large_startup_support"
