"""Writing the export as an XLSX workbook (openpyxl), headers in the reader's language.

The workbook is written row by row as the data streams in (openpyxl's write-only mode): each
sheet streams to its own temporary file, so memory stays flat however many branches there are.
What each row says is `handlers.export.cells`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from bot.spreadsheet import safe_row
from handlers.export.cells import (
    Cells,
    evidence_cells,
    help_cells,
    report_cells,
    youth_cells,
)
from storage.models import YouthCase
from storage.repositories.export import EvidenceRow, ReportRow
from storage.repositories.photo_fingerprints import PhotoDoubtView

#: Column widths (characters) that show a whole date or date-and-time instead of "#####".
DATE_WIDTH, DATETIME_WIDTH = 12, 18
DATE_COLUMNS = frozenset({"help_on"})
DATETIME_COLUMNS = frozenset(
    {"submitted_at", "received_at", "first_used_at", "opened_at", "closed_at", "recorded_at"}
)
REPORT_FIXED = (
    "period",
    "unit_code",
    "unit",
    "branch_code",
    "branch",
    "status",
    "submitted_at",
    "late",
    "reference",
)
REPORT_TAIL = ("photos", "flags", "review_comment")
EVIDENCE_COLUMNS = (
    "unit_code",
    "branch_code",
    "branch",
    "item",
    "caption",
    "sha256",
    "mime",
    "size",
    "width",
    "height",
    "received_at",
    "photo_doubts",
    "first_used_in",
    "first_used_at",
)
YOUTH_COLUMNS = (
    "unit_code",
    "branch_code",
    "branch",
    "full_name",
    "birth_year",
    "sex",
    "area",
    "categories",
    "situation",
    "help_needed",
    "case_status",
    "opened_at",
    "closed_at",
    "close_reason",
)
HELP_COLUMNS = (
    "unit_code",
    "branch_code",
    "branch",
    "full_name",
    "help_on",
    "help_what",
    "recorded_at",
)

#: A column: its header in the reader's language, and the width its values need.
Column = tuple[str, int]


class ExportBook:
    """The workbook: reports, evidence index and (when asked) the difficult-youth list."""

    def __init__(self, cells: Cells, tz: str, fields: list[str], *, with_youth: bool) -> None:
        from openpyxl import Workbook  # only when someone exports: keeps start-up light

        self.cells, self.tz, self.fields = cells, tz, fields
        self.book = Workbook(write_only=True)
        answers = [(cells.answer_column(f), DATE_WIDTH if cells.is_date(f) else 0) for f in fields]
        # Only the reports sheet holds amounts; years and pixel sizes must not read "2,005".
        self.reports = _Sheet(
            self.book,
            cells.t("export.sheet_reports"),
            [*_fixed(cells, REPORT_FIXED), *answers, *_fixed(cells, REPORT_TAIL)],
            group_thousands=True,
        )
        self.evidence = _Sheet(
            self.book, cells.t("export.sheet_evidence"), _fixed(cells, EVIDENCE_COLUMNS)
        )
        self.youth = self.help = None
        if with_youth:
            self.youth = _Sheet(
                self.book, cells.t("export.sheet_youth"), _fixed(cells, YOUTH_COLUMNS)
            )
            self.help = _Sheet(self.book, cells.t("export.sheet_help"), _fixed(cells, HELP_COLUMNS))

    def add_reports(self, period: str, rows: Iterable[ReportRow]) -> None:
        """One row per branch: status, submission, every answer, photos, flags."""
        for r in rows:
            self.reports.append(report_cells(self.cells, self.fields, period, r, self.tz))

    def add_evidence(
        self, rows: Iterable[EvidenceRow], doubts: dict[int, list[PhotoDoubtView]]
    ) -> None:
        """One row per photo: branch, what it proves, where the file is, any doubt about it."""
        for e in rows:
            self.evidence.append(
                evidence_cells(self.cells, e, doubts.get(e.evidence_id, []), self.tz)
            )

    def add_youth(self, cases: Iterable[YouthCase]) -> None:
        """The difficult-youth list with names, and the help each was given (audited)."""
        assert self.youth is not None and self.help is not None
        for case in cases:
            self.youth.append(youth_cells(self.cells, case, self.tz))
            for event in sorted(case.events, key=lambda e: (e.at, e.id)):
                if event.kind == "help_given":
                    self.help.append(help_cells(case, event, self.tz))

    def save(self, out: str | Path | BinaryIO) -> None:
        self.book.save(out)


def _fixed(cells: Cells, names: Sequence[str]) -> list[Column]:
    """Fixed columns by name: their headers, and room for a whole date where they hold one."""
    return [(cells.column(name), _width(name)) for name in names]


def _width(name: str) -> int:
    if name in DATETIME_COLUMNS:
        return DATETIME_WIDTH
    return DATE_WIDTH if name in DATE_COLUMNS else 0


class _Sheet:
    """A write-only sheet: bold frozen headers, sized columns, numbers and dates formatted."""

    def __init__(
        self, book: Any, title: str, columns: Sequence[Column], *, group_thousands: bool = False
    ) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(title[:31])
        self.group_thousands = group_thousands
        self._cell = WriteOnlyCell
        for index, (text, needed) in enumerate(columns, start=1):
            width = max(10, min(40, len(text) + 2), needed)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        row = []
        for text in safe_row(text for text, _ in columns):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font = bold
            row.append(cell)
        self.sheet.append(row)

    def append(self, values: list[Any]) -> None:
        """Thousands grouped (Excel shows the reader's own separator), dates as day/month/year."""
        self.sheet.append([self._formatted(v) for v in values])

    def _formatted(self, value: Any) -> Any:
        if isinstance(value, datetime):
            fmt = "dd/mm/yyyy hh:mm"
        elif isinstance(value, date):
            fmt = "dd/mm/yyyy"
        elif self.group_thousands and isinstance(value, int) and not isinstance(value, bool):
            fmt = "#,##0"
        else:
            return value
        cell = self._cell(self.sheet, value=value)
        cell.number_format = fmt
        return cell
