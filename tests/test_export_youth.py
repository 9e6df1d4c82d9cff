"""The export's difficult-youth sheets: names only when chosen, labels not codes, help given."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from storage.models import AuditEntry, Role, YouthCase, YouthCaseEvent
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.ops_seed import seed
from tests.support.workbook import HEADER_ROW, sheet_rows


async def closed_case_with_help(harness: Harness) -> None:
    """Bình moved away in November after being given a bicycle."""
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
        case = YouthCase(
            branch_id=branch.id,
            full_name="Trần Văn Bình",
            birth_year=2006,
            sex="male",
            categories=["orphan"],
            status="closed",
            close_reason="moved_away",
            created_at=datetime(2026, 10, 1, 2, 0, tzinfo=UTC),
            closed_at=datetime(2026, 11, 12, 2, 0, tzinfo=UTC),
        )
        uow.session.add(case)
        await uow.flush()
        uow.session.add(
            YouthCaseEvent(
                case_id=case.id,
                kind="help_given",
                detail={"what": "Tặng xe đạp", "on": "2026-11-05"},
                at=datetime(2026, 11, 5, 3, 0, tzinfo=UTC),
            )
        )


async def exported(harness: Harness, choice: int) -> bytes:
    admin = await harness.registered("admin1", Role.ADMIN, "PH")
    await admin.say("/xuat 2026-11")
    assert admin.choices == ["📄 Không kèm họ tên", "🔒 Kèm danh sách có họ tên"]
    await admin.press(choice)
    return next(r.document for r in admin.last if r.document is not None).data


async def test_youth_sheet_shows_labels_and_help_given(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    await closed_case_with_help(sqlite_harness)
    data = await exported(sqlite_harness, 2)
    binh = next(r for r in sheet_rows(data, 2) if r["Họ và tên"] == "Trần Văn Bình")
    assert binh["Giới tính"] == "Nam" and binh["Lý do kết thúc"] == "Đã chuyển đi nơi khác"
    assert binh["Diện khó khăn"] == "Mồ côi"
    [given] = sheet_rows(data, 3)
    assert given["Họ và tên"] == "Trần Văn Bình" and given["Nội dung hỗ trợ"] == "Tặng xe đạp"
    assert given["Ngày hỗ trợ"] == datetime(2026, 11, 5)


async def test_names_only_when_chosen(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    data = await exported(sqlite_harness, 1)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Báo cáo", "Minh chứng"]
    async with sqlite_harness.uow() as uow:
        audited = list(
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "export_youth"))
        )
    assert audited == [], "no names, nothing to audit"


async def test_date_columns_are_wide_enough(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    book = load_workbook(io.BytesIO(await exported(sqlite_harness, 1)))
    reports = book.worksheets[0]
    headers = [c.value for c in reports[HEADER_ROW]]
    letter = reports.cell(row=HEADER_ROW, column=headers.index("Nộp lúc") + 1).column_letter
    assert reports.column_dimensions[letter].width >= len("dd/mm/yyyy hh:mm") + 1
