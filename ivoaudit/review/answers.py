"""Review rounds: the manual questions, the form of a round, and reading answers back.

``write_round_form`` writes the form for a stored round; ``import_review_form`` validates
a filled-in form *as a whole* and stores its answers only when every problem is absent
(a ``ReviewFormError`` lists them all otherwise). The reviewer's file is opened read-only
and never saved.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.errors import ReviewFormError, UsageError
from ivoaudit.i18n import get_language, t
from ivoaudit.review.form import (
    FORM_FORMAT,
    META_SHEET,
    TEXTS,
    FormContent,
    answer_from_label,
    build_form,
    form_checksum,
    normalise_cell,
    write_form,
)
from ivoaudit.rules import KINDS
from ivoaudit.sample.draw import SampleSpec, describe_record, draw_sample
from ivoaudit.store import Store
from ivoaudit.store.records import ImportResult, ManualQuestion

__all__ = ["ManualQuestion", "questions_from_checklist", "write_round_form", "read_review_form",
           "import_review_form", "ParsedForm", "Population", "RoundStart", "load_population",
           "sample_round"]


def _pick(texts: Any, lang: str) -> str:
    if isinstance(texts, dict):
        return str(texts.get(lang) or texts.get("sv") or texts.get("en") or "")
    return str(texts or "")


def questions_from_checklist(rules: Iterable[Any], results: pd.DataFrame | None = None) -> list[ManualQuestion]:
    """Manual questions from checklist ``RuleSpec`` objects.

    Rules of a kind that asks a question (``manual``) give their question and guidance. Any other rule with a
    ``needs_review`` result (a ``documented`` rule whose field the extract lacks, a ``flag``)
    becomes a question built from its title.
    """
    needing = set()
    if results is not None and not results.empty:
        needing = set(results.loc[results["status"] == "needs_review", "rule_id"].astype(str))
    out = []
    for rule in rules:
        kind = str(getattr(rule, "kind", ""))
        rid = str(rule.id)
        title = getattr(rule, "title", {}) or {}
        description = getattr(rule, "description", {}) or {}
        if kind in KINDS and KINDS[kind].asks_question:
            q, g = getattr(rule, "question", None) or title, getattr(rule, "guidance", None) or description
            out.append(ManualQuestion(rid, _pick(q, "sv"), _pick(q, "en"), _pick(g, "sv"), _pick(g, "en")))
        elif rid in needing:
            out.append(ManualQuestion(
                rid,
                f"Granska i akten: {_pick(title, 'sv')}",
                f"Check the case file: {_pick(title, 'en')}",
                _pick(description, "sv"), _pick(description, "en")))
    return out


def _instructions(lang: str, round_name: str) -> list[str]:
    if lang == "en":
        return [
            f"Review form – round {round_name}",
            "One row per sampled case. Grey columns (case facts and automatic results from "
            "ivoaudit check) are locked: do not change them.",
            "Yellow columns are questions for you: choose Yes, No or Not applicable in each "
            "pale-yellow cell. The header's comment explains what to look for.",
            "A dash (–) means the question does not apply to that case.",
            "Write anything worth noting in the Comment column. Do not write personal identity "
            "numbers or names there.",
            "Save the file as .xlsx (same name or a new one) and import it with: "
            "ivoaudit review import FORM.xlsx",
            "The import checks the whole form first. If anything is wrong nothing is imported and "
            "you get a numbered list of problems; correct them and import again. A later import "
            "replaces the answers (earlier versions are kept in the history).",
            "The form contains confidential case data (OSL 26 kap. 1 §): keep it on the "
            "municipality's protected storage.",
            "",
            "Sampling record:",
        ]
    return [
        f"Granskningsformulär – omgång {round_name}",
        "En rad per ärende i stickprovet. Grå kolumner (fakta om ärendet och automatiska "
        "resultat från ivoaudit check) är låsta: ändra inte i dem.",
        "Gula kolumner är frågor till dig: välj Ja, Nej eller Ej aktuellt i varje ljusgul "
        "cell. Kommentaren i rubriken förklarar vad du ska titta efter.",
        "Ett streck (–) betyder att frågan inte gäller det ärendet.",
        "Skriv det som är värt att notera i kolumnen Kommentar. Skriv inte personnummer eller "
        "namn där.",
        "Spara filen som .xlsx (samma namn eller ett nytt) och läs in den med: "
        "ivoaudit review import FORMULÄR.xlsx",
        "Inläsningen kontrollerar hela formuläret först. Är något fel läses ingenting in och du "
        "får en numrerad lista över problemen; rätta dem och läs in igen. En senare inläsning "
        "ersätter svaren (tidigare versioner sparas i historiken).",
        "Formuläret innehåller sekretessbelagda uppgifter (OSL 26 kap. 1 §): förvara det på "
        "kommunens skyddade lagring.",
        "",
        "Urvalsprotokoll:",
    ]


def _content_for(store: Store, name: str, lang: str, case_ids: Sequence[str] | None = None,
                 prefill: bool = True) -> FormContent:
    cases = store.sampled_cases(name)
    if case_ids is not None:
        order = {c: i for i, c in enumerate(case_ids)}
        cases = cases[cases["case_id"].isin(order)].copy()
        cases["_pos"] = cases["case_id"].map(order)
        cases = cases.sort_values("_pos").drop(columns="_pos")
    answers = store.current_answers(name) if prefill else None
    comments = store.current_comments(name) if prefill else None
    return build_form(cases, store.auto_results(name), store.questions(name), lang=lang,
                      answers=answers, comments=comments, rule_titles=store.rule_titles(name, lang))


def write_round_form(store: Store, name: str, out: str | Path, lang: str | None = None) -> Path:
    """Write the review form of round ``name`` to ``out`` (current answers pre-filled)."""
    lang = lang or get_language()
    info = store.get_round(name)
    content = _content_for(store, name, lang)
    with _lang(lang):
        lines = []
        for seq, record in enumerate(info.records):
            if seq:
                lines.append("")
                lines.append(t("Utökning {n}:", "Extension {n}:", n=seq))
            lines.extend(describe_record(record))
    path = write_form(out, content, round_name=name, round_uid=info.uid, key=store.form_key(),
                      instructions=_instructions(lang, name), record_lines=lines)
    store.set_layout(name, {"lang": lang, "columns": [[c.kind, c.key] for c in content.columns]})
    return path


def _lang(lang: str):
    from ivoaudit.i18n import use_language

    return use_language(lang)


@dataclass(frozen=True)
class ParsedForm:
    """A validated form: its round and the answers to store."""

    round_name: str
    answers: list[tuple[str, str, str]]  # (case_id, rule_id, answer code)
    comments: dict[str, str]
    total: int  # answer cells in the form
    sha256: str


def _read_workbook(path: Path) -> tuple[dict[str, str], list[tuple[Any, ...]], str]:
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
            p=path, e=exc)) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            raise ReviewFormError(t(
                "{p} är inget granskningsformulär från ivoaudit (bladet {s} saknas). Använd "
                "formuläret som `ivoaudit sample` skrev.",
                "{p} is not an ivoaudit review form (the sheet {s} is missing). Use the form "
                "`ivoaudit sample` wrote.", p=path, s=META_SHEET))
        meta = {}
        for row in wb[META_SHEET].iter_rows(values_only=True):
            if row and row[0] is not None:
                meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
        sheet = wb.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    return meta, rows, hashlib.sha256(data).hexdigest()


def read_review_form(store: Store, path: str | Path, *, expected_round: str | None = None,
                     require_complete: bool = False) -> ParsedForm:
    """Validate a filled-in form against the store; every problem found is listed.

    Refused (``ReviewFormError``) when: the form belongs to another round or store, its round
    id or signature was altered, a locked cell was changed, a case is not in the round, an
    answer is not one of the dropdown's, or (``require_complete``) an answer is missing.
    """
    path = Path(path)
    meta, rows, sha = _read_workbook(path)
    fname = path.name

    def refuse(problems: list[str]) -> ReviewFormError:
        return ReviewFormError(t(
            "Formuläret {f} lästes inte in: {n} problem. Ingenting har sparats. Rätta problemen "
            "i formuläret och läs in det igen.",
            "The form {f} was not imported: {n} problem(s). Nothing was stored. Correct the "
            "problems in the form and import it again.", f=fname, n=len(problems)), problems)

    if meta.get("format") != FORM_FORMAT:
        raise refuse([t("Formulärets format ({v}) känns inte igen.", "The form's format ({v}) is not "
                        "recognised.", v=meta.get("format") or "–")])
    uid = meta.get("round_uid", "")
    info = store.get_round_by_uid(uid)
    if info is None:
        raise refuse([t(
            "Formuläret hör till omgången {n}, men den omgången (id {u}) finns inte i databasen "
            "{db}. Antingen kommer formuläret från en annan databas, eller så har dess dolda "
            "omgångs-id ändrats. Använd formuläret som skrevs för omgången.",
            "The form belongs to round {n}, but that round (id {u}) is not in the store {db}. "
            "Either the form comes from another store or its hidden round id was altered. Use the "
            "form written for the round.", n=meta.get("round_name") or "?", u=uid or "–",
            db=store.path)])
    if expected_round is not None and info.name != expected_round:
        raise refuse([t("Formuläret hör till omgången {f}, inte till {e}. Välj rätt formulär eller "
                        "rätt --round.",
                        "The form belongs to round {f}, not {e}. Pick the right form or the right "
                        "--round.", f=info.name, e=expected_round)])
    lang = str(meta.get("lang")) if meta.get("lang") in TEXTS else "sv"
    try:
        form_ids = [str(c) for c in json.loads(meta.get("case_ids") or "[]")]
    except ValueError:
        form_ids = []
    round_cases = set(store.sampled_cases(info.name)["case_id"].astype(str))
    listed = [c for c in form_ids if c in round_cases]
    content = _content_for(store, info.name, lang, listed, prefill=False)

    problems: list[str] = []
    if len(listed) != len(form_ids) or form_ids != content.case_ids:
        problems.append(t("Formulärets dolda ärendelista stämmer inte med omgången {n}; "
                          "formuläret har ändrats.",
                          "The form's hidden case list does not match round {n}; the form "
                          "was altered.", n=info.name))
    expected_sum = form_checksum(store.form_key(), uid, content)
    # The signature over the round id and every locked value: a mismatch means the hidden
    # sheet was edited (locked-cell edits are reported cell by cell below).
    signature_ok = hmac.compare_digest(expected_sum, meta.get("checksum", ""))

    columns = content.columns
    header = rows[0] if rows else ()
    for j, column in enumerate(columns):
        got = normalise_cell(header[j] if j < len(header) else None)
        if got != column.header:
            problems.append(t("Rad 1, kolumn {c}: rubriken är ändrad (väntat \"{e}\", fann \"{g}\").",
                              "Row 1, column {c}: the header was changed (expected \"{e}\", found \"{g}\").",
                              c=_col(j), e=column.header, g=got))
    expected_rows = {cid: i for i, cid in enumerate(content.case_ids)}
    answers: list[tuple[str, str, str]] = []
    comments: dict[str, str] = {}
    seen: set[str] = set()
    total = len({(i, j) for (i, j) in content.open_cells if columns[j].kind == "question"})
    labels = " / ".join(_labels(lang))
    for r, row in enumerate(rows[1:], start=2):
        values = list(row) + [None] * max(0, len(columns) - len(row))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cid_cell = normalise_cell(values[0])
        cid = cid_cell[1:] if cid_cell.startswith("'") and cid_cell[1:2] in "=+-@\t\r\n" else cid_cell
        i = expected_rows.get(cid)
        if i is None:
            problems.append(t("Rad {r}: ärendet {c} ingår inte i omgången {n}.",
                              "Row {r}: the case {c} is not in the round {n}.",
                              r=r, c=cid_cell or "–", n=info.name))
            continue
        if cid in seen:
            problems.append(t("Rad {r}: ärendet {c} förekommer mer än en gång.",
                              "Row {r}: the case {c} appears more than once.", r=r, c=cid))
            continue
        seen.add(cid)
        if i + 2 != r:
            problems.append(t("Rad {r}: ärendet {c} har flyttats (ska stå på rad {e}).",
                              "Row {r}: the case {c} was moved (it belongs on row {e}).",
                              r=r, c=cid, e=i + 2))
        for j, column in enumerate(columns):
            value = values[j]
            if (i, j) in content.open_cells:
                if column.kind == "comment":
                    text = normalise_cell(value).strip()
                    if text:
                        comments[cid] = text
                    continue
                code = answer_from_label(value)
                if code is None:
                    problems.append(t("Rad {r}, kolumn {c} ({q}), ärende {k}: svaret \"{v}\" finns "
                                      "inte i listan. Välj {l}.",
                                      "Row {r}, column {c} ({q}), case {k}: the answer \"{v}\" is "
                                      "not in the list. Choose {l}.",
                                      r=r, c=_col(j), q=column.key, k=cid, v=value, l=labels))
                elif code:
                    answers.append((cid, column.key, code))
                elif require_complete:
                    problems.append(t("Rad {r}, kolumn {c} ({q}), ärende {k}: svar saknas.",
                                      "Row {r}, column {c} ({q}), case {k}: answer missing.",
                                      r=r, c=_col(j), q=column.key, k=cid))
                continue
            want = normalise_cell(content.cell_value(i, j))
            got = normalise_cell(value)
            if got != want:
                problems.append(t("Rad {r}, kolumn {c} ({h}), ärende {k}: låst cell ändrad "
                                  "(var \"{e}\", är \"{g}\"). Ändra tillbaka eller använd ett nytt "
                                  "formulär.",
                                  "Row {r}, column {c} ({h}), case {k}: locked cell changed (was "
                                  "\"{e}\", is \"{g}\"). Change it back or use a fresh form.",
                                  r=r, c=_col(j), h=column.key, k=cid, e=want, g=got))
    for cid in content.case_ids:
        if cid not in seen:
            problems.append(t("Ärendet {c} saknas i formuläret (rad {r}).",
                              "The case {c} is missing from the form (row {r}).",
                              c=cid, r=expected_rows[cid] + 2))
    if require_complete:
        missing_cases = sorted(round_cases - set(content.case_ids))
        if missing_cases:
            problems.append(t("Formuläret saknar ärendena {c} som ingår i omgången; skriv ett nytt "
                              "formulär med `ivoaudit review form {n}`.",
                              "The form lacks the round's cases {c}; write a new form with "
                              "`ivoaudit review form {n}`.", c=", ".join(missing_cases[:10]),
                              n=info.name))
    if not signature_ok and not problems:
        problems.append(t("Formulärets dolda kontrollsumma stämmer inte: det dolda bladet {s} har "
                          "ändrats. Använd ett oförändrat formulär.",
                          "The form's hidden checksum does not match: the hidden sheet {s} was "
                          "altered. Use an unaltered form.", s=META_SHEET))
    if problems:
        raise refuse(problems)
    return ParsedForm(info.name, answers, comments, total, sha)


def _labels(lang: str) -> list[str]:
    from ivoaudit.review.form import ANSWER_LABELS

    return list(ANSWER_LABELS[lang].values())


def _col(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def import_review_form(store: Store, path: str | Path, *, expected_round: str | None = None,
                       require_complete: bool = False) -> ImportResult:
    """Validate the whole form, then store its answers as the round's current answers."""
    parsed = read_review_form(store, path, expected_round=expected_round,
                              require_complete=require_complete)
    return store.replace_answers(parsed.round_name, parsed.answers, parsed.comments,
                                 file_name=Path(path).name, file_sha256=parsed.sha256,
                                 total=parsed.total)


# -- rounds: from an extract to a stored round and its form ------------------------------

@dataclass(frozen=True)
class Population:
    """What sampling needs from an extract: cases, their results, the manual questions."""

    cases: pd.DataFrame
    results: pd.DataFrame
    questions: list[ManualQuestion]
    fingerprint: str | None = None
    rule_titles: dict[str, tuple[str, str]] | None = None  # rule_id -> (sv, en)


@dataclass(frozen=True)
class RoundStart:
    """The outcome of :func:`sample_round`."""

    name: str
    form: Path
    record: dict[str, Any]
    lines: list[str]
    extended: bool


def load_population(extract: str | Path, mapping: str | Path | None, as_of: date, *,
                    events: str | Path | None = None,
                    events_mapping: str | Path | None = None, sheet: str | None = None,
                    checklists: Sequence[str | Path] | None = None,
                    read_options: Mapping[str, Any] | None = None) -> Population:
    """Load the extract (and events table) and run the checker on it, as ``check`` does.

    ``checklists`` as ``load_checklists`` takes them (default: every shipped one);
    ``read_options`` the loader's ``encoding``/``delimiter`` when the user gave them."""
    from ivoaudit.check import run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract

    loaded = load_extract(extract, mapping, sheet, **dict(read_options or {}))
    loaded_events = load_events(events, mapping=events_mapping) if events else None
    checklist = load_checklists(list(checklists) if checklists else None)
    checked = run_check(loaded, checklist, as_of, events=loaded_events)
    questions = questions_from_checklist(checklist.rules, checked.results)
    titles = {str(r.id): (_pick(r.title, "sv"), _pick(r.title, "en")) for r in checklist.rules}
    return Population(loaded.cases, checked.results, questions, loaded.source.fingerprint, titles)


def _free_name(store: Store, base: str) -> str:
    name, n = base, 2
    while store.has_round(name):
        name, n = f"{base}-{n}", n + 1
    return name


def sample_round(store: Store, population: Population, spec: SampleSpec, *, out: str | Path,
                 as_of: date, name: str | None = None, extend: str | None = None,
                 exclude_reviewed: bool = False, size_calculation: dict[str, Any] | None = None,
                 lang: str | None = None) -> RoundStart:
    """Draw a sample, store it as a round (or as an extension of ``extend``), write its form.

    ``exclude_reviewed`` leaves out every case already drawn into an earlier round.
    ``extend`` adds ``spec``'s cases to the named round; its earlier cases stay unchanged
    and are left out of the new draw.
    """
    lang = lang or get_language()
    exclude: set[str] = set()
    if exclude_reviewed:
        exclude |= store.sampled_case_ids()
    info = None
    if extend is not None:
        info = store.get_round(extend)
        exclude |= set(store.sampled_cases(extend)["case_id"])
    sample = draw_sample(population.cases, population.results, spec, exclude=exclude,
                         extract_fingerprint=population.fingerprint, as_of=as_of,
                         size_calculation=size_calculation)
    record = dict(sample.record)
    if not record["size_drawn"]:
        raise UsageError(t(
            "Inga ärenden att dra: populationen efter urvalsvillkoren har {n} ärenden. Ändra "
            "--from/--to, --area, --only-deviations eller --exclude-reviewed.",
            "No cases to draw: the population after the filters has {n} cases. Change "
            "--from/--to, --area, --only-deviations or --exclude-reviewed.",
            n=record["population_size"]))
    if exclude_reviewed:
        record["exclude_reviewed"] = True
    if info is not None:
        record["extends"] = info.name
        if info.extract_fingerprint and info.extract_fingerprint != population.fingerprint:
            record["notes"] = [*record["notes"], "extract_differs_from_round"]
        store.extend_round(info.name, record=record, cases=sample.cases, results=population.results,
                           questions=population.questions)
        round_name = info.name
    else:
        round_name = name or _free_name(store, f"omg-{as_of.isoformat()}")
        store.create_round(round_name, record=record, cases=sample.cases, results=population.results,
                           questions=population.questions, as_of=as_of.isoformat(),
                           extract_fingerprint=population.fingerprint,
                           tool_version=str(record.get("tool_version")), language=lang)
    if population.rule_titles:
        store.set_rule_titles(round_name, population.rule_titles)
    path = write_round_form(store, round_name, out, lang=lang)
    with _lang(lang):
        lines = describe_record(record)
    return RoundStart(round_name, path, record, lines, info is not None)
