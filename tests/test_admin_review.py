"""/duyet: open a submitted report, approve it, or return it to the branch with a comment."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import MonthlyReport, OutboxMessage, ReportRevision, Role, RoleAssignment
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.ops_seed import seed


async def report_of(harness: Harness, code: str) -> MonthlyReport:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        report = await uow.session.scalar(
            select(MonthlyReport).where(
                MonthlyReport.branch_id == branch.id, MonthlyReport.period == "2026-11"
            )
        )
        assert report is not None
        return report


async def revisions(harness: Harness, report_id: int) -> list[ReportRevision]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(
            select(ReportRevision).where(ReportRevision.report_id == report_id)
        )
        return list(rows)


async def test_return_with_comment_then_approve(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.say("/duyet")
    assert "Báo cáo chờ duyệt: 4" in leader.text
    assert leader.choices == [
        "⚠️ Chi đoàn khu vực 1 · 11/2026",
        "Chi đoàn ấp Long Trường · 10/2026",
        "Chi đoàn ấp Long Phụng · 11/2026",
        "Chi đoàn lớp 11A2 · 11/2026",
        "✖️ Dừng",
    ], "the flagged report first, marked"
    assert leader.said(
        "admin.review_flagged_line",
        branch="Chi đoàn khu vực 1",
        unit="Đoàn thị trấn Cây Dương",
        reasons="jump · Đoàn viên hiện có: 40",  # a kind without words shows its code
    )
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    assert "Số đoàn viên: 30" in leader.text and "Ảnh minh chứng: 2" in leader.text
    assert "Ngày sinh hoạt: 15/11/2026" in leader.text
    assert "Hỗ trợ khởi nghiệp (đồng): 5.000.000" in leader.text
    await leader.press("↩️ Trả lại để sửa")
    assert "góp ý" in leader.text
    await leader.say("ok")
    assert "ngắn quá" in leader.text
    comment = "Thiếu ảnh hoạt động tình nguyện, nhờ bổ sung"
    await leader.say(comment)
    assert "Đã trả lại báo cáo của Chi đoàn ấp Long Phụng" in leader.text
    assert "tới 1 bí thư của chi đoàn" in leader.text
    assert "Chi đoàn ấp Long Phụng · 11/2026" not in leader.choices
    assert leader.choices[2] == "Chi đoàn lớp 11A2 · 11/2026"
    returned = await report_of(harness, "PH-TL-01")
    assert returned.status == "returned" and returned.review_comment == comment
    assert returned.reviewed_by_id is not None and returned.reviewed_at == harness.clock.now()
    assert returned.reopened_until is not None and returned.reopened_until > harness.clock.now()
    [revision] = await revisions(harness, returned.id)
    assert (revision.action, revision.note, revision.number) == ("return", comment, 1)
    assert revision.answers["members_total"] == 30
    async with harness.uow() as uow:
        [message] = list(await uow.session.scalars(select(OutboxMessage)))
    assert message.kind == "report_returned" and message.chat_id == "sec1"
    assert message.status == "queued" and message.available_at == harness.clock.now()
    assert comment in message.payload["text"] and "11/2026" in message.payload["text"]
    assert message.payload["choices"] == [["cmd:baocao", "✏️ Sửa báo cáo"]]
    await leader.press("⚠️ Chi đoàn khu vực 1 · 11/2026")
    assert "(trễ hạn)" in leader.text
    assert "⚠️ Cần kiểm tra — Số đoàn viên: tăng mạnh so với tháng trước" in leader.text
    await leader.press("✅ Duyệt")
    assert "Đã duyệt báo cáo của Chi đoàn khu vực 1" in leader.text
    approved = await report_of(harness, "PH-CT-01")
    assert approved.status == "approved" and approved.review_comment is None
    assert [r.action for r in await revisions(harness, approved.id)] == ["approve"]
    await leader.press("✖️ Dừng")
    assert "Đã dừng duyệt" in leader.text


async def test_second_reviewer_finds_report_already_handled(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    first = await sqlite_harness.registered("lead1", Role.LEADER, "PH")
    second = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    for chat in (first, second):
        await chat.say("/duyet")
        await chat.press("Chi đoàn lớp 11A2 · 11/2026")
    await first.press("✅ Duyệt")
    await second.press("↩️ Trả lại để sửa")
    assert "vừa được xử lý rồi (trạng thái: đã duyệt)" in second.text
    assert "Chi đoàn lớp 11A2 · 11/2026" not in second.choices
    report = await report_of(sqlite_harness, "PH-THPT-11A2")
    assert [r.action for r in await revisions(sqlite_harness, report.id)] == ["approve"]


async def test_nothing_to_review(sqlite_harness: Harness) -> None:
    leader = await sqlite_harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/review")
    assert "không có báo cáo nào chờ duyệt" in leader.text
    await leader.say("/huy")
    assert "không làm dở việc gì" in leader.text


async def outbox(harness: Harness, kind: str) -> list[OutboxMessage]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
        return list(rows)


async def test_an_approval_tells_the_branch_secretaries(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    await leader.press("✅ Duyệt")
    assert leader.said("admin.review_approved", branch="Chi đoàn ấp Long Phụng")
    [message] = await outbox(harness, "report_approved")
    expected = harness.catalog.t(
        "vi", "report.approved_message", period="11/2026", branch="Chi đoàn ấp Long Phụng"
    )
    assert message.chat_id == "sec1" and message.payload["text"] == expected
    assert message.payload["choices"] == []
    await leader.press("⚠️ Chi đoàn khu vực 1 · 11/2026")
    await leader.press("✅ Duyệt")  # no secretary registered there: the leader is told so
    assert leader.said("admin.review_approved_nobody", branch="Chi đoàn khu vực 1")


async def test_a_returned_report_sent_back_corrected_tells_the_leader_who_returned_it(
    harness: Harness,
) -> None:
    await seed(harness)
    secretary = await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await harness.registered("lead2", Role.LEADER, "PH")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Thiếu ảnh hoạt động tình nguyện, nhờ bổ sung")
    await secretary.say("/baocao")
    await secretary.press("Gửi báo cáo")
    [message] = await outbox(harness, "report_corrected")
    assert message.chat_id == "lead1", "the leader who returned it, not every leader"
    expected = harness.catalog.t(
        "vi",
        "admin.corrected_message",
        branch="Chi đoàn ấp Long Phụng",
        period="11/2026",
        revision=1,
    )
    assert message.payload["text"] == expected
    assert message.payload["choices"] == [["cmd:duyet", "✅ Duyệt báo cáo"]]
    report = await report_of(harness, "PH-TL-01")
    assert report.status == "submitted"


async def test_a_leader_who_no_longer_leads_is_not_told_of_the_correction(
    harness: Harness,
) -> None:
    await seed(harness)
    secretary = await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Thiếu ảnh hoạt động tình nguyện, nhờ bổ sung")
    async with harness.uow() as uow:
        for role in await uow.session.scalars(select(RoleAssignment)):
            if role.role == Role.LEADER:
                role.active = False
    await secretary.say("/baocao")
    await secretary.press("Gửi báo cáo")
    assert secretary.said("report.receipt_correction")
    assert await outbox(harness, "report_corrected") == []
