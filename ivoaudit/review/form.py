"""The review form's content: what goes in it (:func:`build_form`), before any styling.

One row per sampled case. Case facts and the automatic results are locked; beside every
automatic result stand two open cells, "Stämmer med akten?" (Ja / Nej) and the correct date
from the case file; the review questions are open dropdown cells (Ja / Nej / Ej aktuellt),
phrased so that **Ja means the duty was met**; a free-text comment closes the row.
``ivoaudit.review.form_xlsx`` writes it; ``ivoaudit.review.answers`` reads it back.

Formula injection: every text from an extract or a checklist goes through :func:`safe_text`,
which prefixes text that a spreadsheet would evaluate with an apostrophe (the OWASP advice;
the same prefix the reports and CSV files use) and removes characters XML cannot hold.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ivoaudit.fields import code_label
from ivoaudit.fields import label as field_label
from ivoaudit.store.records import ManualQuestion
from ivoaudit.wording import status_word

FORM_FORMAT = "ivoaudit-review-form/2"
META_SHEET = "_ivoaudit"
CASES_SHEET = "_ivoaudit_arenden"  # the case list, one id per row: no cell-size limit on a round
HEADER_ROW = 2  # row 1 says what Ja and Nej mean
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
           "comment": "Kommentar", "question": "Fråga", "check": "Stämmer med akten?",
           "date": "Rätt datum enligt akten"},
    "en": {"sheet": "Review", "instructions": "Instructions", "case_id": "Case id",
           "comment": "Comment", "question": "Question", "check": "Matches the case file?",
           "date": "Correct date in the file"},
}
MEANING = {
    "sv": ("Ja = kravet är uppfyllt enligt akten.  Nej = kravet är inte uppfyllt.  Ej aktuellt = frågan gäller "
           "inte ärendet.  ”Stämmer med akten?”: Ja = uttagets uppgifter stämmer; Nej = de stämmer inte – "
           "skriv rätt datum bredvid (resultatet räknas då som en brist i uppgifterna)."),
    "en": ("Yes = the requirement is met according to the case file.  No = it is not met.  Not applicable = "
           "the question does not apply to the case.  “Matches the case file?”: Yes = the extract's data "
           "are right; No = they are not – write the correct date beside it (the result then counts as a "
           "data-quality finding)."),
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

    kind: str  # "case" | "info" | "auto" | "check" | "date" | "question" | "comment"
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
    # rows[i][j]: the value of column j for case i; for answer cells an answer code, "" or
    # None (None = the question does not apply to this case: a locked "–").
    rows: list[list[Any]]
    open_cells: set[tuple[int, int]] = field(default_factory=set)  # (row index, column index)

    def locked_values(self) -> list[list[str]]:
        """Per row, the locked cells' values as written (normalised strings)."""
        return [[normalise_cell(self.cell_value(i, j)) for j in range(len(self.columns))
                 if (i, j) not in self.open_cells] for i in range(len(self.rows))]

    def cell_value(self, i: int, j: int) -> Any:
        """The value written into the cell (labels, '–' for cells that do not apply)."""
        column, value = self.columns[j], self.rows[i][j]
        if column.kind in ("question", "check", "date"):
            if (i, j) not in self.open_cells:
                return value if value is not None else NOT_APPLICABLE_CELL
            if column.kind == "date":
                return value or None
            return ANSWER_LABELS[self.lang].get(value, None) if value else None
        if column.kind == "comment":
            return safe_text(value) if value else None
        return value


def _status_label(status: str, days_over: Any, lang: str, start: Any = None, end: Any = None) -> str:
    text = status_word(status, lang)
    try:
        over = int(float(days_over))
    except (TypeError, ValueError):
        over = 0
    if status in ("fail", "overdue") and over > 0:
        text += f" (+{over} d)"
    first, last = _iso(start), _iso(end)
    if first:
        text += f" · {first} → {last or '…'}"
    return text


def _iso(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    return str(value)[:10]


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


def _columns(cases: pd.DataFrame, auto_rules: list[str], question_rules: list[str],
             by_question: Mapping[str, ManualQuestion], titles: Mapping[str, str], lang: str) -> list[Column]:
    texts = TEXTS[lang]
    columns = [Column("case", "case_id", texts["case_id"], width=16)]
    for name in ("unit", "caseworker", "area"):
        if name in cases.columns and cases[name].notna().any():
            columns.append(Column("info", name, field_label(name, lang), width=16))
    for name in KEY_DATE_COLUMNS:
        if name in cases.columns and cases[name].notna().any():
            columns.append(Column("info", name, field_label(name, lang), width=13))
    for rule in auto_rules:
        title = safe_text(titles.get(rule, ""))
        columns.append(Column("auto", rule, rule, note=title, width=24))
        columns.append(Column("check", rule, f"{rule}: {texts['check']}", note=MEANING[lang], width=14))
        columns.append(Column("date", rule, f"{rule}: {texts['date']}", width=13))
    for rule in question_rules:
        q = by_question.get(rule)
        question = q.question(lang) if q else safe_text(titles.get(rule, rule))
        columns.append(Column("question", rule, safe_text(f"{rule}: {question}"),
                              note=safe_text(q.guidance(lang) if q else ""), width=30))
    columns.append(Column("comment", "comment", texts["comment"], width=40))
    return columns


def build_form(cases: pd.DataFrame, results: pd.DataFrame, questions: Sequence[ManualQuestion],
               *, lang: str = "sv", answers: pd.DataFrame | None = None,
               comments: Mapping[str, str] | None = None, checks: pd.DataFrame | None = None,
               rule_titles: Mapping[str, str] | None = None) -> FormContent:
    """The form's columns and values for ``cases`` (selection order) and their results.

    A rule with any ``needs_review`` result among the cases is a question column: those
    cases get an answer cell, the others show their status locked. Every other rule is an
    automatic column followed by its "Stämmer med akten?" and correct-date cells.
    ``answers``/``checks``/``comments`` pre-fill the open cells (a regenerated form).
    """
    case_ids = [str(c) for c in cases["case_id"]]
    res = results[results["case_id"].astype(str).isin(set(case_ids))]
    by_question = {q.rule_id: q for q in questions}
    question_rules = sorted(set(res.loc[res["status"] == "needs_review", "rule_id"].astype(str)))
    auto_rules = sorted(set(res["rule_id"].astype(str)) - set(question_rules))
    columns = _columns(cases, auto_rules, question_rules, by_question, rule_titles or {}, lang)
    found = {(str(r.case_id), str(r.rule_id)): r for r in res.itertuples(index=False)}
    given = {} if answers is None else {(str(a.case_id), str(a.rule_id)): str(a.answer)
                                        for a in answers.itertuples(index=False)}
    verified = {} if checks is None else {(str(c.case_id), str(c.rule_id)): (str(c.matches), c.correct_date)
                                          for c in checks.itertuples(index=False)}
    comments = comments or {}
    rows: list[list[Any]] = []
    open_cells: set[tuple[int, int]] = set()
    for i, case in enumerate(cases.to_dict("records")):
        cid = case_ids[i]
        row: list[Any] = []
        for j, column in enumerate(columns):
            r = found.get((cid, column.key))
            applies = r is not None and str(r.status) != "not_applicable"
            if column.kind == "case":
                row.append(safe_text(cid))
            elif column.kind == "info":
                row.append(_info_value(column.key, case.get(column.key), lang))
            elif column.kind == "auto":
                row.append(_status_label(str(r.status), getattr(r, "days_over", None), lang,
                                         getattr(r, "start_date", None), getattr(r, "end_date", None))
                           if r is not None else NOT_APPLICABLE_CELL)
            elif column.kind in ("check", "date"):
                if applies:
                    open_cells.add((i, j))
                    match, correct = verified.get((cid, column.key), ("", None))
                    row.append(match if column.kind == "check" else _as_date(correct) if correct else None)
                else:
                    row.append(None)
            elif column.kind == "question":
                if r is not None and str(r.status) == "needs_review":
                    open_cells.add((i, j))
                    row.append(given.get((cid, column.key), ""))
                else:
                    row.append(_status_label(str(r.status), getattr(r, "days_over", None), lang)
                               if r is not None else None)
            else:
                open_cells.add((i, j))
                row.append(comments.get(cid, ""))
        rows.append(row)
    return FormContent(lang, columns, case_ids, rows, open_cells)


def _info_value(key: str, value: Any, lang: str) -> Any:
    if key.endswith("_date") or key in ("investigation_start", "investigation_end"):
        return _as_date(value)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return safe_text(code_label(key, str(value), lang))


def case_list_digest(case_ids: Sequence[str]) -> str:
    """sha256 of the form's case list (one id per line): the hidden sheet's integrity check."""
    return hashlib.sha256("\n".join(case_ids).encode("utf-8")).hexdigest()


def form_checksum(key: bytes, round_uid: str, content: FormContent) -> str:
    """HMAC-SHA256 over the round id, language, case ids, headers and every locked value."""
    payload = json.dumps([FORM_FORMAT, round_uid, content.lang, content.case_ids,
                          [c.header for c in content.columns], content.locked_values()],
                         ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
