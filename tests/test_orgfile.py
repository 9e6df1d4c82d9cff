"""The organisation file as district offices hand it to us (Excel quirks included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.orgfile import OrgFileError, read_org_file
from tests.support.harness import SAMPLE_ORG

HEADER = "Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn,Tên chi đoàn"


def write(tmp_path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / "org.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_the_shared_sample_imports() -> None:
    rows = read_org_file(SAMPLE_ORG)
    assert len(rows) == 7
    assert rows[0].branch_name == "Chi đoàn ấp Long Phụng"
    assert {r.unit_code for r in rows} == {"PH-TL", "PH-CT", "PH-THPT"}


def test_excel_windows_quirks(tmp_path: Path) -> None:
    text = HEADER + "\n1.0,Huyện đoàn A,101,Đoàn xã B,10101,Chi đoàn C\n,,,,,\n\n"
    rows = read_org_file(write(tmp_path, text, bom=True, crlf=True))
    assert [(r.district_code, r.unit_code, r.branch_code) for r in rows] == [("1", "101", "10101")]


def test_headers_without_diacritics_any_order_extra_columns(tmp_path: Path) -> None:
    text = (
        "ghi chu, TEN CHI DOAN ,ma chi doan,Ma doan co so,ten doan co so,"
        "ma huyen doan,ten huyen doan\n"
        "x,Chi đoàn C,PH-1,U1,Đoàn U,PH,Huyện đoàn PH\n"
    )
    rows = read_org_file(write(tmp_path, text))
    assert rows[0].branch_code == "PH-1" and rows[0].branch_name == "Chi đoàn C"


def test_english_headers_and_semicolons(tmp_path: Path) -> None:
    text = (
        "district_code;district_name;unit_code;unit_name;branch_code;branch_name\nD;Dn;U;Un;B;Bn\n"
    )
    assert read_org_file(write(tmp_path, text))[0].district_name == "Dn"


def test_xlsx_imports_like_csv_with_numeric_codes(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in read_org_file(SAMPLE_ORG):
        sheet.append(
            [
                row.district_code,
                row.district_name,
                row.unit_code,
                row.unit_name,
                row.branch_code,
                row.branch_name,
            ]
        )
    sheet.append([7, "Huyện đoàn số", 701, "Đoàn 701", 70101, "Chi đoàn 70101"])
    sheet.append([None] * 6)
    path = tmp_path / "org.xlsx"
    workbook.save(path)
    rows = read_org_file(path)
    expected = [(r.branch_code, r.branch_name, r.unit_code) for r in read_org_file(SAMPLE_ORG)]
    assert [(r.branch_code, r.branch_name, r.unit_code) for r in rows[:7]] == expected
    assert (rows[7].district_code, rows[7].unit_code, rows[7].branch_code) == ("7", "701", "70101")


def test_missing_column_is_named(tmp_path: Path) -> None:
    text = "Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn\nA,B,C,D,E\n"
    with pytest.raises(OrgFileError) as caught:
        read_org_file(write(tmp_path, text))
    assert "Tên chi đoàn" in str(caught.value)


def test_every_bad_line_is_listed(tmp_path: Path) -> None:
    text = (
        HEADER + "\n"
        "PH,Huyện đoàn PH,U1,Đoàn U1,B1,Chi đoàn 1\n"  # line 2 ok
        "PH,Huyện đoàn PH,U1,Đoàn U1,,Chi đoàn 2\n"  # line 3 empty code
        "PH,Huyện đoàn PH,U2,Đoàn U2,B1,Chi đoàn 1\n"  # line 4 branch under two units
        "PH,Huyện đoàn PH,U1,Đoàn khác,B3,Chi đoàn 3\n"  # line 5 unit renamed inside the file
        "PH,Huyện đoàn PH,U1,Đoàn U1,B1,Chi đoàn 1\n"  # line 6 repeated branch
    )
    with pytest.raises(OrgFileError) as caught:
        read_org_file(write(tmp_path, text))
    problems = caught.value.problems
    assert any(p.startswith("line 3:") and "Mã chi đoàn" in p for p in problems)
    assert any(p.startswith("line 4:") and "B1" in p and "U2" in p for p in problems)
    assert any(p.startswith("line 5:") and "U1" in p for p in problems)
    assert any(p.startswith("line 6:") and "repeats line 2" in p for p in problems)


def test_empty_and_garbage_files_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError, match="empty"):
        read_org_file(write(tmp_path, ""))
    with pytest.raises(OrgFileError, match="no branches"):
        read_org_file(write(tmp_path, HEADER + "\n\n"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(OrgFileError):
        read_org_file(broken)


def test_title_rows_and_stt_column_above_the_header(tmp_path: Path) -> None:
    text = (
        "DANH SÁCH CHI ĐOÀN NĂM 2026,,,,,,\n"
        ",,,,,,\n"
        "STT," + HEADER + "\n"
        "1,PH,Huyện đoàn PH,U1,Đoàn U1,B1,Chi đoàn 1\n"
        "2,PH,Huyện đoàn PH,U1,Đoàn U1,,Chi đoàn 2\n"
    )
    with pytest.raises(OrgFileError) as caught:
        read_org_file(write(tmp_path, text))
    assert caught.value.problems == ["line 5: empty Mã chi đoàn"]
    fixed = text.replace(",,Chi đoàn 2", ",B2,Chi đoàn 2")
    assert [r.branch_code for r in read_org_file(write(tmp_path, fixed))] == ["B1", "B2"]


def test_no_header_anywhere_names_the_expected_columns(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError) as caught:
        read_org_file(write(tmp_path, "a,b,c\n1,2,3\n"))
    assert "no header row" in str(caught.value) and "Mã chi đoàn" in str(caught.value)


def test_workbook_whose_data_is_not_on_the_first_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Hướng dẫn"
    cover.append(["Danh sách gửi Huyện đoàn trước ngày 5"])
    data = workbook.create_sheet("Chi đoàn")
    data.append(HEADER.split(","))
    data.append(["PH", "Huyện đoàn PH", "U1", "Đoàn U1", "B1", "Chi đoàn 1"])
    path = tmp_path / "org.xlsx"
    workbook.save(path)
    assert [r.branch_code for r in read_org_file(path)] == ["B1"]


def test_codes_any_case_headers_with_marks_old_excel_and_sorted_problems(tmp_path: Path) -> None:
    text = (
        "Mã huyện đoàn (*),Tên huyện đoàn,Mã đoàn cơ sở:,Tên đoàn cơ sở,"
        "Mã chi đoàn *,Tên chi đoàn\n"
        "ph,Huyện đoàn PH,ph-tl,Đoàn U1,ph-tl-09,Chi đoàn 9\n"
    )
    rows = read_org_file(write(tmp_path, text))
    assert (rows[0].district_code, rows[0].unit_code, rows[0].branch_code) == (
        "PH",
        "PH-TL",
        "PH-TL-09",
    )
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(OrgFileError, match=r"save it as \.xlsx"):
        read_org_file(old)
    bad = HEADER + "\nA,a,U,u,B1,b\nA,a,U,u,,b\nA,a,V,v,B1,b\n"
    with pytest.raises(OrgFileError) as caught:
        read_org_file(write(tmp_path, bad))
    lines = [int(p.split(":")[0].split()[1]) for p in caught.value.problems]
    assert lines == sorted(lines)
