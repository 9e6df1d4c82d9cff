"""One write-only sheet of the workbook, laid out for a clerk: a title block, a frozen header
that wraps, columns sized for what they hold, total rows set apart.

openpyxl's write-only mode streams each row to a temporary file as it is appended, so memory
stays flat; everything about the layout (column widths, the frozen pane, row heights) is
therefore set before the first row is written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.spreadsheet import safe_row

#: The title block's rows; the header is the row after them, and stays in view when scrolling.
TITLE_ROWS = 2
HEADER_ROW = TITLE_ROWS + 1
#: Points per line of wrapped header text (Calibri 11).
LINE_HEIGHT = 15
LINK_COLOUR = "0563C1"  # the colour spreadsheets give hyperlinks
HEADER_FILL = "DDEBF7"
SUBTOTAL_FILL = "F2F2F2"
TOTAL_FILL = "D9D9D9"


@dataclass(frozen=True)
class Column:
    """A column: its header in the reader's language, and its width in characters."""

    header: str
    width: int


@dataclass(frozen=True)
class Link:
    """A cell that opens an address (a signed link to a photo); shown as the address itself, so
    it can still be copied where a click does nothing."""

    url: str


class Sheet:
    """A write-only sheet: title block, frozen wrapped header, sized columns, formatted cells."""

    def __init__(
        self,
        book: Any,
        title: str,
        heading: Sequence[str],
        columns: Sequence[Column],
        *,
        group_thousands: bool = False,
    ) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import Cell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet(title[:31])
        self.group_thousands = group_thousands
        self._cell, self._styled = WriteOnlyCell, Cell
        # Made once: a style object per cell would cost a lookup of a new style each time.
        self._bold, self._link = Font(bold=True), Font(color=LINK_COLOUR, underline="single")
        self._bands = {
            grand: PatternFill("solid", fgColor=TOTAL_FILL if grand else SUBTOTAL_FILL)
            for grand in (False, True)
        }
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        self.sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * _header_lines(columns)
        strong = [Font(bold=True, size=13), Font(italic=True, color="595959")]
        for line, font in zip(safe_row(heading), strong, strict=True):
            cell = WriteOnlyCell(self.sheet, value=line)
            cell.font = font
            self.sheet.append([cell])
        wrapped = Alignment(wrap_text=True, vertical="top")
        header = []
        for text in safe_row(column.header for column in columns):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font, cell.alignment = Font(bold=True), wrapped
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            header.append(cell)
        self.sheet.append(header)

    def append(self, values: list[Any]) -> None:
        """A data row: thousands grouped (Excel shows the reader's own separator), dates as
        day/month/year, links clickable."""
        self.sheet.append([self._formatted(v) for v in values])

    def append_total(self, values: list[Any], *, grand: bool = False) -> None:
        """A subtotal (or, `grand`, a total) row: bold on a grey band, so it is not read as a
        branch."""
        row = []
        for value in values:
            cell = self._formatted(value)
            if not isinstance(cell, self._styled):
                cell = self._cell(self.sheet, value=cell)
            cell.font, cell.fill = self._bold, self._bands[grand]
            row.append(cell)
        self.sheet.append(row)

    def _formatted(self, value: Any) -> Any:
        if isinstance(value, Link):
            cell = self._cell(self.sheet, value=value.url)
            cell.hyperlink = value.url
            cell.font = self._link
            return cell
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


def _header_lines(columns: Sequence[Column]) -> int:
    """How many lines the tallest header takes once wrapped in its column (at least one)."""
    return max(
        (math.ceil(len(c.header) / max(1, c.width - 2)) for c in columns if c.header),
        default=1,
    )
