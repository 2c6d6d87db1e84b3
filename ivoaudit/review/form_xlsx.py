"""Writing the review workbook from a :class:`~ivoaudit.review.form.FormContent`.

Sheets: the review sheet (row 1 says what Ja and Nej mean and what the status words mean;
row 2 the headers; one row per case from row 3), the instructions with the sampling record,
and two hidden sheets: ``_ivoaudit`` (format, round id, language, the review sheet's name,
the case list's size and digest, the signature) and ``_ivoaudit_arenden`` (the case list,
one id per row, so a round of any size fits: a single cell holds at most 32 767 characters).

Locked cells use sheet protection without a password (to prevent slips; any change is
caught on import by comparing every locked cell with the store and by the HMAC signature).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ivoaudit.atomic import atomic_path
from ivoaudit.review.form import (
    ANSWER_LABELS,
    CASES_SHEET,
    FORM_FORMAT,
    HEADER_ROW,
    MEANING,
    META_SHEET,
    TEXTS,
    FormContent,
    case_list_digest,
    form_checksum,
    safe_text,
)
from ivoaudit.wording import STATUS_WORDS

_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_QUESTION_FILL = PatternFill("solid", fgColor="FFF2CC")
_CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")
_OPEN_FILL = PatternFill("solid", fgColor="FFFBEA")
_THIN = Side(style="thin", color="B7B7B7")
# Columns whose text wraps inside its cell, the row made tall enough: a unit such as "Barn och
# unga utredning 2" was cut at the next column on paper ("Barn och unga utred").
_WRAPPED = ("info", "comment", "auto")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _set_text(cell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a string, never a formula, whatever it starts with


def _validations(ws, lang: str) -> dict[str, DataValidation]:
    choices = list(ANSWER_LABELS[lang].values())
    yes_no = choices[:2]
    pick = "Välj " if lang == "sv" else "Choose "
    out = {
        "question": DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                   showErrorMessage=True, errorTitle="ivoaudit", error=pick + " / ".join(choices)),
        "check": DataValidation(type="list", formula1='"' + ",".join(yes_no) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="ivoaudit", error=pick + " / ".join(yes_no)),
        "date": DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                               showErrorMessage=True, errorTitle="ivoaudit",
                               error="ÅÅÅÅ-MM-DD" if lang == "sv" else "YYYY-MM-DD"),
    }
    for v in out.values():
        ws.add_data_validation(v)
    return out


def _legend(ws, content: FormContent) -> None:
    lang = content.lang
    words = "  ".join(f"{w[1] if lang == 'en' else w[0]}" for w in STATUS_WORDS.values())
    text = MEANING[lang] + ("  Status words: " if lang == "en" else "  Statusord: ") + words + "."
    cell = ws.cell(row=1, column=1)
    _set_text(cell, text)
    cell.font = Font(bold=True, color="1F3864")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = min(len(content.columns), 12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 48


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows: one range per run
    (openpyxl checks each added cell against all before it, so adding cells one by one
    took 20 s for a round of 1 800 cases)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _review_sheet(wb: Workbook, content: FormContent) -> str:
    lang = content.lang
    ws = wb.active
    ws.title = TEXTS[lang]["sheet"]
    _legend(ws, content)
    _header_row(ws, content)
    validation = _validations(ws, lang)
    answer_cells, lines = _body_rows(ws, content, validation)
    for (kind, column_number), rows in answer_cells.items():
        for first, last in _runs(rows):
            letter = get_column_letter(column_number)
            validation[kind].add(f"{letter}{first}:{letter}{last}" if last > first else f"{letter}{first}")
    for i, n in enumerate(lines):
        if n > 1:  # Excel and LibreOffice do not grow rows for wrapped text on open: size them here
            ws.row_dimensions[i + HEADER_ROW + 1].height = 15 * n
    _protect_and_print(ws, content)
    return str(ws.title)


def _header_row(ws, content: FormContent) -> None:
    """The column headers (with their notes), and each column's width."""
    fills = {"question": _QUESTION_FILL, "check": _CHECK_FILL, "date": _CHECK_FILL}
    for j, column in enumerate(content.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j)
        _set_text(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = fills.get(column.kind, _HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
        if column.note:
            note = Comment(column.note, "ivoaudit")
            note.width, note.height = 320, 160
            cell.comment = note
        longest = max((len(word) for word in column.header.split()), default=0)
        if column.kind == "info":  # a word of the case facts is never broken ("Familjehemsenhete|n")
            values = (content.cell_value(i, j - 1) for i in range(len(content.rows)))
            longest = max([longest, *(len(w) for v in values if isinstance(v, str) for w in v.split())])
        ws.column_dimensions[get_column_letter(j)].width = max(column.width, longest * 1.15 + 2)
    ws.row_dimensions[HEADER_ROW].height = 75


def _body_rows(ws, content: FormContent,
               validation: dict[str, DataValidation]) -> tuple[dict[tuple[str, int], list[int]], list[int]]:
    """One row per case; the open cells unlocked.

    Returns the rows of each (kind, column) that get a dropdown, and each row's text lines.
    """
    unlocked = Protection(locked=False)
    answer_cells: dict[tuple[str, int], list[int]] = {}  # (kind, column) -> rows with a dropdown
    lines = [1] * len(content.rows)  # text lines of each row's tallest wrapped cell
    for i in range(len(content.rows)):
        for j, column in enumerate(content.columns):
            cell = ws.cell(row=i + HEADER_ROW + 1, column=j + 1)
            _set_text(cell, content.cell_value(i, j))
            wraps = column.kind in _WRAPPED
            if wraps and isinstance(cell.value, str):
                per_line = max(1, int(ws.column_dimensions[get_column_letter(j + 1)].width * 0.8))
                lines[i] = max(lines[i], -(-len(cell.value) // per_line))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=wraps)
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            if (i, j) in content.open_cells:
                cell.protection = unlocked
                cell.fill = _OPEN_FILL
                if column.kind in validation:
                    answer_cells.setdefault((column.kind, j + 1), []).append(cell.row)
                if column.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
    return answer_cells, lines


def _protect_and_print(ws, content: FormContent) -> None:
    """Sheet protection (columns and rows may be resized) and the A4 landscape print set-up."""
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # allowed: let reviewers widen columns
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    total_width = sum(ws.column_dimensions[get_column_letter(j)].width
                      for j in range(1, len(content.columns) + 1))
    ws.page_setup.fitToWidth = max(1, -(-int(total_width) // 150))
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_cols = "A:A"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # Printed from the header row: row 1's legend, merged over the first columns, was cut to
    # its first column on every page after the first (the instructions sheet says the same).
    ws.print_area = f"A{HEADER_ROW}:{get_column_letter(len(content.columns))}{HEADER_ROW + len(content.rows)}"


def _instructions_sheet(wb: Workbook, lang: str, lines: list[str]) -> None:
    info = wb.create_sheet(TEXTS[lang]["instructions"])
    info.column_dimensions["A"].width = 80  # fits a portrait A4 page
    for row, line in enumerate(lines, start=1):
        cell = info.cell(row=row, column=1)
        _set_text(cell, safe_text(line) if line else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
        else:
            # Excel and LibreOffice do not grow rows for wrapped text on open: size them here.
            info.row_dimensions[row].height = 15 * max(1, -(-len(line) // 85))
    info.page_setup.fitToWidth = 1
    info.page_setup.fitToHeight = 0
    info.sheet_properties.pageSetUpPr.fitToPage = True
    info.protection.sheet = True


def write_form(path: str | Path, content: FormContent, *, round_name: str, round_uid: str,
               key: bytes, instructions: Iterable[str], record_lines: Iterable[str]) -> Path:
    """Write the review workbook to ``path`` (whole or not at all; never a reviewer's file)."""
    wb = Workbook()
    sheet = _review_sheet(wb, content)
    _instructions_sheet(wb, content.lang, list(instructions) + [""] + list(record_lines))
    cases = wb.create_sheet(CASES_SHEET)
    cases.sheet_state = "hidden"
    for r, cid in enumerate(content.case_ids, start=1):
        _set_text(cases.cell(row=r, column=1), cid)
    cases.protection.sheet = True
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for r, (k, v) in enumerate([("format", FORM_FORMAT), ("round_name", safe_text(round_name)),
                                ("round_uid", round_uid), ("lang", content.lang), ("sheet", sheet),
                                ("header_row", str(HEADER_ROW)), ("case_count", str(len(content.case_ids))),
                                ("case_list_sha256", case_list_digest(content.case_ids)),
                                ("checksum", form_checksum(key, round_uid, content))], start=1):
        _set_text(meta.cell(row=r, column=1), k)
        _set_text(meta.cell(row=r, column=2), v)
    meta.protection.sheet = True
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
