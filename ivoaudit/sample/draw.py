"""Reproducible case sampling and the sampling record.

The population (the cases left after the filters) is sorted by ``case_id`` before anything
is drawn, so the row order of the extract does not matter. Draws use numpy's ``Generator``
(PCG64) seeded explicitly: ``np.random.default_rng(seed).permutation(len(population))``
and the first *n* positions are the sample (per stratum, strata in name order, one
generator for the whole draw). The record keeps the seed, the sha256 of the sorted
population ids and the selection in draw order, so an auditor can verify the population
as well as the draw. numpy does not promise identical streams across major versions; the
record therefore names the numpy version too.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ivoaudit.ages import age_groups
from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.schema import DEVIATIONS
from ivoaudit.version import __version__

STRATEGIES = ("random", "stratified", "ivo")
STRATIFY_BY = ("unit", "caseworker", "area")
MISSING_STRATUM = "(saknas)"
STRATUM_WORDS = {"not_opened": ("förhandsbedömningar utan utredning", "preliminary assessments without investigation"),
                 "completed": ("avslutade utredningar", "completed investigations")}


@dataclass(frozen=True)
class SampleSpec:
    """What to draw. ``size`` is the total for random/stratified; ``not_opened`` and
    ``completed`` the two parts of the IVO strategy."""

    strategy: str = "random"
    size: int | None = None
    stratify: str | None = None
    per_stratum: int | None = None
    not_opened: int | None = None
    completed: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    area: str | None = None
    only_deviations: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class Sample:
    """The drawn cases (selection order, with ``draw_order`` and ``stratum``) and the record."""

    cases: pd.DataFrame
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def case_ids(self) -> list[str]:
        """Case ids in selection order."""
        return list(self.cases["case_id"])


def new_seed() -> int:
    """A fresh random seed (printed and stored so the draw can be repeated)."""
    return secrets.randbelow(2**32)


def sha256_ids(ids: Iterable[str]) -> str:
    """sha256 of the ids joined by newlines (UTF-8), in the order given."""
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def with_age_group(cases: pd.DataFrame) -> pd.DataFrame:
    """Add ``age_group`` (see :mod:`ivoaudit.ages`) when the frame has birth dates but no groups."""
    if "age_group" in cases.columns or "birth_date" not in cases.columns:
        return cases
    out = cases.copy()
    out["age_group"] = age_groups(cases["birth_date"], cases.get("received_date"))
    return out


def filter_population(cases: pd.DataFrame, results: pd.DataFrame | None, spec: SampleSpec,
                      exclude: Iterable[str] = ()) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The cases the sample is drawn from, sorted by ``case_id``, and the filters applied."""
    pop = cases.copy()
    pop["case_id"] = pop["case_id"].astype(str)
    filters: dict[str, Any] = {}
    if spec.date_from is not None or spec.date_to is not None:
        if "received_date" not in pop.columns:
            raise UsageError(t("Uttaget saknar fältet received_date (inkomstdatum); --from/--to "
                               "kan inte användas.",
                               "The extract lacks received_date; --from/--to cannot be used."))
        received = pd.to_datetime(pop["received_date"], errors="coerce")
        keep = received.notna()
        if spec.date_from is not None:
            keep &= received >= pd.Timestamp(spec.date_from)
            filters["from"] = spec.date_from.isoformat()
        if spec.date_to is not None:
            keep &= received <= pd.Timestamp(spec.date_to)
            filters["to"] = spec.date_to.isoformat()
        pop = pop[keep.to_numpy()]
    if spec.area is not None:
        if "area" not in pop.columns:
            raise UsageError(t("Uttaget saknar fältet area (verksamhetsområde); --area kan inte användas.",
                               "The extract lacks the field area; --area cannot be used."))
        pop = pop[(pop["area"] == spec.area).fillna(False).to_numpy(dtype=bool)]
        filters["area"] = spec.area
    if spec.only_deviations:
        if results is None:
            raise UsageError(t("--only-deviations kräver granskningsresultat.",
                               "--only-deviations needs check results."))
        deviating = set(results.loc[results["status"].isin(DEVIATIONS), "case_id"].astype(str))
        pop = pop[pop["case_id"].isin(deviating).to_numpy()]
        filters["only_deviations"] = True
    excluded = set(map(str, exclude))
    if excluded:
        before = len(pop)
        pop = pop[~pop["case_id"].isin(excluded).to_numpy()]
        filters["excluded_cases"] = before - len(pop)
    pop = pop.sort_values("case_id", kind="stable").reset_index(drop=True)
    return pop, filters


def allocate_proportional(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Split ``n`` over strata in proportion to their sizes (largest-remainder rounding).

    Every non-empty stratum gets at least one when ``n`` is at least the number of
    non-empty strata; no stratum gets more than it has; the parts sum to
    ``min(n, total)``. Ties go to the stratum whose name sorts first.
    """
    names = sorted(sizes)
    total = sum(sizes.values())
    if n >= total:
        return {s: sizes[s] for s in names}
    quota = {s: n * sizes[s] / total for s in names}
    nonempty = [s for s in names if sizes[s] > 0]
    floor_one = n >= len(nonempty)
    alloc = {s: min(sizes[s], max(1 if (floor_one and sizes[s] > 0) else 0, math.floor(quota[s])))
             for s in names}
    while sum(alloc.values()) > n:
        # Over-allocated because of the minimum of one: take from the most over its quota.
        victim = max((s for s in names if alloc[s] > 1), key=lambda s: (alloc[s] - quota[s], -names.index(s)))
        alloc[victim] -= 1
    while sum(alloc.values()) < n:
        winner = max((s for s in names if alloc[s] < sizes[s]),
                     key=lambda s: (quota[s] - alloc[s], -names.index(s)))
        alloc[winner] += 1
    return alloc


def _stratum_labels(pop: pd.DataFrame, column: str) -> pd.Series:
    if column not in pop.columns:
        raise UsageError(t("Uttaget saknar fältet {f}; välj ett annat --stratify.",
                           "The extract lacks the field {f}; choose another --stratify.", f=column))
    return pop[column].astype("object").where(pop[column].notna(), MISSING_STRATUM).astype(str)


def _draw(rng: np.random.Generator, frame: pd.DataFrame, k: int) -> pd.DataFrame:
    if k <= 0 or frame.empty:
        return frame.iloc[0:0]
    positions = rng.permutation(len(frame))[: min(k, len(frame))]
    return frame.iloc[positions]


def draw_sample(cases: pd.DataFrame, results: pd.DataFrame | None, spec: SampleSpec, *,
                exclude: Iterable[str] = (), extract_fingerprint: str | None = None,
                as_of: date | None = None, size_calculation: dict[str, Any] | None = None,
                today: date | None = None) -> Sample:
    """Draw a sample as ``spec`` says and describe it in a sampling record.

    ``exclude``: case ids left out of the population (cases reviewed earlier, or already in
    the round being extended). ``spec.seed`` None draws a fresh seed (kept in the record).
    """
    if spec.strategy not in STRATEGIES:
        raise UsageError(t("Okänd urvalsmetod {s}. Välj en av {a}.", "Unknown strategy {s}. Choose one of {a}.",
                           s=spec.strategy, a=", ".join(STRATEGIES)))
    seed = spec.seed if spec.seed is not None else new_seed()
    rng = np.random.default_rng(seed)
    pop, filters = filter_population(with_age_group(cases), results, spec, exclude)
    parts: list[pd.DataFrame] = []
    strata: dict[str, dict[str, int]] = {}
    notes: list[str] = []

    if spec.strategy == "random":
        _draw_random(rng, pop, spec, parts, notes)
    elif spec.strategy == "stratified":
        filters["stratify"] = _draw_stratified(rng, pop, spec, parts, strata)
    else:  # ivo
        _draw_ivo(rng, pop, spec, parts, strata, notes)

    drawn = pd.concat(parts, ignore_index=True) if parts else pop.iloc[0:0]
    drawn = drawn.reset_index(drop=True)
    drawn["draw_order"] = range(len(drawn))
    selection = [str(c) for c in drawn["case_id"]]
    population_ids = [str(c) for c in pop["case_id"]]
    record: dict[str, Any] = {
        "strategy": spec.strategy,
        "size_requested": spec.size,
        "per_stratum": spec.per_stratum,
        "not_opened": spec.not_opened,
        "completed": spec.completed,
        "size_drawn": len(selection),
        "filters": filters,
        "population_size": len(population_ids),
        "population_sha256": sha256_ids(population_ids),
        "strata": strata,
        "seed": int(seed),
        "seed_given": spec.seed is not None,
        "method": "numpy.random.default_rng(seed).permutation over the population sorted by "
                  "case_id; first n positions (per stratum, strata in name order)",
        "selection": selection,
        "selection_sha256": sha256_ids(selection),
        "extract_fingerprint": extract_fingerprint,
        "as_of": as_of.isoformat() if as_of else None,
        "tool_version": __version__,
        "numpy_version": np.__version__,
        "date": (today or date.today()).isoformat(),
        "notes": notes,
    }
    if size_calculation is not None:
        record["size_calculation"] = size_calculation
    return Sample(drawn, record)


def _draw_random(rng: np.random.Generator, pop: pd.DataFrame, spec: SampleSpec, parts: list[pd.DataFrame],
                 notes: list[str]) -> None:
    """A simple random sample of ``--size`` cases (the whole population if it is smaller)."""
    size = _required(spec.size, "--size")
    parts.append(_draw(rng, pop, size).assign(stratum=None))
    if size > len(pop):
        notes.append("size_capped_to_population")


def _draw_stratified(rng: np.random.Generator, pop: pd.DataFrame, spec: SampleSpec, parts: list[pd.DataFrame],
                     strata: dict[str, dict[str, int]]) -> str:
    """``--per-stratum`` cases of each stratum, or ``--size`` shared in proportion; strata in
    name order. Returns the column the strata come from."""
    column = spec.stratify or "unit"
    if column not in STRATIFY_BY:
        raise UsageError(t("--stratify ska vara en av {a}.", "--stratify must be one of {a}.",
                           a=", ".join(STRATIFY_BY)))
    labels = _stratum_labels(pop, column)
    sizes = labels.value_counts().to_dict()
    if spec.per_stratum is not None:
        alloc = {s: min(spec.per_stratum, sizes[s]) for s in sorted(sizes)}
    else:
        alloc = allocate_proportional(sizes, _required(spec.size, "--size"))
    for name in sorted(sizes):
        chosen = _draw(rng, pop[(labels == name).to_numpy()], alloc[name]).assign(stratum=name)
        parts.append(chosen)
        strata[name] = {"population": int(sizes[name]), "drawn": len(chosen)}
    return column


def _draw_ivo(rng: np.random.Generator, pop: pd.DataFrame, spec: SampleSpec, parts: list[pd.DataFrame],
              strata: dict[str, dict[str, int]], notes: list[str]) -> None:
    """IVO's draw: n preliminary assessments that did not lead to an investigation, then m
    completed investigations (each case in one group at most)."""
    not_opened = _required(spec.not_opened, "--not-opened")
    completed = _required(spec.completed, "--completed")
    outcome = pop["preliminary_outcome"] if "preliminary_outcome" in pop else pd.Series(
        [None] * len(pop), index=pop.index, dtype="object")
    decided = (pop["preliminary_decision_date"].notna() if "preliminary_decision_date" in pop
               else pd.Series(True, index=pop.index))
    is_not_open = (outcome == "not_open").fillna(False).astype(bool) & decided
    is_completed = (pop["investigation_end"].notna() if "investigation_end" in pop
                    else pd.Series(False, index=pop.index)) & ~is_not_open
    for name, mask, k in (("not_opened", is_not_open, not_opened), ("completed", is_completed, completed)):
        group = pop[mask.to_numpy()]
        chosen = _draw(rng, group, k).assign(stratum=name)
        parts.append(chosen)
        strata[name] = {"population": len(group), "requested": k, "drawn": len(chosen)}
        if k > len(group):
            notes.append(f"{name}_capped_to_population")


def _required(value: int | None, option: str) -> int:
    if value is None:
        raise UsageError(t("Ange {o}.", "Give {o}.", o=option))
    if value < 0:
        raise UsageError(t("{o} får inte vara negativt.", "{o} must not be negative.", o=option))
    return int(value)


def count_text(value: Any) -> Any:
    """A count as the reports print it: ``3 000`` (a thin, unbreakable space between thousands)."""
    return f"{value:,}".replace(",", "\u00a0") if isinstance(value, int) and not isinstance(value, bool) else value


def describe_record(record: Mapping[str, Any]) -> list[str]:
    """The sampling record as lines of text for the terminal and the form."""
    lines = [
        t("Urvalsmetod: {v}", "Strategy: {v}", v=record.get("strategy")),
        t("Population: {n} ärenden (sha256 {h})", "Population: {n} cases (sha256 {h})",
          n=count_text(record.get("population_size")), h=record.get("population_sha256", "")),
        t("Dragna: {n}", "Drawn: {n}", n=count_text(record.get("size_drawn"))),
        t("Frö (seed): {s}", "Seed: {s}", s=record.get("seed")),
    ]
    filters = record.get("filters") or {}
    if filters:
        lines.append(t("Urvalsvillkor: {f}", "Filters: {f}", f=filter_text(filters)))
    for name, counts in sorted((record.get("strata") or {}).items()):
        words = STRATUM_WORDS.get(name)
        lines.append(t("  skikt {s}: {d} av {p}", "  stratum {s}: {d} of {p}", s=t(*words) if words else name,
                       d=count_text(counts.get("drawn")), p=count_text(counts.get("population"))))
    calc = record.get("size_calculation")
    if calc:
        lines.append(str(calc.get("explanation", "")))
    if record.get("extract_fingerprint"):
        lines.append(t("Uttagets fingeravtryck (sha256): {f}", "Extract fingerprint (sha256): {f}",
                       f=record["extract_fingerprint"]))
    lines.append(t("Verktygsversion {v}, numpy {n}, datum {d}", "Tool version {v}, numpy {n}, date {d}",
                   v=record.get("tool_version"), n=record.get("numpy_version"), d=record.get("date")))
    for note in record.get("notes") or []:
        lines.append(t("Obs: {n}", "Note: {n}", n=note_text(note, record)))
    return lines


FILTER_WORDS = {  # the record's filter keys in the reader's words (terminal, form, messages)
    "area": ("område {v}", "area {v}"),
    "from": ("inkom från {v}", "received from {v}"),
    "to": ("inkom till och med {v}", "received up to {v}"),
    "only_deviations": ("bara ärenden med avvikelser", "only cases with deviations"),
    "excluded_cases": ("{v} ärenden redan dragna och uteslutna", "{v} cases already drawn and left out"),
    "stratify": ("skikt efter {v}", "strata by {v}"),
}


def filter_text(filters: Mapping[str, Any]) -> str:
    """``{"area": "missbruk", "excluded_cases": 17}`` → "område missbruk, 17 ärenden redan dragna …"."""
    return ", ".join(t(*FILTER_WORDS[k], v=count_text(v)) if k in FILTER_WORDS else f"{k}={v}"
                     for k, v in filters.items())


def note_text(note: str, record: Mapping[str, Any]) -> str:
    """A sampling note in words (the record keeps the stable key)."""
    strata = record.get("strata") or {}
    if note == "size_capped_to_population":
        return t("--size {k} är större än populationen ({n} ärenden): hela populationen drogs.",
                 "--size {k} is larger than the population ({n} cases): the whole population was drawn.",
                 k=record.get("size_requested"), n=count_text(record.get("population_size")))
    for name, words in (("not_opened", ("förhandsbedömningar som inte ledde till utredning",
                                        "preliminary assessments that did not lead to an investigation")),
                        ("completed", ("avslutade utredningar", "completed investigations"))):
        if note == f"{name}_capped_to_population":
            got = strata.get(name, {})
            if not got.get("population"):
                return t("det finns inga {w} i populationen; 0 av {k} dragna. Kontrollera mappningen "
                         "(utfallet av förhandsbedömningen, utredningens slutdatum) och urvalsvillkoren.",
                         "there are no {w} in the population; 0 of {k} drawn. Check the mapping (the "
                         "preliminary outcome, the investigation's end date) and the filters.",
                         w=t(*words), k=got.get("requested"))
            return t("bara {p} {w} finns i populationen; alla {p} drogs i stället för {k}.",
                     "only {p} {w} are in the population; all {p} were drawn instead of {k}.",
                     w=t(*words), p=got.get("population"), k=got.get("requested"))
    if note == "extract_differs_from_round":
        return t("uttaget är ett annat än det omgången drogs ur (annat fingeravtryck).",
                 "the extract differs from the one the round was drawn from (another fingerprint).")
    return note
