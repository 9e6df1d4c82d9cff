"""The whole country's reporting table: one line per district, counted as /trangthai counts."""

from __future__ import annotations

from bot.i18n import Formatter
from handlers.digest.compute import reporting_table
from handlers.digest.national import national_table, national_text
from storage.repositories.org import OrgRepository
from tests.support.big_org import DistrictSize, seed_big_org
from tests.support.harness import Harness
from tests.support.ops_seed import seed


async def test_each_district_line_says_what_its_status_table_says(harness: Harness) -> None:
    await seed(harness)
    big = await seed_big_org(harness.db, [DistrictSize("BIG", 45), DistrictSize("EMPTY", 0)])
    async with harness.uow() as uow:
        national = await national_table(uow, "2026-11", harness.settings)
        districts = await uow.get(OrgRepository).list_districts()
        tables = {
            d.code: await reporting_table(uow, d, "2026-11", harness.settings) for d in districts
        }
    lines = {d.code: d for d in national.districts}
    assert set(lines) == set(tables)
    for code, table in tables.items():
        line = lines[code]
        returned = sum(len(u.returned) for u in table.units)
        assert (line.expected, line.received, line.on_time, line.returned) == (
            table.expected, table.received, table.on_time, returned
        ), code  # fmt: skip
    assert (lines["BIG"].expected, lines["BIG"].received) == (45, big.received)
    assert lines["EMPTY"].expected == 0
    assert national.expected == sum(t.expected for t in tables.values())


async def test_the_national_text_has_the_country_then_a_line_per_district(
    harness: Harness,
) -> None:
    await seed(harness)
    async with harness.uow() as uow:
        national = await national_table(uow, "2026-11", harness.settings)
    text = national_text(national, Formatter(harness.catalog, "vi", harness.settings.bot.timezone))
    assert text.startswith("🗺️ Tình hình báo cáo toàn quốc")
    assert "Đã nộp: 5/9 chi đoàn (56%)" in text  # Phụng Hiệp 4/7 and Ninh Kiều 1/2
    assert "• Huyện đoàn Phụng Hiệp: 4/7 (57%), đúng hạn 3 (43%)" in text
    assert "• Quận đoàn Ninh Kiều: 1/2 (50%)" in text
    assert text.endswith("Chưa nhận: 4 chi đoàn (3 chưa nộp, 1 bị trả lại để sửa)")
