"""Cells in and out of the tracking workbooks (the action register, the IVO decision template).

Writing: text that Excel would run as a formula is neutralised with a visible leading
apostrophe (as the review form does) and written as a string; dates as real dates with an
ISO format. Reading: a date cell or ISO text is a date, anything else is a problem to list;
the apostrophe we added is taken off again.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ivoaudit.errors import ImportRefusedError
from ivoaudit.i18n import t

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
OPEN_FILL = PatternFill("solid", fgColor="FFF8DC")  # cells to fill in
META_SHEET = "_ivoaudit"


def safe_text(value: Any) -> str:
    """Text Excel shows as text and never evaluates."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(DANGEROUS) else text


def put(ws: Worksheet, row: int, col: int, value: Any, *, wrap: bool = False) -> None:
    """Write one cell: dates as dates, text neutralised, None as empty."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    # Top-aligned throughout: a row with one wrapped cell otherwise reads as two rows.
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")


def header(ws: Worksheet, labels: list[str], widths: list[float]) -> None:
    """Bold, shaded header row with frozen panes and column widths."""
    from openpyxl.utils import get_column_letter

    for j, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=j, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "B2"


def date_validation(ws: Worksheet, ref: str) -> None:
    """Excel refuses anything but a date between 2000 and 2100 in ``ref``."""
    dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                        formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                        errorTitle=t("Datum", "Date"),
                        error=t("Skriv ett datum, t.ex. 2026-10-31.", "Write a date, e.g. 2026-10-31."))
    ws.add_data_validation(dv)
    dv.add(ref)


def list_validation(ws: Worksheet, ref: str, choices: list[str]) -> None:
    """A dropdown of ``choices`` in ``ref``; Excel refuses anything else."""
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle=t("Välj i listan", "Choose from the list"),
                        error=t("Välj ett av värdena i listan.", "Choose one of the values in the list."))
    ws.add_data_validation(dv)
    dv.add(ref)


def text_of(value: Any) -> str:
    """A cell as text (stripped), without the apostrophe :func:`safe_text` added."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in DANGEROUS:
        text = text[1:]
    return text


def date_of(value: Any) -> date | None:
    """A date cell or ISO text as a date; None for blank; ``ValueError`` for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def read_workbook(path: Path, what: str) -> tuple[dict[str, str], dict[str, list[tuple[Any, ...]]]]:
    """(meta key → value, sheet name → rows) of an ivoaudit workbook; refused as a whole when
    it cannot be read or is not one of ours."""
    from openpyxl import load_workbook

    def refuse(problem: str) -> ImportRefusedError:
        return ImportRefusedError(t("{f} lästes inte in. Ingenting har sparats.",
                                    "{f} was not read. Nothing was stored.", f=path.name), [problem])

    if not path.is_file():
        raise refuse(t("Filen {p} finns inte.", "The file {p} does not exist.", p=path))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise refuse(t("Kan inte läsa {p} som en Excel-fil ({e}). Spara den som .xlsx och försök igen.",
                       "Cannot read {p} as an Excel file ({e}). Save it as .xlsx and try again.",
                       p=path.name, e=type(exc).__name__)) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            raise refuse(t("{p} är inte {w} från ivoaudit (bladet {s} saknas).",
                           "{p} is not {w} from ivoaudit (the sheet {s} is missing).",
                           p=path.name, w=what, s=META_SHEET))
        meta = {str(r[0]): "" if len(r) < 2 or r[1] is None else str(r[1])
                for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0] is not None}
        sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)]
                  for ws in wb.worksheets if ws.title != META_SHEET}
    finally:
        wb.close()
    return meta, sheets


def column_letter(j: int) -> str:
    """Excel's letter for 0-based column ``j``."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def printable(ws: Worksheet, *, last_row: int | None = None, landscape: bool = True) -> None:
    """Print on A4 as a reader expects: the columns fitted to the page width, the header row
    on every page, only the rows in use, and rows tall enough for their wrapped text
    (LibreOffice and Excel print openpyxl's default heights, cutting wrapped lines off)."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    last_row = last_row or ws.max_row
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{last_row}"
    widths = {j: ws.column_dimensions[get_column_letter(j)].width or 10 for j in range(1, ws.max_column + 1)}
    for row in ws.iter_rows(min_row=1, max_row=last_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            per_line = max(1, int(widths[cell.column] * 1.1))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in str(cell.value).split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines
