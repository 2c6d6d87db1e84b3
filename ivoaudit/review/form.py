"""The review form: what goes in it (:func:`build_form`) and writing it (:func:`write_form`).

One row per sampled case. Case facts and the automatic results are locked (sheet
protection without a password: the point is to prevent slips, and any change is caught on
import by comparing every locked cell with the store and by an HMAC in a hidden sheet);
the manual questions are unlocked dropdown cells (Ja / Nej / Ej aktuellt) with the
guidance as a comment on the header, followed by a free-text comment column.

Formula injection: openpyxl stores any ``str`` that starts with ``=`` as a *formula*, and
Excel treats text starting with ``+ - @`` (or a tab/CR) as formula input once a user edits
or re-exports it. Every text that comes from an extract or a checklist goes through
:func:`safe_text`, which prefixes such text with an apostrophe ``'`` (the OWASP CSV-injection
advice; the apostrophe stays visible, telling the reader the text was neutralised) and
removes characters XML cannot hold; the cell is then written with data type ``s``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ivoaudit.fields import code_label
from ivoaudit.fields import label as field_label
from ivoaudit.store.records import ManualQuestion
from ivoaudit.wording import status_word

FORM_FORMAT = "ivoaudit-review-form/1"
META_SHEET = "_ivoaudit"
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
NOT_APPLICABLE_CELL = "–"
KEY_DATE_COLUMNS = ("received_date", "preliminary_decision_date", "preliminary_outcome",
                    "investigation_start", "investigation_end", "decision_date", "decision_outcome",
                    "execution_date")
ANSWER_LABELS = {
    "sv": {"yes": "Ja", "no": "Nej", "not_applicable": "Ej aktuellt"},
    "en": {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"},
}
TEXTS = {
    "sv": {"sheet": "Granskning", "instructions": "Instruktioner", "case_id": "Ärendenummer",
           "comment": "Kommentar", "question": "Fråga"},
    "en": {"sheet": "Review", "instructions": "Instructions", "case_id": "Case id",
           "comment": "Comment", "question": "Question"},
}


def answer_from_label(text: Any) -> str | None:
    """The answer code for a dropdown label in either language; ``""`` for a blank cell,
    ``None`` when the text is not one of the labels."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return ""
    folded = str(text).strip().casefold()
    for labels in ANSWER_LABELS.values():
        for code, shown in labels.items():
            if folded == shown.casefold():
                return code
    return None


def safe_text(value: Any) -> str:
    """Text that Excel and LibreOffice show as text and never evaluate (see module docstring)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def normalise_cell(value: Any) -> str:
    """A cell value as the canonical string used to compare and sign locked cells."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of the review sheet."""

    kind: str  # "case" | "info" | "auto" | "question" | "comment"
    key: str  # field name or rule id
    header: str
    note: str = ""  # comment on the header (guidance / rule title)
    width: float = 14


@dataclass(frozen=True)
class FormContent:
    """Everything the review sheet shows, before styling."""

    lang: str
    columns: list[Column]
    case_ids: list[str]
    # rows[i][j]: the value of column j for case i; for question cells an answer code, "" or
    # None (None = the question does not apply to this case: a locked "–").
    rows: list[list[Any]]
    open_cells: set[tuple[int, int]] = field(default_factory=set)  # (row index, column index)

    def locked_values(self) -> list[list[str]]:
        """Per row, the locked cells' values as written (normalised strings)."""
        out = []
        for i in range(len(self.rows)):
            out.append([normalise_cell(self.cell_value(i, j)) for j in range(len(self.columns))
                        if (i, j) not in self.open_cells])
        return out

    def cell_value(self, i: int, j: int) -> Any:
        """The value written into the cell (labels, '–' for questions that do not apply)."""
        column, value = self.columns[j], self.rows[i][j]
        if column.kind == "question":
            if (i, j) not in self.open_cells:
                return value if value is not None else NOT_APPLICABLE_CELL
            return ANSWER_LABELS[self.lang].get(value, None) if value else None
        if column.kind == "comment":
            return safe_text(value) if value else None
        return value


def _status_label(status: str, days_over: Any, lang: str) -> str:
    text = status_word(status, lang)
    try:
        over = int(float(days_over))
    except (TypeError, ValueError):
        over = 0
    if status in ("fail", "overdue") and over > 0:
        text += f" (+{over} d)"
    return text


def _as_date(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return safe_text(value)


def build_form(cases: pd.DataFrame, results: pd.DataFrame, questions: Sequence[ManualQuestion],
               *, lang: str = "sv", answers: pd.DataFrame | None = None,
               comments: Mapping[str, str] | None = None,
               rule_titles: Mapping[str, str] | None = None) -> FormContent:
    """The form's columns and values for ``cases`` (selection order) and their results.

    A rule with a manual question, or with any ``needs_review`` result among the cases,
    becomes a question column: the cases whose result is ``needs_review`` get an answer
    cell, the others show their status locked. Every other rule is an automatic column.
    ``answers`` (case_id, rule_id, answer) pre-fills answer cells (e.g. a regenerated form).
    """
    texts = TEXTS[lang]
    case_ids = [str(c) for c in cases["case_id"]]
    res = results[results["case_id"].astype(str).isin(set(case_ids))]
    by_question = {q.rule_id: q for q in questions}
    review_rules = set(res.loc[res["status"] == "needs_review", "rule_id"].astype(str))
    question_rules = sorted(review_rules | (set(by_question) & set(res["rule_id"].astype(str))))
    auto_rules = sorted(set(res["rule_id"].astype(str)) - set(question_rules))
    titles = rule_titles or {}

    columns = [Column("case", "case_id", texts["case_id"], width=16)]
    for name in ("unit", "caseworker", "area"):
        if name in cases.columns and cases[name].notna().any():
            columns.append(Column("info", name, field_label(name, lang), width=16))
    for name in KEY_DATE_COLUMNS:
        if name in cases.columns and cases[name].notna().any():
            columns.append(Column("info", name, field_label(name, lang), width=13))
    for rule in auto_rules:
        columns.append(Column("auto", rule, rule, note=safe_text(titles.get(rule, "")), width=15))
    for rule in question_rules:
        q = by_question.get(rule)
        question = q.question(lang) if q else rule
        guidance = q.guidance(lang) if q else ""
        columns.append(Column("question", rule, safe_text(f"{rule}: {question}"),
                              note=safe_text(guidance), width=24))
    columns.append(Column("comment", "comment", texts["comment"], width=40))

    status = {(str(r.case_id), str(r.rule_id)): (str(r.status), getattr(r, "days_over", None))
              for r in res.itertuples(index=False)}
    given = {}
    if answers is not None:
        given = {(str(a.case_id), str(a.rule_id)): str(a.answer) for a in answers.itertuples(index=False)}
    comments = comments or {}
    rows: list[list[Any]] = []
    open_cells: set[tuple[int, int]] = set()
    records = cases.to_dict("records")
    for i, case in enumerate(records):
        cid = case_ids[i]
        row: list[Any] = []
        for j, column in enumerate(columns):
            if column.kind == "case":
                row.append(safe_text(cid))
            elif column.kind == "info":
                value = case.get(column.key)
                if column.key.endswith("_date") or column.key in ("investigation_start",
                                                                  "investigation_end"):
                    row.append(_as_date(value))
                elif value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                    row.append(None)
                else:
                    row.append(safe_text(code_label(column.key, str(value), lang)))
            elif column.kind == "auto":
                found = status.get((cid, column.key))
                row.append(_status_label(found[0], found[1], lang) if found else NOT_APPLICABLE_CELL)
            elif column.kind == "question":
                found = status.get((cid, column.key))
                if found is not None and found[0] == "needs_review":
                    open_cells.add((i, j))
                    row.append(given.get((cid, column.key), ""))
                else:
                    row.append(_status_label(found[0], found[1], lang) if found else None)
            else:
                open_cells.add((i, j))
                row.append(comments.get(cid, ""))
        rows.append(row)
    return FormContent(lang, columns, case_ids, rows, open_cells)


def form_checksum(key: bytes, round_uid: str, content: FormContent) -> str:
    """HMAC-SHA256 over the round id, language, case ids and every locked value."""
    payload = json.dumps([FORM_FORMAT, round_uid, content.lang, content.case_ids,
                          [c.header for c in content.columns], content.locked_values()],
                         ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_QUESTION_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPEN_FILL = PatternFill("solid", fgColor="FFFBEA")
_THIN = Side(style="thin", color="B7B7B7")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _set_text(cell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        # Belt and braces: safe_text already removed a leading "=", but the data type is
        # what decides whether openpyxl writes a formula.
        cell.data_type = "s"


def write_form(path: str | Path, content: FormContent, *, round_name: str, round_uid: str,
               key: bytes, instructions: Iterable[str], record_lines: Iterable[str]) -> Path:
    """Write the review workbook to ``path`` (a new file; never a reviewer's file)."""
    lang = content.lang
    texts = TEXTS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = texts["sheet"]

    for j, column in enumerate(content.columns, start=1):
        cell = ws.cell(row=1, column=j)
        _set_text(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = _QUESTION_FILL if column.kind == "question" else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
        if column.note:
            note = Comment(column.note, "ivoaudit")
            note.width, note.height = 320, 160
            cell.comment = note
        # Wide enough that no word of the header is split across lines.
        longest = max((len(word) for word in column.header.split()), default=0)
        ws.column_dimensions[get_column_letter(j)].width = max(column.width, longest * 1.15 + 2)
    ws.row_dimensions[1].height = 60

    choices = list(ANSWER_LABELS[lang].values())
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="ivoaudit",
                                error=("Välj " if lang == "sv" else "Choose ") + " / ".join(choices))
    ws.add_data_validation(validation)
    unlocked = Protection(locked=False)
    for i in range(len(content.rows)):
        for j, column in enumerate(content.columns):
            cell = ws.cell(row=i + 2, column=j + 1)
            _set_text(cell, content.cell_value(i, j))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind == "comment")
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            if (i, j) in content.open_cells:
                cell.protection = unlocked
                cell.fill = _OPEN_FILL
                if column.kind == "question":
                    validation.add(cell)
    ws.freeze_panes = "B2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # allowed: let reviewers widen columns
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # About 150 character widths stay legible on a landscape A4 page; wider forms print on
    # more pages side by side, each repeating the case id column.
    total_width = sum(ws.column_dimensions[get_column_letter(j)].width
                      for j in range(1, len(content.columns) + 1))
    ws.page_setup.fitToWidth = max(1, -(-int(total_width) // 150))
    ws.print_title_cols = "A:A"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    info = wb.create_sheet(texts["instructions"])
    info.column_dimensions["A"].width = 80  # fits a portrait A4 page
    row = 1
    for line in list(instructions) + [""] + list(record_lines):
        cell = info.cell(row=row, column=1)
        _set_text(cell, safe_text(line) if line else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
        else:
            # Excel and LibreOffice do not grow rows for wrapped text on open: size them here
            # (about 85 characters of an 11 pt font per line at this column width).
            lines = max(1, -(-len(line) // 85))
            info.row_dimensions[row].height = 15 * lines
        row += 1
    info.page_setup.fitToWidth = 1
    info.page_setup.fitToHeight = 0
    info.sheet_properties.pageSetUpPr.fitToPage = True
    info.protection.sheet = True

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for r, (k, v) in enumerate([("format", FORM_FORMAT), ("round_name", safe_text(round_name)),
                                ("round_uid", round_uid), ("lang", lang),
                                ("case_ids", json.dumps(content.case_ids, ensure_ascii=False)),
                                ("checksum", form_checksum(key, round_uid, content))], start=1):
        _set_text(meta.cell(row=r, column=1), k)
        _set_text(meta.cell(row=r, column=2), v)
    meta.protection.sheet = True

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
