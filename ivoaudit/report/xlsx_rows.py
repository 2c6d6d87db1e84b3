"""A big table's rows written straight into an XlsxWriter worksheet, as XlsxWriter writes them.

XlsxWriter spends about 7 µs on each cell (argument checks, a row table, then one XML
element at a time): 100 000 cases carry about 65 000 deviations of 12 cells, 4-5 s. This
module writes the same ``<row>``/``<c>`` elements for a whole column-typed table in one
pass, each distinct text escaped once, into the worksheet's own row file of the
``constant_memory`` mode. The bytes are XlsxWriter's (``tests/report/test_xlsx_rows.py``
compares the sheets of both ways, including the escapes: ``&<>``, control characters as
``_xHHHH_``, leading or trailing blanks kept with ``xml:space``). Where XlsxWriter would do
something this module does not imitate (row heights or formats, Excel 2010 extensions,
comments, strings over half its length limit), or where the installed XlsxWriter lacks one
of the internals used here (a later version may rename them), ``write_rows`` returns False and
the caller writes the cells one by one through XlsxWriter's public API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

try:
    from xlsxwriter.utility import _preserve_whitespace
except ImportError:  # a later XlsxWriter: write_rows declines
    _preserve_whitespace = None

CHUNK_ROWS = 5000  # rows joined into one string before they go to the file
# XlsxWriter's internals this module reads or calls; without any of them it declines.
_INTERNALS = ("constant_memory", "excel_version", "comments", "default_row_height", "original_row_height",
              "previous_row", "row_info", "xls_rowmax", "xls_colmax", "xls_strmax", "fh", "_escape_data",
              "_escape_control_characters", "_write_single_row", "_check_dimensions")


def _fits(ws: Any, columns: list[tuple[list[Any], Any]], first_row: int, n: int) -> bool:
    """True when XlsxWriter would write these rows as plain ``<row r="…">`` with cells only."""
    if _preserve_whitespace is None or not all(hasattr(ws, name) for name in _INTERNALS):
        return False
    if any(fmt is not None and not hasattr(fmt, "_get_xf_index") for _, fmt in columns):
        return False
    if not ws.constant_memory or ws.excel_version != 2007 or ws.comments:
        return False
    if ws.default_row_height != ws.original_row_height or ws.previous_row > first_row:
        return False
    if any(r in ws.row_info for r in range(first_row, first_row + n)) if ws.row_info else False:
        return False
    if first_row + n > ws.xls_rowmax or len(columns) > ws.xls_colmax:
        return False
    half = ws.xls_strmax // 2
    return all(len(v) <= half for values, _ in columns for v in values if isinstance(v, str))


def _text_cell(ws: Any) -> Callable[[str], str]:
    """Text → ``t="inlineStr"><is><t>…</t></is></c>``: XlsxWriter's escapes, each distinct text once."""
    cache: dict[str, str] = {}

    def body(text: str) -> str:
        done = cache.get(text)
        if done is None:
            escaped = Worksheet._escape_control_characters(text)
            if escaped.startswith("<r>") and escaped.endswith("</r>"):
                done = f' t="inlineStr"><is>{escaped}</is></c>'  # a rich string, as XlsxWriter
            else:
                space = ' xml:space="preserve"' if _preserve_whitespace(escaped) else ""
                done = f' t="inlineStr"><is><t{space}>{ws._escape_data(escaped)}</t></is></c>'
            cache[text] = done
        return done

    return body


def _column_cells(ws: Any, col: int, values: list[Any], fmt: Any, first_row: int) -> list[str | None]:
    """The ``<c>`` element of every cell of one column (None for a blank)."""
    name = xl_col_to_name(col)
    if all(v is None for v in values):
        return [None] * len(values)  # a blank column numbers no format
    style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
    body = _text_cell(ws)
    return [None if v is None else f'<c r="{name}{r}"{style}{body(v)}' if isinstance(v, str)
            else f'<c r="{name}{r}"{style}><v>{v:.16G}</v></c>'
            for r, v in enumerate(values, start=first_row + 1)]


def write_rows(ws: Any, first_row: int, columns: list[tuple[list[Any], Any]]) -> bool:
    """Write ``columns`` (``(values, format)``; text or numbers, ``None`` blank) from row
    ``first_row`` down, column 0 first, as XlsxWriter's ``write_string``/``write_number``
    cell by cell would have. Returns False, having written nothing, where it cannot."""
    n = len(columns[0][0]) if columns else 0
    if not n:
        return True
    if not _fits(ws, columns, first_row, n):
        return False
    if any(not isinstance(v, str) and v is not None and v != v for values, _ in columns for v in values):
        return False  # NaN: XlsxWriter would refuse it
    ws._write_single_row(first_row)  # whatever XlsxWriter holds (the header row) goes first
    # XlsxWriter numbers a format when a cell first uses it: in row order, then column order.
    firsts = sorted((next((i for i, v in enumerate(values) if v is not None), n), c)
                    for c, (values, fmt) in enumerate(columns) if fmt is not None)
    for i, c in firsts:
        if i < n:
            columns[c][1]._get_xf_index()
    cells = [_column_cells(ws, c, values, fmt, first_row) for c, (values, fmt) in enumerate(columns)]
    rows: list[int] = []
    chunk: list[str] = []
    for i, row in enumerate(zip(*cells, strict=True)):
        filled = [c for c in row if c is not None]
        if not filled:
            continue  # XlsxWriter writes no element for a row without cells
        rows.append(last := first_row + i)
        chunk.append(f'<row r="{last + 1}">{"".join(filled)}</row>')
        if len(chunk) >= CHUNK_ROWS:
            ws.fh.write("".join(chunk))
            chunk.clear()
    ws.fh.write("".join(chunk))
    if rows:  # the sheet's dimensions, as each cell written would have set them
        used = [c for c, (values, _) in enumerate(columns) if any(v is not None for v in values)]
        ws._check_dimensions(rows[0], used[0])
        ws._check_dimensions(rows[-1], used[-1])
        ws.previous_row = rows[-1]
    return True
