"""Kind ``documented``: a yes/no/reason field (or a date: set = yes) shows it was done, or why not."""

from __future__ import annotations

import numpy as np
from pydantic import field_validator

from ivoaudit.fields import FIELDS_BY_NAME, FieldType
from ivoaudit.i18n import t
from ivoaudit.rules import conditions
from ivoaudit.rules.base import (
    FAIL,
    MISSING,
    PASS,
    PENDING,
    REVIEW,
    CaseContext,
    Note,
    RuleOutput,
)
from ivoaudit.rules.params import Params, check_field, field_text
from ivoaudit.rules.registry import rule_kind


class DocumentedParams(Params):
    field: str
    due_when: conditions.Condition | None = None  # before it holds, blank is pending
    reference_date: str | None = None  # picks old/new law; default: the check date

    @field_validator("field")
    @classmethod
    def _field(cls, v: str) -> str:
        check_field(v, FieldType.CODE, FieldType.DATE)
        spec = FIELDS_BY_NAME[v]
        if spec.type is FieldType.CODE and "yes" not in spec.codes:
            raise ValueError(t("fältet '{f}' är inte ett ja/nej-fält", "field '{f}' is not a yes/no field", f=v))
        return v

    _ref = field_validator("reference_date")(lambda v: check_field(v, FieldType.DATE))


def describe(rule, lang: str) -> str:
    """What a documented rule counts, for the docs."""
    p: DocumentedParams = rule.params
    sv = lang != "en"
    text = field_text(p.field, lang)
    if p.due_when:
        text += ("; tomt är brist när " if sv else "; blank fails once ") + p.due_when.describe(lang) + \
            (", annars pågår" if sv else ", pending before")
    else:
        text += "; tomt är brist" if sv else "; blank fails"
    return text


@rule_kind("documented", params=DocumentedParams, label=("dokumentation", "documented"), describe=describe,
           statuses=("pass", "fail", "pending", "missing_data", "needs_review"),
           notes=(Note.FIELD_INVALID, Note.REASON, Note.FIELD_ABSENT, Note.END_INVALID))
def evaluate(spec, ctx: CaseContext, scope: np.ndarray) -> RuleOutput:
    """yes / a date → pass; reason → pass with note; no → fail; blank → fail or pending.

    Works on the applicable cases only (``RuleOutput.rows``).
    """
    p: DocumentedParams = spec.params
    rows = np.flatnonzero(scope & conditions.evaluate(spec.applies_when, ctx))
    m = len(rows)
    notes = np.zeros(m, dtype=np.int64)
    end = None
    if not ctx.has(p.field):
        # The extract cannot tell: the item becomes a question for the reviewer.
        status = np.full(m, REVIEW, dtype=np.int8)
        notes[:] = Note.FIELD_ABSENT
    else:
        is_date = FIELDS_BY_NAME[p.field].type is FieldType.DATE
        if p.due_when is not None:
            status = np.where(conditions.evaluate(p.due_when, ctx)[rows], FAIL, PENDING).astype(np.int8)
        else:
            status = np.full(m, FAIL, dtype=np.int8)
        if is_date:
            end = ctx.date(p.field, rows)
            status[ctx.present(p.field)[rows]] = PASS
        else:
            status[ctx.isin(p.field, ("yes",))[rows]] = PASS
            reason = ctx.isin(p.field, ("reason",))[rows]
            status[reason] = PASS
            notes[reason] |= Note.REASON
            status[ctx.isin(p.field, ("no",))[rows]] = FAIL
        bad = ctx.is_invalid(p.field)[rows]
        status[bad] = MISSING
        notes[bad] |= Note.END_INVALID
    ref = ctx.date(p.reference_date, rows) if p.reference_date else None
    return RuleOutput(status=status, notes=notes, end=end, reference_date=ref, rows=rows)
