"""What each row of the export says, cell by cell, in the reader's language and by the form.

Every row leaves here through `safe_row`: an answer, a branch name or a caption that starts
like a formula is written as text, never run by the district office's spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Catalog, Formatter, day, period_text
from bot.spreadsheet import safe_row
from handlers.evidence.items import describe
from handlers.export.sheet import Link
from handlers.export.totals import Tally
from handlers.reports.figures import summable
from handlers.reports.form import FieldType, Form
from handlers.reports.lifecycle import SENT
from handlers.reports.reasons import Reason, full, of_report
from storage.models import PhotoDoubt, YouthCase, YouthCaseEvent
from storage.repositories.export import EvidenceRow, ReportRow
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

    def is_summable(self, key: str) -> bool:
        """Whether an answer's column has a total (numbers summed, yes answers counted)."""
        return self.form.has(key) and summable(self.form.field(key))

    def is_date(self, key: str) -> bool:
        """Whether an answer's column holds dates (so it is made wide enough for them)."""
        return self.form.has(key) and self.form.field(key).type is FieldType.DATE

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


def answer_fields(form: Form, found: Iterable[str]) -> list[str]:
    """The form's answered questions, then any other answer `found` in the reports (a question
    an older form had)."""
    keys = [f.key for f in form.answer_fields()]
    return [*keys, *sorted(set(found) - set(keys))]


def report_cells(
    cells: Cells,
    fields: list[str],
    period: str,
    r: ReportRow,
    tz: str,
    photo_reasons: list[Reason] | None = None,
) -> list[Any]:
    """The reports sheet's row of one branch: status, submission, every answer, photos, and
    the flags in words (the report's own, then its photos' doubts: `handlers/reports/reasons`)."""
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
        return safe_row(row)
    answers = r.answers or {}
    row += [
        local_time(r.submitted_at, tz),
        cells.yes_no(bool(r.late)) if r.submitted_at else None,
        r.reference,
    ]
    # Drafts and returned reports are not received: their figures stay out of the summable
    # columns (the status says why), so a column total equals the digest's.
    counted = status in SENT
    row += [cells.value(f, answers.get(f)) if counted else None for f in fields]
    found = [*of_report(r.flags or [], answers), *(photo_reasons or [])]
    flags = "; ".join(
        full(cells.catalog, cells.locale, reason, cells.form, column=True) for reason in found
    )
    row += [r.photos if counted else None, flags or None, r.review_comment]
    return safe_row(row)


def total_cells(
    cells: Cells,
    fields: list[str],
    unit_code: str | None,
    name: str | None,
    label: str,
    tally: Tally,
) -> list[Any]:
    """A subtotal (or total) row: whose it is, how many reported and on time, the sum of each
    summable answer and the photos, all over received reports, as the digest counts them."""
    received = cells.catalog.t(
        cells.locale,
        "export.total.received",
        received=tally.received,
        expected=tally.expected,
        on_time=tally.on_time,
    )
    row: list[Any] = [None, unit_code, name, None, label, received, None, None, None]
    row += [tally.figures.get(f, 0) if cells.is_summable(f) else None for f in fields]
    row += [tally.photos, None, None]
    return safe_row(row)


def evidence_cells(
    cells: Cells, e: EvidenceRow, doubts: list[PhotoDoubtView], tz: str, link: Link | None = None
) -> list[Any]:
    """The evidence sheet's row of one photo: branch, what it proves, a link to it, the file,
    any doubt."""
    return safe_row(
        [
            e.unit_code,
            e.branch_code,
            e.branch_name,
            cells.item(e.item, e.answers or {}),
            link,
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


def youth_cells(cells: Cells, case: YouthCase, tz: str) -> list[Any]:
    """The youth sheet's row of one case (names: only for those allowed, and audited)."""
    categories = "; ".join(cells.label("youth.category", str(c)) for c in case.categories)
    return safe_row(
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


def help_cells(case: YouthCase, event: YouthCaseEvent, tz: str) -> list[Any]:
    """The help sheet's row of one help given (trợ giúp đã trao): when, what, recorded when."""
    return safe_row(
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


def _day(text: Any) -> date | Any:
    """An ISO day as a date cell; anything else as it is."""
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return text
