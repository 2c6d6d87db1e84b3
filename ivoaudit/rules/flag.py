"""Kind ``flag``: a pattern that needs a human look.

Pattern ``reopened_within``: among cases of the same pseudonymised person (``by``), sorted by
start, a case whose start lies 0..``days`` days after the latest end of an earlier case is
``needs_review`` (the later case carries the flag). Every other applicable case is
``pass``: the pattern was looked for and not found.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import field_validator

from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import NA, PASS, REVIEW, CaseContext, Note, RuleOutput
from ivoaudit.rules.deadline import Fallback, start_dates
from ivoaudit.rules.params import Params, check_field

_NEVER = np.iinfo(np.int64).min


class FlagParams(Params):
    pattern: Literal["reopened_within"]
    by: str = "person_id"
    start: str
    end: str
    days: int
    start_fallback: Fallback | None = None

    _by = field_validator("by")(lambda v: check_field(v))
    _dates = field_validator("start", "end")(lambda v: check_field(v, FieldType.DATE))


def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Sort by (person, start); compare each start with the running max of earlier ends."""
    p: FlagParams = spec.params
    n = ctx.n
    applies = scope & conditions.evaluate(spec.applies_when, ctx) & ctx.present(p.by)
    status = np.where(applies, PASS, NA).astype(np.int8)
    notes = np.zeros(n, dtype=np.int64)
    start, _, _ = start_dates(p, ctx)
    end = ctx.date(p.end)
    gap = np.full(n, np.nan)
    cand = np.flatnonzero(applies & ~np.isnat(start))
    if len(cand):
        # Only the candidates, straight from the (Arrow-backed) column: turning a million
        # strings into Python objects first took longer than the rest of the rule.
        person = pd.factorize(ctx.cases[p.by].take(cand))[0]
        s = start[cand].astype(np.int64)
        e = np.where(np.isnat(end[cand]), _NEVER, end[cand].astype(np.int64))
        order = np.lexsort((cand, s, person))
        person, s, e, idx = person[order], s[order], e[order], cand[order]
        running = pd.Series(e).groupby(person).cummax().to_numpy()
        prev_end = np.full(len(idx), _NEVER)
        same = np.r_[False, person[1:] == person[:-1]]
        prev_end[1:] = running[:-1]
        prev_end[~same] = _NEVER
        known = prev_end != _NEVER
        diff = np.where(known, s - np.where(known, prev_end, 0), -1)
        hit = known & (diff >= 0) & (diff <= p.days)
        status[idx[hit]] = REVIEW
        notes[idx[hit]] |= Note.REOPENED
        gap[idx[hit]] = diff[hit]
    return RuleOutput(status=status, notes=notes, start=start, end=end, days=gap)
