"""/moi and /thongbao without arguments ask for what they need and take the next message."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Conversation, Invite, OutboxMessage, Role
from tests.support.harness import Harness
from tests.support.ops_seed import seed


async def _flow(harness: Harness, chat_id: str) -> str | None:
    async with harness.uow() as uow:
        conv = await uow.session.scalar(select(Conversation).where(Conversation.chat_id == chat_id))
        return conv.flow if conv else None


async def test_invite_asks_for_the_code_and_takes_lower_case(sqlite_harness: Harness) -> None:
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/moi")
    assert "Bạn gõ mã chi đoàn" in admin.text and "PH-CT-01" in admin.text
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


async def test_broadcast_asks_for_the_text_then_previews(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    await sqlite_harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/thongbao")
    assert "gõ nội dung thông báo" in admin.text
    await admin.say("x" * 1600)
    assert "1600 ký tự" in admin.text
    await admin.say("Họp chi đoàn lúc 8 giờ")
    assert "Họp chi đoàn lúc 8 giờ" in admin.text and admin.choices == ["✅ Gửi", "✖️ Không gửi"]
    await admin.press("✅ Gửi")
    async with sqlite_harness.uow() as uow:
        rows = list(await uow.session.scalars(select(OutboxMessage)))
    assert any("Họp chi đoàn lúc 8 giờ" in r.payload["text"] for r in rows)


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
