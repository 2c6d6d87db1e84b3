"""Kind ``interval``: no gap longer than a period between consecutive events while a case is open.

Points per case: ``open_from`` (when set), then the events of ``event_type`` in date order,
closed by ``open_until`` (when set) or else the check date. A gap between two recorded
points that exceeds the period is ``fail``; only the open gap up to the check date exceeding
it is ``overdue``. Without an events table the rule reports ``missing_data`` for the cases
with ``open_from`` set (all applicable cases when the rule has no ``open_from``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import field_validator

from ivoaudit.dateutil_months import NAT, add_period, as_days
from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import (
    FAIL,
    MISSING,
    NA,
    OVERDUE,
    PASS,
    CaseContext,
    Note,
    RuleOutput,
    arrow_strings,
)
from ivoaudit.rules.params import Period, check_field


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


def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Vectorised over all events: sort by (case, date), compare each point with the next."""
    p: IntervalParams = spec.params
    n = ctx.n
    applies = scope & conditions.evaluate(spec.applies_when, ctx)
    status = np.full(n, NA, dtype=np.int8)
    notes = np.zeros(n, dtype=np.int64)
    if ctx.events is None or "event_date" not in ctx.events.columns:
        # Without events we cannot know which cases have reviews; those with an open
        # period (open_from set) are the ones the rule would cover.
        unknown = applies & (ctx.present(p.open_from) if p.open_from else True)
        status[unknown] = MISSING
        notes[unknown] = Note.NO_EVENTS
        return RuleOutput(status=status, notes=notes)

    ev = ctx.events
    types = ev["event_type"].astype("string").str.strip().str.casefold() if "event_type" in ev else None
    keep = ev["event_date"].notna().to_numpy(dtype=bool).copy()
    if types is not None:
        keep &= (types == p.event_type.casefold()).fillna(False).to_numpy(dtype=bool)
    # Events of the applicable cases only (the others end as not applicable whatever their
    # events say), found with Arrow's hash lookup; case ids are unique within an extract.
    rows = np.flatnonzero(applies)
    kept = np.flatnonzero(keep)
    found = pc.index_in(arrow_strings(ev["case_id"]).take(pa.array(kept)),
                        value_set=arrow_strings(ctx.cases["case_id"]).take(pa.array(rows)))
    local = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
    matched = local >= 0
    ev_case = rows[local[matched]]
    ev_date = as_days(pd.to_datetime(ev["event_date"]).to_numpy()[kept[matched]])

    opened = ctx.date(p.open_from) if p.open_from else np.full(n, NAT)
    closed = ctx.date(p.open_until) if p.open_until else np.full(n, NAT)
    # Events outside the open period do not count.
    inside = ~(ev_date < opened[ev_case]) & ~(ev_date > closed[ev_case])
    ev_case, ev_date = ev_case[inside], ev_date[inside]
    has_events = np.bincount(ev_case, minlength=n) > 0
    if p.requires_events:
        applies &= has_events

    # All points: events, plus open_from for cases that have it; kind 0 = start point.
    start_cases = np.flatnonzero(~np.isnat(opened) & applies)
    pt_case = np.concatenate([start_cases, ev_case])
    pt_date = np.concatenate([opened[start_cases], ev_date])
    order = np.lexsort((pt_date, pt_case))
    pt_case, pt_date = pt_case[order], pt_date[order]

    same_next = np.zeros(len(pt_case), dtype=bool)
    same_next[:-1] = pt_case[:-1] == pt_case[1:]
    nxt = np.full(len(pt_case), NAT)
    nxt[:-1] = pt_date[1:]
    due = add_period(pt_date, days=p.days, months=p.months)
    gap_days = (nxt - pt_date).astype("timedelta64[D]").astype(np.float64)
    gap_over = (nxt - due).astype("timedelta64[D]").astype(np.float64)
    inner = same_next
    inner_fail = np.zeros(n, dtype=bool)
    inner_fail[pt_case[inner & (gap_over > 0)]] = True

    # The last point of each case against open_until or the check date.
    last = ~same_next
    last_case, last_date, last_due = pt_case[last], pt_date[last], due[last]
    terminal = np.where(np.isnat(closed[last_case]), ctx.as_of, closed[last_case])
    term_days = (terminal - last_date).astype("timedelta64[D]").astype(np.float64)
    term_over = (terminal - last_due).astype("timedelta64[D]").astype(np.float64)

    longest = _segment_max(np.concatenate([gap_days[inner], term_days]),
                           np.concatenate([pt_case[inner], last_case]), n, -np.inf)
    worst = _segment_max(np.concatenate([gap_over[inner], term_over]),
                         np.concatenate([pt_case[inner], last_case]), n, -np.inf)
    first = np.full(n, NAT)
    firsts = np.r_[True, ~same_next[:-1]] if len(pt_case) else np.zeros(0, dtype=bool)
    first[pt_case[firsts]] = pt_date[firsts]
    end = np.full(n, NAT)
    end[last_case] = last_date
    deadline = np.full(n, NAT)
    deadline[last_case] = last_due
    term_late = np.zeros(n, dtype=bool)
    term_late[last_case[term_over > 0]] = True
    open_case = np.isnat(closed)

    status[:] = PASS
    status[term_late & open_case] = OVERDUE
    status[(term_late & ~open_case) | inner_fail] = FAIL
    no_points = np.bincount(pt_case, minlength=n) == 0
    status[no_points] = MISSING  # nothing to measure from (no start, no events)
    notes[no_points] = Note.NO_EVENTS
    status[~applies] = NA
    days = np.where(np.isfinite(longest), longest, np.nan)
    over = np.where(np.isfinite(worst), np.maximum(worst, 0), np.nan)
    return RuleOutput(status=status, notes=notes, start=first, end=end, deadline=deadline,
                      days=days, days_over=over)
