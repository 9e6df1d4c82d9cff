"""/trangthai: who has reported, by grassroots unit, for the district or a unit secretary's unit."""

from __future__ import annotations

from storage.models import Role
from tests.support.harness import Harness
from tests.support.ops_seed import seed


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


async def test_status_shows_returned_and_totals_agree_with_reminders(harness: Harness) -> None:
    await seed(harness)
    leader = await harness.registered("adm1", Role.ADMIN, "PH")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.say("/trangthai 2026-11")
    text = leader.text
    assert "Đã nộp: 4/7" in text
    assert "Cây Dương: 1/2 (50%), đúng hạn 0 (0%)\n   bị trả lại: Chi đoàn khu vực 2" in text
    assert "Chưa nhận: 3 chi đoàn (2 chưa nộp, 1 bị trả lại để sửa)" in text
    # Every missing branch is listed above, so no pointer to the workbook.
    assert "/xuat" not in text
    await leader.say("/nhacnho 2026-11")
    assert "3 chi đoàn chưa nộp" in leader.text
