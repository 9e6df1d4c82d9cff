"""Digest, round 2: no zero totals before any report, no 0% before data, labels not cut off."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from bot.i18n import Catalog, Formatter
from handlers.digest.chart import digest_chart
from handlers.digest.render import digest_text
from tests.support.harness import Harness
from tests.support.ops_seed import seed
from tests.test_digest import TZ, district_digest


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


def _right_edge_is_blank(png: bytes, rows: int = 18, columns: int = 8) -> bool:
    """Nothing drawn in the last 8 pixel columns of the bottom rows (the month labels)."""
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        width, height = grey.size
        box = grey.crop((width - columns, height - rows, width, height))
        return sum(box.histogram()[:200]) == 0


async def test_chart_month_labels_fit_inside_the_picture(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    digest = await district_digest(sqlite_harness)
    full = [(p, 0.5) for p, _ in digest.trend]  # six months of data: the widest axis
    png = digest_chart(replace(digest, trend=full), "Tỉ lệ", "6 tháng")
    assert _right_edge_is_blank(png)
