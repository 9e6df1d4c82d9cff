"""/thongbao: preview, confirm, one outbox row per secretary on their chat, never twice."""

from __future__ import annotations

from sqlalchemy import select, update

from storage.models import ChatIdentity, Conversation, OutboxMessage, Role
from storage.repositories.people import PeopleRepository
from tests.support.harness import Harness
from tests.support.ops_seed import seed

NOTICE = "Thứ Bảy 8 giờ họp Ban Chấp hành tại hội trường."


async def broadcasts(harness: Harness) -> list[OutboxMessage]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "broadcast")
        )
        return list(rows)


async def test_preview_confirm_queue_once_then_progress(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    await harness.registered("sec2", Role.SECRETARY, "PH-THPT-10A1", language_hint="en")
    await harness.registered("unit1", Role.UNIT_SECRETARY, "PH-TL")
    await harness.registered("nk1", Role.SECRETARY, "NK-AB-01")
    await harness.registered("lead1", Role.LEADER, "PH")
    async with harness.uow() as uow:  # Lan also linked Zalo, but she writes from her first chat
        person = await uow.get(PeopleRepository).by_identity("fake", "sec1")
        assert person is not None
        uow.session.add(
            ChatIdentity(person_id=person.id, channel="zalo", external_id="z1", chat_id="z1")
        )
    admin = await harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/thongbao")
    assert "gõ nội dung thông báo" in admin.text
    await admin.say(f"/thongbao {NOTICE}")
    assert "tới 3 bí thư" in admin.text and NOTICE in admin.text
    assert "Thông báo từ Huyện đoàn Phụng Hiệp" in admin.text
    assert admin.choices == ["✅ Gửi", "✖️ Không gửi"]
    assert await broadcasts(harness) == []
    async with harness.uow() as uow:
        conv = await uow.session.scalar(
            select(Conversation).where(Conversation.chat_id == "admin1")
        )
        assert conv is not None
        saved = (conv.flow, conv.step, dict(conv.data), list(conv.choices))
    await admin.press("✅ Gửi")
    assert admin.said("admin.broadcast_queued", count=3)
    rows = await broadcasts(harness)
    assert sorted((r.channel, r.chat_id) for r in rows) == [
        ("fake", "sec1"),
        ("fake", "sec2"),
        ("fake", "unit1"),
    ], "one message per person, on the chat they wrote from"
    assert len({r.key for r in rows}) == 3
    assert all(r.key.startswith(f"broadcast:{saved[2]['id']}:") for r in rows)
    by_chat = {r.chat_id: r.payload["text"] for r in rows}
    assert NOTICE in by_chat["sec1"] and by_chat["sec1"].startswith("📢 Thông báo từ")
    assert by_chat["sec2"].startswith("📢 Notice from")
    # The same confirmation arriving again (a retried update, a double tap) adds nothing.
    async with harness.uow() as uow:
        await uow.session.execute(
            update(Conversation)
            .where(Conversation.chat_id == "admin1")
            .values(flow=saved[0], step=saved[1], data=saved[2], choices=saved[3])
        )
    await admin.say("1")
    assert admin.said("admin.broadcast_queued", count=3)
    assert len(await broadcasts(harness)) == 3
    await admin.say("/thongbao")
    assert "Đã gửi: 0 · Đang chờ: 3 · Không gửi được: 0" in admin.text
    async with harness.uow() as uow:
        for chat_id, status in (("sec1", "sent"), ("sec2", "parked")):
            await uow.session.execute(
                update(OutboxMessage).where(OutboxMessage.chat_id == chat_id).values(status=status)
            )
    await admin.say("/broadcast")
    assert "Đã gửi: 1 · Đang chờ: 1 · Không gửi được: 1" in admin.text


async def test_cancel_and_too_long_send_nothing(sqlite_harness: Harness) -> None:
    await sqlite_harness.registered("sec1", Role.SECRETARY, "PH-TL-01")
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/thongbao Họp nhé")
    await admin.say("gui luon")
    assert admin.said("admin.broadcast_confirm_hint") and admin.choices
    await admin.press("✖️ Không gửi")
    assert "Đã huỷ" in admin.text
    await admin.say("/thongbao " + "a" * 1600)
    assert "quá giới hạn 1500" in admin.text and not admin.choices
    assert await broadcasts(sqlite_harness) == []


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
