"""/nhacnho (/remind): admins preview who would be reminded, then send through the outbox."""

from __future__ import annotations

from bot.engine.types import Incoming, InKind
from storage.models import ReportStatus, Role
from tests.support.harness import Chat, Harness
from tests.support.outbox_fakes import rows
from tests.test_reminders import district, seed_report


async def forged_press(chat: Chat, payload: str) -> None:
    """A button press nobody offered this chat (an old or crafted payload)."""
    await chat._send(Incoming(kind=InKind.CHOICE, payload=payload, **chat._base()))


async def test_admin_previews_then_sends_once_per_day(harness: Harness) -> None:
    await district(harness)
    admin = await harness.registered("a1", role=Role.ADMIN, code="PH")
    await admin.say("/nhacnho")
    text = admin.text
    assert "Báo cáo tháng 11/2026" in text and "17:00 25/11/2026" in text
    assert "6 chi đoàn chưa nộp, sẽ nhắc 3 bí thư" in text
    assert "• Đoàn xã Tân Long: Chi đoàn ấp Long Phụng, Chi đoàn ấp Long Hòa" in text
    assert "• Đoàn thị trấn Cây Dương: Chi đoàn khu vực 1\n" in text
    unreachable = "Chi đoàn khu vực 2, Chi đoàn lớp 10A1, Chi đoàn lớp 11A2"
    assert f"không nhắc được (3 chi đoàn): {unreachable}" in text
    assert text.count("Chi đoàn khu vực 2") == 1, "each branch is listed once"
    assert admin.choices == ["Gửi lời nhắc", "Thôi, không gửi"]
    assert await rows(harness) == {}, "a preview sends nothing"
    await admin.press("Gửi lời nhắc")
    assert admin.said("reminders.queued.other", count=3, period="11/2026")
    saved = await rows(harness)
    assert sorted(m.chat_id for m in saved.values()) == ["s1", "s3", "s4"]
    assert all(":manual-2026-11-10:" in key for key in saved)
    await admin.say("/remind")
    # Said up front, and no button that could only say so after a tap.
    assert "Hôm nay đã gửi lời nhắc tới các bí thư này rồi" in admin.text
    assert admin.choices == []
    await admin.say("1")  # typed, as on Zalo: no button to answer now
    assert len(await rows(harness)) == 3, "pressing again the same day sends nothing more"
    harness.clock.advance(days=1)
    await admin.say("/nhacnho")
    await admin.press(1)
    assert len(await rows(harness)) == 6, "a new day, a new reminder"


async def test_admin_can_decline_and_is_told_when_all_reported(harness: Harness) -> None:
    admin = await harness.registered("a1", role=Role.ADMIN, code="PH")
    await admin.say("/nhacnho")
    assert "chưa có bí thư nào đăng ký" in admin.text and "Gửi lời nhắc ngay" not in admin.text
    assert admin.choices == [], "with nobody to remind, sending is not offered"
    await harness.registered("s1", Role.SECRETARY, "PH-TL-01")
    await admin.say("/nhacnho")
    assert "sẽ nhắc 1 bí thư" in admin.text
    await admin.press("Thôi, không gửi")
    assert "không gửi lời nhắc nào" in admin.text
    assert await rows(harness) == {}
    for code in ("PH-TL-01", "PH-TL-02", "PH-TL-03", "PH-CT-01", "PH-CT-02"):
        await seed_report(harness, code, ReportStatus.SUBMITTED)
    for code in ("PH-THPT-10A1", "PH-THPT-11A2"):
        await seed_report(harness, code, ReportStatus.APPROVED)
    await admin.say("/nhacnho")
    assert "Tất cả chi đoàn đã nộp báo cáo tháng 11/2026" in admin.text
    assert admin.choices == []


async def test_only_admins_may_remind_and_others_learn_nothing(harness: Harness) -> None:
    await district(harness)
    for user, role, code in (
        ("s1", Role.SECRETARY, "PH-TL-01"),
        ("u8", Role.UNIT_SECRETARY, "PH-TL"),
        ("l1", Role.LEADER, "PH"),
    ):
        chat = harness.chat(user) if user == "s1" else await harness.registered(user, role, code)
        for command in ("/nhacnho", "/remind"):
            await chat.say(command)
            assert "không dành cho vai trò của bạn" in chat.text
            assert "Long Phụng" not in chat.text and "chi đoàn" not in chat.text.lower()
        await forged_press(chat, "nhacnho:gui:2026-11")
        assert "không dành cho vai trò của bạn" in chat.text
        await chat.say("/trogiup")
        assert "/nhacnho" not in chat.text
    stranger = harness.chat("x1")
    await stranger.say("/nhacnho")
    assert "mã mời" in stranger.text
    assert await rows(harness) == {}, "nobody but an admin queued anything"


async def test_admin_sees_remind_in_help_and_menu(harness: Harness) -> None:
    admin = await harness.registered("a1", role=Role.ADMIN, code="PH")
    await admin.say("/trogiup")
    assert "/nhacnho (/remind)" in admin.text
    assert "🔔 Nhắc nộp báo cáo" in admin.choices
