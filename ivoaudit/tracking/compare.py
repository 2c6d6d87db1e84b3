"""A regional comparison of municipalities from their public summaries (``ivoaudit.public-summary/1``).

Each municipality writes its public summary with ``ivoaudit report --format json``
(docs/report-json.md); a regional network collects them and :func:`compare_summaries` puts them side
by side per rule: compliance with its denominator, a 95 % Wilson interval, and a rank.

What is kept as each input has it: a count or share that the input suppressed (``null``)
stays suppressed here; nothing is worked out from totals or other cells. Ranks are given to
the shown shares only. The *region* line pools the counts that are shown (and says over how
many of the municipalities), so it reveals nothing a summary hid.

What is refused, with a message naming the file: a file that is not a public summary (no
``schema``, another schema, an unknown version), and anything with case-level content
(case ids, person ids, caseworkers, deviation rows). Inputs measured as of different dates,
with different checklist versions or mixing samples with whole-extract checks are not
comparable: they are shown apart, in groups (or refused with ``strict=True``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.sample.stats import wilson_interval

SCHEMA = "ivoaudit.public-summary/1"  # the one version this reader knows (report/json_summary.py)
SCHEMA_FAMILY = "ivoaudit.public-summary/"
# Keys that only case-level (internal) files have; a public summary never holds them.
CASE_LEVEL_KEYS = frozenset({"case_id", "case_ids", "person_id", "pseudonym", "pseudonyms", "person_pseudonym",
                             "caseworker", "caseworkers", "deviations", "personnummer"})
STATES = ("shown", "suppressed", "no_cases", "not_measured", "absent")


@dataclass(frozen=True)
class SummaryInput:
    """One municipality's public summary as read."""

    label: str
    file: str
    as_of: str | None
    checklists: dict[str, str]
    is_sample: bool
    min_count: int | None
    tool_version: str | None
    language: str
    rules: tuple[dict[str, Any], ...]  # the summary's rule objects, in its order

    @property
    def comparable_key(self) -> tuple[Any, ...]:
        """Inputs with equal keys are measured alike: same date, checklists and kind."""
        return (self.as_of, tuple(sorted(self.checklists.items())), self.is_sample)


@dataclass(frozen=True)
class Figure:
    """One municipality's figure for one rule, as its summary shows it."""

    label: str
    state: str  # shown | suppressed | no_cases | not_measured | absent (see STATES)
    passed: int | None
    denominator: int | None
    rate: float | None
    ci: tuple[float, float] | None  # Wilson 95 % from the shown counts
    rank: int | None = None  # 1 = highest share; equal shares share a rank
    versus_region: str | None = None  # above | below: the interval lies wholly above/below the region


@dataclass(frozen=True)
class RuleComparison:
    """One rule across the municipalities of a group, ranked."""

    rule_id: str
    title: str
    basis: str
    area: str | None
    figures: tuple[Figure, ...]  # ranked figures first, then the others in input order
    region: Figure | None  # pooled over the figures whose counts are shown
    pooled: int  # how many municipalities the region pools


@dataclass(frozen=True)
class ComparableGroup:
    """Municipalities measured alike, and their rules."""

    as_of: str | None
    checklists: dict[str, str]
    is_sample: bool
    labels: tuple[str, ...]
    rules: tuple[RuleComparison, ...]


@dataclass(frozen=True)
class Comparison:
    """The whole comparison: the inputs, their comparable groups, and warnings."""

    inputs: tuple[SummaryInput, ...]
    groups: tuple[ComparableGroup, ...]
    warnings: tuple[str, ...]


def read_summary(path: str | Path, label: str | None = None) -> SummaryInput:
    """Read and check one public summary; :class:`~ivoaudit.errors.InputError` when it is none."""
    path = Path(path)
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(t("Filen {f} finns inte.", "The file {f} does not exist.", f=path)) from None
    except UnicodeDecodeError:
        raise InputError(_not_summary(name, t("den är inte text i UTF-8", "it is not UTF-8 text"))) from None
    except json.JSONDecodeError as exc:  # the position, not the parser's English words
        raise InputError(_not_summary(name, t("den är inte JSON (fel på rad {l}, kolumn {c})",
                                              "it is not JSON (an error on line {l}, column {c})",
                                              l=exc.lineno, c=exc.colno))) from None
    except RecursionError:  # nesting no summary has, which would exhaust the parser
        raise InputError(_not_summary(name, t("den är nästlad djupare än en sammanställning kan vara",
                                              "it is nested deeper than a summary can be"))) from None
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise InputError(_not_summary(name, t("den saknar fältet schema", "it has no schema field")))
    schema = data["schema"]
    if not schema.startswith(SCHEMA_FAMILY):
        raise InputError(_not_summary(name, t("dess schema är {s}", "its schema is {s}", s=schema)))
    if schema != SCHEMA:
        raise InputError(t(
            "{f} är en offentlig sammanställning i en version som denna ivoaudit inte känner till ({s}; "
            "känd: {k}). Uppdatera ivoaudit, eller be kommunen skriva den med samma version som de andra.",
            "{f} is a public summary in a version this ivoaudit does not know ({s}; known: {k}). Upgrade "
            "ivoaudit, or ask the municipality to write it with the same version as the others.",
            f=name, s=schema, k=SCHEMA))
    found = sorted(_case_level_keys(data))
    if found or data.get("audience") == "internal":
        raise InputError(t(
            "{f} innehåller uppgifter på ärendenivå ({k}) och är ingen offentlig sammanställning. Jämför bara "
            "filen public-summary.json som `ivoaudit report --format json` skriver.",
            "{f} holds case-level data ({k}) and is not a public summary. Compare only the file "
            "public-summary.json that `ivoaudit report --format json` writes.",
            f=name, k=", ".join(found) or "audience: internal"))
    rules = data.get("rules")
    if not isinstance(rules, list) or not all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in rules):
        raise InputError(_not_summary(name, t("listan rules saknas eller är trasig", "its rules list is missing or "
                                              "broken")))
    for rule in rules:
        _check_figures(name, rule)
    return SummaryInput(
        label=label or _default_label(path), file=name, as_of=data.get("as_of"),
        checklists={str(k): str(v) for k, v in (data.get("checklists") or {}).items()},
        is_sample=bool(data.get("is_sample")), min_count=data.get("min_count"),
        tool_version=(data.get("tool") or {}).get("version"), language=str(data.get("language") or "sv"),
        rules=tuple(rules))


def read_summaries(items: Iterable[tuple[str | None, str | Path]]) -> list[SummaryInput]:
    """Read several summaries, each ``(label or None, path)``; labels must differ."""
    inputs = [read_summary(path, label) for label, path in items]
    seen: dict[str, str] = {}
    for item in inputs:
        if item.label in seen:
            raise InputError(t(
                "Två filer får samma namn i jämförelsen, {l} ({a} och {b}). Ge dem namn: NAMN=FIL, till exempel "
                "Flen=flen/public-summary.json.",
                "Two files get the same name in the comparison, {l} ({a} and {b}). Name them: NAME=FILE, for "
                "example Flen=flen/public-summary.json.", l=item.label, a=seen[item.label], b=item.file))
        seen[item.label] = item.file
    return inputs


def compare_summaries(inputs: Sequence[SummaryInput], *, strict: bool = False) -> Comparison:
    """Compare the inputs rule by rule, in groups of comparable inputs.

    ``strict``: refuse (:class:`~ivoaudit.errors.InputError`) inputs that are not all
    comparable, instead of showing them apart.
    """
    if len(inputs) < 2:
        raise InputError(t("En jämförelse behöver minst två sammanställningar.",
                           "A comparison needs at least two summaries."))
    by_key: dict[tuple[Any, ...], list[SummaryInput]] = {}
    for item in inputs:
        by_key.setdefault(item.comparable_key, []).append(item)
    warnings = []
    if len(by_key) > 1:
        described = "; ".join(f"{', '.join(i.label for i in group)}: {_describe(group[0])}"
                              for group in by_key.values())
        if strict:
            raise InputError(t(
                "Sammanställningarna är inte mätta på samma sätt och kan inte jämföras: {d}. Ta fram dem med "
                "samma mätdatum och checklistversioner, eller jämför utan --strict för att visa dem var för sig.",
                "The summaries are not measured alike and cannot be compared: {d}. Produce them with the same "
                "measuring date and checklist versions, or compare without --strict to show them apart.",
                d=described))
        warnings.append(t(
            "Sammanställningarna är inte mätta på samma sätt och visas i {n} grupper var för sig: {d}.",
            "The summaries are not measured alike and are shown apart in {n} groups: {d}.",
            n=len(by_key), d=described))
    if len({i.language for i in inputs}) > 1:
        warnings.append(t("Sammanställningarna är skrivna på olika språk; regelnamnen tas från den första.",
                          "The summaries are written in different languages; rule titles come from the first."))
    groups = tuple(_group(items) for items in by_key.values())
    return Comparison(inputs=tuple(inputs), groups=groups, warnings=tuple(warnings))


# --- helpers ---------------------------------------------------------------------------


def _not_summary(name: str, why: str) -> str:
    return t("{f} är ingen offentlig sammanställning från ivoaudit ({w}). Jämför filerna public-summary.json som "
             "`ivoaudit report --format json` skriver.",
             "{f} is not a public summary from ivoaudit ({w}). Compare the files public-summary.json that "
             "`ivoaudit report --format json` writes.", f=name, w=why)


def _check_figures(file: str, rule: dict[str, Any]) -> None:
    """Refuse figures that cannot be (a pass count above its denominator, a share outside 0–1)."""
    passed, denominator, rate = _count(rule.get("pass")), _count(rule.get("denominator")), rule.get("compliance")
    bad = (passed is not None and passed < 0) or (denominator is not None and denominator < 0) or (
        passed is not None and denominator is not None and passed > denominator) or (
        isinstance(rate, int | float) and not isinstance(rate, bool) and not 0 <= rate <= 1)
    if bad:
        raise InputError(t(
            "{f}: regeln {r} har omöjliga tal (uppfyllda {p}, bedömda {d}, andel {a}). Filen är ändrad eller "
            "trasig; be kommunen skriva den på nytt med `ivoaudit report --format json`.",
            "{f}: the rule {r} has impossible figures (pass {p}, assessed {d}, share {a}). The file has been "
            "edited or is broken; ask the municipality to write it again with `ivoaudit report --format json`.",
            f=file, r=rule.get("id"), p=passed, d=denominator, a=rate))


def _case_level_keys(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CASE_LEVEL_KEYS:
                found.add(str(key))
            if key == "breakdowns" and isinstance(value, dict) and "caseworker" in value:
                found.add("breakdowns.caseworker")
            found |= _case_level_keys(value)
    elif isinstance(node, list):
        for item in node:
            found |= _case_level_keys(item)
    return found


def _default_label(path: Path) -> str:
    """The file's name without ``.json``; for ``public-summary.json`` its folder's name."""
    if path.stem == "public-summary" and path.resolve().parent.name:
        return path.resolve().parent.name
    return path.stem


def _describe(item: SummaryInput) -> str:
    lists = ", ".join(f"{k} {v}" for k, v in sorted(item.checklists.items())) or "–"
    kind = t("stickprov", "sample") if item.is_sample else t("hela uttaget", "whole extract")
    return t("mätdatum {d}, checklistor {c}, {k}", "measured as of {d}, checklists {c}, {k}",
             d=item.as_of or "–", c=lists, k=kind)


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _figure(label: str, rule: dict[str, Any] | None) -> Figure:
    if rule is None:
        return Figure(label, "absent", None, None, None, None)
    if rule.get("evaluable") is False:
        return Figure(label, "not_measured", None, None, None, None)
    passed, denominator = _count(rule.get("pass")), _count(rule.get("denominator"))
    rate = rule.get("compliance")
    rate = float(rate) if isinstance(rate, int | float) and not isinstance(rate, bool) else None
    if denominator == 0:
        return Figure(label, "no_cases", passed, 0, None, None)
    if rate is None or passed is None or denominator is None:
        # Kept as the summary has it: no share and no interval are worked out from other cells.
        return Figure(label, "suppressed", passed, denominator, None, None)
    return Figure(label, "shown", passed, denominator, rate, wilson_interval(passed, denominator))


def _group(items: Sequence[SummaryInput]) -> ComparableGroup:
    order: dict[str, dict[str, Any]] = {}
    for item in items:
        for rule in item.rules:
            order.setdefault(rule["id"], rule)
    rules = []
    for rule_id, first in order.items():
        figures = [_figure(i.label, next((r for r in i.rules if r["id"] == rule_id), None)) for i in items]
        rules.append(_rank(rule_id, first, figures))
    return ComparableGroup(as_of=items[0].as_of, checklists=dict(items[0].checklists), is_sample=items[0].is_sample,
                           labels=tuple(i.label for i in items), rules=tuple(rules))


def _rank(rule_id: str, meta: dict[str, Any], figures: list[Figure]) -> RuleComparison:
    pooled = [f for f in figures if f.state == "shown"]
    region = None
    if pooled:
        passed = sum(f.passed or 0 for f in pooled)
        denominator = sum(f.denominator or 0 for f in pooled)
        region = Figure(t("Regionen", "The region"), "shown", passed, denominator, passed / denominator,
                        wilson_interval(passed, denominator))
    shown = sorted(pooled, key=lambda f: (-(f.rate or 0.0), f.label))
    ranked: list[Figure] = []
    for i, f in enumerate(shown):
        rank = ranked[-1].rank if ranked and ranked[-1].rate == f.rate else i + 1
        versus = None
        if region is not None and f.ci is not None and region.rate is not None and len(pooled) > 1:
            versus = "above" if f.ci[0] > region.rate else "below" if f.ci[1] < region.rate else None
        ranked.append(Figure(f.label, f.state, f.passed, f.denominator, f.rate, f.ci, rank, versus))
    rest = [f for f in figures if f.state != "shown"]
    return RuleComparison(rule_id=rule_id, title=str(meta.get("title") or rule_id), basis=str(meta.get("basis") or ""),
                          area=meta.get("area"), figures=tuple(ranked + rest), region=region, pooled=len(pooled))


__all__ = ["SCHEMA", "STATES", "ComparableGroup", "Comparison", "Figure", "RuleComparison", "SummaryInput",
           "compare_summaries", "read_summaries", "read_summary"]
