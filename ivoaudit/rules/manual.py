"""Kind ``manual``: a question for the reviewer (Ja / Nej / Ej aktuellt) — needs_review until answered."""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from ivoaudit.fields import FieldType
from ivoaudit.rules import conditions
from ivoaudit.rules.base import NA, REVIEW, CaseContext, RuleOutput
from ivoaudit.rules.params import Params, check_field


class ManualParams(Params):
    reference_date: str | None = None

    _ref = field_validator("reference_date")(lambda v: check_field(v, FieldType.DATE))


def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """Every applicable case gets ``needs_review``; the question lives on the rule spec."""
    applies = scope & conditions.evaluate(spec.applies_when, ctx)
    status = np.where(applies, REVIEW, NA).astype(np.int8)
    ref = ctx.date(spec.params.reference_date) if spec.params.reference_date else None
    return RuleOutput(status=status, notes=np.zeros(ctx.n, dtype=np.int64), reference_date=ref)
