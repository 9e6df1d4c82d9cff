"""Deadlines, corrections, locking, returned reports, which month, which branch, and privacy."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.engine.types import Incoming, InKind
from storage.models import Conversation, ReportRevision, ReportStatus, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import conversation, fill, report_of, step


async def _sent(harness: Harness, user: str = "u1") -> Chat:
    chat = await harness.registered(user)
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.press("Gửi báo cáo")
    assert "Mã biên nhận" in chat.text
    return chat


async def _revisions(harness: Harness) -> list[tuple[int, str]]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(ReportRevision).order_by(ReportRevision.number))
        return [(r.number, r.action) for r in rows]


async def test_correction_before_the_deadline_keeps_every_revision(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 20, 8, 0))
    await chat.say("/baocao")
    assert "sửa được đến 17:00 25/11/2026" in chat.text
    assert chat.choices == ["Gửi bản sửa", "Sửa một mục", "Để sau"]
    await chat.press("Sửa một mục")
    await chat.say("1")
    await chat.say("31")
    assert (await report_of(harness)).answers["members_total"] == 30, "unsent copy only"
    await chat.press("Gửi bản sửa")
    assert "bản sửa lần 1" in chat.text and "PHTL01-2611-1" in chat.text
    report = await report_of(harness)
    assert report.answers["members_total"] == 31 and report.status == ReportStatus.SUBMITTED
    assert report.submitted_at == local(2026, 11, 10, 9, 0), "first submission time kept"
    assert await _revisions(harness) == [(1, "submit"), (2, "correct")]


async def test_cancelling_a_correction_leaves_the_sent_report(harness: Harness) -> None:
    chat = await _sent(harness)
    await chat.say("/baocao")
    await chat.press("Sửa một mục")
    await chat.say("2")
    await chat.say("0")
    await chat.say("/huy")
    assert "giữ nguyên" in chat.text
    assert (await report_of(harness)).answers["admitted"] == 2
    assert await _revisions(harness) == [(1, "submit")]


async def test_after_the_deadline_a_sent_report_is_locked(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 25, 17, 1))
    await chat.say("/baocao")
    assert "đã khoá" in chat.text and "1. Đoàn viên hiện có: 30" in chat.text
    assert chat.choices == [] and await step(harness, chat) == ""


async def test_the_deadline_passing_during_a_correction_locks_it(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 25, 16, 50))
    await chat.say("/baocao")
    harness.clock.advance(minutes=20)
    await chat.press("Gửi bản sửa")
    assert "đã khoá" in chat.text
    assert await _revisions(harness) == [(1, "submit")]


async def test_an_admin_reopening_unlocks_a_late_correction(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 27, 9, 0))
    report = await report_of(harness)
    async with harness.uow() as uow:
        row = await uow.session.get(type(report), report.id)
        row.reopened_until = local(2026, 11, 28, 17, 0)
    await chat.say("/baocao")
    assert "sửa được đến 17:00 28/11/2026" in chat.text and "tháng 11/2026" in chat.text
    assert "Gửi bản sửa" in chat.choices
    await chat.press("Sửa một mục")
    await chat.say("1")
    await chat.say("31")
    await chat.press("Gửi bản sửa")
    assert "bản sửa lần 1" in chat.text and "sửa được đến 17:00 28/11/2026" in chat.text
    assert not (await report_of(harness)).late


async def test_a_late_report_is_marked_late(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    harness.clock.set(local(2026, 11, 26, 8, 0))
    await chat.say("/huy")
    await chat.say("/baocao")
    assert "quá hạn nộp" in chat.text and "nộp trễ" in chat.text
    await fill(harness, chat)
    await chat.press("Gửi báo cáo")
    assert "ghi là nộp trễ" in chat.text
    assert (await report_of(harness)).late
    await chat.say("/cuatoi")
    assert "Tháng 11/2026: nộp trễ" in chat.text


async def test_a_returned_report_shows_the_comment_and_is_resent_after_the_deadline(
    harness: Harness,
) -> None:
    chat = await _sent(harness)
    report = await report_of(harness)
    async with harness.uow() as uow:
        row = await uow.session.get(type(report), report.id)
        row.status = ReportStatus.RETURNED
        row.review_comment = "Số người dự sinh hoạt chưa khớp biên bản"
    harness.clock.set(local(2026, 12, 3, 9, 0))
    await chat.say("/cuatoi")
    assert "bị trả lại" in chat.text and "chưa khớp biên bản" in chat.text
    await chat.say("/baocao")
    assert chat.choices == ["Tháng 12/2026 (chưa bắt đầu)", "Tháng 11/2026 (bị trả lại)"]
    await chat.press(2)
    assert chat.texts[0].startswith("Huyện đoàn đã trả lại báo cáo tháng 11/2026")
    assert "chưa khớp biên bản" in chat.texts[0] and await step(harness, chat) == "summary"
    await chat.press("Sửa một mục")
    await chat.say("7")
    await chat.say("18")
    await chat.press("Gửi báo cáo")
    assert "bản sửa lần 1" in chat.text and "đã khoá" in chat.text
    report = await report_of(harness)
    assert report.status == ReportStatus.SUBMITTED and report.answers["meeting_attendance"] == 18
    assert not report.late
    assert await _revisions(harness) == [(1, "submit"), (2, "correct")]


async def test_last_months_open_report_is_offered_within_its_deadline(
    sqlite_url: str, tmp_path: Path
) -> None:
    harness = Harness(sqlite_url, tmp_path / "data", reporting={"deadline_month_offset": 1})
    try:
        await harness.import_org()
        chat = await harness.registered("u1")
        await chat.say("/baocao")
        # The month being reported (due 25/11) first.
        assert chat.choices == ["Tháng 10/2026 (chưa bắt đầu)", "Tháng 11/2026 (chưa bắt đầu)"]
        await chat.press("Tháng 11/2026 (chưa bắt đầu)")
        await chat.say("30")
        harness.clock.set(local(2026, 12, 2, 9, 0))
        await chat.say("/baocao")
        assert chat.choices == ["Tháng 11/2026 (đang soạn)", "Tháng 12/2026 (chưa bắt đầu)"]
        assert chat.said("report.which_period")
        await chat.press("Tháng 11/2026 (đang soạn)")
        assert "làm tiếp báo cáo tháng 11/2026" in chat.text and "Câu 2/" in chat.text
        harness.clock.set(local(2026, 12, 26, 9, 0))
        await chat.say("/huy")
        await chat.say("/baocao")
        # November's deadline has passed: still offered first, as overdue.
        assert chat.said("report.which_period_overdue", period="11/2026")
        assert chat.choices == ["Tháng 11/2026 (đang soạn)", "Tháng 12/2026 (chưa bắt đầu)"]
    finally:
        await harness.close()


async def test_a_month_can_be_named(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao 10/2026")
    assert "Bắt đầu báo cáo tháng 10/2026" in chat.text and "quá hạn nộp" in chat.text
    await chat.say("/baocao 12/2026")
    assert chat.said("report.bad_period", example="11/2026")


async def test_secretary_of_two_branches_chooses_first(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-02')}")
    await chat.say("/baocao")
    assert chat.choices == ["Chi đoàn ấp Long Phụng", "Chi đoàn ấp Long Trường"]
    await chat.say("2")
    assert "Chi đoàn ấp Long Trường" in chat.text and "Câu 1/" in chat.text
    await chat.say("12")
    assert (await report_of(harness, code="PH-TL-02")).answers == {"members_total": 12}
    assert await report_of(harness, code="PH-TL-01") is None


async def test_another_branch_report_can_be_neither_read_nor_changed(harness: Harness) -> None:
    lan = await harness.registered("u1")
    await lan.say("/baocao")
    await lan.say("30")
    minh = await harness.registered("u2", code="PH-TL-02")
    await minh.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-03')}")
    await minh.say("/cuatoi")
    assert "Long Phụng" not in minh.text and "Long Trường" in minh.text
    await minh.say("/baocao")
    async with harness.uow() as uow:
        other = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert other is not None
    await minh._send(Incoming(kind=InKind.CHOICE, payload=f"rb:{other.id}", **minh._base()))
    assert "bấm một nút" in minh.text
    lans = await report_of(harness)
    conv = await conversation(harness, minh)
    async with harness.uow() as uow:
        row = await uow.session.get(Conversation, conv.id)
        assert row is not None
        row.flow, row.step, row.data = "report", "field:members_total", {"report_id": lans.id}
    await minh.say("99")
    assert "không còn mở cho bạn" in minh.text
    assert (await report_of(harness)).answers == {"members_total": 30}


async def test_only_secretaries_report(harness: Harness) -> None:
    leader = await harness.registered("u9", role=Role.LEADER, code="PH")
    await leader.say("/baocao")
    assert "không dành cho vai trò" in leader.text


async def test_my_reports_lists_status_and_reference(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.advance(timedelta(days=25))
    await chat.say("/cuatoi")
    assert "Tháng 12/2026: chưa bắt đầu" in chat.text
    assert "Tháng 11/2026: đã nộp — gửi lúc 09:00 10/11/2026, mã PHTL01-2611-1" in chat.text


async def _set(harness: Harness, **values: object) -> None:
    report = await report_of(harness)
    async with harness.uow() as uow:
        row = await uow.session.get(type(report), report.id)
        for name, value in values.items():
            setattr(row, name, value)


async def test_an_approved_report_is_locked_until_reopened(harness: Harness) -> None:
    chat = await _sent(harness)
    await _set(harness, status=ReportStatus.APPROVED)
    await chat.say("/baocao")
    assert "đã khoá" in chat.text and await step(harness, chat) == ""
    await chat.say("/cuatoi")
    assert "Tháng 11/2026: đã duyệt" in chat.text
    await _set(harness, reopened_until=local(2026, 11, 12, 17, 0))
    await chat.say("/baocao")
    await chat.press("Sửa một mục")
    await chat.say("2")
    await chat.say("3")
    await chat.press("Gửi bản sửa")
    assert "bản sửa lần 1" in chat.text
    assert (await report_of(harness)).status == ReportStatus.SUBMITTED


async def test_this_months_returned_report_opens_with_the_comment(harness: Harness) -> None:
    chat = await _sent(harness)
    await _set(harness, status=ReportStatus.RETURNED, review_comment="Thiếu ảnh sinh hoạt")
    await chat.say("/baocao")
    assert chat.texts[0].startswith("Huyện đoàn đã trả lại") and "Thiếu ảnh" in chat.texts[0]
    assert chat.choices == ["Gửi báo cáo", "Sửa một mục", "Để sau"]


async def test_each_revision_names_who_sent_it(harness: Harness) -> None:
    await _sent(harness)
    minh = await harness.registered("u2")  # a second secretary of the same branch
    await minh.say("/baocao")
    await minh.press("Sửa một mục")
    await minh.say("1")
    await minh.say("31")
    await minh.press("Gửi bản sửa")
    async with harness.uow() as uow:
        rows = (await uow.session.scalars(select(ReportRevision))).all()
    authors = [r.by_id for r in sorted(rows, key=lambda r: r.number)]
    assert len(set(authors)) == 2
    assert (await report_of(harness)).submitted_by_id == authors[0]


async def _late(harness: Harness) -> Chat:
    """A first submission two days after the deadline, at 09:00 on 27/11/2026."""
    chat = await harness.registered("u1")
    harness.clock.set(local(2026, 11, 27, 9, 0))
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.press("Gửi báo cáo")
    return chat


async def test_a_late_first_submission_can_be_corrected_for_the_correction_window(
    harness: Harness,
) -> None:
    chat = await _late(harness)
    assert chat.said("report.receipt_late") and chat.said(
        "report.receipt_until", deadline="09:00 29/11/2026"
    )
    harness.clock.set(local(2026, 11, 28, 20, 0))
    await chat.say("/baocao")
    assert chat.said("report.correct_intro", deadline="09:00 29/11/2026")
    await chat.press("Sửa một mục")
    await chat.say("1")
    await chat.say("31")
    await chat.press("Gửi bản sửa")
    assert (await report_of(harness)).answers["members_total"] == 31
    assert chat.said("report.receipt_until", deadline="09:00 29/11/2026"), "not extended"
    harness.clock.set(local(2026, 11, 29, 9, 1))
    await chat.say("/baocao")
    assert chat.said("report.locked", deadline="09:00 29/11/2026")
    assert await step(harness, chat) == ""


async def test_the_correction_window_is_configurable(db_url: str, tmp_path: Path) -> None:
    harness = Harness(db_url, tmp_path / "data", reporting={"correction_window_hours": 0})
    try:
        await harness.import_org()
        chat = await _late(harness)
        assert chat.said("report.receipt_late") and chat.said("report.receipt_final")
        await chat.say("/baocao")
        assert chat.said("report.locked", deadline="09:00 27/11/2026")
    finally:
        await harness.close()
