"""/moi: an invite code for a branch or unit of the admin's own district."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.i18n import moment
from storage.models import Conversation, Invite, Role
from tests.support.cli import run
from tests.support.harness import SAMPLE_ORG, Harness
from tests.support.ops_seed import seed


async def _flow(harness: Harness, chat_id: str) -> str | None:
    async with harness.uow() as uow:
        conv = await uow.session.scalar(select(Conversation).where(Conversation.chat_id == chat_id))
        return conv.flow if conv else None


async def test_invite_asks_for_the_code_and_takes_lower_case(sqlite_harness: Harness) -> None:
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/moi")
    assert admin.said("admin.invite_ask", example="PH-CT-01")
    await admin.say("ph-xx-99")
    assert "không tìm thấy" in admin.text and "PH-XX-99" in admin.text
    assert await _flow(sqlite_harness, "admin1") == "admin_invite"
    await admin.say("ph-ct-02")
    assert "Mã mời cho bí thư" in admin.text and "Mình chưa hiểu" not in admin.text
    async with sqlite_harness.uow() as uow:
        invite = await uow.session.scalar(select(Invite).order_by(Invite.id.desc()).limit(1))
    assert invite is not None and invite.branch_id is not None
    assert await _flow(sqlite_harness, "admin1") is None
    await admin.say("/moi")
    await admin.say("/huy")
    assert await _flow(sqlite_harness, "admin1") is None


async def test_invite_usage_in_english_names_the_english_command(sqlite_harness: Harness) -> None:
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH", language_hint="en")
    await admin.say("/invite PH-XX-99")
    assert "/invite PH-CT-01" in admin.text and "/moi" not in admin.text


async def test_starting_them_replaces_an_open_flow(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/duyet")
    assert await _flow(sqlite_harness, "admin1") not in (None, "admin_invite")
    await admin.say("/moi")
    assert await _flow(sqlite_harness, "admin1") == "admin_invite"
    await admin.say("PH-CT-02")
    assert "Mã mời cho bí thư" in admin.text
    await admin.say("/duyet")
    await admin.say("/thongbao")
    assert await _flow(sqlite_harness, "admin1") == "broadcast"
    await admin.say("/moi PH-CT-01")
    assert "Mã mời cho bí thư" in admin.text
    assert await _flow(sqlite_harness, "admin1") is None


async def test_invite_by_name_without_diacritics(harness: Harness) -> None:
    admin = await harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/moi long hoa")
    assert admin.said("admin.invite_pick", typed="long hoa")
    assert admin.choices == ["Chi đoàn ấp Long Hòa (PH-TL-03)"]
    await admin.press(1)
    assert "Mã mời cho bí thư Chi đoàn ấp Long Hòa" in admin.text
    async with harness.uow() as uow:
        invite = await uow.session.scalar(select(Invite).order_by(Invite.id.desc()).limit(1))
    assert invite is not None
    until = moment(invite.expires_at, harness.settings.bot.timezone)
    assert f"đến {until}." in admin.text and re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", until)
    assert not admin.text.endswith("\n"), "no empty last line without a link"
    await admin.say("/moi tan long")  # a unit name reaches the unit, never another district
    assert admin.choices == ["Đoàn xã Tân Long (PH-TL)"]
    await admin.say("/moi khu vuc 3")  # NK's branch: unknown here
    assert "không tìm thấy" in admin.text and admin.choices == []


def test_cli_names_the_same_moment(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    code, out, _err = run(
        ["invite", "create", "--branch", "PH-TL-01", "--role", "secretary"], capsys
    )
    assert code == 0
    assert re.search(r"valid until \d\d:\d\d \d\d/\d\d/\d{4} \(Asia/Ho_Chi_Minh\)", out), out


async def test_invite_for_branch_and_unit_of_own_district(harness: Harness) -> None:
    harness.settings.telegram.username = "chidoan_bot"
    admin = await harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/moi")
    assert "ví dụ: PH-CT-01" in admin.text
    await admin.say("/huy")
    await admin.say("/moi ph-tl-02")
    assert "Mã mời cho bí thư Chi đoàn ấp Long Trường" in admin.text
    assert "https://t.me/chidoan_bot?start=" in admin.text
    async with harness.uow() as uow:
        [invite] = list(
            await uow.session.scalars(select(Invite).order_by(Invite.id.desc()).limit(1))
        )
    assert invite.role == "secretary" and invite.branch_id is not None
    assert invite.created_by_id is not None
    code = f"{invite.code[:4]}-{invite.code[4:]}"
    assert code in admin.text
    newcomer = harness.chat("new1", "Hoa")
    await newcomer.say(f"/start {code}")
    assert "Chi đoàn ấp Long Trường" in newcomer.text
    await admin.say("/invite PH-TL")
    assert "Đoàn xã Tân Long" in admin.text
    async with harness.uow() as uow:
        latest = await uow.session.scalar(select(Invite).order_by(Invite.id.desc()).limit(1))
    assert latest is not None and latest.role == "unit-secretary" and latest.unit_id is not None
    await admin.say("/moi PH-XX-99")
    assert "không tìm thấy" in admin.text and "PH-XX-99" in admin.text
