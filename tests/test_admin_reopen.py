"""/molai: the district reopens an approved report; the branch's secretaries are told."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import OutboxMessage, Role
from tests.support.harness import Harness
from tests.support.ops_seed import seed
from tests.test_admin_review import report_of, revisions


async def test_leader_reopens_an_approved_report_by_code(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("sec2", Role.SECRETARY, "PH-TL-02")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/molai ph-tl-02 2026-11")
    assert "Đã mở lại báo cáo tháng 11/2026 của Chi đoàn ấp Long Trường" in leader.text
    assert "tới 1 bí thư" in leader.text
    report = await report_of(harness, "PH-TL-02")
    now = harness.clock.now()
    assert report.status == "submitted" and report.reopened_until == now + timedelta(days=7)
    [revision] = await revisions(harness, report.id)
    assert (revision.action, revision.at) == ("reopen", now) and revision.by_id is not None
    async with harness.uow() as uow:
        [message] = list(await uow.session.scalars(select(OutboxMessage)))
    assert message.kind == "report_reopened" and message.chat_id == "sec2"
    assert "Huyện đoàn đã mở lại báo cáo tháng 11/2026" in message.payload["text"]
    assert "17/11/2026" in message.payload["text"]
    assert message.payload["choices"] == [["cmd:baocao", "✏️ Sửa báo cáo"]]
    secretary = harness.chat("sec2")
    await secretary.say("/baocao")
    assert "đã khoá" not in secretary.text and "Bạn vẫn sửa được" in secretary.text
    await leader.say("/molai PH-TL-01 2026-09")
    assert "đã cũ" in leader.text


async def test_reopen_from_the_list_and_refusals(harness: Harness) -> None:
    await seed(harness)
    admin = await harness.registered("adm1", Role.ADMIN, "PH")
    await admin.say("/molai")
    assert "Chi đoàn ấp Long Trường · 11/2026" in admin.choices
    await admin.press("Chi đoàn ấp Long Trường · 11/2026")
    assert "Đã mở lại" in admin.text and "báo giúp qua điện thoại" in admin.text
    assert (await report_of(harness, "PH-TL-02")).status == "submitted"
    await admin.say("/molai PH-CT-02")  # returned: already open to the branch
    assert "không cần mở lại" in admin.text
    sec = await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    await sec.say("/molai PH-TL-01 2026-11")
    assert sec.text == harness.catalog.t("vi", "common.not_allowed")
    other = await harness.registered("nk-adm", Role.ADMIN, "NK")
    await other.say("/molai PH-TL-01 2026-11")
    assert "không tìm thấy chi đoàn nào có mã PH-TL-01" in other.text
    assert "Long Phụng" not in other.text
    report = await report_of(harness, "PH-TL-01")
    assert report.reopened_until is None and await revisions(harness, report.id) == []


async def test_a_second_reopening_says_the_report_is_still_open(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("sec2", Role.SECRETARY, "PH-TL-02")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/molai PH-TL-02 2026-11")
    assert leader.said("admin.reopen_done", count=1)
    harness.clock.advance(minutes=1)
    await leader.say("/molai PH-TL-02 2026-11")
    assert leader.said("admin.reopen_already_reopened", until="09:00 17/11/2026")
    assert not leader.said("admin.reopen_done_nobody")
    async with harness.uow() as uow:
        kinds = list(await uow.session.scalars(select(OutboxMessage.kind)))
    assert kinds == ["report_reopened"], "the branch is told once"


async def test_a_reopening_told_again_in_the_same_minute_counts_who_it_reaches(
    harness: Harness,
) -> None:
    await seed(harness)
    await harness.registered("sec2", Role.SECRETARY, "PH-TL-02")
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/molai PH-TL-02 2026-11")
    report = await report_of(harness, "PH-TL-02")
    async with harness.uow() as uow:  # the window ran out within the same minute
        row = await uow.session.get(type(report), report.id)
        row.reopened_until = harness.clock.now()
    await leader.say("/molai PH-TL-02 2026-11")
    assert leader.said("admin.reopen_done", count=1)
