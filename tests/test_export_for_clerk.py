"""The workbook a district clerk opens: a title block, a frozen header, readable widths, the
activity column named for what it holds, subtotals per grassroots unit and a district total that
equal the digest's figures, and a signed, expiring link per photo beside the item it proves."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app.assembly import media_store
from bot.app.cli import main
from bot.app.web.links import LinkRefused, SignedLinks
from bot.i18n import Catalog, moment
from handlers.digest.compute import build_digest
from handlers.evidence.links import PhotoLinks
from handlers.reports.form import form_for
from storage.models import Role
from storage.repositories.org import OrgRepository
from tests.support.evidence_seed import report_with_photos
from tests.support.harness import Harness
from tests.support.ops_seed import PERIOD, seed
from tests.support.workbook import HEADER_ROW, heading, sheet_rows, total_rows

CATALOG = Catalog()
TZ = "Asia/Ho_Chi_Minh"


def t(key: str, **values: object) -> str:
    return CATALOG.t("vi", key, **values)


async def exported(harness: Harness, code: str = "PH") -> bytes:
    """The workbook a leader of the district gets from /xuat, without names."""
    leader = await harness.registered("lead1", Role.LEADER, code)
    await leader.say(f"/xuat {PERIOD}")
    await leader.press(t("admin.export_without_names"))
    return next(r.document for r in leader.last if r.document is not None).data


def signer(harness: Harness) -> SignedLinks:
    """The bot's one link signer, as the app provides it to handlers for photo links."""
    links = SignedLinks(
        harness.data_dir / "links",
        "https://bot.example.org",
        b"link-secret",
        timedelta(minutes=60),
        harness.clock,
        media_root=media_store(harness.settings).root,
    )
    harness.services.provide(links, as_type=PhotoLinks)
    return links


async def test_subtotals_and_totals_equal_the_digest(harness: Harness) -> None:
    await seed(harness)
    data = await exported(harness)
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None
        digest = await build_digest(uow, district, PERIOD, harness.settings)
    *units, total = total_rows(data)
    counted = {u.code: u for u in digest.table.units}
    assert [row[t("export.col.unit_code")] for row in units] == sorted(counted)
    for row in units:
        unit = counted[row[t("export.col.unit_code")]]
        assert row[t("export.col.branch")] == t("export.total.unit")
        assert row[t("export.col.status")] == t(
            "export.total.received",
            received=unit.received,
            expected=unit.expected,
            on_time=unit.on_time,
        )
    assert total[t("export.col.unit")] == "Huyện đoàn Phụng Hiệp"
    assert total[t("export.col.status")] == t(
        "export.total.received",
        received=digest.table.received,
        expected=digest.table.expected,
        on_time=digest.table.on_time,
    )
    form = form_for(harness.settings)
    for figure in digest.figures:
        column = t(form.field(figure.key).column_key)
        assert total[column] == digest.totals[figure.key], figure.key
        assert sum(row[column] for row in units) == digest.totals[figure.key], figure.key
    assert total[t("export.col.photos")] == digest.photos
    branches = sheet_rows(data, 0)
    members = t("report.field.members_total.column")
    assert sum(r[members] or 0 for r in branches) == total[members], "a total of the rows above"


async def test_every_sheet_opens_with_a_title_block_and_a_frozen_header(
    harness: Harness,
) -> None:
    await seed(harness)
    data = await exported(harness)
    made = moment(harness.clock.now(), TZ)
    assert heading(data, 0) == [
        t(
            "export.title.heading",
            sheet="Báo cáo",
            period="11/2026",
            districts="Huyện đoàn Phụng Hiệp",
        ),
        f"{t('export.title.generated', at=made)} {t('export.title.counted')}",
    ]
    assert (
        heading(data, 1)[1]
        == f"{t('export.title.generated', at=made)} {t('export.title.no_links')}"
    )
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}", sheet.title
        header = sheet[HEADER_ROW]
        assert all(cell.font.b and cell.alignment.wrap_text for cell in header), sheet.title
        assert sheet[1][0].font.b, "the title stands out"


async def test_columns_are_sized_for_what_they_hold(sqlite_harness: Harness) -> None:
    await seed(sqlite_harness)
    sheet = load_workbook(io.BytesIO(await exported(sqlite_harness))).worksheets[0]
    headers = [c.value for c in sheet[HEADER_ROW]]

    def width(header: str) -> float:
        letter = sheet.cell(row=HEADER_ROW, column=headers.index(header) + 1).column_letter
        return float(sheet.column_dimensions[letter].width)

    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))

    def longest(header: str) -> int:
        return max(len(str(r[headers.index(header)] or "")) for r in rows)

    for shown in ("export.col.branch", "export.col.unit", "export.col.status"):
        assert width(t(shown)) >= longest(t(shown)), shown
    assert width(t("report.field.difficulties.column")) >= 40, "long answers get room"
    assert width(t("report.field.members_total.column")) <= 16, "numbers stay narrow"
    assert sheet.row_dimensions[HEADER_ROW].height >= 30, "room for the wrapped headers"


def test_the_activity_column_says_what_it_holds() -> None:
    # It holds the kinds of activity the branch had (volunteer, new countryside, civilised
    # urban), not volunteer activities alone.
    assert t("report.field.volunteer_activities.column") == "Loại hoạt động trong tháng"
    assert CATALOG.t("en", "report.field.volunteer_activities.column") == (
        "Kinds of activity this month"
    )


async def test_each_photo_has_a_signed_link_beside_the_item_it_proves(harness: Harness) -> None:
    links = signer(harness)
    await report_with_photos(harness, ["meeting", "activity:2"])
    data = await exported(harness)
    days = harness.settings.web.workbook_link_days
    until = moment(harness.clock.now() + timedelta(days=days), TZ)
    assert t("export.title.links", until=until) in heading(data, 1)[1]
    rows = sheet_rows(data, 1)
    assert [r[t("export.col.item")] for r in rows] == [
        t("evidence.item.meeting"),
        t("evidence.item.activity", n=2, name="Công trình 2"),
    ]
    sheet = load_workbook(io.BytesIO(data)).worksheets[1]
    headers = [c.value for c in sheet[HEADER_ROW]]
    column = headers.index(t("export.col.photo_link"))
    assert column == headers.index(t("export.col.item")) + 1
    cells = [row[column] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert all(c.hyperlink is not None and c.hyperlink.target == c.value for c in cells)
    store = media_store(harness.settings)
    for cell, row in zip(cells, rows, strict=True):
        token = str(cell.value).rpartition("/photos/")[2]
        sha = row[t("export.col.sha256")]
        assert links.resolve_photo(token) == store.path(sha, "image/jpeg")
    harness.clock.advance(timedelta(days=days - 1))
    assert links.resolve_photo(str(cells[0].value).rpartition("/")[2]).is_file()
    harness.clock.advance(timedelta(days=2))
    with pytest.raises(LinkRefused):
        links.resolve_photo(str(cells[0].value).rpartition("/")[2])


async def test_no_public_address_no_photo_links(sqlite_harness: Harness) -> None:
    await report_with_photos(sqlite_harness, ["meeting"])
    data = await exported(sqlite_harness)
    [row] = sheet_rows(data, 1)
    assert row[t("export.col.photo_link")] is None
    assert row[t("export.col.item")] == t("evidence.item.meeting")


async def test_cli_export_links_photos_when_the_bot_has_an_address(
    sqlite_harness: Harness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await report_with_photos(sqlite_harness, ["meeting"])
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", sqlite_harness.url)
    monkeypatch.setenv("CHIDOAN_BOT__DATA_DIR", str(sqlite_harness.data_dir))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "thang-11.xlsx"
    args = ["export", "--period", PERIOD, "--out", str(out), "--district", "PH"]
    assert await asyncio.to_thread(main, args) == 0
    assert "no links" in capsys.readouterr().out
    assert sheet_rows(out, 1)[0][t("export.col.photo_link")] is None
    monkeypatch.setenv("CHIDOAN_WEB__PUBLIC_BASE_URL", "https://bot.example.org")
    monkeypatch.setenv("CHIDOAN_WEB__LINK_SECRET", "a-fixed-secret")
    assert await asyncio.to_thread(main, args) == 0
    assert "links open for 31 days" in capsys.readouterr().out
    link = sheet_rows(out, 1)[0][t("export.col.photo_link")]
    assert str(link).startswith("https://bot.example.org/photos/")
