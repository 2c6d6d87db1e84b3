"""A rule whose ``applies_when`` cannot be decided for a case is not "not applicable".

A condition tests a code (``decision_outcome ∈ {granted, partly_granted}``); when the case's
cell holds a code that could not be read (an unknown spelling, listed in problems.csv as
``code_unknown``), nobody can say whether the rule applies. Reporting such a case as
``not_applicable`` would drop it from the rule in silence (an extract whose "Beviljat" is not
mapped would show ALL-EJ-VERKST-3M with 0 applicable cases), so it is ``missing_data`` with
the note "oläslig kod i …", whenever the rule would apply were the condition true (the kind
itself decides that, e.g. a deadline whose start stage has not begun still does not apply).
That holds whatever verdict the case would otherwise get: a ``not_in`` condition on an
unreadable code must not yield a ``fail`` (or a ``pass``) resting on a condition nobody can
decide (a report "joined with an ongoing investigation", spelled unreadably, is exempt from
the 14 days). A case whose area is blank or cannot be read is undecided in the same way for
every rule of an area (every case has an area; for other codes a blank means "none yet").
A kind that cannot give ``missing_data`` (a manual question) keeps its own status: the
reviewer reads the case file.

Three-valued (Kleene) logic over the condition tree: a leaf ``in``/``not_in`` on an unreadable
code is unknown; ``all`` is unknown when no branch is false and one is unknown; ``any`` when no
branch is true and one is unknown. ``present``/``absent`` are always decided.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ivoaudit.rules import conditions
from ivoaudit.rules.base import MISSING, NA, CaseContext, Note, RuleOutput
from ivoaudit.rules.conditions import Condition


def _tri(cond: Condition, ctx: CaseContext) -> tuple[np.ndarray, np.ndarray]:
    """(true, unknown) masks of ``cond`` over every case."""
    if cond.all is not None or cond.any is not None:
        parts = [_tri(c, ctx) for c in (cond.all if cond.all is not None else cond.any) or ()]
        true = np.array([p[0] for p in parts]).reshape(len(parts), ctx.n)
        unknown = np.array([p[1] for p in parts]).reshape(len(parts), ctx.n)
        if cond.all is not None:
            false = (~true & ~unknown).any(axis=0)
            return np.asarray(true.all(axis=0)), np.asarray(~false & unknown.any(axis=0))
        any_true = np.asarray(true.any(axis=0))
        return any_true, np.asarray(~any_true & unknown.any(axis=0))
    value = conditions.evaluate(cond, ctx)
    if (cond.in_ is None and cond.not_in is None) or cond.field is None or not ctx.has(cond.field):
        return value, np.zeros(ctx.n, dtype=bool)
    # Every case has an area, so a blank one is unknown too (for other codes blank is "none yet").
    unknown = ~ctx.present(cond.field) if cond.field == "area" else ctx.is_invalid(cond.field)
    return value & ~unknown, unknown


def undecided(cond: Condition | None, ctx: CaseContext) -> np.ndarray:
    """True for each case whose ``cond`` cannot be decided (an unreadable code decides it)."""
    if cond is None:
        return np.zeros(ctx.n, dtype=bool)
    return _tri(cond, ctx)[1]


def _full_status(out: RuleOutput, n: int) -> np.ndarray:
    if out.rows is None:
        return out.status
    status = np.full(n, NA, dtype=np.int8)
    status[out.rows] = out.status
    return status


def with_undecided(spec: Any, kind: Any, ctx: CaseContext, scope: np.ndarray, out: RuleOutput,
                   area_unknown: np.ndarray | None = None) -> RuleOutput:
    """``out`` with the cases whose condition cannot be decided as ``missing_data`` (see the
    module docstring); ``out`` itself when there are none.

    ``area_unknown``: cases outside ``scope`` only because their area could not be read (a
    rule of one area): undecided too, unless the rule's condition is decidedly false."""
    true, unknown = ((np.ones(ctx.n, dtype=bool), np.zeros(ctx.n, dtype=bool)) if spec.applies_when is None
                     else _tri(spec.applies_when, ctx))
    open_cases = scope & unknown
    if area_unknown is not None:
        open_cases |= area_unknown & (true | unknown)
    if not open_cases.any():
        return out
    would = _full_status(kind.evaluate(replace(spec, applies_when=None), ctx, open_cases), ctx.n)
    # Whatever the verdict would be (pass included), it rests on a condition nobody can decide.
    flip = open_cases & (would != NA)
    if not flip.any():
        return out
    new_status = np.where(flip, MISSING if "missing_data" in kind.statuses else would, NA).astype(np.int8)
    return _merge(out, np.flatnonzero(flip), new_status, ctx.n)


_BLANKS = {"start": np.datetime64("NaT", "D"), "end": np.datetime64("NaT", "D"),
           "deadline": np.datetime64("NaT", "D"), "moved_from": np.datetime64("NaT", "D"),
           "days": np.nan, "days_over": np.nan, "reference_date": np.datetime64("NaT", "D")}


def _full(values: np.ndarray | None, rows: np.ndarray | None, n: int, blank: Any) -> np.ndarray | None:
    """``values`` for every case (a copy): as they are, or spread from ``rows`` with ``blank``."""
    if values is None:
        return None
    if rows is None:
        return values.copy()
    full = np.full(n, blank, dtype=values.dtype)
    full[rows] = values
    return full


def _merge(out: RuleOutput, cases: np.ndarray, status: np.ndarray, n: int) -> RuleOutput:
    """``out`` with ``cases`` given ``status[cases]`` and the note "unreadable code", without
    the dates and days of any verdict they had (it rested on the undecidable condition)."""
    new_status = np.full(n, NA, dtype=np.int8) if out.rows is not None else out.status.copy()
    new_notes = np.zeros(n, dtype=out.notes.dtype) if out.rows is not None else out.notes.copy()
    if out.rows is not None:
        new_status[out.rows], new_notes[out.rows] = out.status, out.notes
    new_status[cases], new_notes[cases] = status[cases], Note.FIELD_INVALID
    full: dict[str, Any] = {"status": new_status, "notes": new_notes}
    for name, blank in _BLANKS.items():
        values = _full(getattr(out, name), out.rows, n, blank)
        if values is not None and name != "reference_date":  # the law cited still follows its date
            values[cases] = blank
        full[name] = values
    if out.rows is None:
        return replace(out, **full)
    rows = np.union1d(out.rows, cases)
    taken: dict[str, Any] = {name: None if values is None else values[rows] for name, values in full.items()}
    return replace(out, rows=rows, **taken)


__all__ = ["undecided", "with_undecided"]
