"""Vectorised counting for the report model: results joined to case attributes, counts per
rule and status, per group, and days binned against each deadline.

Everything here works on whole columns (categoricals, ``groupby``, ``numpy``): a report
on 100 000 cases has about half a million result rows, and one Python call per row costs
seconds. The model builder (``ivoaudit.report.model``) registers these counts with the
suppressor and turns them into the dataclasses renderers read.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivoaudit.report import labels
from ivoaudit.schema import APPLICABLE_STATUSES

STATUS_COLUMNS = APPLICABLE_STATUSES  # the statuses counted per rule
DIMENSIONS = ("unit", "caseworker", "sex", "age_group")


def natural_key(text: str) -> tuple:
    """Sort key that puts "Enhet 2" before "Enhet 10" and "0–12" before "13–17"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def _categorical(series: pd.Series, *, lower: bool = False) -> pd.Categorical:
    """Stripped text as a categorical, blanks missing. The cleaning runs on the distinct values
    only (a few dozen rule ids and statuses, one per case id), not on every result row."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object)).astype("string").str.strip()
    if lower:
        text = text.str.lower()
    cleaned = pd.Series(text.to_numpy(dtype=object, na_value=None), dtype="object")
    cleaned = cleaned.where(cleaned != "", None)
    # values that differ only in white space become one category
    new_codes, categories = pd.factorize(cleaned, use_na_sentinel=True)
    mapped = np.where(codes >= 0, new_codes[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(mapped, categories=pd.Index(categories, dtype=object))


def _cleaned(values: pd.Series) -> np.ndarray:
    """Stripped text, blanks as ``None`` (Arrow string kernels: no Python call per cell)."""
    out = values.astype("string").str.strip()
    return out.mask(out == "").to_numpy(dtype=object, na_value=None)


def prepare(results: pd.DataFrame, cases: pd.DataFrame, public_units: dict[str, str] | None) -> pd.DataFrame:
    """Applicable result rows (no ``not_applicable``) with each case's group labels.

    ``public_units`` (public reports) replaces every unit name by its published label.
    Identifiers and group labels are categoricals: counting then works on integer codes.
    """
    status = _categorical(results["status"], lower=True)
    rule = _categorical(results["rule_id"])
    keep = (status.codes >= 0) & (rule.codes >= 0) & (np.asarray(status) != "not_applicable")
    res = pd.DataFrame({"case_id": _categorical(results["case_id"])[keep], "rule_id": rule[keep],
                        "status": status[keep]})
    for c in ("start_date", "end_date", "deadline", "days", "days_over", "note"):
        # kept in the source's (Arrow) string type: converting half a million cells to Python
        # strings and back cost more than all the counting
        res[c] = results[c][keep].reset_index(drop=True) if c in results else None
    ids = _cleaned(cases["case_id"])
    first = ~pd.Series(ids).duplicated().to_numpy()
    per_id = pd.Index(ids[first]).get_indexer(res["case_id"].cat.categories)
    position = np.where(res["case_id"].cat.codes.to_numpy() >= 0,
                        per_id[np.maximum(res["case_id"].cat.codes.to_numpy(), 0)], -1)
    found = position >= 0
    for dim in DIMENSIONS:
        unknown = labels.sex_label(None) if dim == "sex" else labels.unknown_label()
        if dim not in cases:
            res[dim] = pd.Categorical([unknown] * len(res))
            continue
        values = _cleaned(cases[dim])[first]
        if dim == "sex":
            names = {"F": labels.sex_label("F"), "M": labels.sex_label("M")}
            values = pd.Series(values, dtype="string").str.upper().map(names).to_numpy(dtype=object, na_value=None)
        if dim == "unit" and public_units is not None:
            values = pd.Series(values, dtype=object).map(public_units).to_numpy(dtype=object, na_value=None)
        codes, labels_ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        categories = [*labels_, unknown] if unknown not in set(labels_) else list(labels_)
        missing = categories.index(unknown)
        taken = np.full(len(res), missing, dtype=np.int64)
        taken[found] = codes[position[found]]
        taken[taken < 0] = missing
        res[dim] = pd.Categorical.from_codes(taken, categories=categories)
    return res


def prepared(source: object, cases: pd.DataFrame, public_units: dict[str, str] | None) -> pd.DataFrame:
    """:func:`prepare` for a report source, done once per source: the public model built for
    the JSON summary beside an internal report only relabels the units of the same rows."""
    base = getattr(source, "_prepared_results", None)
    if base is None:
        base = prepare(source.results(), cases, None)  # type: ignore[attr-defined]
        with contextlib.suppress(AttributeError):  # a source without attributes: prepared each time
            source._prepared_results = base  # type: ignore[attr-defined]
    if public_units is None:
        return base
    out = base.copy()
    unknown = labels.unknown_label()
    relabelled = out["unit"].map(lambda u: public_units.get(u, unknown) if u != unknown else u)  # per category
    out["unit"] = pd.Series(relabelled, index=out.index).astype("category")
    return out


def rule_counts(res: pd.DataFrame, rule_ids: list[str]) -> pd.DataFrame:
    """Rule × status counts (every status column, every rule in ``rule_ids``)."""
    counts = res.groupby(["rule_id", "status"], observed=True).size().unstack(fill_value=0)
    counts.index = counts.index.astype(str)
    counts.columns = counts.columns.astype(str)
    return counts.reindex(index=rule_ids, columns=list(STATUS_COLUMNS), fill_value=0).astype(int)


def group_counts(counted: pd.DataFrame, dim: str) -> pd.DataFrame:
    """(group, rule) → pass, noncompliant, denominator for the counted statuses."""
    frame = pd.DataFrame({"g": counted[dim], "r": counted["rule_id"],
                          "p": (counted["status"] == "pass").to_numpy(dtype=int)})
    table = frame.groupby(["g", "r"], observed=True, sort=False)["p"].agg(["sum", "size"])
    table.index = pd.MultiIndex.from_arrays([table.index.get_level_values(0).astype(str),
                                             table.index.get_level_values(1).astype(str)])
    table.columns = ["pass", "denominator"]
    table["noncompliant"] = table["denominator"] - table["pass"]
    return table


def sorted_groups(groups: list[str]) -> list[str]:
    """Groups in natural order, the "not given" groups last."""
    missing = {labels.unknown_label(), labels.sex_label(None)}
    return sorted(groups, key=lambda g: (g in missing, natural_key(str(g))))


@dataclass(frozen=True)
class Bins:
    """Days binned for one rule: ``counts[i]`` covers ``[edges[i], edges[i+1])``; the last
    bin is open-ended."""

    rule_id: str
    edges: tuple[int, ...]
    counts: tuple[int, ...]
    deadline_min: int
    deadline_max: int


def nominal_period(period: tuple[str, int] | None) -> tuple[int, int] | None:
    """Days a period can last: 14 days → (14, 14); 4 months → (120, 123); ``None`` unknown.

    Calendar months vary (28–31 days, lag 1930:173 1 §); a deadline moved off a weekend or
    holiday (2 §) adds up to four days, which the data-derived range may show."""
    if period is None:
        return None
    unit, n = period
    if unit == "days":
        return n, n
    return (n * 365) // 12 - 3, (n * 366) // 12 + 2


def bin_days(days: np.ndarray, deadline: tuple[int, int], n_bins: int) -> tuple[list[int], np.ndarray]:
    """Bin edges that put the deadline on an edge and show the range around it.

    The axis runs to about twice the deadline (at least 8 days, at least the bulk of the
    data up to the 90th percentile, capped at four times the deadline); everything beyond
    falls in the last, open-ended bin. A 1-day deadline gets 1-day bins; a 4-month one
    about 10-day bins that start at 0 and pass through 120.
    """
    dl = max(1, deadline[0])
    p90 = float(np.percentile(days, 90)) if len(days) else 0.0
    top = max(8.0, 2.0 * deadline[1], min(p90, 4.0 * deadline[1]))
    width = max(1, int(np.ceil(top / n_bins)))
    # prefer a width that divides the deadline, so the deadline is a bin edge
    for candidate in range(width, min(dl, 2 * width) + 1):
        if dl % candidate == 0:
            width = candidate
            break
    bins = int(np.ceil(top / width)) + 1
    edges = [i * width for i in range(bins + 1)]
    idx = np.minimum((np.maximum(days, 0) // width).astype(int), bins - 1)
    return edges, np.bincount(idx, minlength=bins)


def histogram_bins(counted: pd.DataFrame, rule_ids: list[str],
                   periods: dict[str, tuple[str, int] | None], n_bins: int) -> list[Bins]:
    """Days from start to end (or the check date) per rule, binned against its deadline."""
    if "days" not in counted or counted.empty:
        return []
    days = pd.to_numeric(counted["days"], errors="coerce").to_numpy(dtype=float)
    start = pd.to_datetime(counted["start_date"], errors="coerce", format="ISO8601")
    deadline = pd.to_datetime(counted["deadline"], errors="coerce", format="ISO8601")
    to_deadline = (deadline - start).dt.days.to_numpy(dtype=float)
    rules = counted["rule_id"].astype(str).to_numpy()
    out = []
    for rid in rule_ids:
        nominal = nominal_period(periods.get(rid))
        mask = (rules == rid) & ~np.isnan(days)
        if not mask.any():
            continue
        spread = to_deadline[mask]
        spread = spread[~np.isnan(spread)]
        if nominal is not None:
            low, high = nominal
            spread = spread[(spread >= low) & (spread <= high + 4)]
        if len(spread):
            dl = (int(spread.min()), int(spread.max()))
        elif nominal is not None:
            dl = nominal
        else:
            continue
        edges, counts = bin_days(days[mask], dl, n_bins)
        out.append(Bins(rid, tuple(edges), tuple(int(c) for c in counts), *dl))
    return out
