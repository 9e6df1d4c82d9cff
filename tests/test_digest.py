"""The digest's figures, text and chart against a hand-computed seeded month."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from bot.i18n import Catalog, Formatter, delta, number, percent
from handlers.digest.chart import digest_chart
from handlers.digest.compute import build_digest
from handlers.digest.model import Digest
from handlers.digest.render import digest_text
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.ops_seed import EXPECTED, PERIOD, YOUTH_NAMES, seed

TZ = "Asia/Ho_Chi_Minh"


async def district_digest(harness: Harness, code: str = "PH") -> Digest:
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code(code)
        assert district is not None
        return await build_digest(uow, district, PERIOD, harness.settings)


async def test_digest_numbers_equal_hand_computed(harness: Harness) -> None:
    await seed(harness)
    digest = await district_digest(harness)
    table = digest.table
    assert (table.expected, table.received, table.on_time) == (
        EXPECTED["expected"],
        EXPECTED["received"],
        EXPECTED["on_time"],
    )
    assert table.reporting_rate == 4 / 7 and table.on_time_rate == 3 / 7
    units = {
        u.code: (u.expected, u.received, u.on_time, u.missing, u.returned) for u in table.units
    }
    assert units == EXPECTED["units"]
    assert digest.totals == EXPECTED["totals"]
    assert digest.previous == EXPECTED["previous"]
    youth = digest.youth
    assert (youth.open, youth.new, youth.closed) == EXPECTED["youth"]
    assert youth.by_category == EXPECTED["youth_by_category"]
    assert (digest.photos, digest.branches_with_photos) == (
        EXPECTED["photos"],
        EXPECTED["branches_with_photos"],
    )
    assert set(digest.flagged) == EXPECTED["flagged"]
    assert digest.returned == EXPECTED["returned"]
    assert [p for p, _ in digest.trend] == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    # Months before the first received report have no data (None), not a 0% rate.
    assert [r for _, r in digest.trend] == [None, None, None, 1 / 7, 2 / 7, 4 / 7]


async def test_other_district_sees_only_its_own(harness: Harness) -> None:
    await seed(harness)
    digest = await district_digest(harness, "NK")
    assert (digest.table.expected, digest.table.received) == (2, 1)
    assert digest.totals["members_total"] == 500
    assert (digest.youth.open, digest.youth.new) == (1, 1)
    assert digest.previous is None


async def test_digest_text_counts_only_and_vietnamese_numbers(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    digest = await district_digest(sqlite_harness)
    catalog = Catalog()
    text = digest_text(digest, Formatter(catalog, "vi", TZ))
    for name in YOUTH_NAMES:
        assert name not in text
    assert "Đã nộp: 4/7 chi đoàn (57%)" in text
    assert "Nộp đúng hạn: 3/7 (43%)" in text
    assert "hạn nộp 17:00 25/11/2026" in text
    tan_long = "• Đoàn xã Tân Long: 2/3 (67%), đúng hạn 2 (67%)\n   chưa nộp: Chi đoàn ấp Long Hòa"
    assert tan_long in text
    assert "Phụng Hiệp: 1/2 (50%), đúng hạn 1 (50%)\n   chưa nộp: Chi đoàn lớp 10A1" in text
    assert "Hỗ trợ khởi nghiệp (đồng): 15.000.000 (+13.000.000)" in text
    assert "Đoàn viên: 130 (+77)" in text
    assert "Dân tộc thiểu số: 1 đang theo dõi, 0 mới, 0 kết thúc" in text
    assert "2 đang theo dõi, 1 mới trong tháng, 1 đã kết thúc" in text
    assert "Ảnh minh chứng của báo cáo đã nhận: 3 ảnh từ 2 chi đoàn" in text
    assert "Cây Dương: 1/2 (50%), đúng hạn 0 (0%)\n   bị trả lại: Chi đoàn khu vực 2" in text
    assert "Chưa nhận: 3 chi đoàn (2 chưa nộp, 1 bị trả lại để sửa)" in text
    assert "cần kiểm tra (2)" in text
    english = digest_text(digest, Formatter(catalog, "en", TZ))
    assert "Start-up support (VND): 15,000,000 (+13,000,000)" in english
    assert "Submitted: 4/7 branches (57%)" in english


def test_number_formats() -> None:
    assert number(1200, "vi") == "1.200" and number(1200, "en") == "1,200"
    assert percent(2 / 3) == "67%" and percent(None) == "–"
    assert delta(5, 8, "vi") == "−3" and delta(8, 8, "vi") == "±0"
    assert delta(1500, 200, "vi") == "+1.300" and delta(1, None, "vi") == ""


async def test_chart_is_a_small_readable_png(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    digest = await district_digest(sqlite_harness)
    data = digest_chart(digest, "Tỉ lệ nộp báo cáo", "6 tháng gần đây")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.width == 600 and 400 <= image.height <= 1200
    assert len(data) < 200_000


def test_long_lists_of_missing_branches_are_cut_in_the_digest() -> None:
    f = Formatter(Catalog(), "vi", TZ)
    branches = [f"Chi đoàn ấp {i}" for i in range(1, 12)]
    assert f.names(branches, 8) == ", ".join(branches[:8]) + " và 3 chi đoàn khác"
    assert f.names(branches, None) == ", ".join(branches)


def _right_edge_is_blank(png: bytes, rows: int = 18, columns: int = 8) -> bool:
    """Nothing drawn in the last 8 pixel columns of the bottom rows (the month labels)."""
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        width, height = grey.size
        box = grey.crop((width - columns, height - rows, width, height))
        return sum(box.histogram()[:200]) == 0


async def test_no_reports_says_so_instead_of_zero_totals(sqlite_harness: Harness) -> None:
    await sqlite_harness.import_org()
    digest = await district_digest(sqlite_harness)
    text = digest_text(digest, Formatter(Catalog(), "vi", TZ))
    assert "chưa có báo cáo nào được nộp" in text and "Đoàn viên: 0" not in text
    english = digest_text(digest, Formatter(Catalog(), "en", TZ))
    assert "no report has been submitted" in english and "Members: 0" not in english


async def test_trend_leaves_out_months_before_any_report(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    digest = await district_digest(sqlite_harness)
    known = [p for p, r in digest.trend if r is not None]
    assert known == ["2026-09", "2026-10", "2026-11"], digest.trend
    assert all(r is None for p, r in digest.trend if p < "2026-09")


async def test_chart_month_labels_fit_inside_the_picture(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    digest = await district_digest(sqlite_harness)
    full = [(p, 0.5) for p, _ in digest.trend]  # six months of data: the widest axis
    png = digest_chart(replace(digest, trend=full), "Tỉ lệ", "6 tháng")
    assert _right_edge_is_blank(png)
