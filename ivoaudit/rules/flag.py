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
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import field_validator

from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import MISSING, PASS, REVIEW, CaseContext, Note, RuleOutput, arrow_text
from ivoaudit.rules.deadline import Fallback, start_dates, start_fields
from ivoaudit.rules.params import Params, check_field, field_text
from ivoaudit.rules.registry import rule_kind

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


def describe(rule, lang: str) -> str:
    """What a flag rule looks for, for the docs."""
    p: FlagParams = rule.params
    if lang == "en":
        return (f"by `{p.by}`: {field_text(p.start, lang)} within {p.days} days of "
                f"{field_text(p.end, lang)} of an earlier case")
    return (f"per `{p.by}`: {field_text(p.start, lang)} inom {p.days} dagar efter "
            f"{field_text(p.end, lang)} i ett tidigare ärende")


def needs(rule) -> tuple[tuple[str, ...], ...]:
    return ((rule.params.by,), start_fields(rule.params))


@rule_kind("flag", params=FlagParams, label=("flagga", "flag"), describe=describe, needs=needs,
           statuses=("pass", "needs_review", "missing_data"), notes=(Note.FIELD_INVALID, Note.REOPENED, Note.PERSON_UNKNOWN))
def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Sort by (person, start); compare each start with the running max of earlier ends.

    Works on the applicable cases only (``RuleOutput.rows``).
    """
    p: FlagParams = spec.params
    rows = np.flatnonzero(scope & conditions.evaluate(spec.applies_when, ctx))
    m = len(rows)
    status = np.full(m, PASS, dtype=np.int8)
    notes = np.zeros(m, dtype=np.int64)
    # A blank or invalid identity number (the loader blanks an invalid one and lists it in
    # problems.csv): the case cannot be compared, which is missing data, never "not applicable".
    known_person = ctx.present(p.by)[rows]
    status[~known_person] = MISSING
    notes[~known_person] |= Note.PERSON_UNKNOWN
    start, _, _ = start_dates(p, ctx, rows)
    end = ctx.date(p.end, rows)
    gap = np.full(m, np.nan)
    cand = np.flatnonzero(~np.isnat(start) & known_person)  # positions in rows
    if len(cand):
        person = _group_codes(ctx.cases[p.by], rows[cand])
        s = start[cand].view(np.int64)
        e = end[cand].view(np.int64)  # NaT is the smallest int64: _NEVER
        order = _person_then_start(person, s)
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
    return RuleOutput(status=status, notes=notes, start=start, end=end, days=gap, rows=rows)


def _group_codes(values: pd.Series, cases: np.ndarray) -> np.ndarray:
    """Equal codes for equal values of ``values`` at ``cases`` (blanks are not among them).

    Only the candidates, straight from the (Arrow-backed) column: turning a million
    strings into Python objects first took longer than the rest of the rule.
    """
    arr = arrow_text(values)
    if arr is not None:
        return pc.dictionary_encode(arr.take(pa.array(cases))).indices.to_numpy()
    return pd.factorize(values.take(cases))[0]


def _person_then_start(person: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort((positions, start, person))`` for ascending positions.

    One stable sort of a combined key when it fits in an int64: several times faster
    than a three-key lexsort, and ties keep their (ascending) positions.
    """
    lo = int(start.min())
    span = int(start.max()) - lo + 1
    groups = int(person.max()) + 1
    if groups * span < 1 << 62:
        return np.argsort(person.astype(np.int64) * span + (start - lo), kind="stable")
    return np.lexsort((np.arange(len(person)), start, person))
