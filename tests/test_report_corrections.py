"""Correcting a sent report: a copy until sent, numbered corrections, windows and locks."""

from __future__ import annotations

from storage.models import ReportStatus, Role
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import (
    IN_REVIEW,
    change_line,
    report_of,
    revision_actions,
    sent_report,
    step,
)


async def return_for_correction(leader: Chat, comment: str) -> None:
    """The leader returns the report under review with a comment."""
    await leader.say("/duyet")
    await leader.press(IN_REVIEW)
    await leader.press("↩️ Trả lại để sửa")
    await leader.say(comment)


async def test_typed_send_words_send_a_correction_and_a_return_says_why(
    harness: Harness,
) -> None:
    chat = await sent_report(harness)
    await chat.say("/baocao")
    await change_line(chat, "7", "18")
    await chat.say("gui bao cao")
    assert chat.said("report.receipt_correction", revision=1)
    harness.clock.set(local(2026, 11, 25, 12, 59))  # returned just before the deadline
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await return_for_correction(leader, "Số người dự chưa khớp biên bản, nhờ sửa lại")
    await chat.say("/baocao")
    await change_line(chat, "7", "19")
    await chat.say("gửi bản sửa")
    assert chat.said("report.receipt_until_return"), "the window runs past the deadline: why"
    await chat.say("/baocao")
    assert chat.said("report.correct_intro_return")


async def test_an_approved_report_stays_locked_after_a_return_and_resend(
    harness: Harness,
) -> None:
    chat = await sent_report(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await return_for_correction(leader, "Số người dự chưa khớp biên bản, nhờ sửa lại")
    await chat.say("/baocao")
    await change_line(chat, "7", "18")
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt_correction", revision=1)
    await leader.say("/duyet")
    await leader.press(IN_REVIEW)
    await leader.press("✅ Duyệt")
    report = await report_of(harness)
    assert report.status == ReportStatus.APPROVED and report.reopened_until is None
    await chat.say("/baocao")
    assert chat.said("report.locked_approved_early")
    assert await step(harness, chat) == "" and "Gửi bản sửa" not in chat.choices
    await chat.say("/cuatoi")
    approved = harness.catalog.t("vi", "report.status.approved")
    assert chat.said("report.mine_line", period="11/2026", status=approved)
    assert (await report_of(harness)).answers["meeting_attendance"] == 18


async def test_corrections_are_numbered_and_a_no_change_send_makes_none(harness: Harness) -> None:
    chat = await sent_report(harness)
    harness.clock.set(local(2026, 11, 12, 8, 0))
    await chat.say("/baocao")
    await chat.press("Gửi bản sửa")
    assert chat.said("report.no_change", deadline="17:00 25/11/2026")
    assert await revision_actions(harness) == ["submit"]
    await chat.say("/baocao")
    await change_line(chat, "1", "31")
    await chat.say("/cuatoi")
    status = harness.catalog.t("vi", "report.status.correcting")
    assert chat.said("report.mine_line", period="11/2026", status=status)
    await chat.say("/baocao")  # the unsent correction is still there
    assert "1. Đoàn viên hiện có: 31" in chat.text
    await chat.press("Gửi bản sửa")
    assert chat.said("report.receipt_correction", revision=1)
    harness.clock.set(local(2026, 11, 13, 10, 30))
    await chat.say("/baocao")
    await change_line(chat, "2", "3")
    await chat.press("Gửi bản sửa")
    assert chat.said("report.receipt_correction", revision=2)
    assert await revision_actions(harness) == ["submit", "correct", "correct"]
    await chat.say("/cuatoi")
    assert "đã nộp — gửi lúc 10:30 13/11/2026" in chat.text


async def test_one_deadline_per_screen_after_a_return(harness: Harness) -> None:
    chat = await sent_report(harness)
    harness.clock.set(local(2026, 11, 24, 12, 23))  # the return runs past the deadline (25/11)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await return_for_correction(leader, "Nhờ bổ sung ảnh sinh hoạt")
    await chat.say("/baocao")
    await change_line(chat, "1", "31")
    await chat.press("Gửi báo cáo")
    shown = "12:23 01/12/2026"
    assert chat.said("report.receipt_until_return", deadline=shown), "one date: the window's"
    assert "17:00 25/11/2026" not in chat.text
    await chat.say("/baocao")
    assert chat.said("report.correct_intro_return", deadline=shown)


async def test_the_reviewer_sees_the_latest_send(harness: Harness) -> None:
    chat = await sent_report(harness)
    harness.clock.set(local(2026, 11, 14, 15, 45))
    await chat.say("/baocao")
    await change_line(chat, "1", "31")
    await chat.press("Gửi bản sửa")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(IN_REVIEW)
    assert leader.said("report.review_last_sent", at="15:45 14/11/2026")
