"""The report's Method section: what was measured and how, in the reader's words.

A report from a check folder rests on every case of the extract; a report from a review
round rests on a sample whose draw is described here from its sampling record, with labels
a committee member can read (never the record's keys such as ``seed_given``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ivoaudit.i18n import t
from ivoaudit.report.labels import count as _count_text


def _count(value: Any) -> str:
    """A count as every report prints it (``3 000``); anything else as it is."""
    return _count_text(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)

STRATEGY_WORDS = {
    "random": ("obundet slumpmässigt urval", "simple random sample"),
    "stratified": ("stratifierat urval", "stratified sample"),
    "ivo": ("urval som IVO gör: förhandsbedömningar som inte ledde till utredning och avslutade utredningar",
            "sample as IVO draws it: preliminary assessments that did not lead to an investigation and "
            "completed investigations"),
}
STRATUM_WORDS = {
    "not_opened": ("förhandsbedömningar utan utredning", "preliminary assessments without investigation"),
    "completed": ("avslutade utredningar", "completed investigations"),
}
AREA_WORDS = {
    "barn_unga": ("barn och unga", "children and young people"),
    "funktionshinder": ("funktionshinder", "disability"),
    "missbruk": ("missbruk", "substance abuse"),
    "aldre": ("äldreomsorg", "elderly care"),
}


def _w(words: tuple[str, str]) -> str:
    return t(*words)


def method_paragraphs(is_sample: bool, meta: Mapping[str, Any], record: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The Method section's paragraphs, true for the report's source."""
    counting = t("Dagar räknas som kalenderdagar där startdagen är dag 0; månader enligt lagen (1930:173) "
                 "om beräkning av lagstadgad tid, och en lagstadgad frist som slutar på en lördag, söndag "
                 "eller helgdag flyttas till nästa vardag.",
                 "Days are calendar days with the start day as day 0; months by the Act (1930:173) on "
                 "computing statutory time, and a statutory deadline that ends on a Saturday, Sunday or "
                 "public holiday moves to the next weekday.")
    if not is_sample:
        first = t("Varje ärende i uttaget har kontrollerats mot varje tillämplig regel per mätdatumet {d}. "
                  "Underlaget är samtliga ärenden i uttaget, inte ett stickprov.",
                  "Every case in the extract was checked against every applicable rule as of {d}. The data "
                  "are all cases in the extract, not a sample.", d=meta.get("as_of") or "–")
        return first, counting
    drawn = (record or {}).get("size_drawn", "–")
    population = (record or {}).get("population_size", "–")
    first = t("Rapporten bygger på ett stickprov om {n} ärenden ur en population om {p} ärenden. Ärendena "
              "kontrollerades automatiskt per mätdatumet {d}, och granskaren besvarade frågorna i "
              "granskningsformuläret ur akten. Andelarna visas med 95 % konfidensintervall (Wilson): ett "
              "stickprov säger mindre än det ser ut.",
              "The report rests on a sample of {n} cases from a population of {p} cases. The cases were "
              "checked automatically as of {d}, and the reviewer answered the review form's questions from "
              "the case file. Shares are shown with 95% confidence intervals (Wilson): a sample says less "
              "than it seems.", n=_count(drawn), p=_count(population), d=meta.get("as_of") or "–")
    merge = t("Ett svar Ja räknas som uppfyllt, Nej som ej uppfyllt och Ej aktuellt som ej tillämpligt. "
              "Där granskaren svarat att ett automatiskt resultat inte stämmer med akten redovisas det som "
              "en brist i uppgifterna, inte som ett resultat.",
              "An answer Yes counts as pass, No as fail and Not applicable as not applicable. Where the "
              "reviewer answered that an automatic result does not match the case file, it is reported as "
              "a data-quality finding, not as a result.")
    return first, merge, counting


def _filters(filters: Mapping[str, Any]) -> str:
    parts = []
    if filters.get("area"):
        parts.append(t("område: {a}", "area: {a}", a=_w(AREA_WORDS.get(filters["area"], (filters["area"],) * 2))))
    if filters.get("from") or filters.get("to"):
        parts.append(t("inkom {f}–{u}", "received {f}–{u}", f=filters.get("from", ""), u=filters.get("to", "")))
    if filters.get("only_deviations"):
        parts.append(t("bara ärenden med avvikelser", "only cases with deviations"))
    if filters.get("excluded_cases"):
        parts.append(t("{n} tidigare granskade ärenden uteslutna", "{n} earlier reviewed cases left out",
                       n=_count(filters["excluded_cases"])))
    if filters.get("stratify"):
        parts.append(t("skikt efter {s}", "strata by {s}", s=filters["stratify"]))
    return "; ".join(parts) or t("inga", "none")


def _one_record(record: Mapping[str, Any], public: bool) -> list[tuple[str, str]]:
    strategy = str(record.get("strategy"))
    lines = [
        (t("Urvalsmetod", "Sampling method"), _w(STRATEGY_WORDS.get(strategy, (str(strategy),) * 2))),
        (t("Urvalsvillkor", "Filters"), _filters(record.get("filters") or {})),
        (t("Populationens storlek", "Population size"), _count(record.get("population_size", "–"))),
        (t("Dragna ärenden", "Cases drawn"), _count(record.get("size_drawn", "–"))),
    ]
    for name, counts in sorted((record.get("strata") or {}).items()):
        if public and name not in STRATUM_WORDS:
            continue  # a stratum named after a unit or caseworker is free text from the extract
        label = _w(STRATUM_WORDS[name]) if name in STRATUM_WORDS else name
        lines.append((t("Skikt: {s}", "Stratum: {s}", s=label),
                      t("{d} av {p}", "{d} of {p}", d=_count(counts.get("drawn")), p=_count(counts.get("population")))))
    if record.get("seed") is not None:
        lines.append((t("Slumpfrö (för att dra om samma urval)", "Random seed (to redraw the same sample)"),
                      str(record["seed"])))
    if record.get("date"):
        lines.append((t("Dragningsdatum", "Date drawn"), str(record["date"])))
    return lines


def sampling_lines(record: Mapping[str, Any] | None, *, public: bool) -> tuple[tuple[str, str], ...] | None:
    """The sampling record (and each extension) as (label, value) lines, or ``None``."""
    if not record:
        return None
    listed = record.get("records")
    records: list[Mapping[str, Any]] = listed if isinstance(listed, list) else [record]
    out: list[tuple[str, str]] = []
    for i, rec in enumerate(records):
        lines = _one_record(rec, public)
        if i:
            lines = [(t("Utökning {n}: {l}", "Extension {n}: {l}", n=i, l=label), value) for label, value in lines]
        out.extend(lines)
    return tuple(out)
