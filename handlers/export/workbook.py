"""Writing the export as an XLSX workbook (openpyxl), headers in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from storage.models import YouthCase
from storage.repositories.digest import RECEIVED
from storage.repositories.export import EvidenceRow, ReportRow

#: Every answer of the default form, in form order; other keys found in reports follow.
ANSWER_FIELDS = (
    "members_total",
    "admitted",
    "transferred_in",
    "transferred_out",
    "meeting_held",
    "meeting_date",
    "meeting_attendance",
    "one_plus_one",
    "projects_count",
    "projects",
    "volunteer_activities",
    "party_introduced",
    "support_poverty_models",
    "support_charity_houses",
    "support_startup_vnd",
    "mood",
    "difficulties",
)


def local_time(moment: datetime | None, tz: str) -> datetime | None:
    """Excel has no time zones: write the district's local time, without zone."""
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if moment else None


class Cells:
    """Turns answers into cell values a district officer can filter and sum."""

    def __init__(self, catalog: Catalog, locale: str) -> None:
        self.catalog, self.locale = catalog, locale

    def t(self, key: str) -> str:
        """A message in the reader's language."""
        return self.catalog.t(self.locale, key)

    def yes_no(self, value: bool) -> str:
        """có / không."""
        return self.t("export.yes" if value else "export.no")

    def value(self, field: str, value: Any) -> Any:
        """One answer as a cell value."""
        if value is None:
            return None
        if isinstance(value, bool):
            return self.yes_no(value)
        if field == "meeting_date" and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        if field == "volunteer_activities" and isinstance(value, list):
            return "; ".join(self.label("export.activity", str(v)) for v in value)
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return value

    def label(self, prefix: str, code: str) -> str:
        """A code's label when the catalog has one, else the code itself."""
        key = f"{prefix}.{code}"
        return self.t(key) if self.catalog.has(key) else code

    def column(self, name: str) -> str:
        """A column header."""
        return self.label("export.col", name)


def answer_fields(keys: Iterable[str]) -> list[str]:
    """The default form's fields, then any other field a district's own form added."""
    return [*ANSWER_FIELDS, *sorted(set(keys) - set(ANSWER_FIELDS))]


#: Column widths (characters) that show a whole date or date-and-time instead of "#####".
DATE_WIDTH, DATETIME_WIDTH = 12, 18
DATE_COLUMNS = frozenset({"meeting_date", "help_on"})
DATETIME_COLUMNS = frozenset(
    {"submitted_at", "received_at", "opened_at", "closed_at", "recorded_at"}
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


class ExportBook:
    """The workbook, written row by row as the data streams in (openpyxl write-only mode).

    Each sheet streams to its own temporary file, so the sheets can be filled in step and memory
    stays flat however many branches there are; widths and frozen headers are set up front.
    """

    def __init__(self, cells: Cells, tz: str, fields: list[str], *, with_youth: bool) -> None:
        from openpyxl import Workbook  # only when someone exports: keeps start-up light

        self.cells, self.tz, self.fields = cells, tz, fields
        self.book = Workbook(write_only=True)
        # Only the reports sheet holds amounts; years and pixel sizes must not read "2,005".
        self.reports = _Sheet(
            self.book, cells, "export.sheet_reports",
            [*REPORT_FIXED, *fields, *REPORT_TAIL], group_thousands=True,
        )  # fmt: skip
        self.evidence = _Sheet(self.book, cells, "export.sheet_evidence", EVIDENCE_COLUMNS)
        self.youth = self.help = None
        if with_youth:
            self.youth = _Sheet(self.book, cells, "export.sheet_youth", YOUTH_COLUMNS)
            self.help = _Sheet(self.book, cells, "export.sheet_help", HELP_COLUMNS)

    def add_reports(self, period: str, rows: Iterable[ReportRow]) -> None:
        """One row per branch: status, submission, every answer, photos, flags."""
        for r in rows:
            self.reports.append(report_cells(self.cells, self.fields, period, r, self.tz))

    def add_evidence(self, rows: Iterable[EvidenceRow]) -> None:
        """One row per photo: branch, what it proves, where the file is."""
        cells, tz = self.cells, self.tz
        for e in rows:
            self.evidence.append(
                [
                    e.unit_code,
                    e.branch_code,
                    e.branch_name,
                    evidence_item(cells, e.item, e.answers or {}),
                    e.caption,
                    e.sha256,
                    e.mime,
                    e.size,
                    e.width,
                    e.height,
                    local_time(e.created_at, tz),
                ]
            )

    def add_youth(self, cases: Iterable[YouthCase]) -> None:
        """The difficult-youth list with names, and the help each was given (audited)."""
        assert self.youth is not None and self.help is not None
        for case in cases:
            self.youth.append(youth_cells(self.cells, case, self.tz))
            for event in sorted(case.events, key=lambda e: (e.at, e.id)):
                if event.kind == "help_given":
                    self.help.append(
                        [
                            case.branch.unit.code,
                            case.branch.code,
                            case.branch.name,
                            case.full_name,
                            _day(event.detail.get("on")),
                            event.detail.get("what"),
                            local_time(event.at, self.tz),
                        ]
                    )

    def save(self, out: str | Path | BinaryIO) -> None:
        self.book.save(out)


class _Sheet:
    """A write-only sheet: bold frozen headers, sized columns, numbers and dates formatted."""

    def __init__(
        self,
        book: Any,
        cells: Cells,
        title_key: str,
        columns: Sequence[str],
        *,
        group_thousands: bool = False,
    ) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(cells.t(title_key)[:31])
        self.group_thousands = group_thousands
        self._cell = WriteOnlyCell
        headers = [cells.column(c) for c in columns]
        for index, (name, text) in enumerate(zip(columns, headers, strict=True), start=1):
            width = max(10, min(40, len(text) + 2))
            if name in DATETIME_COLUMNS:
                width = max(width, DATETIME_WIDTH)
            elif name in DATE_COLUMNS:
                width = max(width, DATE_WIDTH)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        row = []
        for text in headers:
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


def report_cells(cells: Cells, fields: list[str], period: str, r: ReportRow, tz: str) -> list[Any]:
    """The reports sheet's row of one branch."""
    status = r.status or "missing"
    row: list[Any] = [
        period,
        r.unit_code,
        r.unit_name,
        r.branch_code,
        r.branch_name,
        cells.label("export.status", status),
    ]
    if r.report_id is None:
        return row
    answers = r.answers or {}
    row += [
        local_time(r.submitted_at, tz),
        cells.yes_no(bool(r.late)) if r.submitted_at else None,
        r.reference,
    ]
    # Drafts and returned reports are not received: their figures stay out of the summable
    # columns (the status says why), so a column total equals the digest's.
    counted = status in RECEIVED
    row += [cells.value(f, answers.get(f)) if counted else None for f in fields]
    flags = "; ".join(
        f"{cells.column(str(f.get('field', '')))}: {f.get('note') or f.get('code', '')}"
        for f in r.flags or []
        if isinstance(f, dict)
    )
    row += [r.photos if counted else None, flags or None, r.review_comment]
    return row


def youth_cells(cells: Cells, case: YouthCase, tz: str) -> list[Any]:
    """The youth sheet's row of one case."""
    categories = "; ".join(cells.label("youth.category", str(c)) for c in case.categories)
    return [
        case.branch.unit.code,
        case.branch.code,
        case.branch.name,
        case.full_name,
        case.birth_year,
        cells.label("youth.sex", case.sex) if case.sex else None,
        case.area,
        categories,
        case.situation,
        case.help_needed,
        cells.label("export.case_status", case.status),
        local_time(case.created_at, tz),
        local_time(case.closed_at, tz),
        cells.label("youth.reason", case.close_reason) if case.close_reason else None,
    ]


def evidence_item(cells: Cells, item: str | None, answers: dict[str, Any]) -> str:
    """What a photo proves: the meeting, 'Hoạt động 2: <project line>', or the whole report."""
    kind, _, number = (item or "").partition(":")
    if kind == "activity" and number.isdigit():
        projects = answers.get("projects") or []
        index = int(number)
        name = str(projects[index - 1]) if 0 < index <= len(projects) else ""
        return cells.catalog.t(cells.locale, "export.activity_item", n=index, name=name).rstrip(
            ": "
        )
    return cells.label("export.item", kind or "report")


def _day(text: Any) -> date | Any:
    """An ISO day as a date cell; anything else as it is."""
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return text
