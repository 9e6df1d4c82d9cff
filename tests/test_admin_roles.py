"""Every admin and leader command refuses the wrong people, and they learn nothing from it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from storage.models import Role
from tests.support.harness import Chat, Harness
from tests.support.ops_seed import YOUTH_NAMES, seed

COMMANDS = [
    "/trangthai",
    "/status 2026-11",
    "/tonghop",
    "/digest",
    "/xuat 2026-11",
    "/export",
    "/duyet",
    "/review",
    "/moi PH-TL-02",
    "/invite PH-TL",
    "/thongbao Họp khẩn",
    "/broadcast",
    "/molai PH-TL-02 2026-11",
    "/reopen",
]
# Anything of district PH that an outsider must not see.
PH_SECRETS = (
    "Phụng Hiệp",
    "Long Phụng",
    "Long Hòa",
    "Long Trường",
    "khu vực 1",
    "khu vực 2",
    "10A1",
    "11A2",
    "Cây Dương",
    *YOUTH_NAMES[:4],  # the fifth is NK's own
)


def refused(chat: Chat, message: str) -> None:
    assert [r.text for r in chat.last] == [message]
    assert all(r.photo is None and r.document is None and not r.choices for r in chat.last)


def learned_nothing_of_ph(chat: Chat) -> None:
    for reply in chat.last:
        assert not any(secret in reply.text for secret in PH_SECRETS), reply.text
        assert not any(secret in c.label for c in reply.choices for secret in PH_SECRETS)
        if reply.document is not None:
            cells = workbook_text(reply.document.data)
            assert "NK-AB-01" in cells
            leaked = [secret for secret in (*PH_SECRETS, "PH-TL") if secret in cells]
            assert leaked == []


def workbook_text(data: bytes) -> str:
    """Every cell of every sheet, as one string."""
    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    await seed(harness)
    return harness


async def test_branch_secretary_is_refused_every_command(seeded: Harness) -> None:
    chat = await seeded.registered("sec1", Role.SECRETARY, "PH-TL-01")
    not_allowed = seeded.catalog.t("vi", "common.not_allowed")
    for command in COMMANDS:
        await chat.say(command)
        refused(chat, not_allowed)


async def test_stranger_only_hears_how_to_register(seeded: Harness) -> None:
    chat = seeded.chat("stranger")
    for command in COMMANDS:
        await chat.say(command)
        assert len(chat.last) == 1 and "mã mời" in chat.text
        learned_nothing_of_ph(chat)


async def test_unit_secretary_sees_only_own_unit_status(seeded: Harness) -> None:
    chat = await seeded.registered("unit1", Role.UNIT_SECRETARY, "PH-TL")
    not_allowed = seeded.catalog.t("vi", "common.not_allowed")
    for command in COMMANDS:
        await chat.say(command)
        if command.startswith(("/trangthai", "/status")):
            assert "Đoàn xã Tân Long" in chat.text and "Chi đoàn ấp Long Hòa" in chat.text
            assert "Đoàn thị trấn Cây Dương" not in chat.text and "10A1" not in chat.text
            assert "Đã nộp: 2/3" in chat.text
        else:
            refused(chat, not_allowed)


async def test_leader_of_another_district_learns_nothing_of_ph(seeded: Harness) -> None:
    chat = await seeded.registered("nk-lead", Role.LEADER, "NK")
    not_allowed = seeded.catalog.t("vi", "common.not_allowed")
    for command in COMMANDS:
        await chat.say(command)
        if command.startswith(("/moi", "/invite", "/thongbao", "/broadcast")):
            refused(chat, not_allowed)  # admin-only commands
            continue
        learned_nothing_of_ph(chat)
        if command.startswith(("/duyet", "/review")):
            await chat.say("/huy")
    await chat.say("/trangthai 2026-11")
    assert "Quận đoàn Ninh Kiều" in chat.text and "Đã nộp: 1/2" in chat.text


async def test_admin_of_another_district_cannot_invite_or_broadcast_into_ph(
    seeded: Harness,
) -> None:
    chat = await seeded.registered("nk-admin", Role.ADMIN, "NK")
    await chat.say("/moi PH-TL-02")
    outsider = chat.text
    await chat.say("/moi XX-99")
    assert outsider.replace("PH-TL-02", "XX-99") == chat.text
    learned_nothing_of_ph(chat)
    await seeded.registered("ph-sec", Role.SECRETARY, "PH-TL-02")
    await seeded.registered("nk-sec", Role.SECRETARY, "NK-AB-01")
    await chat.say("/thongbao Họp khẩn")
    assert "tới 1 bí thư" in chat.text
    learned_nothing_of_ph(chat)


async def test_leader_may_not_use_admin_commands(seeded: Harness) -> None:
    chat = await seeded.registered("lead1", Role.LEADER, "PH")
    not_allowed = seeded.catalog.t("vi", "common.not_allowed")
    for command in ("/moi PH-TL-02", "/thongbao Họp", "/broadcast"):
        await chat.say(command)
        refused(chat, not_allowed)
    await chat.say("/trogiup")
    assert "/trangthai" in chat.text and "/duyet" in chat.text and "/moi" not in chat.text
