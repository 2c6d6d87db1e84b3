"""Reading a filled-in review form back: validated as a whole, stored all or nothing.

``import_review_form`` validates the form against the store and stores its answers, its
"Stämmer med akten?" checks and its comments only when no problem is found (a
``ReviewFormError`` lists every problem otherwise). The reviewer's file is opened read-only
and never saved. Comments are scanned for personnummer, which are masked before storing.

The round API (drawing a round, writing its form) lives in ``ivoaudit.review.rounds`` and is
re-exported here for callers that import it from this module.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ivoaudit.errors import ReviewFormError
from ivoaudit.i18n import t
from ivoaudit.normalise.personnummer import mask_personnummer
from ivoaudit.review.form import (
    ANSWER_LABELS,
    CASES_SHEET,
    FORM_FORMAT,
    HEADER_ROW,
    META_SHEET,
    TEXTS,
    Column,
    FormContent,
    answer_from_label,
    case_list_digest,
    form_checksum,
    normalise_cell,
)
from ivoaudit.review.rounds import (  # noqa: F401 - the round API, imported from here by callers
    Population,
    RoundStart,
    _content_for,
    load_population,
    questions_from_checklist,
    sample_round,
    write_round_form,
)
from ivoaudit.store import Store
from ivoaudit.store.records import ImportResult, ManualQuestion
from ivoaudit.store.review_checks import replace_checks

__all__ = ["ManualQuestion", "questions_from_checklist", "write_round_form", "read_review_form",
           "import_review_form", "ParsedForm", "Population", "RoundStart", "load_population",
           "sample_round", "mask_identity_numbers"]

# 10 or 12 digits, with or without - or +, not inside a longer run of digits.
_PNR = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")


def mask_identity_numbers(text: str) -> tuple[str, int]:
    """``text`` with every personnummer-like number masked (``19121212-****``), and how many."""
    found = _PNR.findall(text)
    return _PNR.sub(lambda m: mask_personnummer(m.group(0)), text), len(found)


@dataclass(frozen=True)
class ParsedForm:
    """A validated form: its round and what to store."""

    round_name: str
    answers: list[tuple[str, str, str]]  # (case_id, rule_id, answer code)
    comments: dict[str, str]
    total: int  # answer cells in the form
    sha256: str
    checks: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # case, rule, yes/no, date
    masked: int = 0  # personnummer masked in comments


@dataclass(frozen=True)
class _Workbook:
    meta: dict[str, str]
    rows: list[tuple[Any, ...]]
    case_ids: list[str]
    sheet_found: bool
    sha256: str


def _read_workbook(path: Path) -> _Workbook:
    from openpyxl import load_workbook

    try:
        data = path.read_bytes()
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise ReviewFormError(t("Filen {p} finns inte.", "The file {p} does not exist.", p=path)) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReviewFormError(t(
            "Kan inte läsa {p} som en Excel-fil ({e}). Spara formuläret som .xlsx och försök igen.",
            "Cannot read {p} as an Excel file ({e}). Save the form as .xlsx and try again.",
            p=path, e=type(exc).__name__)) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            raise ReviewFormError(t(
                "{p} är inget granskningsformulär från ivoaudit (bladet {s} saknas). Använd "
                "formuläret som `ivoaudit sample` skrev.",
                "{p} is not an ivoaudit review form (the sheet {s} is missing). Use the form "
                "`ivoaudit sample` wrote.", p=path, s=META_SHEET))
        meta = {str(r[0]): "" if len(r) < 2 or r[1] is None else str(r[1])
                for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0] is not None}
        ids = ([normalise_cell(r[0]) for r in wb[CASES_SHEET].iter_rows(values_only=True) if r and r[0] is not None]
               if CASES_SHEET in wb.sheetnames else [])
        # The review sheet by its name, not its position: a sheet the reviewer added in front
        # of it must not turn every header into a problem.
        name = meta.get("sheet", "")
        found = name in wb.sheetnames
        sheet = wb[name] if found else wb.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    except ReviewFormError:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only sheets are parsed only here, and a damaged
        # sheet's XML fails with the parser's own error class (ElementTree's or lxml's)
        raise ReviewFormError(t(
            "{p} är skadad: ett blad i arbetsboken går inte att läsa. Öppna den i Excel, spara "
            "den som .xlsx och försök igen, eller använd ett nytt formulär.",
            "{p} is damaged: a sheet of the workbook cannot be read. Open it in Excel, save it "
            "as .xlsx and try again, or use a fresh form.", p=path)) from exc
    finally:
        wb.close()
    return _Workbook(meta, rows, ids, found, hashlib.sha256(data).hexdigest())


def _col(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _column_positions(columns: list[Column], header: tuple[Any, ...], problems: list[str]) -> list[int | None]:
    """Where each expected column is in the sheet: in place, else found by its header (a column
    the reviewer inserted shifts the others without making them wrong); missing → a problem."""
    found = [normalise_cell(h) for h in header]
    if found[:len(columns)] == [c.header for c in columns]:
        return list(range(len(columns)))
    positions: list[int | None] = []
    for j, column in enumerate(columns):
        hits = [k for k, h in enumerate(found) if h == column.header]
        if len(hits) == 1:
            positions.append(hits[0])
        else:
            positions.append(None)
            problems.append(t("Kolumnen \"{h}\" (kolumn {c} i formuläret som skrevs) saknas eller har ändrad "
                              "rubrik. Ändra tillbaka rubriken eller använd ett nytt formulär.",
                              "The column \"{h}\" (column {c} in the form as written) is missing or its "
                              "header was changed. Change the header back or use a fresh form.",
                              h=column.header, c=_col(j)))
    return positions


def _as_iso_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = normalise_cell(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else None
    except ValueError:
        return None


class _Reader:
    """Reads the rows of one form against its expected content, collecting every problem."""

    def __init__(self, content: FormContent, round_name: str, lang: str, require_complete: bool):
        self.content, self.round_name, self.lang = content, round_name, lang
        self.require_complete = require_complete
        self.problems: list[str] = []
        self.answers: list[tuple[str, str, str]] = []
        self.checks: list[tuple[str, str, str, str | None]] = []
        self.comments: dict[str, str] = {}
        self.masked = 0

    def row(self, r: int, i: int, cid: str, values: list[Any]) -> None:
        for j, column in enumerate(self.content.columns):
            value = values[j]
            if (i, j) not in self.content.open_cells:
                want, got = normalise_cell(self.content.cell_value(i, j)), normalise_cell(value)
                if got != want:
                    self.problems.append(t(
                        "Rad {r}, kolumn {c} ({h}), ärende {k}: låst cell ändrad (var \"{e}\", är \"{g}\"). "
                        "Ändra tillbaka eller använd ett nytt formulär.",
                        "Row {r}, column {c} ({h}), case {k}: locked cell changed (was \"{e}\", is \"{g}\"). "
                        "Change it back or use a fresh form.", r=r, c=_col(j), h=column.key, k=cid, e=want, g=got))
            elif column.kind == "comment":
                text = normalise_cell(value).strip()
                if text:
                    text, n = mask_identity_numbers(text)
                    self.masked += n
                    self.comments[cid] = text
            elif column.kind == "question":
                self._answer(r, j, cid, column, value)
        self._check(r, i, cid, values)

    def _answer(self, r: int, j: int, cid: str, column: Column, value: Any) -> None:
        code = answer_from_label(value)
        if code is None:
            self.problems.append(t(
                "Rad {r}, kolumn {c} ({q}), ärende {k}: svaret \"{v}\" finns inte i listan. Välj {l}.",
                "Row {r}, column {c} ({q}), case {k}: the answer \"{v}\" is not in the list. Choose {l}.",
                r=r, c=_col(j), q=column.key, k=cid, v=value, l=" / ".join(ANSWER_LABELS[self.lang].values())))
        elif code:
            self.answers.append((cid, column.key, code))
        elif self.require_complete:
            self.problems.append(t("Rad {r}, kolumn {c} ({q}), ärende {k}: svar saknas.",
                                   "Row {r}, column {c} ({q}), case {k}: answer missing.",
                                   r=r, c=_col(j), q=column.key, k=cid))

    def _check(self, r: int, i: int, cid: str, values: list[Any]) -> None:
        columns = self.content.columns
        for j, column in enumerate(columns):
            if column.kind != "check" or (i, j) not in self.content.open_cells:
                continue
            code = answer_from_label(values[j])
            raw_date = values[j + 1] if j + 1 < len(columns) and columns[j + 1].kind == "date" else None
            when = _as_iso_date(raw_date)
            if code not in ("", "yes", "no"):
                self.problems.append(t(
                    "Rad {r}, kolumn {c} ({q}), ärende {k}: ”Stämmer med akten?” ska vara Ja eller Nej.",
                    "Row {r}, column {c} ({q}), case {k}: “Matches the case file?” must be Yes or No.",
                    r=r, c=_col(j), q=column.key, k=cid))
            elif raw_date not in (None, "") and when is None:
                self.problems.append(t(
                    "Rad {r}, kolumn {c} ({q}), ärende {k}: \"{v}\" är inget datum. Skriv ÅÅÅÅ-MM-DD.",
                    "Row {r}, column {c} ({q}), case {k}: \"{v}\" is not a date. Write YYYY-MM-DD.",
                    r=r, c=_col(j + 1), q=column.key, k=cid, v=raw_date))
            elif when and code != "no":
                self.problems.append(t(
                    "Rad {r}, kolumn {c} ({q}), ärende {k}: rätt datum är ifyllt men ”Stämmer med akten?” "
                    "är inte Nej. Välj Nej, eller ta bort datumet.",
                    "Row {r}, column {c} ({q}), case {k}: a correct date is given but “Matches the case "
                    "file?” is not No. Choose No, or remove the date.", r=r, c=_col(j), q=column.key, k=cid))
            elif code:
                self.checks.append((cid, column.key, code, when))


def _form_round(store: Store, meta: dict[str, str], expected_round: str | None, refuse: Any) -> Any:
    """The round a form belongs to; a refusal when its format, store or round is wrong."""
    if meta.get("format") != FORM_FORMAT:
        raise refuse([t("Formulärets format ({v}) känns inte igen. Skriv ett nytt formulär med "
                        "`ivoaudit review form OMGÅNG --out FIL.xlsx`.",
                        "The form's format ({v}) is not recognised. Write a new form with "
                        "`ivoaudit review form ROUND --out FILE.xlsx`.", v=meta.get("format") or "–")])
    info = store.get_round_by_uid(meta.get("round_uid", ""))
    if info is None:
        raise refuse([t(
            "Formuläret hör till omgången {n}, men den omgången finns inte i databasen {db}. Antingen "
            "kommer formuläret från en annan databas, omgången har tagits bort, eller så har dess dolda "
            "omgångs-id ändrats. Använd formuläret som skrevs för omgången.",
            "The form belongs to round {n}, but that round is not in the store {db}. Either the form comes "
            "from another store, the round was deleted, or its hidden round id was altered. Use the form "
            "written for the round.", n=meta.get("round_name") or "?", db=store.path)])
    if expected_round is not None and info.name != expected_round:
        raise refuse([t("Formuläret hör till omgången {f}, inte till {e}. Välj rätt formulär eller rätt --round.",
                        "The form belongs to round {f}, not {e}. Pick the right form or the right --round.",
                        f=info.name, e=expected_round)])
    return info


def read_review_form(store: Store, path: str | Path, *, expected_round: str | None = None,
                     require_complete: bool = False) -> ParsedForm:
    """Validate a filled-in form against the store; every problem found is listed.

    Refused (``ReviewFormError``) when: the form belongs to another round or store, its round
    id, case list or signature was altered, a locked cell was changed, a case is not in the
    round, an answer is not one of the dropdown's, a date is not a date, or
    (``require_complete``) an answer is missing.
    """
    path = Path(path)
    book = _read_workbook(path)
    meta = book.meta

    def refuse(problems: list[str]) -> ReviewFormError:
        return _refused(path, problems)

    info = _form_round(store, meta, expected_round, refuse)
    lang = str(meta.get("lang")) if meta.get("lang") in TEXTS else "sv"
    problems: list[str] = []
    if not book.sheet_found:
        problems.append(t("Bladet {s} saknas (har det bytt namn?). Ge det tillbaka sitt namn.",
                          "The sheet {s} is missing (was it renamed?). Give it back its name.",
                          s=meta.get("sheet") or "–"))
    round_cases = set(store.sampled_cases(info.name)["case_id"].astype(str))
    listed = _listed_cases(book, info.name, round_cases, problems)
    content = _content_for(store, info.name, lang, listed, prefill=False)
    header_row = int(meta.get("header_row") or HEADER_ROW)
    header = book.rows[header_row - 1] if len(book.rows) >= header_row else ()
    positions = _column_positions(content.columns, header, problems) if book.sheet_found else []
    reader = _Reader(content, info.name, lang, require_complete)
    if positions and all(p is not None for p in positions):
        _read_rows(book.rows[header_row:], header_row, positions, content, reader)
    problems += reader.problems
    if require_complete and (missing := sorted(round_cases - set(content.case_ids))):
        problems.append(t("Formuläret saknar ärendena {c} som ingår i omgången; skriv ett nytt formulär med "
                          "`ivoaudit review form {n}`.",
                          "The form lacks the round's cases {c}; write a new form with "
                          "`ivoaudit review form {n}`.", c=", ".join(missing[:10]), n=info.name))
    signature_ok = hmac.compare_digest(form_checksum(store.form_key(), info.uid, content), meta.get("checksum", ""))
    if not signature_ok and not problems:
        problems.append(t("Formulärets dolda kontrollsumma stämmer inte: det dolda bladet {s} har ändrats. "
                          "Använd ett oförändrat formulär.",
                          "The form's hidden checksum does not match: the hidden sheet {s} was altered. "
                          "Use an unaltered form.", s=META_SHEET))
    if problems:
        raise refuse(problems)
    total = len({(i, j) for (i, j) in content.open_cells if content.columns[j].kind == "question"})
    return ParsedForm(info.name, reader.answers, reader.comments, total, book.sha256, reader.checks, reader.masked)


def _refused(path: Path, problems: list[str]) -> ReviewFormError:
    return ReviewFormError(t(
        "Formuläret {f} lästes inte in: {n} problem. Ingenting har sparats. Rätta problemen "
        "i formuläret och läs in det igen.",
        "The form {f} was not imported: {n} problem(s). Nothing was stored. Correct the "
        "problems in the form and import it again.", f=path.name, n=len(problems)), problems)


def _listed_cases(book: _Workbook, round_name: str, round_cases: set[str], problems: list[str]) -> list[str]:
    """The form's hidden case list, checked against its count and digest and against the
    round; the listed cases that are in the round."""
    form_ids = book.case_ids
    meta = book.meta
    if str(len(form_ids)) != meta.get("case_count") or case_list_digest(form_ids) != meta.get("case_list_sha256"):
        problems.append(t("Formulärets dolda ärendelista har ändrats. Använd ett oförändrat formulär.",
                          "The form's hidden case list was altered. Use an unaltered form."))
    listed = [c for c in form_ids if c in round_cases]
    if len(listed) != len(form_ids):
        problems.append(t("Formulärets dolda ärendelista innehåller ärenden som inte ingår i omgången {n}.",
                          "The form's hidden case list holds cases that are not in round {n}.", n=round_name))
    return listed


def _read_rows(rows: list[tuple[Any, ...]], header_row: int, positions: list[int | None],
               content: FormContent, reader: _Reader) -> None:
    expected = {cid: i for i, cid in enumerate(content.case_ids)}
    seen: set[str] = set()
    for r, raw in enumerate(rows, start=header_row + 1):
        values = [raw[p] if p is not None and p < len(raw) else None for p in positions]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        shown = normalise_cell(values[0])
        cid = shown[1:] if shown.startswith("'") and shown[1:2] in "=+-@\t\r\n" else shown
        i = expected.get(cid)
        if not cid:  # something typed below or between the cases, in a row without a case id
            reader.problems.append(t("Rad {r}: raden har inget ärende (ärendekolumnen är tom) men något är "
                                     "ifyllt. Skriv svar och kommentarer på ärendets egen rad, eller töm raden.",
                                     "Row {r}: the row has no case (the case column is blank) but something is "
                                     "filled in. Write answers and comments on the case's own row, or clear the row.",
                                     r=r))
        elif i is None:
            reader.problems.append(t("Rad {r}: ärendet {c} ingår inte i omgången {n}.",
                                     "Row {r}: the case {c} is not in the round {n}.",
                                     r=r, c=shown or "–", n=reader.round_name))
        elif cid in seen:
            reader.problems.append(t("Rad {r}: ärendet {c} förekommer mer än en gång.",
                                     "Row {r}: the case {c} appears more than once.", r=r, c=cid))
        else:
            seen.add(cid)
            if i + header_row + 1 != r:
                reader.problems.append(t("Rad {r}: ärendet {c} har flyttats (ska stå på rad {e}).",
                                         "Row {r}: the case {c} was moved (it belongs on row {e}).",
                                         r=r, c=cid, e=i + header_row + 1))
            reader.row(r, i, cid, values)
    for cid in content.case_ids:
        if cid not in seen:
            reader.problems.append(t("Ärendet {c} saknas i formuläret (rad {r}).",
                                     "The case {c} is missing from the form (row {r}).",
                                     c=cid, r=expected[cid] + header_row + 1))


def import_review_form(store: Store, path: str | Path, *, expected_round: str | None = None,
                       require_complete: bool = False) -> ImportResult:
    """Validate the whole form, then store its answers, checks and comments (one transaction)."""
    parsed = read_review_form(store, path, expected_round=expected_round, require_complete=require_complete)
    with store.transaction():
        result = store.replace_answers(parsed.round_name, parsed.answers, parsed.comments,
                                       file_name=Path(path).name, file_sha256=parsed.sha256, total=parsed.total)
        replace_checks(store, parsed.round_name, result.import_id, parsed.checks)
    return ImportResult(result.round_name, result.import_id, result.answered, result.total, result.replaced,
                        checks=len(parsed.checks), wrong=sum(1 for c in parsed.checks if c[2] == "no"),
                        masked=parsed.masked)
