"""Kind ``deadline``: an end event happens within a period after a start event."""

from __future__ import annotations

import numpy as np
from pydantic import field_validator, model_validator

from ivoaudit.dateutil_months import add_period
from ivoaudit.fields import FieldType
from ivoaudit.holidays_se import non_working
from ivoaudit.rules import conditions
from ivoaudit.rules.base import (
    FAIL,
    MISSING,
    NA,
    OVERDUE,
    PASS,
    PENDING,
    CaseContext,
    Note,
    RuleOutput,
)
from ivoaudit.rules.params import Params, Period, check_field


class Fallback(Params):
    """Start from ``field`` when the main start is blank (and ``when`` holds)."""

    field: str
    when: conditions.Condition | None = None

    _f = field_validator("field")(lambda v: check_field(v, FieldType.DATE))


class Extension(Params):
    """A lawful extension: decision dated on/before the deadline and naming an end date."""

    decision: str
    until: str

    _f = field_validator("decision", "until")(lambda v: check_field(v, FieldType.DATE))


class DeadlineParams(Period):
    start: str
    end: str
    start_fallback: Fallback | None = None
    exception_field: str | None = None
    extension: Extension | None = None
    immediate: bool = False  # "genast": never moved to a weekday, so no weekend note

    _dates = field_validator("start", "end")(lambda v: check_field(v, FieldType.DATE))
    _exc = field_validator("exception_field")(lambda v: check_field(v))

    @model_validator(mode="after")
    def _distinct(self) -> DeadlineParams:
        if self.start == self.end:
            raise ValueError("start and end must be different fields")
        return self


def start_dates(p, ctx: CaseContext, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, start_invalid, used_fallback) with the fallback start applied.

    For the cases ``rows`` (indices) when given, else for every case.
    """
    def pick(values: np.ndarray) -> np.ndarray:
        return values.copy() if rows is None else values[rows]

    start = pick(ctx.date(p.start))
    invalid = pick(ctx.is_invalid(p.start))
    used = np.zeros(len(start), dtype=bool)
    fb = p.start_fallback
    if fb is not None:
        blank = np.isnat(start) & ~invalid
        use_fb = blank & pick(conditions.evaluate(fb.when, ctx))
        fb_dates = pick(ctx.date(fb.field))
        used = use_fb & ~np.isnat(fb_dates)
        start[used] = fb_dates[used]
        invalid |= use_fb & pick(ctx.is_invalid(fb.field))
    return start, invalid, used


def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Statuses per data-model.md; counting per rules.md (day 0 = start day, calendar months).

    Works on the applicable cases only (``RuleOutput.rows``): most rules apply to one area
    or stage, so this skips most of the arithmetic on a large extract.
    """
    p: DeadlineParams = spec.params
    rows = np.flatnonzero(scope & conditions.evaluate(spec.applies_when, ctx))
    n = len(rows)
    status = np.full(n, NA, dtype=np.int8)
    notes = np.zeros(n, dtype=np.int64)

    start, start_invalid, used_fallback = start_dates(p, ctx, rows)
    notes[used_fallback] |= Note.FALLBACK_START
    deadline = add_period(start, days=p.days, months=p.months)

    if p.extension is not None:
        dec, until = ctx.date(p.extension.decision)[rows], ctx.date(p.extension.until)[rows]
        dec_set, until_set = ~np.isnat(dec), ~np.isnat(until)
        in_time = dec_set & (dec <= deadline)
        lawful = in_time & until_set
        late = dec_set & (dec > deadline)
        notes[lawful] |= Note.EXT_APPLIED
        notes[late] |= Note.EXT_LATE
        notes[in_time & ~until_set] |= Note.EXT_NO_END
        notes[~dec_set & until_set] |= Note.EXT_NO_DECISION
        ext_bad = ctx.is_invalid(p.extension.decision)[rows] | ctx.is_invalid(p.extension.until)[rows]
        notes[ext_bad] |= Note.EXT_INVALID
        deadline = np.where(lawful, until, deadline)

    end = ctx.date(p.end)[rows]
    has_end = ~np.isnat(end)
    as_of = ctx.as_of
    # Integer day numbers (a free view); NaT rows give garbage here and are blanked below.
    measured_to = np.where(has_end, end.view(np.int64), as_of.astype(np.int64))
    with np.errstate(over="ignore"):
        days = (measured_to - start.view(np.int64)).astype(np.float64)
        over = (measured_to - deadline.view(np.int64)).astype(np.float64)

    if p.exception_field is not None:
        excepted = ctx.present(p.exception_field)[rows]
    else:
        excepted = np.zeros(n, dtype=bool)
    late_end = has_end & (end > deadline)
    status[has_end & (end <= deadline)] = PASS
    status[late_end & excepted] = PASS
    notes[late_end & excepted] |= Note.EXCEPTION
    status[late_end & ~excepted] = FAIL
    status[~has_end & (as_of > deadline)] = OVERDUE
    status[~has_end & (as_of <= deadline)] = PENDING

    # Data problems override the verdict, most basic first.
    seq_bad = has_end & (end < start)
    status[seq_bad] = MISSING
    notes[seq_bad] |= Note.INVALID_SEQUENCE
    end_bad = ctx.is_invalid(p.end)[rows]
    status[end_bad] = MISSING
    notes[end_bad] |= Note.END_INVALID
    if not ctx.has(p.end):
        status[:] = MISSING
        notes |= Note.END_ABSENT
    no_start = np.isnat(start)
    status[no_start] = MISSING
    notes[no_start] = np.where(start_invalid[no_start], Note.START_INVALID, Note.START_MISSING)

    if not p.immediate:
        judged = np.flatnonzero((status == FAIL) | (status == OVERDUE) | (status == PENDING))
        notes[judged[non_working(deadline[judged])]] |= Note.NON_WORKING

    missing = status == MISSING
    days[missing] = np.nan
    over = np.where(missing | (status == PENDING), np.nan, np.maximum(over, 0))
    return RuleOutput(status=status, notes=notes, start=start, end=end, deadline=deadline,
                      days=days, days_over=over, rows=rows)
