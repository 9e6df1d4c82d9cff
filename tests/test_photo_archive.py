"""`chidoan-bot photos`: a district's month of photo evidence as a zip for the office archive,
one folder per grassroots unit and branch, files named by item and order, an index, names safe
on Windows; only received reports, only the district asked for; audited."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.assembly import media_store
from bot.app.cli import main
from handlers.evidence.archive import windows_safe
from storage.models import AuditEntry, Evidence
from tests.support.evidence_seed import PERIOD, kept_bytes, report_with_photos
from tests.support.harness import LOCAL_FIXTURES, Harness

TL01 = "PH-TL Doan xa Tan Long/PH-TL-01 Chi doan ap Long Phung"
TL02 = "PH-TL Doan xa Tan Long/PH-TL-02 Chi doan ap Long Truong"
INDEX = "danh-sach-anh.csv"


async def seeded(harness: Harness) -> None:
    """Received reports with photos, and photos the archive must leave out: a draft's, a
    returned report's, another district's."""
    await harness.import_org(LOCAL_FIXTURES / "org-second-district.csv")
    await report_with_photos(harness, ["activity:2", "meeting", None, "meeting"])
    await report_with_photos(harness, ["meeting"], code="PH-TL-02", status="approved", first_seed=5)
    await report_with_photos(harness, ["meeting"], code="PH-CT-01", status="draft", first_seed=6)
    await report_with_photos(harness, [None], code="PH-CT-02", status="returned", first_seed=7)
    await report_with_photos(harness, ["meeting"], code="NK-AB-01", first_seed=8)


def archive(harness: Harness, out: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", harness.url)
    monkeypatch.setenv("CHIDOAN_BOT__DATA_DIR", str(harness.data_dir))
    return ["photos", "--district", "ph", "--period", PERIOD, "--out", str(out)]


async def photos(harness: Harness) -> list[Evidence]:
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(Evidence).order_by(Evidence.id)))


async def test_one_folder_per_branch_files_by_item_and_order(
    harness: Harness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await seeded(harness)
    out = tmp_path / "anh-PH-2026-11.zip"
    assert await asyncio.to_thread(main, archive(harness, out, monkeypatch)) == 0
    assert capsys.readouterr().out.strip() == f"{out}: 5 photos of 2 branches"
    assert out.stat().st_mode & 0o777 == 0o600, "photos of people: readable by this user only"
    kept = await photos(harness)
    with zipfile.ZipFile(out) as zipped:
        assert zipped.namelist() == [
            f"{TL01}/01-01 Sinh hoat chi doan.jpg",
            f"{TL01}/01-02 Sinh hoat chi doan.jpg",
            f"{TL01}/02-01 Hoat dong 2 Cong trinh 2.jpg",
            f"{TL01}/03-01 Ca bao cao.jpg",
            f"{TL02}/01-01 Sinh hoat chi doan.jpg",
            INDEX,
        ]
        assert zipped.read(f"{TL01}/01-01 Sinh hoat chi doan.jpg") == kept_bytes(harness, kept[1])
        assert zipped.read(f"{TL01}/02-01 Hoat dong 2 Cong trinh 2.jpg") == kept_bytes(
            harness, kept[0]
        )
        index = list(csv.reader(io.StringIO(zipped.read(INDEX).decode("utf-8-sig"))))
    assert index[0][:7] == [
        "Mã đoàn cơ sở",
        "Đoàn cơ sở",
        "Mã chi đoàn",
        "Chi đoàn",
        "Trạng thái",
        "Minh chứng cho",
        "Tệp ảnh trong thư mục",
    ]
    assert index[1][:7] == [
        "PH-TL",
        "Đoàn xã Tân Long",
        "PH-TL-01",
        "Chi đoàn ấp Long Phụng",
        "đã nộp",
        "Sinh hoạt chi đoàn",
        f"{TL01}/01-01 Sinh hoat chi doan.jpg",
    ]
    assert [row[5] for row in index[1:]] == [
        "Sinh hoạt chi đoàn",
        "Sinh hoạt chi đoàn",
        "Hoạt động 2: Công trình 2",
        "Cả báo cáo",
        "Sinh hoạt chi đoàn",
    ]
    assert index[5][4] == "đã duyệt" and index[1][7] == "ảnh 2", "status, caption"
    async with harness.uow() as uow:
        [entry] = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "evidence.archive")
        )
    assert entry.subject == "district:PH"
    assert entry.detail == {"period": PERIOD, "photos": 5, "via": "cli"}


async def test_a_missing_photo_file_is_listed_not_fatal(
    sqlite_harness: Harness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await report_with_photos(sqlite_harness, ["meeting", "meeting"])
    gone = (await photos(sqlite_harness))[0]
    media_store(sqlite_harness.settings).path(gone.sha256, gone.mime).unlink()
    out = tmp_path / "anh.zip"
    assert await asyncio.to_thread(main, archive(sqlite_harness, out, monkeypatch)) == 0
    assert "1 photo of 1 branch, 1 file missing" in capsys.readouterr().out
    with zipfile.ZipFile(out) as zipped:
        assert zipped.namelist() == [f"{TL01}/01-02 Sinh hoat chi doan.jpg", INDEX]
        index = list(csv.reader(io.StringIO(zipped.read(INDEX).decode("utf-8-sig"))))
    assert index[1][6] == "(không còn tìm thấy tệp ảnh)"


async def test_an_unknown_district_is_refused(
    sqlite_harness: Harness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "anh.zip"
    args = archive(sqlite_harness, out, monkeypatch)
    args[2] = "XX"
    assert await asyncio.to_thread(main, args) == 1
    assert "no district with code XX" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Chi đoàn ấp Long Phụng", "Chi doan ap Long Phung"),
        ('Chi đoàn "A/B": lớp 10?', "Chi doan A B lop 10"),
        ("Đoàn xã Tân Long...  ", "Doan xa Tan Long"),
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("Tập hợp “1+1” 🌱", "Tap hop 1+1"),
        ("///", "_"),
        ("x" * 80, "x" * 48),
    ],
)
def test_names_are_safe_on_windows(name: str, safe: str) -> None:
    assert windows_safe(name) == safe
