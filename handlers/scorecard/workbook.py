"""The scorecard as an XLSX workbook: one row per unit, one sheet per unit with its branches."""

from __future__ import annotations

import io
import re
from typing import Any

from bot.i18n import Catalog, Formatter, Translate, period_text
from bot.spreadsheet import safe_cell
from handlers.scorecard.measures import CriterionResult, MeasureResult
from handlers.scorecard.model import Scorecard, UnitScore
from handlers.scorecard.rules import ScorecardRules

GREEN, RED, HEADER = "C8E6C9", "FFCDD2", "E0E0E0"
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _set(sheet: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write a cell; text is always text, never a formula, whatever a name starts with."""
    cell = sheet.cell(row=row, column=column, value=safe_cell(value))
    if number_format:
        cell.number_format = number_format
    return cell


def _number_format(result: MeasureResult) -> str:
    return "0.00" if result.per_year else "0%"


class _Writer:
    """Writes sheets in one language, with verdict and threshold colours as conditional formats."""

    def __init__(self, card: Scorecard, rules: ScorecardRules, t: Translate) -> None:
        self.card, self.rules, self.t = card, rules, t
        from openpyxl.styles import Font, PatternFill

        self.bold = Font(bold=True)
        self.header_fill = PatternFill("solid", start_color=HEADER, end_color=HEADER)
        self.green = PatternFill("solid", start_color=GREEN, end_color=GREEN)
        self.red = PatternFill("solid", start_color=RED, end_color=RED)

    def header(self, sheet: Any, titles: list[str]) -> None:
        for column, title in enumerate(titles, start=1):
            cell = _set(sheet, 1, column, title)
            cell.font, cell.fill = self.bold, self.header_fill
        sheet.freeze_panes = "C2"

    def measure_titles(self) -> list[str]:
        return [
            self.t(f"scorecard.measure_name.{m.measure}")
            for c in self.rules.criteria
            for m in c.measures
        ]

    def criteria_cells(
        self, sheet: Any, row: int, column: int, criteria: tuple[CriterionResult, ...]
    ) -> int:
        """Verdict per criterion, then each measure's value; returns the next free column."""
        for criterion in criteria:
            _set(sheet, row, column, self.verdict(criterion.met))
            column += 1
        for criterion in criteria:
            for result in criterion.measures:
                _set(sheet, row, column, result.value, _number_format(result))
                column += 1
        return column

    def verdict(self, met: bool) -> str:
        return self.t("scorecard.met" if met else "scorecard.not_met")

    def colour(self, sheet: Any, first_row: int, last_row: int, first_column: int) -> None:
        """Green for met, red for not met; measure values against their threshold."""
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.utils import get_column_letter

        if last_row < first_row:
            return
        column = first_column
        for _ in self.rules.criteria:
            self.colour_verdicts(sheet, column, first_row, last_row)
            column += 1
        for criterion in self.rules.criteria:
            for rule in criterion.measures:
                letter = get_column_letter(column)
                span = f"{letter}{first_row}:{letter}{last_row}"
                good, bad = (
                    ("greaterThanOrEqual", "lessThan")
                    if rule.kind == "min"
                    else ("lessThanOrEqual", "greaterThan")
                )
                # Blank cells (nothing to count) stay uncoloured.
                for operator, fill in ((good, self.green), (bad, self.red)):
                    sheet.conditional_formatting.add(
                        span,
                        CellIsRule(operator=operator, formula=[str(rule.bound)], fill=fill),
                    )
                column += 1

    def summary(self, sheet: Any) -> None:
        t = self.t
        sheet.title = t("scorecard.sheet.summary")[:31]
        criteria = [t(c.label_key) for c in self.rules.criteria]
        self.header(
            sheet,
            [
                t("scorecard.column.unit_code"),
                t("scorecard.column.unit"),
                t("scorecard.column.branches"),
                t("scorecard.column.score"),
                t("scorecard.column.verdict"),
                *criteria,
                *self.measure_titles(),
                t("scorecard.column.weak"),
            ],
        )
        for row, unit in enumerate(self.card.units, start=2):
            _set(sheet, row, 1, unit.code)
            _set(sheet, row, 2, unit.name)
            _set(sheet, row, 3, unit.figures.branches)
            _set(sheet, row, 4, round(unit.score, 1))
            _set(sheet, row, 5, self.verdict(unit.met))
            column = self.criteria_cells(sheet, row, 6, unit.criteria)
            _set(sheet, row, column, self.weak_text(unit))
        last = len(self.card.units) + 1
        self.colour(sheet, 2, last, 6)
        self.colour_verdicts(sheet, 5, 2, last)
        _widths(sheet, {1: 14, 2: 30})

    def colour_verdicts(self, sheet: Any, column: int, first_row: int, last_row: int) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.utils import get_column_letter

        if last_row < first_row:
            return
        letter = get_column_letter(column)
        span = f"{letter}{first_row}:{letter}{last_row}"
        met = '"' + self.verdict(True).replace('"', '""') + '"'
        sheet.conditional_formatting.add(
            span, CellIsRule(operator="equal", formula=[met], fill=self.green)
        )
        sheet.conditional_formatting.add(
            span, CellIsRule(operator="notEqual", formula=[met], fill=self.red)
        )

    def weak_text(self, unit: UnitScore) -> str | None:
        """'Sinh hoạt: A, B; Công trình: B' for the criteria not met."""
        parts = []
        for criterion in unit.criteria:
            weak = unit.weak_branches(criterion.key) if not criterion.met else []
            if weak:
                parts.append(f"{self.t(f'scorecard.short.{criterion.key}')}: {', '.join(weak)}")
        return "; ".join(parts) or None

    def unit_sheet(self, sheet: Any, unit: UnitScore) -> None:
        t = self.t
        self.header(
            sheet,
            [
                t("scorecard.column.branch_code"),
                t("scorecard.column.branch"),
                *[t(c.label_key) for c in self.rules.criteria],
                *self.measure_titles(),
            ],
        )
        row = 1
        for row, branch in enumerate(unit.branches, start=2):
            _set(sheet, row, 1, branch.code)
            _set(sheet, row, 2, branch.name)
            self.criteria_cells(sheet, row, 3, branch.criteria)
        total = row + 1
        _set(sheet, total, 1, unit.code).font = self.bold
        _set(sheet, total, 2, t("scorecard.column.whole_unit")).font = self.bold
        self.criteria_cells(sheet, total, 3, unit.criteria)
        self.colour(sheet, 2, total, 3)
        _widths(sheet, {1: 16, 2: 28})

    def rules_sheet(self, sheet: Any) -> None:
        t, card = self.t, self.card
        sheet.title = t("scorecard.sheet.rules")[:31]
        last = card.periods[-1] if card.periods else card.last
        facts = [
            (t("scorecard.column.district"), card.district_name),
            (t("scorecard.column.range"), f"{period_text(card.first)} – {period_text(last)}"),
            (t("scorecard.column.months"), card.months),
            (t("scorecard.column.version"), card.rules_version),
            (t("scorecard.column.min_score"), card.min_score),
        ]
        for row, (label, value) in enumerate(facts, start=1):
            _set(sheet, row, 1, label).font = self.bold
            _set(sheet, row, 2, value)
        row = len(facts) + 2
        titles = ["criterion", "weight", "required", "measure", "bound"]
        for column, key in enumerate(titles, start=1):
            cell = _set(sheet, row, column, t(f"scorecard.column.{key}"))
            cell.font, cell.fill = self.bold, self.header_fill
        for criterion in self.rules.criteria:
            required = criterion.key in self.rules.overall.required
            for rule in criterion.measures:
                row += 1
                _set(sheet, row, 1, t(criterion.label_key))
                _set(sheet, row, 2, criterion.weight)
                _set(sheet, row, 3, t("export.yes" if required else "export.no"))
                _set(sheet, row, 4, t(f"scorecard.measure_name.{rule.measure}"))
                _set(sheet, row, 5, f"{'≥' if rule.kind == 'min' else '≤'} {rule.bound:g}")
        _widths(sheet, {1: 40, 2: 12, 3: 10, 4: 40, 5: 12})


def _widths(sheet: Any, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column in range(1, sheet.max_column + 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = widths.get(column, 14)


def unit_sheet_title(unit: UnitScore, taken: set[str]) -> str:
    """The unit's code as a sheet name: no forbidden characters, at most 31, unique."""
    base = SHEET_NAME.sub("-", unit.code)[:31] or "unit"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def scorecard_workbook(
    card: Scorecard, rules: ScorecardRules, catalog: Catalog, locale: str
) -> bytes:
    """The whole workbook in one language: counts and branch names, never a youth's name."""
    from openpyxl import Workbook  # only when someone asks for it: keeps start-up light

    writer = _Writer(card, rules, Formatter(catalog, locale).t)
    book = Workbook()
    writer.summary(book.active)
    taken = {book.active.title.lower()}
    for unit in card.units:
        sheet = book.create_sheet(unit_sheet_title(unit, taken))
        writer.unit_sheet(sheet, unit)
    rules_sheet = book.create_sheet()
    writer.rules_sheet(rules_sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
