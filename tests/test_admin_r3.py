"""Round-3 review findings on the leader side: status totals, export drafts, file names."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from storage.models import Role
from tests.support.harness import Harness
from tests.support.ops_seed import seed


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


async def test_export_files_have_distinct_names(harness: Harness) -> None:
    await seed(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    names = []
    for label in ("📄 Không kèm họ tên", "🔒 Kèm danh sách có họ tên"):
        await leader.say("/xuat 2026-11")
        await leader.press(label)
        document = next(r.document for r in leader.last if r.document is not None)
        names.append(document.filename)
        book = load_workbook(io.BytesIO(document.data))
        header = [c.value for c in book.worksheets[0][1]]
        rows = {
            row[header.index("Mã chi đoàn")]: row
            for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)
        }
        assert rows["PH-THPT-10A1"][header.index("Số đoàn viên")] is None
    assert names == ["baocao-PH-2026-11.xlsx", "baocao-PH-2026-11-co-ten.xlsx"]
    assert "số liệu để trống" in leader.text
