"""The channel report scenarios' shared facts: the photo sent, the answers expected, the rows read.

Both channels' end-to-end tests (tests/telegram, tests/zalo) type the same report the way
secretaries type it, then compare what the database holds with `EXPECTED`.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import select

from bot.media import MediaStore
from storage.models import Evidence, MonthlyReport, ReportStatus
from tests.support.harness import Harness
from tests.support.report_script import report_of

# The scenarios run on 18/11/2026, so "15/11" is a day of the month being reported (and
# "ngay 15 thang 11", as Zalo users type it without diacritics).
DAYS_INTO_MONTH = 8
MEETING_DATE_TYPED = "15/11"
PHOTO_CAPTION = "Sinh hoạt chi đoàn tháng 11"
RECEIPT = "Đã nhận báo cáo tháng 11/2026 lúc 09:00 18/11/2026"
REFERENCE = "PHTL01-2611-1"

EXPECTED: dict[str, Any] = {
    "members_total": 25,
    "admitted": 2,
    "transferred_in": 0,
    "transferred_out": 1,
    "meeting_held": True,
    "meeting_date": "2026-11-15",
    "meeting_attendance": 20,
    "one_plus_one": 5,
    "projects_count": 2,
    "projects": ["Dọn vệ sinh kênh ấp", "Trồng 100 cây xanh"],
    "volunteer_activities": ["volunteer", "civilised_urban"],
    "party_introduced": 0,
    "support_poverty_models": 1,
    "support_charity_houses": 0,
    "support_startup_vnd": 1_500_000,
    "mood": "Đoàn viên phấn khởi, hăng hái",
    "difficulties": "Thiếu kinh phí tổ chức",
}

# Lines of the summary the secretary reads before sending.
SUMMARY_LINES = [
    "1. Đoàn viên hiện có: 25",
    "Kết nạp mới: 2",
    "15/11/2026",
    "Hỗ trợ khởi nghiệp: 1.500.000 đồng",
    "Loại hoạt động: Tình nguyện, Văn minh đô thị",
    "Sinh hoạt chi đoàn: 1",
]


def jpeg_photo(seed: int = 1, size: tuple[int, int] = (320, 240)) -> bytes:
    """A real JPEG (as a phone camera sends), different for each seed."""
    image = Image.new("RGB", size, (30 + seed * 40 % 200, 120, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] // 2), fill=(240, 200, 40))
    draw.text((30, size[1] - 40), f"Chi doan {seed}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


@dataclass(frozen=True)
class Stored:
    """The report row and its photos, fresh from the database."""

    report: MonthlyReport
    evidence: list[Evidence]


async def stored_report(harness: Harness) -> Stored:
    """This month's report of branch PH-TL-01 and its evidence rows."""
    report = await report_of(harness)
    assert report is not None, "no report was stored"
    async with harness.uow() as uow:
        rows = await uow.session.scalars(
            select(Evidence).where(Evidence.report_id == report.id).order_by(Evidence.id)
        )
        return Stored(report, list(rows))


async def assert_report_matches(harness: Harness, photo: bytes) -> Stored:
    """Every answer as typed, submitted on time, the photo byte for byte on the meeting."""
    stored = await stored_report(harness)
    report = stored.report
    assert report.status == ReportStatus.SUBMITTED and not report.late
    assert report.reference == REFERENCE
    assert report.submitted_at == harness.clock.now()
    assert report.answers == EXPECTED
    assert [(e.sha256, e.item, e.caption, e.mime) for e in stored.evidence] == [
        (hashlib.sha256(photo).hexdigest(), "meeting", PHOTO_CAPTION, "image/jpeg")
    ]
    evidence = stored.evidence[0]
    assert (evidence.size, evidence.width, evidence.height) == (len(photo), 320, 240)
    assert evidence.by_id == report.submitted_by_id
    media = MediaStore(harness.data_dir / "media", 10 * 1024 * 1024)
    assert media.read(evidence.sha256, evidence.mime) == photo, "the file kept is the one sent"
    return stored
