"""The XLSX export read back with openpyxl: numbers, evidence index, the audited youth sheet."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app.cli import main
from bot.i18n import Catalog
from storage.models import AuditEntry, Role
from tests.support.harness import Harness
from tests.support.ops_seed import YOUTH_NAMES, seed
from tests.support.workbook import HEADER_ROW, sheet_rows

CATALOG = Catalog()


def t(key: str, **values: Any) -> str:
    """A Vietnamese message, as the workbook writes it for a Vietnamese reader."""
    return CATALOG.t("vi", key, **values)


async def audits(harness: Harness) -> list[AuditEntry]:
    async with harness.uow() as uow:
        found = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export_youth")
        )
        return list(found)


async def test_xuat_workbook_equals_hand_computed(harness: Harness) -> None:
    await seed(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/xuat 2026-11")
    assert "có kèm danh sách thanh niên khó khăn" in leader.text
    assert all(r.document is None for r in leader.last) and await audits(harness) == []
    await leader.press("🔒 Kèm danh sách có họ tên")
    document = next(r.document for r in leader.last if r.document is not None)
    assert document.filename == "baocao-PH-2026-11-co-ten.xlsx"
    assert "4/7 chi đoàn đã nộp, 4 ảnh minh chứng" in leader.text
    book = load_workbook(io.BytesIO(document.data))
    assert book.sheetnames == ["Báo cáo", "Minh chứng", "Thanh niên khó khăn", "Hỗ trợ đã trao"]
    reports = {row["Mã chi đoàn"]: row for row in sheet_rows(document.data, 0)}
    assert sorted(reports) == [
        "PH-CT-01",
        "PH-CT-02",
        "PH-THPT-10A1",
        "PH-THPT-11A2",
        "PH-TL-01",
        "PH-TL-02",
        "PH-TL-03",
    ]
    first = reports["PH-TL-01"]
    assert first["Trạng thái"] == "đã nộp" and first["Nộp trễ"] == "không"
    assert first["Nộp lúc"] == datetime(2026, 11, 20, 10, 0)
    assert first["Số đoàn viên"] == 30 and first["Kết nạp mới"] == 2
    assert first["Có sinh hoạt chi đoàn"] == "có"
    assert first["Ngày sinh hoạt"] == datetime(2026, 11, 15) or first["Ngày sinh hoạt"] == date(
        2026, 11, 15
    )
    assert first["Hỗ trợ khởi nghiệp (đồng)"] == 5_000_000
    chosen = [t("report.option.volunteer"), t("report.option.new_countryside")]
    assert first["Loại hoạt động trong tháng"] == "; ".join(chosen), "the form's option labels"
    assert first["Công trình, phần việc"] == "Công trình 1; Công trình 2"
    assert first["Số ảnh minh chứng"] == 2
    assert reports["PH-CT-01"]["Nộp trễ"] == "có"
    assert (
        reports["PH-CT-01"]["Số liệu cần kiểm tra"] == "Số đoàn viên: tăng mạnh so với tháng trước"
    )
    assert reports["PH-CT-02"]["Trạng thái"] == "trả lại để sửa"
    assert reports["PH-CT-02"]["Góp ý khi trả lại"] == "Thiếu ảnh sinh hoạt"
    assert reports["PH-TL-03"]["Trạng thái"] == "chưa nộp"
    assert reports["PH-TL-03"]["Số đoàn viên"] is None
    assert reports["PH-THPT-10A1"]["Trạng thái"] == "đang soạn"
    # Not received: the status stays, the figures stay out of the summable columns.
    assert reports["PH-THPT-10A1"]["Số đoàn viên"] is None
    assert reports["PH-CT-02"]["Số đoàn viên"] is None
    assert reports["PH-CT-02"]["Số ảnh minh chứng"] is None
    assert sum(r["Số đoàn viên"] or 0 for r in reports.values()) == 130
    received = [r for r in reports.values() if r["Trạng thái"] in ("đã nộp", "đã duyệt")]
    assert sum(r["Số đoàn viên"] for r in received) == 130
    evidence = sheet_rows(document.data, 1)
    assert len(evidence) == 4
    assert sorted(r["Mã chi đoàn"] for r in evidence) == [
        "PH-CT-02",
        "PH-TL-01",
        "PH-TL-01",
        "PH-TL-02",
    ]
    assert {r["Minh chứng cho"] for r in evidence} == {
        t("evidence.item.meeting"),
        t("evidence.item.activity", n=1, name="Công trình 1"),
        t("evidence.item.general"),
    }, "labelled as the chat labels them"
    assert all(len(r["Mã băm SHA-256 của ảnh"]) == 64 for r in evidence)
    assert all(r["Dung lượng (byte)"] >= 1000 for r in evidence)
    youth = sheet_rows(document.data, 2)
    assert sorted(r["Họ và tên"] for r in youth) == sorted(YOUTH_NAMES[:3])
    assert {r["Tình trạng"] for r in youth} == {"đang theo dõi", "đã kết thúc"}
    entries = await audits(harness)
    assert len(entries) == 1
    assert entries[0].subject == "district:PH" and entries[0].detail["cases"] == 3
    assert entries[0].person_id is not None


async def test_xuat_rejects_an_unreadable_month_with_an_example(sqlite_harness: Harness) -> None:
    leader = await sqlite_harness.registered("lead1", Role.ADMIN, "PH")
    await leader.say("/xuat thang muoi")
    assert "ví dụ: /xuat 2026-11" in leader.text
    assert all(r.document is None for r in leader.last)
    assert await audits(sqlite_harness) == []


async def test_cli_export_all_districts_without_names_unless_asked(
    sqlite_harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(sqlite_harness)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", sqlite_harness.url)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "all.xlsx"
    assert await asyncio.to_thread(main, ["export", "--period", "2026-11", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Báo cáo", "Minh chứng"]
    rows = sheet_rows(data, 0)
    assert len(rows) == 9 and {r["Mã chi đoàn"] for r in rows} >= {"NK-AB-01", "NK-AB-02"}
    assert await audits(sqlite_harness) == []
    one = tmp_path / "nk.xlsx"
    args = ["export", "--period", "2026-11", "--out", str(one), "--district", "NK", "--with-youth"]
    assert await asyncio.to_thread(main, [*args, "--lang", "en"]) == 0
    book = load_workbook(one)
    assert book.sheetnames == ["Reports", "Evidence", "Difficult youth", "Help given"]
    assert [r["Full name"] for r in sheet_rows(one.read_bytes(), 2)] == [YOUTH_NAMES[4]]
    entries = await audits(sqlite_harness)
    assert len(entries) == 1 and entries[0].detail["via"] == "cli" and entries[0].person_id is None


async def test_cells_are_formatted_for_reading(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/export 2026-11")
    await admin.press(2)
    document = next(r.document for r in admin.last if r.document is not None)
    book = load_workbook(io.BytesIO(document.data))
    reports, _evidence, youth, _help = book.worksheets
    headers = [c.value for c in reports[HEADER_ROW]]
    first = HEADER_ROW + 1
    vnd = reports.cell(row=first, column=headers.index("Hỗ trợ khởi nghiệp (đồng)") + 1)
    assert vnd.number_format == "#,##0"
    submitted = reports.cell(row=first, column=headers.index("Nộp lúc") + 1)
    assert submitted.number_format == "dd/mm/yyyy hh:mm"
    year_column = [c.value for c in youth[HEADER_ROW]].index("Năm sinh") + 1
    year = youth.cell(row=first, column=year_column)
    assert year.value == 2005 and year.number_format == "General"


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
        header = [c.value for c in book.worksheets[0][HEADER_ROW]]
        rows = {
            row[header.index("Mã chi đoàn")]: row
            for row in book.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        }
        assert rows["PH-THPT-10A1"][header.index("Số đoàn viên")] is None
    assert names == ["baocao-PH-2026-11.xlsx", "baocao-PH-2026-11-co-ten.xlsx"]
    assert leader.said("admin.export_ready")
