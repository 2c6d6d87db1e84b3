"""Read an XLSX extract (one sheet) into a :class:`~ivoaudit.load.raw_table.RawTable` with openpyxl.

A workbook is a zip of XML parts, so before openpyxl opens it the parts' unpacked sizes are
added up and a workbook that would unpack to more than
:data:`~ivoaudit.load.limits.MAX_XLSX_UNPACKED` is refused (a zip bomb packs a gigabyte into a
megabyte). Rows that hold only formatting (Excel keeps a million of them after a whole column
is formatted) are not walked one by one: the sheet's XML is scanned for the last row that holds
a value, and reading stops there. A workbook whose XML openpyxl cannot read is refused as
damaged, with what to do, never with the parser's own words. Empty sheet rows are not data rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.load.headers import looks_like_data, shown_header
from ivoaudit.load.limits import (
    MAX_CELL_CHARS,
    MAX_SHEET_ROWS,
    MAX_XLSX_UNPACKED,
    cell_too_long,
    megabytes,
)
from ivoaudit.load.raw_table import RawTable

TOP_ROWS = 20
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_VALUE_TAGS = (b"<v>", b"<is>")  # a cell with a value (shared or inline string, number, cached formula)


def read_xlsx_table(name: str, data: bytes, sheet: str | None, *, header_row: int | None = None) -> RawTable:
    """Read the chosen ``sheet`` (default: the first) of the workbook ``data`` (file ``name``)."""
    import openpyxl

    archive = _open_zip(name, data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, its own): all mean "damaged"
        raise _damaged(name) from None
    try:
        chosen = _choose_sheet(name, workbook.sheetnames, sheet)
        last = _last_value_row(archive, workbook, chosen)
        if last is not None and last > MAX_SHEET_ROWS:
            raise _too_many_rows(name, chosen, last)
        found = _rows(name, workbook[chosen], last, header_row)
    except InputError:
        raise
    except Exception:
        raise _damaged(name) from None
    finally:
        workbook.close()
    return _table(name, chosen, *found)


def _open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged(name) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(t(
            "Arbetsboken {file} packas upp till {size} MB, mer än de {limit} MB som läses (en vanlig "
            "arbetsbok med 100 000 ärenden är ungefär 150 MB uppackad). Spara bladet med uttaget som "
            "CSV och läs in den filen i stället.",
            "The workbook {file} unpacks to {size} MB, more than the {limit} MB read (an ordinary "
            "workbook of 100 000 cases is about 150 MB unpacked). Save the sheet with the extract as "
            "CSV and read that file instead.", file=name, size=megabytes(unpacked),
            limit=megabytes(MAX_XLSX_UNPACKED)))
    return archive


def _choose_sheet(name: str, names: Sequence[str], sheet: str | None) -> str:
    if not names:
        raise _damaged(name)
    if sheet is None:
        return names[0]
    matches = [n for n in names if n == sheet] or [
        n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    if not matches:
        raise InputError(t(
            'Arbetsboken {file} har inget blad som heter "{sheet}". Bladen är: {sheets}. Ange ett av '
            "dem med --sheet (eller sheet: i mappningsfilen).",
            'The workbook {file} has no sheet called "{sheet}". Its sheets are: {sheets}. Give one of '
            "them with --sheet (or sheet: in the mapping file).", file=name, sheet=shown_header(sheet),
            sheets=", ".join(f'"{shown_header(n)}"' for n in names)))
    return matches[0]


def _last_value_row(archive: zipfile.ZipFile, workbook: Any, sheet: str) -> int | None:
    """The number of the last row of ``sheet`` that holds a value, by scanning its XML; ``None``
    when that cannot be told (the part not found, a row without its number, prefixed tags)."""
    part = getattr(workbook[sheet], "_worksheet_path", None)
    if part is None or part not in archive.namelist():
        return None
    last_row = last_value = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 22):
            text = tail + chunk
            at = max(text.rfind(tag) for tag in _VALUE_TAGS)
            if at >= 0:
                number = _row_before(text, at)
                if number is None:
                    return None
                last_value = max(last_value, number or last_row)
            last_row = _row_before(text, len(text)) or last_row
            tail = text[-256:]
    if last_value == 0 and b":sheetData" in tail:  # prefixed tags (x:v) are not scanned
        return None
    return last_value


def _row_before(text: bytes, at: int) -> int | None:
    """The number of the last ``<row>`` tag before ``at``: 0 when there is none in ``text``,
    ``None`` when it has no number (then the scan cannot tell)."""
    start = max(text.rfind(b"<row ", 0, at), text.rfind(b"<row>", 0, at))
    if start < 0:
        return 0
    found = _ROW_NUMBER.match(text, start)
    if found is None:
        return None if text.find(b">", start) >= 0 else 0  # a tag cut by the chunk: seen next time
    return int(found.group(1))


def _rows(name: str, worksheet: Any, last: int | None,
          header_row: int | None) -> tuple[list[object], int, list[tuple[object, ...]], list[int], list[tuple[int, list[str]]]]:
    """The header row (and its number), the data rows (and their numbers) and the first rows."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # trust the cells, not a stale <dimension> element
    header: list[object] | None = None
    header_number = 0
    records: list[tuple[object, ...]] = []
    numbers: list[int] = []
    top: list[tuple[int, list[str]]] = []
    if last == 0:
        return [], 0, [], [], []
    for number, row in enumerate(worksheet.iter_rows(values_only=True, max_row=last), start=1):
        row = _trimmed(row)
        if not row:
            continue  # an empty sheet row is not a data row
        if len(top) < TOP_ROWS:
            top.append((number, [cell_text(v) or "" for v in row]))
        if header is None and (header_row is None or number >= header_row):
            header, header_number = list(row), number
            continue
        if header is not None:
            records.append(row)
            numbers.append(number)
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows(name, "", number)
    return header or [], header_number, records, numbers, top


def _trimmed(row: tuple[object, ...]) -> tuple[object, ...]:
    """``row`` without its trailing empty cells (formatting only)."""
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


def _table(name: str, sheet: str, header: list[object], header_number: int, records: list[tuple[object, ...]],
           numbers: list[int], top: list[tuple[int, list[str]]]) -> RawTable:
    if not header:
        raise InputError(t('Bladet "{sheet}" i {file} är tomt. Välj bladet med uttaget med --sheet.',
                           'The sheet "{sheet}" in {file} is empty. Choose the sheet with the extract '
                           "with --sheet.", sheet=shown_header(sheet), file=name))
    width = max([len(header), *(len(r) for r in records)])
    headers = [(cell_text(h) or "").strip() for h in header] + [""] * (width - len(header))
    padded = [r + (None,) * (width - len(r)) for r in records]
    values = pd.DataFrame(padded, columns=list(range(width)), dtype=object)
    if values.empty:
        values = pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    text = []
    for i in range(width):
        cells = [cell_text(v) for v in values[i]]
        too_long = next((k for k, c in enumerate(cells) if c is not None and len(c) > MAX_CELL_CHARS), None)
        if too_long is not None:
            raise cell_too_long(name, numbers[too_long], headers[i] or str(i + 1))
        text.append(pa.chunked_array([pa.array(cells, type=pa.string())]))
    return RawTable(headers=headers, text=text, rows=np.asarray(numbers, dtype=np.int64), format="xlsx",
                    values=values, sheet=sheet, header_row=header_number, top_rows=top,
                    header_is_data=looks_like_data(header))


def cell_text(value: object) -> str | None:
    """A workbook cell as the text a CSV export would hold (``None`` for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _damaged(name: str) -> InputError:
    return InputError(t(
        "Arbetsboken {file} är skadad eller ingen riktig Excel-arbetsbok (.xlsx): dess innehåll kan inte "
        "läsas. Öppna den i Excel och spara den som en ny Excel-arbetsbok (.xlsx) eller som CSV, eller "
        "gör ett nytt uttag.",
        "The workbook {file} is damaged or not a real Excel workbook (.xlsx): its content cannot be "
        "read. Open it in Excel and save it as a new Excel workbook (.xlsx) or as CSV, or make a new "
        "extract.", file=name))


def _too_many_rows(name: str, sheet: str, rows: int) -> InputError:
    return InputError(t(
        "Bladet i {file} har värden på rad {rows}, fler rader än Excel tillåter ({limit}). Gör ett nytt "
        "uttag, som CSV.",
        "The sheet in {file} has values on row {rows}, more rows than Excel allows ({limit}). Make a new "
        "extract, as CSV.", file=name, rows=rows, limit=MAX_SHEET_ROWS))
