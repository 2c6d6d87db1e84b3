"""Small openpyxl helpers for report workbooks built cell by cell (stable interface).

The action plan, the quarterly list and the comparison workbooks are small and styled cell
by cell, so they use openpyxl through :func:`put` and :func:`table`; the big report
workbook is streamed by ``ivoaudit.report.xlsx``. Both store text the same way: control
characters removed and formula-like text neutralised with a leading apostrophe in the value
itself (``ivoaudit.report.safe.neutralise``), which stays inert after "save as CSV"; the
``quotePrefix`` style is set too so Excel shows such a cell as typed text.

openpyxl is imported where a table is styled, not with this module: the report workbook
imports the number formats from here and should not pay a tenth of a second for openpyxl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivoaudit.report.safe import is_formula_like, neutralise

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

PCT = "0.0%"
INT = "#,##0"
DATE = "yyyy-mm-dd"
HEADER_COLOUR = "DCE6F0"


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None):
    """Write one cell safely and return it (text neutralised, numbers and dates typed)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        formula_like = is_formula_like(value)
        cell.value = neutralise(value)
        cell.data_type = "s"  # a string cell, never a formula
        if formula_like:
            cell.quotePrefix = True
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    return cell


def table(ws: Worksheet, headers: list[str], rows: list[list[Any]], formats: list[str | None],
          start_row: int = 1, widths: list[int] | None = None) -> None:
    """A bold header row, typed rows, frozen panes, an autofilter and column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor=HEADER_COLOUR)
    for c, h in enumerate(headers, start=1):
        cell = put(ws, start_row, c, h)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=start_row + 1):
        for c, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            put(ws, r, c, value, fmt)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=2)
    ws.print_title_rows = f"{start_row}:{start_row}"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{start_row}:{last}{max(start_row + len(rows), start_row + 1)}"
    for c, h in enumerate(headers, start=1):
        width = (widths[c - 1] if widths and c <= len(widths) else None) or min(60, max(10, len(h) + 2))
        ws.column_dimensions[get_column_letter(c)].width = width
