"""/moi finds places by name, and the chat and the CLI name the same expiry moment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.i18n import moment
from storage.models import Invite, Role
from tests.support.harness import Harness
from tests.test_cli import SAMPLE_ORG, run, workdir  # noqa: F401


async def test_invite_by_name_without_diacritics(harness: Harness) -> None:
    admin = await harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/moi long hoa")
    assert "không thấy mã “long hoa”" in admin.text
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


def test_cli_names_the_same_moment(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    code, out, _err = run(
        ["invite", "create", "--branch", "PH-TL-01", "--role", "secretary"], capsys
    )
    assert code == 0
    assert re.search(r"valid until \d\d:\d\d \d\d/\d\d/\d{4} \(Asia/Ho_Chi_Minh\)", out), out
