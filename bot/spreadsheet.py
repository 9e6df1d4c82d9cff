"""Cells a spreadsheet shows and never runs: every workbook we write goes through `safe_row`.

A free-text answer starting with `=` (or `+`, `-`, `@`, a tab, a CR — OWASP's list for CSV and
formula injection, with their full-width forms) would otherwise be written as a live formula:
`=HYPERLINK(…)` phones home, `=cmd|'/c calc'!A1` runs a program on the district office's PC.
Such text is kept as text with an apostrophe in front, the neutraliser OWASP recommends, and
stays text if the workbook is re-saved as CSV. Numbers and dates we computed stay what they are.
Characters XML cannot hold (control characters, lone surrogates) are dropped, so one bad entry
can never make a whole export fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: What makes Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NEUTRALISER = "'"
# XML 1.0 forbids these (openpyxl raises IllegalCharacterError); tab, LF and CR are allowed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value: Any) -> Any:
    """Text made inert and writable; any other value (numbers, dates, None) unchanged."""
    if not isinstance(value, str):
        return value
    text = _NOT_XML.sub("", value)
    return NEUTRALISER + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """`safe_cell` for each value of a row about to be appended to a sheet."""
    return [safe_cell(v) for v in values]
