"""Run every applicable rule over the whole case frame → results, summary and meta.

Each rule is evaluated once over all cases (vectorised), in checklist order; its rows (the
applicable cases) are concatenated and then ordered by case (extract order), then rule
(checklist order).
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
import pyarrow.compute as pc

from ivoaudit.checklist import Checklist, RuleSpec
from ivoaudit.i18n import get_language
from ivoaudit.load.event_rows import EventAccount, account_events
from ivoaudit.rules.base import (
    CaseContext,
    Note,
    RuleOutput,
    arrow_strings,
    combine_notes,
    moved_note,
    note_texts,
)
from ivoaudit.rules.registry import get_kind, missing_fields
from ivoaudit.rules.undecided import with_undecided
from ivoaudit.schema import (
    APPLICABLE_STATUSES,
    RESULT_COLUMNS,
    STATUSES,
    SUMMARY_COLUMNS,
    SUMMARY_EXTRA,
    LoadedExtract,
)
from ivoaudit.version import __version__

NEW_LAW_FROM = np.datetime64("2025-07-01", "D")
PROGRESS_FROM = 50_000  # cases; smaller extracts finish before a bar would help
_NA = STATUSES.index("not_applicable")


@dataclass
class CheckResult:
    """What ``run_check`` returns: the result table, the per-rule summary and the meta data."""

    table: pa.Table  # RESULT_COLUMNS, one row per (case, applicable rule), case then rule order
    summary: pd.DataFrame
    meta: dict[str, Any]
    checklist: Checklist
    timings: dict[str, float] = field(default_factory=dict)
    events: EventAccount | None = None  # the events table's rows: read, used, listed
    _results: pd.DataFrame | None = None

    def rows_with_status(self, wanted: tuple[str, ...], limit: int) -> tuple[int, pa.Table]:
        """How many result rows have a status in ``wanted``, and the first ``limit`` of them."""
        hits = self.table.filter(pc.is_in(self.table.column("status").cast(pa.string()),
                                          value_set=pa.array(list(wanted))))
        return hits.num_rows, hits.slice(0, limit)

    @property
    def results(self) -> pd.DataFrame:
        """The result table as a DataFrame (dates as datetime64, codes as categories)."""
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


def _without_empty_area(extract: LoadedExtract) -> pd.DataFrame:
    """The cases; an area column with no value in any cell counts as no area column (its rules
    are then not evaluable, unless a checklist was chosen), not as every case's area unknown."""
    cases = extract.cases.reset_index(drop=True)
    if "area" in cases and cases["area"].isna().all() and not extract.invalid.get("area", pd.Series()).any():
        return cases.drop(columns="area")
    return cases


def _area_unknown(spec: RuleSpec, ctx: CaseContext) -> np.ndarray | None:
    """For a rule of one area: the cases whose area is blank or could not be read (it may be
    theirs; problems.csv lists each such cell)."""
    if spec.area is None or not ctx.has("area"):
        return None
    return ~ctx.present("area")


def _period(spec: RuleSpec, lang: str) -> str:
    describe = getattr(spec.params, "describe", None)
    return describe(lang) if describe else ""


def _local_change(spec: RuleSpec) -> tuple[str, str]:
    if not spec.changes:
        return "", ""
    text = "; ".join(f"{c.key}: {c.default} → {c.value}" for c in spec.changes)
    return text, spec.changes[-1].source


def not_evaluable(spec: RuleSpec, ctx: CaseContext, selected: bool) -> tuple[str, ...]:
    """The fields the extract lacks that make ``spec`` not evaluable (empty: evaluable).

    A rule of an area needs ``area`` unless a checklist was chosen explicitly (then every
    case is taken to belong to it)."""
    missing = missing_fields(spec, ctx.has)
    if spec.area is not None and not ctx.has("area") and not selected:
        missing = ("area", *missing)
    return missing


def run_check(extract: LoadedExtract, checklist: Checklist, as_of: date,
              events: LoadedExtract | None = None, *, progress: bool = False,
              mapping: dict[str, Any] | None = None) -> CheckResult:
    """Check every case against every applicable rule as of ``as_of``.

    A rule the extract cannot support (:func:`not_evaluable`) gets no result rows and a
    summary row with ``evaluable`` false and its ``missing_fields``; ``meta["not_evaluable"]``
    lists them. ``mapping`` (which mapping file was used, and how it was chosen) goes into
    ``meta["mapping"]``."""
    t0 = time.perf_counter()
    lang = get_language()
    cases = _without_empty_area(extract)
    account = None
    if events is not None:  # every event row used or listed (problems.csv), never dropped in silence
        quarantined = extract.quarantine["case_id"].dropna() if len(extract.quarantine) else ()
        account = account_events(events, cases["case_id"], quarantined)
    ctx = CaseContext(cases=cases, invalid=extract.invalid.reset_index(drop=True),
                      as_of=np.datetime64(as_of, "D"),
                      events=events.cases if events is not None else None)
    rules = checklist.rules
    bar = None
    if progress and ctx.n >= PROGRESS_FROM:
        from tqdm import tqdm

        bar = tqdm(rules, desc="ivoaudit check", unit="regel" if lang == "sv" else "rule",
                   file=sys.stderr, leave=False)
    texts = _Texts(lang, as_of_old=bool(ctx.as_of < NEW_LAW_FROM))
    parts: list[pa.Table] = []
    summary_rows = []
    ran: list[RuleSpec] = []
    unsupported: list[dict[str, Any]] = []
    for spec in bar if bar is not None else rules:
        missing = not_evaluable(spec, ctx, checklist.selected)
        if missing:
            unsupported.append({"rule_id": spec.id, "missing_fields": list(missing)})
            summary_rows.append(_not_evaluable_row(spec, missing, lang))
            continue
        scope = _scope(spec, ctx, checklist.selected)
        area_unknown = _area_unknown(spec, ctx)
        if (spec.area is not None and not scope.any() and not checklist.selected
                and (area_unknown is None or not area_unknown.any())):
            continue
        kind = get_kind(spec.kind)
        # a case whose condition or area cannot be read is missing data, never "not applicable"
        out = with_undecided(spec, kind, ctx, scope, kind.evaluate(spec, ctx, scope), area_unknown=area_unknown)
        part, on_exception = _rule_rows(spec, len(ran), out, texts, ctx)
        parts.append(part)
        summary_rows.append(_summary_row(spec, part, on_exception, lang))
        ran.append(spec)
    t1 = time.perf_counter()
    ctx.forget()  # the derived columns are done with: their memory can hold the sorted rows
    table = _result_table(parts, ran, cases, texts)
    summary = _summary_frame(summary_rows)
    meta = {"as_of": as_of.isoformat(), "tool_version": __version__, **_extract_meta(extract, events, account),
            "cases_loaded": int(ctx.n), "language": lang, "rules_run": [r.id for r in ran],
            "not_evaluable": unsupported, "mapping": mapping or {"source": "none"},
            **_checklist_meta(checklist)}
    timings = {"evaluate": t1 - t0, "assemble": time.perf_counter() - t1}
    return CheckResult(table=table, summary=summary, meta=meta, checklist=checklist, timings=timings,
                       events=account)


def _summary_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """summary.csv's rows with their types: counts blank where the rule is not evaluable."""
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, *SUMMARY_EXTRA])
    for name in (*APPLICABLE_STATUSES, "applicable", "pass_on_exception"):
        summary[name] = summary[name].astype("Int64")
    summary["compliance"] = summary["compliance"].astype("Float64")
    summary["evaluable"] = summary["evaluable"].astype(bool)
    return summary


def _extract_meta(extract: LoadedExtract, events: LoadedExtract | None,
                  account: EventAccount | None) -> dict[str, Any]:
    """meta.json on the extracts: fingerprints, rows, and the events table's rows."""
    return {
        "extract_fingerprint": extract.source.fingerprint,
        "extract_rows": int(extract.source.rows),
        "rows_quarantined": int(extract.quarantine["row"].nunique()) if len(extract.quarantine) else 0,
        "events_fingerprint": events.source.fingerprint if events is not None else None,
        "events": account.meta() if account is not None else None,
        # Headers no field was found for: with a rule not evaluable, the column it lacks is
        # often among them under another name (the terminal and report.html list them).
        "unrecognised_columns": list(extract.unrecognised),
    }


def _checklist_meta(checklist: Checklist) -> dict[str, Any]:
    """meta.json on the checklists: versions, local changes, rules switched off."""
    return {
        "checklists": dict(checklist.versions),
        "local_changes": [{"rule_id": c.rule_id, "key": c.key, "default": c.default, "value": c.value,
                           "source": c.source} for c in checklist.changes],
        "disabled_rules": dict(checklist.disabled),
    }


class _Texts:
    """Note and reference texts of every rule, each given one code (for dictionary columns)."""

    def __init__(self, lang: str, *, as_of_old: bool) -> None:
        self.lang = lang
        self.as_of_old = as_of_old
        self.notes: dict[str, int] = {"": 0}
        self.references: dict[str, int] = {"": 0}

    def note_codes(self, masks: np.ndarray, spec: RuleSpec,
                   moved_from: np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """(note code per row, how many rows carry the exception note). ``moved_from``: the
        last day lag 1930:173 2 § moved (NaT where not moved), named in the note."""
        codes = np.zeros(len(masks), dtype=np.int32)
        flagged = np.flatnonzero(masks)
        if not len(flagged):
            return codes, 0
        moved = (moved_from[flagged].view(np.int64) if moved_from is not None
                 else np.full(len(flagged), np.iinfo(np.int64).min))
        # One text per distinct (notes, moved day): a few hundred days at most.
        keys = pd.MultiIndex.from_arrays([masks[flagged], moved])
        inverse, uniq = keys.factorize()
        generic = note_texts(spec, self.lang)
        texts = combine_notes(pd.unique(uniq.get_level_values(0).to_numpy()), generic)
        per_key = []
        for mask, day in uniq:
            text = texts[int(mask)]
            if int(mask) & Note.MOVED and day != np.iinfo(np.int64).min:
                text = text.replace(generic[Note.MOVED],
                                    moved_note(np.datetime64(int(day), "D"), self.lang))
            per_key.append(self.notes.setdefault(text, len(self.notes)))
        codes[flagged] = np.array(per_key, dtype=np.int32)[inverse]
        on_exception = int(np.count_nonzero(masks[flagged] & Note.EXCEPTION))
        return codes, on_exception

    def reference_codes(self, spec: RuleSpec, ref_date: np.ndarray | None, n: int) -> np.ndarray:
        """Old SoL when the deadline (or the rule's reference date) fell before 2025-07-01;
        a blank date follows the check date."""
        old = self.references.setdefault(spec.cite(True), len(self.references))
        new = self.references.setdefault(spec.cite(False), len(self.references))
        if ref_date is None:
            return np.full(n, old if self.as_of_old else new, dtype=np.int32)
        # NaT compares False either way round.
        is_old = ~(ref_date >= NEW_LAW_FROM) if self.as_of_old else ref_date < NEW_LAW_FROM
        return np.where(is_old, np.int32(old), np.int32(new))


# A rule's rows, as narrow as they go (a million cases give some five million rows).
_PART = pa.schema([("case", pa.int32()), ("rule", pa.int16()), ("status", pa.int8()), ("note", pa.int32()),
                   ("ref", pa.int16()), ("start_date", pa.date32()), ("end_date", pa.date32()),
                   ("deadline", pa.date32()), ("days", pa.int32()), ("days_over", pa.int32())])


def _rule_rows(spec: RuleSpec, rule_index: int, out: RuleOutput, texts: _Texts,
               ctx: CaseContext) -> tuple[pa.Table, int]:
    """One rule's result rows (its applicable cases) as an Arrow table (codes for the
    texts), and how many of them pass on an exception."""
    keep = np.flatnonzero(out.status != _NA)
    m = len(keep)

    def dates(values: np.ndarray | None) -> pa.Array:
        return pa.nulls(m, pa.date32()) if values is None else pa.array(values[keep], type=pa.date32(),
                                                                           from_pandas=True)

    def whole_days(values: np.ndarray | None) -> pa.Array:  # float, NaN = blank
        if values is None:
            return pa.nulls(m, pa.int32())
        return pa.array(values[keep], type=pa.float64(), from_pandas=True).cast(pa.int32())

    note, on_exception = texts.note_codes(out.notes[keep], spec,
                                          None if out.moved_from is None else out.moved_from[keep])
    ref_date = out.reference_date if out.reference_date is not None else out.deadline
    cases = out.rows[keep] if out.rows is not None else keep
    references = texts.reference_codes(spec, None if ref_date is None else ref_date[keep], m)
    for code, law in spec.references.get("by_legal_basis", {}).items():
        # e.g. an LSS decision under ALL-EJ-VERKST-3M cites LSS 28 f §, whatever the date.
        references[ctx.isin("legal_basis", (code,))[cases]] = texts.references.setdefault(law, len(texts.references))
    columns = [cases, np.full(m, rule_index), out.status[keep], note, references]
    arrays = [pa.array(c, type=t) for c, t in zip(columns, _PART.types, strict=False)]
    arrays += [dates(out.start), dates(out.end), dates(out.deadline), whole_days(out.days),
               whole_days(out.days_over)]
    return pa.Table.from_arrays(arrays, schema=_PART), on_exception


def _summary_row(spec: RuleSpec, part: pa.Table, on_exception: int, lang: str) -> dict[str, Any]:
    counts = np.bincount(part.column("status").to_numpy(), minlength=len(STATUSES))
    denominator = int(counts[0] + counts[1] + counts[2])
    local_change, local_source = _local_change(spec)
    return {
        "rule_id": spec.id, "applicable": part.num_rows,
        **{s: int(counts[i]) for i, s in enumerate(STATUSES[:-1])},
        "compliance": round(counts[0] / denominator, 4) if denominator else None,
        "evaluable": True, "missing_fields": "",
        "title": spec.text("title", lang), "basis": spec.basis, "period": _period(spec, lang),
        "local_change": local_change, "source": local_source or spec.source,
        "pass_on_exception": on_exception,
    }


def _not_evaluable_row(spec: RuleSpec, missing: tuple[str, ...], lang: str) -> dict[str, Any]:
    """The summary row of a rule the extract cannot support: no counts (it was not measured)."""
    local_change, local_source = _local_change(spec)
    return {
        "rule_id": spec.id, "applicable": None, **dict.fromkeys(APPLICABLE_STATUSES), "compliance": None,
        "evaluable": False, "missing_fields": ";".join(missing),
        "title": spec.text("title", lang), "basis": spec.basis, "period": _period(spec, lang),
        "local_change": local_change, "source": local_source or spec.source, "pass_on_exception": None,
    }


def _result_table(parts: list[pa.Table], ran: list[RuleSpec], cases: pd.DataFrame, texts: _Texts) -> pa.Table:
    """The rules' rows concatenated, ordered by case then rule (a stable sort by case), with
    the codes turned into dictionary columns over their texts."""
    rows = pa.concat_tables(parts) if parts else _PART.empty_table()
    parts.clear()
    order = pa.array(np.argsort(rows.column("case").to_numpy(), kind="stable"))
    # Column by column, each made contiguous first: a take over 20 chunks is several times
    # slower, and only one column is held twice at a time.
    sorted_columns = {}
    for name in _PART.names:
        sorted_columns[name] = rows.column(name).combine_chunks().take(order)
        rows = rows.drop_columns([name])

    def dictionary(key: str, labels: list[str]) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(sorted_columns[key], pa.array(labels, type=pa.string()))

    def labels(codes: dict[str, int]) -> list[str]:
        return sorted(codes, key=codes.__getitem__)

    return pa.table({
        "case_id": pa.DictionaryArray.from_arrays(sorted_columns["case"], arrow_strings(cases["case_id"])),
        "rule_id": dictionary("rule", [r.id for r in ran]),
        "status": dictionary("status", list(STATUSES)),
        **{name: sorted_columns[name] for name in ("start_date", "end_date", "deadline", "days", "days_over")},
        "note": dictionary("note", labels(texts.notes)),
        "reference": dictionary("ref", labels(texts.references)),
    })


__all__ = ["RESULT_COLUMNS", "SUMMARY_COLUMNS", "CheckResult", "run_check"]
