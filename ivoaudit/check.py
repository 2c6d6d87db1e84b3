"""Run every applicable rule over the whole case frame → results, summary and meta.

Each rule is evaluated once over all cases (vectorised); rows are kept for the applicable
(case, rule) pairs only, ordered by case (extract order) then rule (checklist order).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ivoaudit import __version__
from ivoaudit.checklist import Checklist, RuleSpec
from ivoaudit.i18n import get_language
from ivoaudit.model import LoadedExtract
from ivoaudit.rules.base import (
    STATUSES,
    CaseContext,
    Note,
    arrow_strings,
    combine_notes,
    note_texts,
)
from ivoaudit.rules.registry import get_kind

RESULT_COLUMNS = ["case_id", "rule_id", "status", "start_date", "end_date", "deadline", "days",
                  "days_over", "note", "reference"]
SUMMARY_COLUMNS = ["rule_id", "applicable", "pass", "fail", "overdue", "pending", "missing_data",
                   "needs_review", "compliance"]
SUMMARY_EXTRA = ["title", "basis", "period", "local_change", "source", "pass_on_exception"]
NEW_LAW_FROM = np.datetime64("2025-07-01", "D")
PROGRESS_FROM = 50_000  # cases; smaller extracts finish before a bar would help


@dataclass
class CheckResult:
    """What ``run_check`` returns; ``results`` is built from ``table`` on first use."""

    table: pa.Table
    summary: pd.DataFrame
    meta: dict[str, Any]
    checklist: Checklist
    timings: dict[str, float] = field(default_factory=dict)
    _results: pd.DataFrame | None = None

    @property
    def results(self) -> pd.DataFrame:
        """One row per (case, applicable rule), columns ``RESULT_COLUMNS`` (dates as datetime64)."""
        if self._results is None:
            table = self.table
            i = table.schema.get_field_index("case_id")
            table = table.set_column(i, "case_id", table.column(i).cast(pa.string()))
            self._results = table.to_pandas(date_as_object=False)
        return self._results


def _scope(spec: RuleSpec, ctx: CaseContext, selected: bool) -> np.ndarray:
    """Cases a rule may apply to: its area's cases (rules without an area: every case)."""
    if spec.area is None:
        return np.ones(ctx.n, dtype=bool)
    if not ctx.has("area"):
        # Without areas only an explicitly chosen checklist says which rules to run.
        return np.full(ctx.n, selected, dtype=bool)
    return ctx.isin("area", (spec.area,))


def _period(spec: RuleSpec, lang: str) -> str:
    describe = getattr(spec.params, "describe", None)
    return describe(lang) if describe else ""


def _local_change(spec: RuleSpec) -> tuple[str, str]:
    if not spec.changes:
        return "", ""
    text = "; ".join(f"{c.key}: {c.default} → {c.value}" for c in spec.changes)
    return text, spec.changes[-1].source


def run_check(extract: LoadedExtract, checklist: Checklist, as_of: date,
              events: LoadedExtract | None = None, *, progress: bool = False) -> CheckResult:
    """Check every case against every applicable rule as of ``as_of``."""
    t0 = time.perf_counter()
    lang = get_language()
    cases = extract.cases.reset_index(drop=True)
    invalid = extract.invalid.reset_index(drop=True)
    ctx = CaseContext(cases=cases, invalid=invalid, as_of=np.datetime64(as_of, "D"),
                      events=events.cases if events is not None else None)
    n = ctx.n
    parts: list[dict[str, np.ndarray]] = []
    note_cats: dict[str, int] = {"": 0}
    ref_cats: dict[str, int] = {"": 0}
    rows = []
    rules = checklist.rules
    bar = None
    if progress and n >= PROGRESS_FROM:
        from tqdm import tqdm

        bar = tqdm(total=len(rules), desc="ivoaudit check", unit="regel" if lang == "sv" else "rule",
                   file=sys.stderr, leave=False)
    ran: list[RuleSpec] = []
    for spec in rules:
        scope = _scope(spec, ctx, checklist.selected)
        if bar is not None:
            bar.update(1)
        if spec.area is not None and not scope.any() and not checklist.selected:
            continue
        ri = len(ran)
        ran.append(spec)
        out = get_kind(spec.kind).evaluate(spec, ctx, scope)
        applicable = out.status != STATUSES.index("not_applicable")
        local = np.flatnonzero(applicable)  # positions in the rule's arrays
        idx = local if out.rows is None else out.rows[local]  # the cases
        status = out.status[local]
        counts = np.bincount(status, minlength=len(STATUSES))
        # Notes: distinct bit masks → text → one global code.
        masks = out.notes[local]
        texts = combine_notes(masks, note_texts(spec, lang))
        inverse, uniq = pd.factorize(masks)  # hash-based: faster than np.unique on millions
        codes = np.array([note_cats.setdefault(texts[int(m)], len(note_cats)) for m in uniq], dtype=np.int32)
        note_code = codes[inverse] if len(idx) else np.zeros(0, dtype=np.int32)
        # Reference: old SoL when the deadline (or the rule's reference date) fell before 2025-07-01.
        ref_date = out.reference_date if out.reference_date is not None else out.deadline
        ref_date = ref_date[local] if ref_date is not None else np.full(len(idx), np.datetime64("NaT", "D"))
        old = np.where(np.isnat(ref_date), ctx.as_of < NEW_LAW_FROM, ref_date < NEW_LAW_FROM)
        ref_old = ref_cats.setdefault(spec.cite(True), len(ref_cats))
        ref_new = ref_cats.setdefault(spec.cite(False), len(ref_cats))
        parts.append({
            "case": idx.astype(np.int64), "rule": np.full(len(idx), ri, dtype=np.int32),
            "status": status, "note": note_code,
            "ref": np.where(old, ref_old, ref_new).astype(np.int32),
            **{k: _day_numbers(getattr(out, k), local) for k in ("start", "end", "deadline")},
            **{k: _whole_days(getattr(out, k), local) for k in ("days", "days_over")},
        })
        local_change, local_source = _local_change(spec)
        on_exception = int(((masks & Note.EXCEPTION) > 0).sum())
        denominator = int(counts[0] + counts[1] + counts[2])
        rows.append({
            "rule_id": spec.id, "applicable": int(len(idx)),
            **{s: int(counts[i]) for i, s in enumerate(STATUSES[:-1])},
            "compliance": round(counts[0] / denominator, 4) if denominator else None,
            "title": spec.text("title", lang), "basis": spec.basis, "period": _period(spec, lang),
            "local_change": local_change, "source": local_source or spec.source,
            "pass_on_exception": on_exception,
        })
    if bar is not None:
        bar.close()
    t1 = time.perf_counter()
    table = _assemble(parts, ran, cases, note_cats, ref_cats)
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS + SUMMARY_EXTRA)
    summary["compliance"] = summary["compliance"].astype("Float64")
    meta = {
        "as_of": as_of.isoformat(),
        "tool_version": __version__,
        "checklists": dict(checklist.versions),
        "extract_fingerprint": extract.source.fingerprint,
        "extract_rows": int(extract.source.rows),
        "cases_loaded": int(n),
        "rows_quarantined": int(extract.quarantine["row"].nunique()) if len(extract.quarantine) else 0,
        "events_fingerprint": events.source.fingerprint if events is not None else None,
        "language": lang,
        "rules_run": [r.id for r in ran],
        "local_changes": [{"rule_id": c.rule_id, "key": c.key, "default": c.default, "value": c.value,
                           "source": c.source} for c in checklist.changes],
        "disabled_rules": dict(checklist.disabled),
    }
    timings = {"evaluate": t1 - t0, "assemble": time.perf_counter() - t1}
    return CheckResult(table=table, summary=summary, meta=meta, checklist=checklist, timings=timings)


_NO_DAY = np.iinfo(np.int32).min  # "no value" in the int32 columns collected per rule


def _day_numbers(values: np.ndarray | None, idx: np.ndarray) -> np.ndarray | None:
    """Dates as int32 days since 1970 (compact while collecting); NaT → ``_NO_DAY``."""
    if values is None:
        return None
    picked = values[idx]
    return np.where(np.isnat(picked), _NO_DAY, picked.view(np.int64)).astype(np.int32)


def _whole_days(values: np.ndarray | None, idx: np.ndarray) -> np.ndarray | None:
    """Day counts (float, NaN = blank) as int32; NaN → ``_NO_DAY``."""
    if values is None:
        return None
    picked = values[idx]
    return np.where(np.isnan(picked), _NO_DAY, picked).astype(np.int32)


def _cat_array(codes: np.ndarray, cats: dict[str, int]) -> pa.Array:
    labels = pa.array(sorted(cats, key=cats.__getitem__), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), labels)


def _positions(parts: list[dict], n: int) -> int:
    """Sets ``pos``, the row of each part's results in the final order (case, then rule in checklist order).

    Each case's rows start at the running total of the rows of the cases before it; parts
    come rule by rule, so a case's k-th applicable rule goes to its start + k. Placing
    rows this way avoids concatenating every column and sorting millions of rows.
    """
    per_case = np.zeros(n, dtype=np.int64)
    for p in parts:
        per_case[p["case"]] += 1  # a part holds each case at most once
    start = np.cumsum(per_case) - per_case
    for p in parts:
        p["pos"] = start[p["case"]]
        start[p["case"]] += 1
    return int(per_case.sum())


def _placed(parts: list[dict], key: str, total: int, dtype, fill) -> np.ndarray:
    """One output column: every part's ``key`` values put at its rows (``fill`` where a rule
    has none). The parts' arrays are released as they are placed, to keep the peak low."""
    out = np.empty(total, dtype=dtype)
    for p in parts:
        values = p.pop(key)
        out[p["pos"]] = values if values is not None else fill
    return out


def _assemble(parts, ran, cases, note_cats, ref_cats) -> pa.Table:
    total = _positions(parts, len(cases))  # sets each part's "pos"

    def dates(key: str) -> pa.Array:
        arr = _placed(parts, key, total, np.int32, _NO_DAY)
        return pa.array(arr, mask=arr == _NO_DAY, type=pa.int32()).view(pa.date32())

    def whole_days(key: str) -> pa.Array:
        arr = _placed(parts, key, total, np.int64, _NO_DAY)  # placed straight into the output type
        return pa.array(arr, mask=arr == _NO_DAY, type=pa.int64())

    # case_id as indices into the case ids: no copy of every id per rule, and writers render
    # each id once (``CheckResult.results`` decodes it to plain strings).
    case_ids = pa.DictionaryArray.from_arrays(pa.array(_placed(parts, "case", total, np.int32, 0)),
                                              arrow_strings(cases["case_id"]))
    rule_ids = pa.DictionaryArray.from_arrays(pa.array(_placed(parts, "rule", total, np.int32, 0)),
                                              pa.array([r.id for r in ran], type=pa.string()))
    status = pa.DictionaryArray.from_arrays(pa.array(_placed(parts, "status", total, np.int32, 0)),
                                            pa.array(list(STATUSES), type=pa.string()))
    columns = {
        "case_id": case_ids, "rule_id": rule_ids, "status": status,
        "start_date": dates("start"), "end_date": dates("end"), "deadline": dates("deadline"),
        "days": whole_days("days"), "days_over": whole_days("days_over"),
        "note": _cat_array(_placed(parts, "note", total, np.int32, 0), note_cats),
        "reference": _cat_array(_placed(parts, "ref", total, np.int32, 0), ref_cats),
    }
    return pa.table(columns)


def write_check_outputs(result: CheckResult, extract: LoadedExtract, out_dir, *, report: bool = True):
    """Write the files of ``ivoaudit check --out`` (see :mod:`ivoaudit.check_outputs`)."""
    from ivoaudit.check_outputs import write_check_outputs as write

    return write(result, extract, out_dir, report=report)


__all__ = ["RESULT_COLUMNS", "SUMMARY_COLUMNS", "CheckResult", "run_check", "write_check_outputs"]
