"""Writing the export as an XLSX workbook (openpyxl), headers in the reader's language."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Catalog, Formatter, day, period_text
from bot.spreadsheet import safe_row
from handlers.evidence.items import describe
from handlers.export.data import ExportData
from handlers.reports.form import FieldType, Form
from handlers.reports.lifecycle import received
from storage.models import PhotoDoubt
from storage.repositories.photo_fingerprints import PhotoDoubtView


def local_time(moment: datetime | None, tz: str) -> datetime | None:
    """Excel has no time zones: write the district's local time, without zone."""
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if moment else None


class Cells:
    """Turns answers into cell values a district officer can filter and sum, by the form."""

    def __init__(self, form: Form, catalog: Catalog, locale: str) -> None:
        self.form, self.catalog, self.locale = form, catalog, locale
        self.f = Formatter(catalog, locale)

    def t(self, key: str) -> str:
        """A message in the reader's language."""
        return self.catalog.t(self.locale, key)

    def yes_no(self, value: bool) -> str:
        """có / không."""
        return self.t("export.yes" if value else "export.no")

    def value(self, key: str, value: Any) -> Any:
        """One answer as a cell value: dates as dates, choices by their labels, lists joined."""
        if value is None:
            return None
        if isinstance(value, bool):
            return self.yes_no(value)
        question = self.form.field(key) if self.form.has(key) else None
        kind = question.type if question else None
        if kind is FieldType.DATE and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        if question is not None and kind in (FieldType.CHOICE, FieldType.MULTICHOICE):
            labels = {o.value: self.t(o.label) for o in question.options}
            chosen = value if isinstance(value, list) else [value]
            return "; ".join(labels.get(str(v), str(v)) for v in chosen)
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return value

    def label(self, prefix: str, code: str) -> str:
        """A code's label when the catalog has one, else the code itself."""
        return self.f.label(f"{prefix}.{code}", code)

    def column(self, name: str) -> str:
        """A fixed column's header."""
        return self.label("export.col", name)

    def answer_column(self, key: str) -> str:
        """An answer's column header, from the form (a key the form no longer has, as is)."""
        if self.form.has(key):
            return self.f.label(self.form.field(key).column_key, key)
        return key

    def item(self, stored: str | None, answers: dict[str, Any]) -> str:
        """What a photo proves: the meeting, 'Hoạt động 2: <the line>', or the whole report."""
        return describe(self.f, self.form, answers, stored)


def answer_fields(form: Form, data: ExportData) -> list[str]:
    """The form's answered questions, then any other answer found in the reports (a question
    an older form had)."""
    keys = [f.key for f in form.answer_fields()]
    extra = {k for _, r in data.rows if r is not None for k in (r.answers or {})} - set(keys)
    return [*keys, *sorted(extra)]


def build_workbook(data: ExportData, form: Form, catalog: Catalog, locale: str, tz: str) -> bytes:
    """The workbook: reports, evidence index and (when given) the difficult-youth list."""
    from openpyxl import Workbook  # only when someone exports: keeps start-up light

    book = Workbook()
    cells = Cells(form, catalog, locale)
    _reports_sheet(book.active, data, cells, tz)
    _evidence_sheet(book.create_sheet(), data, cells, tz)
    if data.youth is not None:
        _youth_sheet(book.create_sheet(), data, cells, tz)
        _help_sheet(book.create_sheet(), data, cells, tz)
    for index, sheet in enumerate(book.worksheets):
        # Only the reports sheet holds amounts; years and pixel sizes must not read "2,005".
        _number_formats(sheet, group_thousands=index == 0)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Column widths (characters) that show a whole date or date-and-time instead of "#####".
DATE_WIDTH, DATETIME_WIDTH = 12, 18


def _number_formats(sheet: Any, *, group_thousands: bool) -> None:
    """Thousands grouped (Excel shows the reader's own separator), dates as day/month/year."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            value = cell.value
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
                _widen(sheet, cell.column_letter, DATETIME_WIDTH)
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
                _widen(sheet, cell.column_letter, DATE_WIDTH)
            elif group_thousands and isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "#,##0"


def _widen(sheet: Any, letter: str, width: int) -> None:
    """Make a column at least `width` characters wide."""
    dimension = sheet.column_dimensions[letter]
    dimension.width = max(dimension.width or 0, width)


def _header(sheet: Any, title: str, headers: list[str]) -> None:
    """Name the sheet, write bold headers, freeze them, size the columns."""
    from openpyxl.styles import Font

    sheet.title = title[:31]
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, text in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(text) + 2))


def _reports_sheet(sheet: Any, data: ExportData, cells: Cells, tz: str) -> None:
    """One row per branch: status, submission, every answer, photos, flags."""
    fields = answer_fields(cells.form, data)
    fixed = [
        "period",
        "unit_code",
        "unit",
        "branch_code",
        "branch",
        "status",
        "submitted_at",
        "late",
        "reference",
    ]
    tail = ["photos", "flags", "review_comment"]
    headers = [
        *(cells.column(c) for c in fixed),
        *(cells.answer_column(f) for f in fields),
        *(cells.column(c) for c in tail),
    ]
    _header(sheet, cells.t("export.sheet_reports"), headers)
    photos: dict[int, int] = {}
    for _, with_photo, _ in data.evidence:
        photos[with_photo.id] = photos.get(with_photo.id, 0) + 1
    for branch, report in data.rows:
        status = report.status if report else "missing"
        row: list[Any] = [
            data.period,
            branch.unit.code,
            branch.unit.name,
            branch.code,
            branch.name,
            cells.label("export.status", status),
        ]
        if report is None:
            sheet.append(safe_row(row))
            continue
        answers = report.answers or {}
        row += [
            local_time(report.submitted_at, tz),
            cells.yes_no(report.late) if report.submitted_at else None,
            report.reference,
        ]
        # Drafts and returned reports are not received: their figures stay out of the summable
        # columns (the status says why), so a column total equals the digest's.
        counted = received(report)
        row += [cells.value(f, answers.get(f)) if counted else None for f in fields]
        flags = "; ".join(
            f"{cells.answer_column(str(f.get('field', '')))}: {f.get('note') or f.get('code', '')}"
            for f in report.flags or []
            if isinstance(f, dict)
        )
        row += [photos.get(report.id, 0) if counted else None, flags or None, report.review_comment]
        sheet.append(safe_row(row))


def _evidence_sheet(sheet: Any, data: ExportData, cells: Cells, tz: str) -> None:
    """One row per photo: branch, what it proves, where the file is."""
    columns = [
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
    ]
    _header(sheet, cells.t("export.sheet_evidence"), [cells.column(c) for c in columns])
    for branch, report, e in data.evidence:
        doubts = data.photo_doubts.get(e.id, [])
        sheet.append(
            safe_row(
                [
                    branch.unit.code,
                    branch.code,
                    branch.name,
                    cells.item(e.item, report.answers or {}),
                    e.caption,
                    e.sha256,
                    e.mime,
                    e.size,
                    e.width,
                    e.height,
                    local_time(e.created_at, tz),
                    *photo_doubt_cells(cells, doubts, tz),
                ]
            )
        )


def photo_doubt_cells(cells: Cells, doubts: list[PhotoDoubtView], tz: str) -> list[Any]:
    """What is doubtful about a photo, and for a reused one where and when it was first used."""
    says = "; ".join(_doubt_text(cells, d, tz) for d in doubts) or None
    use = next((d.first_use for d in doubts if d.first_use is not None), None)
    if use is None:
        return [says, None, None]
    item = cells.item(use.item, use.answers)
    where = cells.catalog.t(
        cells.locale,
        "export.doubt.first_use",
        branch=use.branch_name,
        code=use.branch_code,
        unit=use.unit_name,
        period=period_text(use.period),
        item=item,
    )
    return [says, where, local_time(use.at, tz)]


def _doubt_text(cells: Cells, doubt: PhotoDoubtView, tz: str) -> str:
    if doubt.code == PhotoDoubt.REUSED:
        return cells.t(f"export.doubt.reused_{doubt.match}")
    taken = local_time(doubt.taken_at, tz)
    shown = day(taken.date()) if taken else ""
    return cells.catalog.t(cells.locale, f"export.doubt.{doubt.code}", day=shown)


def _youth_sheet(sheet: Any, data: ExportData, cells: Cells, tz: str) -> None:
    """The difficult-youth list, with names: only for those allowed, and audited."""
    columns = [
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
    ]
    _header(sheet, cells.t("export.sheet_youth"), [cells.column(c) for c in columns])
    for case in data.youth or []:
        categories = "; ".join(cells.label("youth.category", str(c)) for c in case.categories)
        sheet.append(
            safe_row(
                [
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
            )
        )


def _help_sheet(sheet: Any, data: ExportData, cells: Cells, tz: str) -> None:
    """Help given to each listed youth (trợ giúp đã trao): when, what, recorded when."""
    columns = [
        "unit_code",
        "branch_code",
        "branch",
        "full_name",
        "help_on",
        "help_what",
        "recorded_at",
    ]
    _header(sheet, cells.t("export.sheet_help"), [cells.column(c) for c in columns])
    for case in data.youth or []:
        for event in sorted(case.events, key=lambda e: (e.at, e.id)):
            if event.kind != "help_given":
                continue
            sheet.append(
                safe_row(
                    [
                        case.branch.unit.code,
                        case.branch.code,
                        case.branch.name,
                        case.full_name,
                        _day(event.detail.get("on")),
                        event.detail.get("what"),
                        local_time(event.at, tz),
                    ]
                )
            )


def _day(text: Any) -> date | Any:
    """An ISO day as a date cell; anything else as it is."""
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return text
