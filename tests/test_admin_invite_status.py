"""/moi creates codes inside the admin's district; /trangthai shows the reporting table."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Invite, Role
from tests.support.harness import Harness
from tests.support.ops_seed import seed


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


async def test_status_table_now_and_for_a_past_month(harness: Harness) -> None:
    await seed(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/trangthai")
    text = leader.text
    assert "Tình hình báo cáo · Huyện đoàn Phụng Hiệp" in text
    assert "Đã nộp: 4/7 chi đoàn (57%)" in text and "Nộp đúng hạn: 3/7 (43%)" in text
    assert "• Đoàn thị trấn Cây Dương: 1/2 (50%), đúng hạn 0 (0%)" in text
    assert "• Đoàn xã Tân Long: 2/3 (67%), đúng hạn 2 (67%)" in text
    assert "Chưa nhận: 3 chi đoàn (2 chưa nộp, 1 bị trả lại để sửa)" in text
    await leader.say("/trangthai 10/2026")
    assert "Báo cáo tháng 10/2026" in leader.text and "Đã nộp: 2/7" in leader.text
    await leader.say("/trangthai thang truoc")
    assert "ví dụ: /trangthai 2026-11" in leader.text
    await leader.say("/status 2026-11")
    assert "Đã nộp: 4/7" in leader.text
