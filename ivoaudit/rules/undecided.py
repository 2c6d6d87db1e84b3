"""A rule whose ``applies_when`` cannot be decided for a case is not "not applicable".

A condition tests a code (``decision_outcome ∈ {granted, partly_granted}``); when the case's
cell holds a code that could not be read (an unknown spelling, listed in problems.csv as
``code_unknown``), nobody can say whether the rule applies. Reporting such a case as
``not_applicable`` would drop it from the rule in silence (an extract whose "Beviljat" is not
mapped would show ALL-EJ-VERKST-3M with 0 applicable cases), so it is ``missing_data`` with
the note "ogiltigt värde i villkor", whenever the rule would apply were the condition true
(the kind itself decides that, e.g. a deadline whose start stage has not begun still does
not apply). A kind that cannot give ``missing_data`` (a manual question) keeps its own status:
the reviewer reads the case file.

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
    unknown = ctx.is_invalid(cond.field)
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


def with_undecided(spec: Any, kind: Any, ctx: CaseContext, scope: np.ndarray, out: RuleOutput) -> RuleOutput:
    """``out`` with the cases whose condition cannot be decided as ``missing_data`` (see the
    module docstring); ``out`` itself when there are none."""
    open_cases = scope & undecided(spec.applies_when, ctx)
    if not open_cases.any():
        return out
    would = _full_status(kind.evaluate(replace(spec, applies_when=None), ctx, open_cases), ctx.n)
    flip = open_cases & (would != NA) & (_full_status(out, ctx.n) == NA)
    if not flip.any():
        return out
    new_status = np.where(flip, MISSING if "missing_data" in kind.statuses else would, NA).astype(np.int8)
    return _merge(out, np.flatnonzero(flip), new_status, ctx.n)


def _merge(out: RuleOutput, cases: np.ndarray, status: np.ndarray, n: int) -> RuleOutput:
    """``out`` with ``cases`` (not applicable in it) given ``status[cases]`` and the note."""
    if out.rows is None:
        new = out.status.copy()
        new[cases] = status[cases]
        notes = out.notes.copy()
        notes[cases] = Note.FIELD_INVALID
        return replace(out, status=new, notes=notes)
    rows = np.concatenate([out.rows, cases])
    order = np.argsort(rows, kind="stable")

    def grow(values: np.ndarray | None, blank: Any) -> np.ndarray | None:
        if values is None:
            return None
        extra = np.full(len(cases), blank, dtype=values.dtype)
        return np.concatenate([values, extra])[order]

    nat = np.datetime64("NaT")
    return replace(
        out, rows=rows[order],
        status=np.concatenate([out.status, status[cases]])[order],
        notes=np.concatenate([out.notes, np.full(len(cases), Note.FIELD_INVALID, dtype=out.notes.dtype)])[order],
        start=grow(out.start, nat), end=grow(out.end, nat), deadline=grow(out.deadline, nat),
        days=grow(out.days, np.nan), days_over=grow(out.days_over, np.nan),
        reference_date=grow(out.reference_date, nat), moved_from=grow(out.moved_from, nat))


__all__ = ["undecided", "with_undecided"]
