"""Kind ``deadline``: an end event happens within a period after a start event."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import field_validator, model_validator

from ivoaudit.fields import FieldType
from ivoaudit.i18n import t
from ivoaudit.rules import conditions
from ivoaudit.rules.base import (
    FAIL,
    MISSING,
    OVERDUE,
    PASS,
    PENDING,
    CaseContext,
    Note,
    RuleOutput,
    set_note,
)
from ivoaudit.rules.calendar import NAT, add_period, next_working_day, non_working
from ivoaudit.rules.params import Params, Period, check_field, field_text
from ivoaudit.rules.registry import rule_kind

_NAT_DAY = np.iinfo(np.int64).min  # NaT seen as an int64 day number


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
    # Lag 1930:173 2 § moves every statutory (basis: law) deadline off a weekend, holiday or
    # eve; a local target opts in with ``next_weekday`` (a municipality's own choice).
    weekend_rule: Literal["next_weekday"] | None = None

    _dates = field_validator("start", "end")(lambda v: check_field(v, FieldType.DATE))
    _exc = field_validator("exception_field")(lambda v: check_field(v))

    @model_validator(mode="after")
    def _distinct(self) -> DeadlineParams:
        if self.start == self.end:
            raise ValueError(t("start och end ska vara olika fält", "start and end must be different fields"))
        if self.immediate and self.weekend_rule:
            raise ValueError(t("en frist som gäller genast flyttas aldrig: ta bort weekend_rule",
                               "an immediate deadline ('genast') is never moved: drop weekend_rule"))
        return self

    def moves(self, basis: str) -> bool:
        """Whether lag 1930:173 2 § moves this rule's deadline: every statutory deadline
        except "genast"; a local or practice target only when it opts in."""
        return not self.immediate and (basis == "law" or self.weekend_rule == "next_weekday")


def start_dates(p, ctx: CaseContext, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, start_invalid, used_fallback) with the fallback start applied.

    For the cases ``rows`` (indices) when given, else for every case.
    """
    start = ctx.date(p.start).copy() if rows is None else ctx.date(p.start, rows)
    invalid = ctx.is_invalid(p.start).copy() if rows is None else ctx.is_invalid(p.start)[rows]
    used = np.zeros(len(start), dtype=bool)
    fb = p.start_fallback
    if fb is not None:
        # Only a blank (not unreadable) start can fall back: look at those cases alone.
        blank = np.flatnonzero(np.isnat(start) & ~invalid)
        cases = blank if rows is None else rows[blank]
        use_fb = conditions.evaluate(fb.when, ctx)[cases]
        fb_dates = ctx.date(fb.field, cases)
        took = use_fb & ~np.isnat(fb_dates)
        start[blank[took]] = fb_dates[took]
        used[blank[took]] = True
        invalid[blank] |= use_fb & ctx.is_invalid(fb.field)[cases]
    return start, invalid, used


def describe(rule, lang: str) -> str:
    """What a deadline rule counts, for the docs."""
    p: DeadlineParams = rule.params
    sv = lang != "en"
    start = field_text(p.start, lang)
    if p.start_fallback:
        start += (" (om tomt: " if sv else " (when blank: ") + field_text(p.start_fallback.field, lang) + ")"
    text = f"{start} → {field_text(p.end, lang)} ≤ {p.describe(lang)}"
    if p.immediate:
        text += " (genast: flyttas aldrig)" if sv else " (immediately: never moved)"
    elif p.moves(rule.basis):
        text += (" (sista dagen flyttas till nästa vardag, lag 1930:173 2 §)" if sv else
                 " (the last day moves to the next weekday, Act 1930:173 s. 2)")
    else:
        text += " (lokalt mål: flyttas inte)" if sv else " (local target: not moved)"
    if p.exception_field:
        text += ("; undantag: " if sv else "; exception: ") + field_text(p.exception_field, lang)
    if p.extension:
        text += ("; förlängning: " if sv else "; extension: ") + \
            f"{field_text(p.extension.decision, lang)} + {field_text(p.extension.until, lang)}"
    return text


def start_fields(p) -> tuple[str, ...]:
    """The start field and its fallback: a rule needs one of them to find its start."""
    return (p.start, p.start_fallback.field) if p.start_fallback else (p.start,)


def needs(rule) -> tuple[tuple[str, ...], ...]:
    return (start_fields(rule.params),)


# The verdict before data problems, by (no end date, measured past the deadline); see _verdicts.
assert (PASS, FAIL, OVERDUE, PENDING) == (0, 1, 2, 3)


@rule_kind("deadline", params=DeadlineParams, label=("tidsfrist", "deadline"), describe=describe, needs=needs,
           statuses=("pass", "fail", "overdue", "pending", "missing_data"),
           notes=(Note.FIELD_INVALID, Note.EXCEPTION, Note.EXT_APPLIED, Note.EXT_LATE, Note.EXT_NO_END, Note.EXT_NO_DECISION,
                  Note.EXT_INVALID, Note.NON_WORKING, Note.MOVED, Note.INVALID_SEQUENCE, Note.START_MISSING,
                  Note.START_INVALID, Note.END_ABSENT, Note.END_INVALID, Note.FALLBACK_START))
def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Statuses per data-model.md; counting per rules.md (day 0 = start day, calendar months).

    Works on the applicable cases only (``RuleOutput.rows``): most rules apply to one area
    or stage, so this skips most of the arithmetic on a large extract. Dates are compared as
    int64 day numbers, where NaT is the smallest value (not "unordered" as datetime64).
    """
    p: DeadlineParams = spec.params
    rows = np.flatnonzero(scope & conditions.evaluate(spec.applies_when, ctx))
    n = len(rows)
    notes = np.zeros(n, dtype=np.int64)

    start, start_invalid, used_fallback = start_dates(p, ctx, rows)
    set_note(notes, used_fallback, Note.FALLBACK_START)
    deadline = add_period(start, days=p.days, months=p.months)
    moved_from = np.full(n, NAT)
    if p.moves(spec.basis):
        deadline = _move_to_weekday(deadline, notes, moved_from)
    if p.extension is not None:
        deadline = _extend(p.extension, ctx, rows, deadline, notes, moved_from)

    end = ctx.date(p.end, rows)
    status, missing, measured_to = _verdicts(spec, ctx, rows, start, start_invalid, end, deadline, notes)
    days, over = _days(measured_to, start, deadline, status, missing)
    return RuleOutput(status=status, notes=notes, start=start, end=end, deadline=deadline,
                      days=days, days_over=over, rows=rows, moved_from=moved_from)


def _move_to_weekday(deadline: np.ndarray, notes: np.ndarray, moved_from: np.ndarray) -> np.ndarray:
    """The deadline moved to the next weekday; notes and ``moved_from`` updated in place."""
    # Lag 1930:173 2 §: the action may be taken on the next weekday. The extension test
    # below and the law cited (old/new SoL) both follow the moved day.
    moved = next_working_day(deadline)
    was_moved = moved != deadline  # NaT != NaT is True: masked by the start below
    was_moved &= ~np.isnat(deadline)
    moved_from[was_moved] = deadline[was_moved]
    set_note(notes, was_moved, Note.MOVED)
    return moved


def _extend(ext: Extension, ctx: CaseContext, rows: np.ndarray, deadline: np.ndarray,
            notes: np.ndarray, moved_from: np.ndarray) -> np.ndarray:
    """The deadline after a lawful extension; notes and ``moved_from`` updated in place."""
    dec, until = ctx.date(ext.decision, rows), ctx.date(ext.until, rows)
    dec_set, until_set = ~np.isnat(dec), ~np.isnat(until)
    in_time = dec_set & (dec <= deadline)
    lawful = in_time & until_set
    set_note(notes, lawful, Note.EXT_APPLIED)
    set_note(notes, dec_set & (dec > deadline), Note.EXT_LATE)
    set_note(notes, in_time & ~until_set, Note.EXT_NO_END)
    set_note(notes, ~dec_set & until_set, Note.EXT_NO_DECISION)
    ext_bad = ctx.is_invalid(ext.decision)[rows] | ctx.is_invalid(ext.until)[rows]
    set_note(notes, ext_bad, Note.EXT_INVALID)
    deadline = np.where(lawful, until, deadline)
    # The extended end date is the committee's own date, not a period set by law: 2 § does
    # not move it, and the original deadline's move no longer matters.
    notes[lawful] &= ~Note.MOVED
    moved_from[lawful] = NAT
    return deadline


def _verdicts(spec, ctx: CaseContext, rows: np.ndarray, start: np.ndarray, start_invalid: np.ndarray,
              end: np.ndarray, deadline: np.ndarray,
              notes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status per case, which cases are missing data, and the day each was measured to.

    Notes are updated in place.
    """
    p: DeadlineParams = spec.params
    e, s, dl = end.view(np.int64), start.view(np.int64), deadline.view(np.int64)
    no_end = e == _NAT_DAY
    no_start = s == _NAT_DAY  # exactly the cases without a deadline
    measured_to = np.where(no_end, ctx.as_of.astype(np.int64), e)
    late = measured_to > dl  # also where there is no start: those become missing_data below
    # With an end: pass (0) or fail (1); without: overdue (2) or pending (3).
    status = late.view(np.int8) ^ no_end.view(np.int8)
    status |= no_end.view(np.int8) << 1
    if p.exception_field is not None:
        excepted = late & ~no_end & ctx.present(p.exception_field)[rows]
        status[excepted] = PASS
        set_note(notes, excepted, Note.EXCEPTION)

    # Data problems override the verdict.
    seq_bad = ~no_end & (e < s)
    end_bad = ctx.is_invalid(p.end)[rows]
    missing = seq_bad | end_bad | no_start
    set_note(notes, seq_bad, Note.INVALID_SEQUENCE)
    set_note(notes, end_bad, Note.END_INVALID)
    if not ctx.has(p.end):
        missing[:] = True
        notes |= Note.END_ABSENT
    status[missing] = MISSING
    if no_start.any():
        notes[no_start] = np.where(start_invalid[no_start], Note.START_INVALID, Note.START_MISSING)

    if not p.immediate and not p.moves(spec.basis):
        # A local target on a weekend stays where it is; say so where it decides the verdict.
        judged = ~missing & (status != PASS)  # fail, overdue or pending
        set_note(notes, judged & non_working(deadline), Note.NON_WORKING)
    return status, missing, measured_to


def _days(measured_to: np.ndarray, start: np.ndarray, deadline: np.ndarray, status: np.ndarray,
          missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days from the start, and days over the deadline (blank where missing or pending)."""
    s, dl = start.view(np.int64), deadline.view(np.int64)
    with np.errstate(over="ignore", invalid="ignore"):  # rows without a start: blanked here
        days = (measured_to - s).astype(np.float64)
        over = measured_to - dl
    days[missing] = np.nan
    np.maximum(over, 0, out=over)
    over = over.astype(np.float64)
    over[missing | (status == PENDING)] = np.nan
    return days, over
