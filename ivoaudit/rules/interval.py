"""Kind ``interval``: no gap longer than a period between consecutive events while a case is open.

Points per case: ``open_from`` (when set), then the events of ``event_type`` in date order,
closed by ``open_until`` (when set) or else the check date. A gap between two recorded
points that exceeds the period is ``fail``; only the open gap up to the check date exceeding
it is ``overdue``. Without an events table the rule reports ``missing_data`` for the cases
with ``open_from`` set (all applicable cases when the rule has no ``open_from``). A case with
events but no ``open_from``, or with an event of the type that has no readable date, is never a
``pass`` (``missing_data``): the unmeasured stretch may hide the gap (issue 13).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import field_validator

from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import (
    FAIL,
    MISSING,
    OVERDUE,
    PASS,
    CaseContext,
    Note,
    RuleOutput,
    arrow_strings,
)
from ivoaudit.rules.calendar import NAT, add_period, as_days, next_working_day
from ivoaudit.rules.params import Period, check_field, field_text
from ivoaudit.rules.registry import rule_kind


class IntervalParams(Period):
    event_type: str
    open_from: str | None = None
    open_until: str | None = None
    requires_events: bool = True  # applies only to cases with at least one such event

    _f = field_validator("open_from", "open_until")(lambda v: check_field(v, FieldType.DATE))


def _segment_max(values: np.ndarray, seg: np.ndarray, n: int, fill: float) -> np.ndarray:
    out = np.full(n, fill)
    np.maximum.at(out, seg, values)
    return out


def describe(rule, lang: str) -> str:
    """What an interval rule counts, for the docs."""
    p: IntervalParams = rule.params
    sv = lang != "en"
    start = field_text(p.open_from, lang) if p.open_from else ("första händelsen" if sv else "the first event")
    text = (f"{start}, " + (f"händelser av typen `{p.event_type}`, granskningsdagen: glapp ≤ "
                            if sv else f"events of type `{p.event_type}`, the check date: gaps ≤ ")
            + p.describe(lang))
    if rule.basis == "law":
        text += (" (sista dagen flyttas till nästa vardag, lag 1930:173 2 §)" if sv else
                 " (the last day moves to the next weekday, Act 1930:173 s. 2)")
    if p.requires_events:
        text += (f"; gäller ärenden med minst en händelse av typen `{p.event_type}`" if sv else
                 f"; applies to cases with at least one `{p.event_type}` event")
    if p.open_from:
        text += (f"; utan `{p.open_from}` eller med en händelse utan giltigt datum: uppgift saknas, aldrig "
                 "uppfyllt (ett glapp som händelserna visar är ändå ej uppfyllt)" if sv else
                 f"; without `{p.open_from}`, or with an event without a valid date: missing data, never a "
                 "pass (a gap the events show is a fail all the same)")
    scope = f" ({'ärenden med' if sv else 'cases with'} `{p.open_from}`)" if p.open_from else ""
    return text + (f"; utan händelsetabell: uppgift saknas{scope}" if sv else
                   f"; without an events table: missing data{scope}")


def needs(rule) -> tuple[tuple[str, ...], ...]:
    return ((rule.params.open_from,),) if rule.params.open_from else ()


@rule_kind("interval", params=IntervalParams, label=("intervall", "interval"), describe=describe, needs=needs,
           statuses=("pass", "fail", "overdue", "missing_data"),
           notes=(Note.FIELD_INVALID, Note.NO_EVENTS, Note.MOVED, Note.START_MISSING, Note.START_INVALID, Note.EVENT_UNDATED))
def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Vectorised over all events: sort by (case, date), compare each point with the next.

    Works on the applicable cases only (``RuleOutput.rows``): few cases have such events.
    """
    p: IntervalParams = spec.params
    n = ctx.n
    applies = scope & conditions.evaluate(spec.applies_when, ctx)
    if ctx.events is None or "event_date" not in ctx.events.columns:
        return _without_events(p, ctx, applies)

    ev = ctx.events
    of_type = _is_type(ev["event_type"], p.event_type) if "event_type" in ev else np.ones(len(ev), dtype=bool)
    dated = ev["event_date"].notna().to_numpy(dtype=bool)
    undated = _cases_of(ev, of_type & ~dated, ctx.cases["case_id"], np.flatnonzero(applies), n)
    ev_case, ev_date = _events_of(ev, of_type & dated, ctx, np.flatnonzero(applies))
    ev_case, ev_date = _inside_open_period(p, ctx, ev_case, ev_date)
    if p.requires_events:
        has_events = np.zeros(n, dtype=bool)
        has_events[ev_case] = True
        applies &= has_events

    # From here on per applicable case (m of them); every event belongs to one.
    cases = np.flatnonzero(applies)
    m = len(cases)
    ev_case = np.searchsorted(cases, ev_case)
    opened = ctx.date(p.open_from, cases) if p.open_from else np.full(m, NAT)
    closed = ctx.date(p.open_until, cases) if p.open_until else np.full(m, NAT)
    pt_case, pt_date = _points(opened, ev_case, ev_date)
    g = _measure(spec, ctx, pt_case, pt_date, closed, m)
    status, notes = _verdicts(p, ctx, cases, opened, closed, undated, pt_case, g)
    days = np.where(np.isfinite(g.longest), g.longest, np.nan)
    over = np.where(np.isfinite(g.worst), np.maximum(g.worst, 0), np.nan)
    return RuleOutput(status=status, notes=notes, start=g.first, end=g.end, deadline=g.deadline,
                      days=days, days_over=over, rows=cases, moved_from=g.moved_from)


def _without_events(p: IntervalParams, ctx: CaseContext, applies: np.ndarray) -> RuleOutput:
    """No events table: ``missing_data`` for the cases the rule would cover."""
    # Without events we cannot know which cases have reviews; those with an open
    # period (open_from set) are the ones the rule would cover.
    rows = np.flatnonzero(applies & ctx.present(p.open_from) if p.open_from else applies)
    return RuleOutput(status=np.full(len(rows), MISSING, dtype=np.int8),
                      notes=np.full(len(rows), Note.NO_EVENTS, dtype=np.int64), rows=rows)


def _events_of(ev: pd.DataFrame, keep: np.ndarray, ctx: CaseContext,
               rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The events ``keep`` of the cases ``rows``: each one's case row and its date (day number)."""
    # Events of the applicable cases only (the others end as not applicable whatever their
    # events say). Arrow's hash lookup of the applicable cases' ids among the events'
    # distinct ids (a small table) finds them; case ids are unique within an extract.
    kept = np.flatnonzero(keep)
    encoded = pc.dictionary_encode(arrow_strings(ev["case_id"]).take(pa.array(kept)), null_encoding="encode")
    found = pc.index_in(arrow_strings(ctx.cases["case_id"]).take(pa.array(rows)), value_set=encoded.dictionary)
    found = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
    hit = np.flatnonzero(found >= 0)[::-1]  # reversed: the first case with an id wins
    id_case = np.full(len(encoded.dictionary), -1, dtype=np.int64)
    id_case[found[hit]] = rows[hit]
    ev_case = id_case[encoded.indices.to_numpy(zero_copy_only=False)]
    matched = ev_case >= 0
    ev_case = ev_case[matched]
    ev_date = as_days(pd.to_datetime(ev["event_date"]).to_numpy()[kept[matched]])
    return ev_case, ev_date


def _inside_open_period(p: IntervalParams, ctx: CaseContext, ev_case: np.ndarray,
                        ev_date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop the events outside the open period: they do not count."""
    inside = np.ones(len(ev_case), dtype=bool)
    if p.open_from:
        inside &= ~(ev_date < ctx.date(p.open_from, ev_case))
    if p.open_until:
        inside &= ~(ev_date > ctx.date(p.open_until, ev_case))
    return ev_case[inside], ev_date[inside]


def _points(opened: np.ndarray, ev_case: np.ndarray, ev_date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All points sorted by (case, date): the events, plus open_from for the cases that have it."""
    start_cases = np.flatnonzero(~np.isnat(opened))
    pt_case = np.concatenate([start_cases, ev_case])
    pt_date = np.concatenate([opened[start_cases], ev_date])
    order = np.lexsort((pt_date, pt_case))
    return pt_case[order], pt_date[order]


class _Gaps(NamedTuple):
    """Per applicable case: what the gaps between its points measure."""

    inner_fail: np.ndarray  # a gap between two recorded points is too long
    term_late: np.ndarray  # the last point is too long before open_until or the check date
    longest: np.ndarray
    worst: np.ndarray
    first: np.ndarray
    end: np.ndarray
    deadline: np.ndarray
    moved_from: np.ndarray


def _measure(spec, ctx: CaseContext, pt_case: np.ndarray, pt_date: np.ndarray,
             closed: np.ndarray, m: int) -> _Gaps:
    """Compare each point with the next one of its case, and the last with the terminal date."""
    p: IntervalParams = spec.params
    same_next = np.zeros(len(pt_case), dtype=bool)
    same_next[:-1] = pt_case[:-1] == pt_case[1:]
    nxt = np.full(len(pt_case), NAT)
    nxt[:-1] = pt_date[1:]
    raw_due = add_period(pt_date, days=p.days, months=p.months)
    # A statutory period (basis law) ends on a weekday: lag 1930:173 2 §.
    due = next_working_day(raw_due) if spec.basis == "law" else raw_due
    gap_days = (nxt - pt_date).astype("timedelta64[D]").astype(np.float64)
    gap_over = (nxt - due).astype("timedelta64[D]").astype(np.float64)
    inner = same_next
    inner_fail = np.zeros(m, dtype=bool)
    inner_fail[pt_case[inner & (gap_over > 0)]] = True

    # The last point of each case against open_until or the check date.
    last = ~same_next
    last_case, last_date, last_due = pt_case[last], pt_date[last], due[last]
    terminal = np.where(np.isnat(closed[last_case]), ctx.as_of, closed[last_case])
    term_days = (terminal - last_date).astype("timedelta64[D]").astype(np.float64)
    term_over = (terminal - last_due).astype("timedelta64[D]").astype(np.float64)

    longest = _segment_max(np.concatenate([gap_days[inner], term_days]),
                           np.concatenate([pt_case[inner], last_case]), m, -np.inf)
    worst = _segment_max(np.concatenate([gap_over[inner], term_over]),
                         np.concatenate([pt_case[inner], last_case]), m, -np.inf)
    first = np.full(m, NAT)
    firsts = np.r_[True, ~same_next[:-1]] if len(pt_case) else np.zeros(0, dtype=bool)
    first[pt_case[firsts]] = pt_date[firsts]
    end = np.full(m, NAT)
    end[last_case] = last_date
    deadline = np.full(m, NAT)
    deadline[last_case] = last_due
    moved_from = np.full(m, NAT)
    moved = last & (raw_due != due)
    moved_from[pt_case[moved]] = raw_due[moved]
    term_late = np.zeros(m, dtype=bool)
    term_late[last_case[term_over > 0]] = True
    return _Gaps(inner_fail=inner_fail, term_late=term_late, longest=longest, worst=worst,
                 first=first, end=end, deadline=deadline, moved_from=moved_from)


def _verdicts(p: IntervalParams, ctx: CaseContext, cases: np.ndarray, opened: np.ndarray,
              closed: np.ndarray, undated: np.ndarray, pt_case: np.ndarray,
              g: _Gaps) -> tuple[np.ndarray, np.ndarray]:
    """Status and notes per applicable case from the measured gaps and what was not measured."""
    m = len(cases)
    open_case = np.isnat(closed)
    status = np.full(m, PASS, dtype=np.int8)
    notes = np.zeros(m, dtype=np.int64)
    status[g.term_late & open_case] = OVERDUE
    status[(g.term_late & ~open_case) | g.inner_fail] = FAIL
    no_points = np.bincount(pt_case, minlength=m) == 0
    status[no_points] = MISSING  # nothing to measure from (no start, no events)
    notes[no_points] = Note.NO_EVENTS
    if p.open_from:
        # Events but no start: the first period (e.g. a placement's first six months) was
        # never measured, so the reviews alone cannot show the duty was met (a gap they do
        # show is a fault all the same).
        no_start = np.isnat(opened) & ~no_points & (status == PASS)
        status[no_start] = MISSING
        notes[no_start] = np.where(ctx.is_invalid(p.open_from)[cases[no_start]], Note.START_INVALID,
                                   Note.START_MISSING)
    # An event of the rule's type without a readable date may hide a gap: never a pass.
    hidden = undated[cases] & (status == PASS)
    status[hidden] = MISSING
    notes[hidden] |= Note.EVENT_UNDATED
    notes[~np.isnat(g.moved_from) & ~no_points] |= Note.MOVED
    return status, notes


def _cases_of(ev: pd.DataFrame, which: np.ndarray, case_ids: pd.Series, rows: np.ndarray, n: int) -> np.ndarray:
    """True for each case (of ``rows``) that has one of the events ``which``."""
    out = np.zeros(n, dtype=bool)
    if not which.any() or not len(rows):
        return out
    ids = ev["case_id"][which].astype(str).unique()
    out[rows] = case_ids.iloc[rows].astype(str).isin(ids).to_numpy(dtype=bool)
    return out


def _is_type(types: pd.Series, wanted: str) -> np.ndarray:
    """True where the event's type, trimmed and case-folded, is ``wanted`` (blank: False).

    Each distinct type is folded once (by the same string methods as a whole column would
    be): events repeat a handful of types.
    """
    codes, uniques = pd.factorize(types, use_na_sentinel=True)
    folded = pd.Series(uniques, dtype=object).astype("string").str.strip().str.casefold()
    lut = np.append((folded == wanted.casefold()).fillna(False).to_numpy(dtype=bool), False)
    return lut[codes]
