"""Reading the organisation file a district office keeps in Excel (CSV or XLSX)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.engine.textnorm import fold

COLUMNS: dict[str, tuple[str, ...]] = {
    "district_code": ("Mã huyện đoàn", "district_code"),
    "district_name": ("Tên huyện đoàn", "district_name"),
    "unit_code": ("Mã đoàn cơ sở", "unit_code"),
    "unit_name": ("Tên đoàn cơ sở", "unit_name"),
    "branch_code": ("Mã chi đoàn", "branch_code"),
    "branch_name": ("Tên chi đoàn", "branch_name"),
}


@dataclass(frozen=True)
class OrgRow:
    """One branch with the unit and district above it, and the file line it came from."""

    line: int
    district_code: str
    district_name: str
    unit_code: str
    unit_name: str
    branch_code: str
    branch_name: str


class OrgFileError(ValueError):
    """The file is rejected as a whole; `problems` lists every bad line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _header_key(cell: str) -> str:
    """'Tên chi đoàn (*)', 'TEN_CHI_DOAN', ' ma chi doan: ' all give 'ten chi doan'."""
    text = re.sub(r"\(.*?\)|[*:]", " ", fold(cell).replace("_", " "))
    return " ".join(text.split())


_HEADER_INDEX = {_header_key(name): field for field, names in COLUMNS.items() for name in names}


def _cell(value: Any) -> str:
    """A cell as text; Excel turns codes like 101 into 101.0, which we turn back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1258")


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first.count) if first else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_tables(raw: bytes) -> list[list[list[str]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        return [
            [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_tables(path: Path) -> list[list[list[str]]]:
    """Every table of the file as rows of text cells: one per sheet of a workbook, one for CSV."""
    raw = path.read_bytes()
    if raw.startswith(OLD_EXCEL):
        raise OrgFileError(
            [
                f"{path.name} is an old Excel .xls file: "
                "open it in Excel and save it as .xlsx or .csv"
            ]
        )
    if raw.startswith(b"PK\x03\x04") and zipfile.is_zipfile(io.BytesIO(raw)):
        return _xlsx_tables(raw)
    return [_csv_rows(raw)]


def read_rows(path: Path) -> list[list[str]]:
    """The rows of the file's table: the first sheet that has our header (else the first)."""
    tables = read_tables(path)
    return next((t for t in tables if _find_header(t) is not None), tables[0])


#: Offices put a title ("DANH SÁCH CHI ĐOÀN NĂM 2026") and blank lines above the header.
HEADER_SEARCH_ROWS = 15


def _header_positions(row: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _HEADER_INDEX.get(_header_key(cell))
        if field and field not in positions:
            positions[field] = index
    return positions


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The row (0-based) among the first few that names the most of our columns (three or more)."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = _header_positions(row)
        if len(positions) >= 3 and (best is None or len(positions) > len(best[1])):
            best = (index, positions)
    return best


def parse_org_rows(rows: list[list[str]]) -> list[OrgRow]:
    """Check the whole table; return its branches, or raise with every problem found."""
    if not any(any(c.strip() for c in row) for row in rows):
        raise OrgFileError(["the file is empty"])
    found = _find_header(rows)
    expected = ", ".join(names[0] for names in COLUMNS.values())
    if found is None:
        first = next((row for row in rows if any(c.strip() for c in row)), [])
        seen = ", ".join(c for c in first if c.strip())[:200]
        raise OrgFileError(
            [
                f"no header row found in the first {HEADER_SEARCH_ROWS} rows "
                f"(the first row says: {seen}); the columns must be named: {expected}"
            ]
        )
    header_index, positions = found
    missing = [COLUMNS[f][0] for f in COLUMNS if f not in positions]
    if missing:
        raise OrgFileError([f"line {header_index + 1}: missing column(s): {', '.join(missing)}"])
    problems: list[str] = []
    result: list[OrgRow] = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [_cell(c) for c in row]
        if not any(cells):
            continue  # Excel leaves blank rows at the end
        values = {f: cells[i] if i < len(cells) else "" for f, i in positions.items()}
        empty = [COLUMNS[f][0] for f in COLUMNS if not values[f]]
        if empty:
            problems.append(f"line {number}: empty {', '.join(empty)}")
            continue
        for code_field in ("district_code", "unit_code", "branch_code"):
            values[code_field] = values[code_field].upper()  # "ph-tl-01" is "PH-TL-01"
        result.append(OrgRow(line=number, **values))
    problems.extend(_conflicts(result))
    problems.sort(key=_line_number)
    if problems:
        raise OrgFileError(problems)
    if not result:
        raise OrgFileError(["the file has a header but no branches"])
    return result


def _line_number(problem: str) -> int:
    match = re.match(r"line (\d+):", problem)
    return int(match.group(1)) if match else 0


def _conflicts(rows: list[OrgRow]) -> list[str]:
    """A code must mean one thing in one file: one name, one parent."""
    problems = []
    seen: dict[tuple[str, str], tuple[tuple[str, ...], int]] = {}
    for row in rows:
        facts = {
            ("district", row.district_code): (row.district_name,),
            ("unit", row.unit_code): (row.unit_name, row.district_code),
            ("branch", row.branch_code): (row.branch_name, row.unit_code),
        }
        for key, value in facts.items():
            if key not in seen:
                seen[key] = (value, row.line)
                continue
            first, first_line = seen[key]
            if key[0] == "branch" and first == value:
                problems.append(f"line {row.line}: branch {key[1]} repeats line {first_line}")
            elif len(value) > 1 and first[1] != value[1]:
                parent = "unit" if key[0] == "branch" else "district"
                problems.append(
                    f"line {row.line}: {key[0]} {key[1]} is under {parent} {value[1]}, "
                    f"but under {first[1]} on line {first_line}"
                )
            elif first[0] != value[0]:
                problems.append(
                    f"line {row.line}: {key[0]} {key[1]} is named {value[0]!r}, "
                    f"but {first[0]!r} on line {first_line}"
                )
    return problems


def read_org_file(path: Path) -> list[OrgRow]:
    """Read and check an organisation file; raises `OrgFileError` listing every problem."""
    try:
        rows = read_rows(path)
    except (OSError, zipfile.BadZipFile, csv.Error, UnicodeDecodeError, KeyError) as exc:
        raise OrgFileError([f"cannot read {path.name}: {exc}"]) from None
    return parse_org_rows(rows)
