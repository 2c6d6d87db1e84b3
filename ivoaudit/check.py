"""Run every applicable rule over the whole case frame → results, summary and meta.

Each rule is evaluated once over all cases (vectorised); rows are kept for the applicable
(case, rule) pairs only, ordered by case (extract order) then rule (checklist order).
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ivoaudit import __version__
from ivoaudit.checklist import Checklist, RuleSpec
from ivoaudit.i18n import get_language
from ivoaudit.rules.base import (
    CaseContext,
    Note,
    RuleOutput,
    arrow_strings,
    combine_notes,
    note_texts,
)
from ivoaudit.rules.registry import get_kind
from ivoaudit.schema import RESULT_COLUMNS, STATUSES, SUMMARY_COLUMNS, SUMMARY_EXTRA, LoadedExtract

NEW_LAW_FROM = np.datetime64("2025-07-01", "D")
PROGRESS_FROM = 50_000  # cases; smaller extracts finish before a bar would help
# Cases from which the rules are evaluated (and the result table assembled) on two threads.
# Below it a rule's arrays are small, each numpy call is mostly Python overhead (which
# holds the GIL), and hand-offs between threads cost more than they save: measured on
# slices of the 1M benchmark, 50 000 cases took 15 % longer on two threads, 100 000 about
# as long (5 % less), 400 000 20 % less, 1 000 000 a third less. Tests stay sequential.
THREADS_FROM = 100_000
LOOK_AHEAD = 3  # rules evaluated ahead of the one being laid out (bounds the outputs held)
_STATUS_BLOCK = 65_536  # result rows read at a time when looking for the first deviations


@dataclass
class CheckResult:
    """What ``run_check`` returns: ``rows`` as the rules laid them out, from which ``table``
    is gathered and ``results`` built, each on first use (``ivoaudit check`` writes
    results.csv straight from ``rows`` and never needs the table)."""

    rows: ResultRows
    summary: pd.DataFrame
    meta: dict[str, Any]
    checklist: Checklist
    timings: dict[str, float] = field(default_factory=dict)
    _table: pa.Table | None = None
    _results: pd.DataFrame | None = None

    @property
    def table(self) -> pa.Table:
        """One row per (case, applicable rule), columns ``RESULT_COLUMNS`` as Arrow arrays
        (case_id, rule_id, status, note and reference as dictionaries)."""
        if self._table is None:
            self._table = self.rows.table()
        return self._table

    def rows_with_status(self, wanted: tuple[str, ...], limit: int) -> tuple[int, pa.Table]:
        """How many result rows have a status in ``wanted``, and the first ``limit`` of them
        (in result order) as a table; without gathering the whole table."""
        codes = np.flatnonzero(np.isin(np.array(STATUSES), wanted)).astype(np.int32)
        laid_status = self.rows.cols["status"]
        total = int(np.count_nonzero(np.isin(laid_status, codes)))  # in any order
        # The first ``limit`` in result order: the order is read a block at a time, as far
        # as needed (deviations are common, so a block or two).
        first: list[np.ndarray] = []
        found = 0
        for start in range(0, len(self.rows), _STATUS_BLOCK):
            if found >= limit:
                break
            block = np.take(laid_status, self.rows.order[start:start + _STATUS_BLOCK])
            hits = start + np.flatnonzero(np.isin(block, codes))[:limit - found]
            first.append(hits)
            found += len(hits)
        picked = np.concatenate(first) if first else np.zeros(0, dtype=np.int64)
        return total, self.rows.take(picked)

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
    note_cats: dict[str, int] = {"": 0}
    ref_cats: dict[str, int] = {"": 0}
    rows = []
    rules = checklist.rules
    bar = None
    if progress and n >= PROGRESS_FROM:
        from tqdm import tqdm

        bar = tqdm(total=len(rules), desc="ivoaudit check", unit="regel" if lang == "sv" else "rule",
                   file=sys.stderr, leave=False)
    # Which rules run, each with its scope (kept: the capacity needs them all first).
    work: list[tuple[RuleSpec, np.ndarray]] = []
    done = []  # for the bar: how many checklist rules are done once each run rule is
    capacity = 0
    for i, spec in enumerate(rules):
        scope = _scope(spec, ctx, checklist.selected)
        if spec.area is not None and not scope.any() and not checklist.selected:
            continue
        work.append((spec, scope))
        done.append(i + 1)
        capacity += int(np.count_nonzero(scope))  # at most that many result rows
    ran = [spec for spec, _ in work]
    # Rules applicable to each case so far: a rule's rows go to the case's slot after them.
    seen = np.zeros(n, dtype=np.int8 if len(rules) < 127 else np.int32)
    laid = _Laid(capacity, seen.dtype)
    as_of_old = bool(ctx.as_of < NEW_LAW_FROM)
    threaded = n >= THREADS_FROM
    with _Evaluations(work, ctx, threaded=threaded) as outputs:
        for spec, out, upto in zip(ran, outputs, done, strict=True):
            rows.append(_lay(spec, out, laid, seen, lang, note_cats, ref_cats, as_of_old))
            del out
            if bar is not None:
                bar.update(upto - bar.n)
    if bar is not None:
        bar.update(len(rules) - bar.n)  # rules skipped after the last one run
        bar.close()
    # The context's cached columns are done with: their memory can hold the result columns.
    del ctx
    t1 = time.perf_counter()
    rows_out = _result_rows(laid, ran, cases, seen, note_cats, ref_cats, threaded=threaded)
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, *SUMMARY_EXTRA])
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
    return CheckResult(rows=rows_out, summary=summary, meta=meta, checklist=checklist, timings=timings)


class _Evaluations:
    """The rules' outputs, in checklist order: ``with _Evaluations(work, ctx, threaded) as outs``.

    Threaded, two worker threads evaluate up to ``LOOK_AHEAD`` rules ahead of the one
    being laid out (numpy and Arrow release the GIL on million-element arrays, so the
    rules share both cores), while the caller lays each output out in order as before:
    the result bytes do not depend on which thread ran a rule. The look-ahead bounds the
    outputs held at once (a rule's output is some 45 bytes per applicable case).
    """

    def __init__(self, work: list[tuple[RuleSpec, np.ndarray]], ctx: CaseContext, *, threaded: bool) -> None:
        self._work = work  # taken over, emptied as the rules are evaluated: each scope is freed then
        self._ctx: CaseContext | None = ctx
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rules") if threaded else None
        self._pending: deque[Future[RuleOutput]] = deque()

    def __enter__(self) -> Iterator[RuleOutput]:
        return self._threaded() if self._pool is not None else self._sequential()

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # Stopped early (a rule or the laying failed): the rules not started are dropped.
            for future in self._pending:
                future.cancel()
            self._pool.shutdown(wait=True)
            self._pending.clear()
        self._work.clear()
        self._ctx = None  # the caller frees the context's cached columns next

    def _evaluate(self, spec: RuleSpec, scope: np.ndarray, ctx: CaseContext) -> RuleOutput:
        return get_kind(spec.kind).evaluate(spec, ctx, scope)

    def _next(self) -> tuple[RuleSpec, np.ndarray, CaseContext]:
        assert self._ctx is not None
        return (*self._work.pop(0), self._ctx)

    def _sequential(self) -> Iterator[RuleOutput]:
        while self._work:
            yield self._evaluate(*self._next())

    def _threaded(self) -> Iterator[RuleOutput]:
        assert self._pool is not None
        while self._work and len(self._pending) < LOOK_AHEAD:
            self._pending.append(self._pool.submit(self._evaluate, *self._next()))
        while self._pending:
            out = self._pending.popleft().result()
            if self._work:
                self._pending.append(self._pool.submit(self._evaluate, *self._next()))
            yield out
            del out


def _lay(spec: RuleSpec, out: RuleOutput, laid: _Laid, seen: np.ndarray, lang: str,
         note_cats: dict[str, int], ref_cats: dict[str, int], as_of_old: bool) -> dict[str, Any]:
    """Lay one rule's applicable rows into ``laid`` (in checklist order: ``seen``, the note
    and reference codes depend on the rules before) → the rule's summary row."""
    local = np.flatnonzero(out.status != _NA)  # positions in the rule's arrays
    every = len(local) == len(out.status)  # often so: the arrays are used as they are

    def pick(values: np.ndarray) -> np.ndarray:
        return values if every else values[local]

    idx = pick(out.rows) if out.rows is not None else local  # the cases
    status = pick(out.status)
    # Counted per code: bincount would first widen the statuses to int64.
    counts = np.array([np.count_nonzero(status == code) for code in range(len(STATUSES))],
                      dtype=np.int64)
    span = laid.add(len(idx))
    cols = laid.cols
    cols["case"][span] = idx
    np.take(seen, idx, out=laid.rank[span])
    seen[idx] += 1
    cols["status"][span] = status
    on_exception = _note_codes(pick(out.notes), spec, lang, note_cats, cols["note"][span])
    # Reference: old SoL when the deadline (or the rule's reference date) fell before 2025-07-01.
    ref_old = ref_cats.setdefault(spec.cite(True), len(ref_cats))
    ref_new = ref_cats.setdefault(spec.cite(False), len(ref_cats))
    ref_date = out.reference_date if out.reference_date is not None else out.deadline
    if ref_date is None:
        cols["ref"][span] = ref_old if as_of_old else ref_new
    else:
        picked = pick(ref_date)
        # A blank date follows the check date; NaT compares False either way round.
        old = ~(picked >= NEW_LAW_FROM) if as_of_old else picked < NEW_LAW_FROM
        cols["ref"][span] = np.where(old, np.int32(ref_old), np.int32(ref_new))
    for key in ("start", "end", "deadline"):
        _day_numbers(getattr(out, key), pick, cols[key][span])
    for key in ("days", "days_over"):
        _whole_days(getattr(out, key), pick, cols[key][span])
    local_change, local_source = _local_change(spec)
    denominator = int(counts[0] + counts[1] + counts[2])
    return {
        "rule_id": spec.id, "applicable": int(span.stop - span.start),
        **{s: int(counts[i]) for i, s in enumerate(STATUSES[:-1])},
        "compliance": round(counts[0] / denominator, 4) if denominator else None,
        "title": spec.text("title", lang), "basis": spec.basis, "period": _period(spec, lang),
        "local_change": local_change, "source": local_source or spec.source,
        "pass_on_exception": on_exception,
    }


NO_DAY = np.iinfo(np.int32).min  # "no value" in the int32 columns collected per rule
_NA = STATUSES.index("not_applicable")


class _Laid:
    """The result rows of the rules laid end to end, rule by rule: one int32 buffer per
    output column (dates and day counts with ``NO_DAY`` for blank), plus each row's
    ``rank`` among its case's rows (see :func:`_order`).

    Rules write straight into these buffers, so there are no per-rule arrays to gather
    again; the buffers become the columns of :class:`ResultRows` as they are. ``capacity``
    is an upper bound on the rows (the cases in each rule's scope); pages past the rows
    written are never touched.
    """

    COLUMNS = ("case", "status", "note", "ref", "start", "end", "deadline", "days", "days_over")

    def __init__(self, capacity: int, rank_dtype) -> None:
        self.cols = {key: np.empty(capacity, dtype=np.int32) for key in self.COLUMNS}
        self.rank = np.empty(capacity, dtype=rank_dtype)
        self.spans: list[slice] = []
        self.size = 0

    def add(self, rows: int) -> slice:
        """Room for the next rule's ``rows`` rows (grown should the bound ever fall short)."""
        end = self.size + rows
        if end > len(self.rank):
            for arr in (*self.cols.values(), self.rank):
                arr.resize(max(end, 2 * len(arr)), refcheck=False)
        span = slice(self.size, end)
        self.spans.append(span)
        self.size = end
        return span

    def take(self, key: str) -> np.ndarray:
        """The column ``key`` laid out (this object lets go of it)."""
        return self.cols.pop(key)[:self.size]


def _note_codes(masks: np.ndarray, spec: RuleSpec, lang: str, note_cats: dict[str, int],
                out: np.ndarray) -> int:
    """Global note codes (into ``note_cats``) for one rule's bit masks, written to ``out``;
    returns how many rows carry the exception note. Most rows have no note: only the
    others are hashed."""
    out[:] = 0  # "" (no note)
    flagged = np.flatnonzero(masks)
    if not len(flagged):
        return 0
    inverse, uniq = pd.factorize(masks[flagged])  # hash-based: faster than np.unique on millions
    texts = combine_notes(uniq, note_texts(spec, lang))
    # Distinct masks in order of first appearance → text → one global code (new texts appended).
    codes = np.array([note_cats.setdefault(texts[int(m)], len(note_cats)) for m in uniq], dtype=np.int32)
    out[flagged] = codes[inverse]
    excepted = np.array([int(m) & Note.EXCEPTION != 0 for m in uniq], dtype=bool)
    return int(np.bincount(inverse, minlength=len(uniq))[excepted].sum())


def _day_numbers(values: np.ndarray | None, pick, out: np.ndarray) -> None:
    """Dates as int32 days since 1970 into ``out``; NaT (or no dates) → ``NO_DAY``."""
    if values is None:
        out[:] = NO_DAY
        return
    # NaT is the smallest int64: it becomes NO_DAY; cast to int32 on the way, in one pass.
    np.maximum(pick(values).view(np.int64), NO_DAY, out=out, casting="unsafe")


def _whole_days(values: np.ndarray | None, pick, out: np.ndarray) -> None:
    """Day counts (float, NaN = blank) as int32 into ``out``; NaN (or no counts) → ``NO_DAY``."""
    if values is None:
        out[:] = NO_DAY
        return
    np.fmax(pick(values), float(NO_DAY), out=out, casting="unsafe")  # fmax skips NaN: NO_DAY


def _dictionary(codes: np.ndarray, labels: pa.Array) -> pa.DictionaryArray:
    """Codes (int32, all valid: made here) over ``labels``; unchecked, which saves a pass."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), labels, safe=False)


def _nullable(values: np.ndarray, type_: pa.DataType) -> pa.Array:
    """``values`` as an Arrow array of ``type_``, null where ``NO_DAY``.

    The validity bitmap is packed here: ``pa.array(values, mask=...)`` took 6 ms per
    million rows for the same array.
    """
    valid = np.packbits(values != NO_DAY, bitorder="little")
    return pa.Array.from_buffers(type_, len(values), [pa.py_buffer(valid), pa.py_buffer(values)])


def _order(laid: _Laid, seen: np.ndarray, rule: np.ndarray, pool: Executor | None = None) -> np.ndarray:
    """For each result row in the final order (case, then rule in checklist order), its index
    in ``laid`` (rule by rule); fills ``rule`` (the rule of each row, final order) on the way.

    A case's rows start at the running total of the rows of the cases before it, and a
    rule's row for a case goes to that start + the number of earlier rules applicable to
    the case (its ``rank``). One gather per output column then replaces sorting millions
    of rows or scattering every column. Given a ``pool``, two threads share the rules:
    every row has a place of its own, so their writes never meet.
    """
    start = np.cumsum(seen, dtype=np.int64)
    start -= seen
    order = np.empty(laid.size, dtype=np.int64)
    case = laid.cols["case"]

    def place(rules: range) -> None:
        for ri in rules:
            span = laid.spans[ri]
            pos = start[case[span]]
            pos += laid.rank[span]
            order[pos] = np.arange(span.start, span.stop)
            rule[pos] = ri

    count = len(laid.spans)
    if pool is None or count < 2:
        place(range(count))
    else:
        # The rules split where half the rows are placed (spans are laid end to end).
        half = min(max(1, int(np.searchsorted([sp.stop for sp in laid.spans], laid.size // 2))), count - 1)
        other = pool.submit(place, range(half, count))
        place(range(half))
        other.result()
    laid.rank = None
    return order


def _result_rows(laid: _Laid, ran, cases, seen, note_cats, ref_cats, *, threaded: bool = False) -> ResultRows:
    """The laid-out rows with their final order (see :func:`_order`); ``threaded``: the
    order, and later the table, on two threads (see run_check)."""
    rule = np.empty(laid.size, dtype=np.int32)
    if threaded:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="assemble") as pool:
            order = _order(laid, seen, rule, pool)
    else:
        order = _order(laid, seen, rule)
    return ResultRows(
        cols={key: laid.take(key) for key in _Laid.COLUMNS},
        order=order,
        rule=rule,
        rule_ids=pa.array([r.id for r in ran], type=pa.string()),
        case_ids=arrow_strings(cases["case_id"]),
        notes=_labels(note_cats),
        references=_labels(ref_cats),
        threaded=threaded,
    )


def _labels(cats: dict[str, int]) -> pa.Array:
    return pa.array(sorted(cats, key=cats.__getitem__), type=pa.string())


@dataclass(frozen=True)
class ResultRows:
    """The result rows as the rules laid them out, rule by rule, and their final order.

    ``cols`` are int32 columns in laid order (dates as days since 1970 and day counts with
    ``NO_DAY`` for blank; the others codes into ``case_ids``, ``STATUSES``, ``notes`` and
    ``references``); ``order[i]`` is the laid row of result row ``i`` (case, then rule in
    checklist order) and ``rule[i]`` its index into ``rule_ids``. Read only, so threads
    may share it: the table is gathered from it, and results.csv rendered from it.
    """

    cols: dict[str, np.ndarray]
    order: np.ndarray
    rule: np.ndarray
    rule_ids: pa.Array
    case_ids: pa.Array
    notes: pa.Array
    references: pa.Array
    threaded: bool = False

    def __len__(self) -> int:
        return len(self.order)

    def table(self) -> pa.Table:
        """All rows as the result table (each column one gather; two at a time if threaded)."""
        if not self.threaded:
            return self._gather(self.order, self.rule, None)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="assemble") as pool:
            return self._gather(self.order, self.rule, pool)

    def take(self, rows: np.ndarray) -> pa.Table:
        """The result rows at positions ``rows`` (result order) as a table."""
        return self._gather(self.order[rows], self.rule[rows], None)

    def _gather(self, laid_rows: np.ndarray, rule: np.ndarray, pool: Executor | None) -> pa.Table:
        def column(key: str) -> np.ndarray:
            return np.take(self.cols[key], laid_rows)

        def dates(key: str) -> pa.Array:
            return _nullable(column(key), pa.date32())

        def whole_days(key: str) -> pa.Array:
            return _nullable(column(key).astype(np.int64), pa.int64())

        makers = {
            "status": lambda: _dictionary(column("status"), pa.array(list(STATUSES), type=pa.string())),
            "start_date": lambda: dates("start"), "end_date": lambda: dates("end"),
            "deadline": lambda: dates("deadline"),
            "days": lambda: whole_days("days"), "days_over": lambda: whole_days("days_over"),
            "note": lambda: _dictionary(column("note"), self.notes),
            "reference": lambda: _dictionary(column("ref"), self.references),
            # case_id as indices into the case ids: no copy of every id per rule, and writers
            # render each id once (``CheckResult.results`` decodes it to plain strings).
            "case_id": lambda: _dictionary(column("case"), self.case_ids),
        }
        if pool is None:
            made = {name: make() for name, make in makers.items()}
        else:
            futures = {name: pool.submit(make) for name, make in makers.items()}
            made = {name: future.result() for name, future in futures.items()}
        rule_ids = _dictionary(np.ascontiguousarray(rule, dtype=np.int32), self.rule_ids)
        return pa.table({"case_id": made["case_id"], "rule_id": rule_ids,
                         **{name: made[name] for name in RESULT_COLUMNS[2:]}})


def write_check_outputs(result: CheckResult, extract: LoadedExtract, out_dir, *, report: bool = True):
    """Write the files of ``ivoaudit check --out`` (see :mod:`ivoaudit.results`)."""
    from ivoaudit.results import write_check_outputs as write

    return write(result, extract, out_dir, report=report)


__all__ = ["RESULT_COLUMNS", "SUMMARY_COLUMNS", "CheckResult", "run_check", "write_check_outputs"]
