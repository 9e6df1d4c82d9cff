"""Who may read or change the difficult-youth list (Nghị định 13/2023), and what is audited."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app.cli import configure_logging
from storage.models import Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.youth_support import add_person, audit_rows, cases, events, forge

SECOND_DISTRICT = Path(__file__).parent / "fixtures" / "org-youth-second-district.csv"


async def test_secretary_of_another_branch_can_neither_read_nor_change(harness: Harness) -> None:
    owner = await harness.registered("owner")
    await add_person(owner)
    [case] = await cases(harness)
    other = await harness.registered("other", code="PH-TL-02")
    await other.say("/thanhnien")
    assert "chưa có ai" in other.text and "Nguyễn Văn An" not in other.text
    replies = await forge(harness, other, f"case:{case.id}")
    assert "không tìm thấy" in replies[0].text
    assert all("Nguyễn Văn An" not in r.text for r in replies)
    # Even standing in a record step with a forged case id, nothing can be changed.
    for payload in ("help", "close", "reason:moved_away", "close_yes", "reopen"):
        replies = await forge(harness, other, payload)
        assert all("Nguyễn Văn An" not in r.text for r in replies)
    [after] = await cases(harness)
    assert after.status == "open"
    assert [e.kind for e in await events(harness)] == ["created"]
    forged_branch = await forge(harness, other, "branch:1")
    assert all("Nguyễn Văn An" not in r.text for r in forged_branch)


async def test_leader_reads_counts_then_a_record_and_each_read_is_audited(
    harness: Harness,
) -> None:
    secretary = await harness.registered()
    await add_person(secretary)
    await add_person(secretary, name="Trần Thị Hoa", year="2003", categories="2")
    await secretary.say("1")
    await secretary.press("Đóng hồ sơ")
    await secretary.press("Đã chuyển đi nơi khác")
    await secretary.press("Đóng hồ sơ")
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/thanhnien")
    assert "Huyện đoàn Phụng Hiệp: 1 người đang theo dõi" in leader.text
    assert "Chi đoàn ấp Long Phụng: 1 đang theo dõi, 1 đã đóng" in leader.text
    assert "Trần Thị Hoa" not in leader.text, "the district summary carries counts, not names"
    await leader.press("Chi đoàn ấp Long Phụng (1)")
    assert leader.choices[0] == "Trần Thị Hoa (2003)"
    await leader.say("1")
    assert "Theo tôn giáo" in leader.text and "nhật ký truy cập" in leader.text
    assert leader.choices == ["📜 Lịch sử hồ sơ", "Về danh sách", "Xong"], "read, not change"
    hoa = next(c for c in await cases(harness) if c.full_name == "Trần Thị Hoa")
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
    entries = await audit_rows(harness)
    assert [(e.action, e.subject) for e in entries[-2:]] == [
        ("youth.list", f"branch:{branch.id}"),
        ("youth.read", f"youth_case:{hoa.id}"),
    ]
    replies = await forge(harness, leader, "help")
    assert "chọn một mục" in replies[0].text and "Theo tôn giáo" not in replies[1].text
    assert [c.status for c in await cases(harness)] == ["closed", "open"]
    again = await audit_rows(harness)
    assert again[len(entries) :] == [], "the record is not shown again, so not read again"
    read = entries[-1]
    assert read.person_id is not None and read.at == harness.clock.now()
    assert "Hoa" not in str(read.detail)


async def test_a_leader_sees_only_their_own_district(harness: Harness) -> None:
    await harness.import_org(SECOND_DISTRICT)
    secretary = await harness.registered()
    await add_person(secretary)
    [case] = await cases(harness)
    stranger_leader = await harness.registered("nk-lead", Role.LEADER, "NK")
    await stranger_leader.say("/thanhnien")
    assert "Quận đoàn Ninh Kiều: chưa chi đoàn nào có hồ sơ" in stranger_leader.text
    assert "Phụng Hiệp" not in stranger_leader.text and "Long Phụng" not in stranger_leader.text
    replies = await forge(harness, stranger_leader, f"branch:{case.branch_id}")
    assert "không tìm thấy" in replies[0].text
    assert all("Nguyễn Văn An" not in r.text for r in replies)
    nk_admin = await harness.registered("nk-admin", Role.ADMIN, "NK")
    await nk_admin.say("/thanhnien")
    assert "Long Phụng" not in nk_admin.text
    assert [e.action for e in await audit_rows(harness)] == ["youth.create"]


async def test_admin_of_the_district_reads_and_unit_secretary_may_not(harness: Harness) -> None:
    secretary = await harness.registered()
    await add_person(secretary)
    admin = await harness.registered("admin", Role.ADMIN, "PH")
    await admin.say("/youth")
    await admin.say("1")
    await admin.say("1")
    assert "Nguyễn Văn An" in admin.text and "Học nghề sửa xe máy" in admin.text
    assert "youth.read" in [e.action for e in await audit_rows(harness)]
    unit = await harness.registered("unit", Role.UNIT_SECRETARY, "PH-TL")
    await unit.say("/thanhnien")
    assert "không dành cho vai trò" in unit.text
    stranger = harness.chat("nobody")
    await stranger.say("/thanhnien")
    assert "mã mời" in stranger.text


async def test_no_log_line_carries_a_youths_details(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    logger_levels = {name: logging.getLogger(name).level for name in ("", "aiosqlite")}
    configure_logging(
        harness.settings.model_copy(
            update={"bot": harness.settings.bot.model_copy(update={"log_level": "DEBUG"})}
        )
    )
    try:
        with caplog.at_level(logging.DEBUG):
            secretary = await harness.registered()
            await add_person(secretary, name="Đinh Thị Khánh Linh", situation="Nhiễm HIV từ mẹ")
            await secretary.say("1")
            await secretary.press("Ghi nhận đã giúp đỡ")
            await secretary.say("Tặng thuốc và sữa")
            await secretary.say("hôm nay")
            leader = await harness.registered("lead", Role.LEADER, "PH")
            await leader.say("/thanhnien")
            await leader.say("1")
            await leader.say("1")
            assert "Đinh Thị Khánh Linh" in leader.text
    finally:
        for name, level in logger_levels.items():
            logging.getLogger(name).setLevel(level)
    assert caplog.records, "the run was logged at DEBUG level"
    for record in caplog.records:
        line = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for secret in ("Khánh Linh", "Khanh Linh", "HIV", "sữa"):
            assert secret not in line, record.name


async def test_a_secretary_who_also_leads_picks_which_list(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    await chat.say("/thanhnien")
    assert chat.choices == ["Chi đoàn của mình", "Toàn huyện"]
    await chat.press("Toàn huyện")
    assert "Huyện đoàn Phụng Hiệp: 1 người đang theo dõi" in chat.text
    await chat.say("/thanhnien")
    await chat.press("Chi đoàn của mình")
    assert chat.choices[0] == "Nguyễn Văn An (2005)" and "➕ Thêm người" in chat.choices
