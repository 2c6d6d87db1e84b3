"""Kind ``manual``: a question for the reviewer (Ja / Nej / Ej aktuellt) — needs_review until answered."""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import REVIEW, CaseContext, Note, RuleOutput
from ivoaudit.rules.params import Params, check_field
from ivoaudit.rules.registry import rule_kind


class ManualParams(Params):
    reference_date: str | None = None

    _ref = field_validator("reference_date")(lambda v: check_field(v, FieldType.DATE))


def describe(rule, lang: str) -> str:
    """A manual rule is its question."""
    return rule.text("question", lang)


@rule_kind("manual", params=ManualParams, label=("manuell fråga", "manual question"), describe=describe,
           statuses=("needs_review",), notes=(Note.FIELD_INVALID,), texts=("question", "guidance"))
def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Every applicable case gets ``needs_review``; the question lives on the rule spec."""
    rows = np.flatnonzero(scope & conditions.evaluate(spec.applies_when, ctx))
    ref = ctx.date(spec.params.reference_date, rows) if spec.params.reference_date else None
    return RuleOutput(status=np.full(len(rows), REVIEW, dtype=np.int8),
                      notes=np.zeros(len(rows), dtype=np.int64), reference_date=ref, rows=rows)
