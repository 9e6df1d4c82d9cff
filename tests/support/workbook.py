"""Reading an exported workbook back: the rows under each sheet's title block and header."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from handlers.export.sheet import HEADER_ROW


def _rows(data: bytes | Path, index: int) -> tuple[list[Any], list[tuple[Any, ...]]]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    sheet = load_workbook(source).worksheets[index]
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[HEADER_ROW - 1]), rows[HEADER_ROW:]


def sheet_rows(data: bytes | Path, index: int) -> list[dict[str, Any]]:
    """One dict per data row of a sheet (a branch, a photo, a case), keyed by the header; the
    reports sheet's subtotal and total rows (no period in their first cell) are left out."""
    header, rows = _rows(data, index)
    return [dict(zip(header, row, strict=True)) for row in rows if row[0] is not None]


def total_rows(data: bytes | Path) -> list[dict[str, Any]]:
    """The reports sheet's subtotal and total rows, in order, keyed by the header."""
    header, rows = _rows(data, 0)
    return [dict(zip(header, row, strict=True)) for row in rows if row[0] is None]


def heading(data: bytes | Path, index: int) -> list[str]:
    """The title block of a sheet: its lines, top first."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    sheet = load_workbook(source).worksheets[index]
    return [str(row[0]) for row in sheet.iter_rows(max_row=HEADER_ROW - 1, values_only=True)]
