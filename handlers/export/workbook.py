"""Writing the export as an XLSX workbook (openpyxl), ready for a district clerk.

Each sheet opens with a title block (what, which month, which districts, when it was made),
then a frozen header; the reports sheet has a subtotal row after each grassroots unit and a
total after each district, counted as the digest counts; the evidence sheet links each photo
(a signed, expiring link) beside the item it proves. The workbook is written row by row as the
data streams in (openpyxl's write-only mode): each sheet streams to its own temporary file, so
memory stays flat however many branches there are. What each row says is
`handlers.export.cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from bot.i18n import moment, period_text
from handlers.export.cells import (
    Cells,
    evidence_cells,
    help_cells,
    report_cells,
    total_cells,
    youth_cells,
)
from handlers.export.sheet import Column, Link, Sheet
from handlers.export.totals import Group, Tally, summed_questions
from handlers.reports.form import FieldType
from handlers.reports.reasons import Reason
from storage.models import YouthCase
from storage.repositories.export import EvidenceRow, ReportRow
from storage.repositories.photo_fingerprints import PhotoDoubtView

#: (sha256, mime) → a signed, expiring link to the kept photo.
PhotoLink = Callable[[str, str], str]

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
    "photo_link",
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
#: Characters each fixed column shows: names and sentences wide, codes and counts narrow.
WIDTHS = {
    "period": 10,
    "unit_code": 12,
    "unit": 28,
    "branch_code": 14,
    "branch": 28,
    "status": 30,  # a total's "1200/1200 đã nộp, 1150 đúng hạn" too
    "submitted_at": 17,
    "late": 9,
    "reference": 16,
    "photos": 11,
    "flags": 40,
    "review_comment": 40,
    "item": 34,
    "photo_link": 24,
    "caption": 30,
    "sha256": 20,
    "mime": 11,
    "size": 12,
    "width": 9,
    "height": 9,
    "received_at": 17,
    "photo_doubts": 36,
    "first_used_in": 44,
    "first_used_at": 17,
    "full_name": 26,
    "birth_year": 9,
    "sex": 9,
    "area": 18,
    "categories": 30,
    "situation": 40,
    "help_needed": 32,
    "case_status": 15,
    "opened_at": 17,
    "closed_at": 17,
    "close_reason": 22,
    "help_on": 12,
    "help_what": 40,
    "recorded_at": 17,
}
#: Characters an answer's column shows, by the kind of question.
ANSWER_WIDTHS = {
    FieldType.INT: 13,
    FieldType.YESNO: 11,
    FieldType.DATE: 12,
    FieldType.CHOICE: 24,
    FieldType.MULTICHOICE: 34,
    FieldType.TEXT: 28,
    FieldType.LONGTEXT: 44,
}


@dataclass(frozen=True)
class Heading:
    """What the title block of every sheet says: the month, the districts, when it was made,
    and until when its photo links open (None: the workbook has none)."""

    period: str
    districts: tuple[str, ...]
    generated_at: datetime
    links_until: datetime | None = None


class ExportBook:
    """The workbook: reports with their totals, the evidence index with a link per photo and
    (when asked) the difficult-youth list."""

    def __init__(
        self,
        cells: Cells,
        tz: str,
        fields: list[str],
        *,
        with_youth: bool,
        heading: Heading,
        photo_link: PhotoLink | None = None,
    ) -> None:
        from openpyxl import Workbook  # only when someone exports: keeps start-up light

        self.cells, self.tz, self.fields = cells, tz, fields
        self.photo_link = photo_link
        self.heading = heading
        self.book = Workbook(write_only=True)
        answers = [Column(cells.answer_column(f), self._answer_width(f)) for f in fields]
        # Only the reports sheet holds amounts; years and pixel sizes must not read "2,005".
        self.reports = self._sheet(
            "export.sheet_reports",
            [*_fixed(cells, REPORT_FIXED), *answers, *_fixed(cells, REPORT_TAIL)],
            note=cells.t("export.title.counted"),
            group_thousands=True,
        )
        self.evidence = self._sheet(
            "export.sheet_evidence", _fixed(cells, EVIDENCE_COLUMNS), note=self._links_note()
        )
        self.youth = self.help = None
        if with_youth:
            self.youth = self._sheet("export.sheet_youth", _fixed(cells, YOUTH_COLUMNS))
            self.help = self._sheet("export.sheet_help", _fixed(cells, HELP_COLUMNS))
        self.summed = summed_questions(cells.form, fields)
        self.unit: Group | None = None
        self.district = Tally()
        self.everything = Tally()
        self.districts = 0

    def _sheet(
        self, title_key: str, columns: Sequence[Column], *, note: str = "", **options: bool
    ) -> Sheet:
        title = self.cells.t(title_key)
        heading = self.heading
        names = heading.districts
        districts = (
            ", ".join(names)
            if len(names) <= 3
            else self.cells.catalog.t(self.cells.locale, "export.title.districts", count=len(names))
        )
        top = self.cells.catalog.t(
            self.cells.locale,
            "export.title.heading",
            sheet=title,
            period=period_text(heading.period),
            districts=districts,
        )
        made = self.cells.catalog.t(
            self.cells.locale, "export.title.generated", at=moment(heading.generated_at, self.tz)
        )
        return Sheet(self.book, title, [top, f"{made} {note}".strip()], columns, **options)

    def _links_note(self) -> str:
        until = self.heading.links_until
        if self.photo_link is None or until is None:
            return self.cells.t("export.title.no_links")
        return self.cells.catalog.t(
            self.cells.locale, "export.title.links", until=moment(until, self.tz)
        )

    def _answer_width(self, key: str) -> int:
        form = self.cells.form
        return ANSWER_WIDTHS[form.field(key).type] if form.has(key) else 20

    # -- reports and their totals --------------------------------------------------------------
    def add_reports(
        self,
        period: str,
        rows: Iterable[ReportRow],
        photo_reasons: dict[int, list[Reason]] | None = None,
    ) -> None:
        """One row per branch (status, submission, every answer, photos, flags with the photos'
        doubts), and a subtotal row each time a grassroots unit's branches are all written."""
        doubts = photo_reasons or {}
        for r in rows:
            if self.unit is not None and self.unit.code != r.unit_code:
                self._close_unit()
            if self.unit is None:
                self.unit = Group(r.unit_code, r.unit_name)
            self.unit.tally.add(self.summed, r)
            photos = doubts.get(r.report_id, []) if r.report_id is not None else []
            self.reports.append(report_cells(self.cells, self.fields, period, r, self.tz, photos))

    def _close_unit(self) -> None:
        unit, self.unit = self.unit, None
        if unit is None:
            return
        label = self.cells.t("export.total.unit")
        self.reports.append_total(
            total_cells(self.cells, self.fields, unit.code, unit.name, label, unit.tally)
        )
        self.district.merge(unit.tally)

    def end_district(self, name: str) -> None:
        """The district's total row, after its last unit's subtotal."""
        self._close_unit()
        label = self.cells.t("export.total.district")
        self.reports.append_total(
            total_cells(self.cells, self.fields, None, name, label, self.district), grand=True
        )
        self.everything.merge(self.district)
        self.district = Tally()
        self.districts += 1

    # -- evidence, youth -------------------------------------------------------------------------
    def add_evidence(
        self, rows: Iterable[EvidenceRow], doubts: dict[int, list[PhotoDoubtView]]
    ) -> None:
        """One row per photo: branch, what it proves, a link to it, the file, any doubt."""
        for e in rows:
            link = Link(self.photo_link(e.sha256, e.mime)) if self.photo_link else None
            self.evidence.append(
                evidence_cells(self.cells, e, doubts.get(e.evidence_id, []), self.tz, link)
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
        """Close the last unit and, when several districts were written, total them all."""
        if self.unit is not None:
            self._close_unit()
        if self.districts > 1:
            label = self.cells.t("export.total.all")
            self.reports.append_total(
                total_cells(self.cells, self.fields, None, None, label, self.everything),
                grand=True,
            )
        self.book.save(out)


def _fixed(cells: Cells, names: Sequence[str]) -> list[Column]:
    """Fixed columns by name: their headers and widths."""
    return [Column(cells.column(name), WIDTHS.get(name, 14)) for name in names]
