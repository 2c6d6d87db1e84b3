"""Review rounds: drawing a round with its questions, and writing the round's form.

:func:`sample_round` draws the sample, asks the review templates' questions
(``ivoaudit.review.questions``), stores the round and writes its form, all in one store
transaction: a failed or killed run leaves no round behind. :func:`write_round_form`
writes a stored round's form again (current answers pre-filled).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.errors import UsageError
from ivoaudit.i18n import get_language, t
from ivoaudit.review.form import FormContent, build_form
from ivoaudit.review.form_xlsx import write_form
from ivoaudit.review.questions import ask, asked
from ivoaudit.rules import KINDS
from ivoaudit.sample.draw import SampleSpec, count_text, describe_record, draw_sample
from ivoaudit.store import Store
from ivoaudit.store.records import ManualQuestion
from ivoaudit.store.review_checks import current_checks

__all__ = ["Population", "RoundStart", "load_population", "questions_from_checklist", "sample_round",
           "write_round_form"]


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
            "Yellow columns are questions for you, each phrased so that Yes means the duty was met: "
            "choose Yes, No or Not applicable in each pale-yellow cell. The header's comment explains "
            "what to look for.",
            "Green columns check the automatic results against the case file: beside each result, "
            "choose Yes if its dates and data match the file, No if they do not, and then write the "
            "correct date from the file. A No makes the result a data-quality finding.",
            "A dash (–) means the question does not apply to that case.",
            "Write anything worth noting in the Comment column. Do not write personal identity "
            "numbers or names there (numbers are masked on import).",
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
        "Gula kolumner är frågor till dig, var och en ställd så att Ja betyder att kravet är "
        "uppfyllt: välj Ja, Nej eller Ej aktuellt i varje ljusgul cell. Kommentaren i rubriken "
        "förklarar vad du ska titta efter.",
        "Gröna kolumner stämmer av de automatiska resultaten mot akten: välj Ja om resultatets "
        "datum och uppgifter stämmer med akten, Nej om de inte gör det, och skriv då rätt datum "
        "enligt akten bredvid. Ett Nej gör resultatet till en brist i uppgifterna.",
        "Ett streck (–) betyder att frågan inte gäller det ärendet.",
        "Skriv det som är värt att notera i kolumnen Kommentar. Skriv inte personnummer eller "
        "namn där (personnummer maskeras vid inläsningen).",
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
    checks = current_checks(store, name) if prefill else None
    return build_form(cases, store.auto_results(name), store.questions(name), lang=lang,
                      answers=answers, comments=comments, checks=checks,
                      rule_titles=store.rule_titles(name, lang))


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
class Population:
    """What sampling needs from an extract: cases, their results, the manual questions."""

    cases: pd.DataFrame
    results: pd.DataFrame
    questions: list[ManualQuestion]
    fingerprint: str | None = None
    rule_titles: dict[str, tuple[str, str]] | None = None  # rule_id -> (sv, en)
    checklists: dict[str, str] | None = None  # checklist name -> version (trends compare like with like)


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
    return Population(loaded.cases, checked.results, questions, loaded.source.fingerprint, titles,
                      dict(checklist.versions))


def _free_name(store: Store, base: str) -> str:
    name, n = base, 2
    while store.has_round(name):
        name, n = f"{base}-{n}", n + 1
    return name


def _spec_within(spec: SampleSpec, record: Mapping[str, Any]) -> SampleSpec:
    """``spec`` with the filters of the round it extends: an extension draws from the same
    population (same area, period and deviation filter), never from a wider one. An IVO
    round's population is its two groups: it is extended by --strategy ivo only (a plain
    --size drew from every case, most of which no question of the round fits)."""
    if record.get("strategy") == "ivo" and spec.strategy != "ivo":
        raise UsageError(t(
            "Omgången drogs som IVO drar (förhandsbedömningar som inte ledde till utredning och avslutade "
            "utredningar); en utökning drar ur samma grupper. Ange --strategy ivo --not-opened N --completed M.",
            "The round was drawn as IVO draws (preliminary assessments that did not lead to an investigation "
            "and completed investigations); an extension draws from the same groups. Give --strategy ivo "
            "--not-opened N --completed M."))
    filters = record.get("filters") or {}
    wanted: dict[str, Any] = {"area": filters.get("area"),
              "date_from": date.fromisoformat(filters["from"]) if filters.get("from") else None,
              "date_to": date.fromisoformat(filters["to"]) if filters.get("to") else None,
              "only_deviations": bool(filters.get("only_deviations"))}
    for key, value in wanted.items():
        given = getattr(spec, key)
        if given not in (None, False) and given != value:
            raise UsageError(t(
                "Omgången drogs med {k} = {v}; en utökning drar ur samma population. Ta bort {k} "
                "eller dra en ny omgång.",
                "The round was drawn with {k} = {v}; an extension draws from the same population. "
                "Leave out {k} or draw a new round.", k=key, v=value if value is not None else "–"))
    return replace(spec, **wanted)


def _check_out(out: str | Path) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(t(
            "Granskningsformuläret är en Excel-fil: ange --out med ändelsen .xlsx (fick {p}).",
            "The review form is an Excel file: give --out with the extension .xlsx (got {p}).", p=path.name))
    return path


def _store_round(store: Store, population: Population, record: dict[str, Any], cases: pd.DataFrame,
                 results: pd.DataFrame, questions: list[ManualQuestion], *, info: Any, name: str | None,
                 as_of: date, lang: str) -> str:
    """Store the draw as a new round, or as an extension of ``info``; its name."""
    if info is not None:
        record["extends"] = info.name
        if info.extract_fingerprint and info.extract_fingerprint != population.fingerprint:
            record["notes"] = [*record["notes"], "extract_differs_from_round"]
        store.extend_round(info.name, record=record, cases=cases, results=results, questions=questions)
        return str(info.name)
    round_name = name or _free_name(store, f"omg-{as_of.isoformat()}")
    store.create_round(round_name, record=record, cases=cases, results=results, questions=questions,
                       as_of=as_of.isoformat(), extract_fingerprint=population.fingerprint,
                       tool_version=str(record.get("tool_version")), language=lang)
    return round_name


def _nothing_drawn(record: Mapping[str, Any]) -> None:
    """Why a draw came out empty, in the terms of the options that decide it."""
    strata = record.get("strata") or {}
    if record.get("strategy") == "ivo" and record.get("population_size"):
        raise UsageError(t(
            "Inga ärenden att dra: av populationens {n} ärenden är {a} förhandsbedömningar som inte ledde "
            "till utredning och {b} avslutade utredningar – de två grupper --strategy ivo drar ur. Välj ett "
            "annat --area eller en annan period, eller en annan --strategy.",
            "No cases to draw: of the population's {n} cases, {a} are preliminary assessments that did not "
            "lead to an investigation and {b} are completed investigations – the two groups --strategy ivo "
            "draws from. Choose another --area or period, or another --strategy.",
            n=count_text(record["population_size"]), a=count_text(strata.get("not_opened", {}).get("population", 0)),
            b=count_text(strata.get("completed", {}).get("population", 0))))
    raise UsageError(t(
        "Inga ärenden att dra: populationen efter urvalsvillkoren har {n} ärenden. Ändra "
        "--from/--to, --area, --only-deviations eller --exclude-reviewed.",
        "No cases to draw: the population after the filters has {n} cases. Change "
        "--from/--to, --area, --only-deviations or --exclude-reviewed.",
        n=count_text(record["population_size"])))


def sample_round(store: Store, population: Population, spec: SampleSpec, *, out: str | Path,
                 as_of: date, name: str | None = None, extend: str | None = None,
                 exclude_reviewed: bool = False, size_calculation: dict[str, Any] | None = None,
                 lang: str | None = None) -> RoundStart:
    """Draw a sample, ask its questions, store it as a round (or as an extension of ``extend``)
    and write its form: one transaction, so a failure (or a kill) leaves no round behind.

    ``exclude_reviewed`` leaves out every case already drawn into an earlier round.
    ``extend`` adds ``spec``'s cases to the named round, drawn within that round's filters;
    its earlier cases stay unchanged and are left out of the new draw.
    """
    lang = lang or get_language()
    out = _check_out(out)
    exclude: set[str] = set()
    if exclude_reviewed:
        exclude |= store.sampled_case_ids()
    info = None
    if extend is not None:
        info = store.get_round(extend)
        exclude |= set(store.sampled_cases(extend)["case_id"])
        if info.records:
            spec = _spec_within(spec, info.records[0])
    sample = draw_sample(population.cases, population.results, spec, exclude=exclude,
                         extract_fingerprint=population.fingerprint, as_of=as_of,
                         size_calculation=size_calculation)
    record = dict(sample.record)
    if population.checklists:
        record["checklists"] = dict(population.checklists)
    if not record["size_drawn"]:
        _nothing_drawn(record)
    if exclude_reviewed:
        record["exclude_reviewed"] = True
    used, pairs = asked(sample.cases, population.results)
    results = ask(population.results[population.results["case_id"].astype(str).isin(
        set(sample.cases["case_id"].astype(str)))], pairs)
    questions = {q.rule_id: q for q in population.questions}
    questions.update({q.rule: q.manual() for q in used})
    written: Path | None = None
    try:
        with store.transaction():
            round_name = _store_round(store, population, record, sample.cases, results, list(questions.values()),
                                      info=info, name=name, as_of=as_of, lang=lang)
            titles = dict(population.rule_titles or {})
            titles.update({q.rule: (q.model.title.sv, q.model.title.en) for q in used if q.model.title})
            if titles:
                store.set_rule_titles(round_name, titles)
            path = written = write_round_form(store, round_name, out, lang=lang)
    except BaseException:
        if written is not None:  # the COMMIT failed (a full disk): no form for a round not stored
            written.unlink(missing_ok=True)
        raise
    with _lang(lang):
        lines = describe_record(record)
    return RoundStart(round_name, path, record, lines, info is not None)
