"""The deviations table written at once (ivoaudit.report.xlsx_rows) is byte for byte what
XlsxWriter writes cell by cell: the same workbook is written both ways and compared member
by member."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from ivoaudit.report.xlsx_rows import write_rows

TRICKY = ["A-1", " leading blank", "trailing blank ", "a & b < c > d", "_x0041_ literal escape",
          "carriage\rreturn", "tab\tinside", "new\nline", "<r>not rich</r>", "quote \"x\"", "åäö ÅÄÖ",
          "'=1+1", "\u00a0nbsp", "emoji 😀"]


def _columns(n: int) -> list[tuple[str, list]]:
    """Text, date serials (floats, as the report's date columns), ints and gaps: the first rows
    leave the date column blank, so the int format is numbered first."""
    text = [TRICKY[i % len(TRICKY)] + (f" {i}" if i % 3 else "") for i in range(n)]
    dates = [None if i < 3 or i % 7 == 0 else 46000.0 + i for i in range(n)]
    ints = [None if i % 5 == 0 else i - 20 for i in range(n)]
    sparse = [None if i % 4 else f"note {i % 9}" for i in range(n)]
    return [("text", text), ("date", dates), ("int", ints), ("text", sparse)]


def _write(path: Path, n: int, fast: bool, blank_rows: bool = False) -> bool:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    # Both workbooks carry the same creation time: written a second apart they differed in
    # docProps/core.xml only, and the test failed by chance.
    wb.set_properties({"created": datetime(2026, 1, 2, 3, 4, 5)})
    header = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    integer = wb.add_format({"num_format": "0"})
    ws = wb.add_worksheet("One")
    ws.write_string(0, 0, "before the table")
    for c, h in enumerate(["Text", "Date", "Int", "Sparse"]):
        ws.write_string(2, c, h, header)
    columns = _columns(n)
    if blank_rows:  # rows with no cell at all, in the middle and at the end
        columns = [(kind, [None if i % 10 == 5 or i >= n - 2 else v for i, v in enumerate(values)])
                   for kind, values in columns]
    fmts = {"text": None, "date": date, "int": integer}
    used = fast and write_rows(ws, 3, [(values, fmts[kind]) for kind, values in columns])
    if not used:
        for i in range(n):
            for c, (kind, values) in enumerate(columns):
                if values[i] is not None:
                    if kind == "text":
                        ws.write_string(3 + i, c, values[i], fmts[kind])
                    else:
                        ws.write_number(3 + i, c, values[i], fmts[kind])
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, 2 + n, 3)
    ws.set_column(0, 0, 20)
    other = wb.add_worksheet("Two")  # a sheet after the table, with a format first used there
    other.write_string(0, 0, "after", wb.add_format({"italic": True}))
    wb.close()
    return bool(used)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("n,blank_rows", [(1, False), (40, False), (12_345, False), (40, True)])
def test_fast_rows_are_xlsxwriters_bytes(tmp_path, n, blank_rows):
    slow, fast = tmp_path / "slow.xlsx", tmp_path / "fast.xlsx"
    assert not _write(slow, n, fast=False, blank_rows=blank_rows)
    assert _write(fast, n, fast=True, blank_rows=blank_rows)
    a, b = _members(slow), _members(fast)
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name
    if n >= len(TRICKY):  # the escapes were exercised, not just skipped by both ways
        sheet = a["xl/worksheets/sheet1.xml"].decode()
        for escaped in ("_x005F_x0041_", "carriage_x000D_return", 'xml:space="preserve"', "a &amp; b &lt; c &gt; d",
                        "&lt;r&gt;not rich&lt;/r&gt;"):
            assert escaped in sheet


def test_declines_where_it_does_not_imitate(tmp_path):
    """A row height on a table row: XlsxWriter writes attributes this module does not, so it
    writes nothing and says so (the caller then writes cell by cell)."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.set_row(2, 30)
    assert not write_rows(ws, 1, [(["a", "b", "c"], None)])
    ws2 = wb.add_worksheet()
    assert not write_rows(ws2, 0, [(["x" * 20_000], None)])
    ws3 = wb.add_worksheet()
    assert not write_rows(ws3, 0, [([float("nan")], None)])
    wb.close()


def test_declines_when_xlsxwriter_lacks_what_it_imitates(tmp_path, monkeypatch):
    """A later XlsxWriter without one of the internals used here: nothing is written by this
    module, and the caller's cell-by-cell path (the library's own) writes the table."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    monkeypatch.delattr(type(ws), "_write_single_row")
    assert not write_rows(ws, 1, [(["a", "b"], None)])
    monkeypatch.undo()
    wb.close()
