"""Declarative conditions (``applies_when``, ``due_when``, fallback conditions).

A condition is data, never code: ``{field: F, in: [..]}``, ``{field: F, not_in: [..]}``,
``{field: F, present: true}``, ``{field: F, absent: true}``, ``{all: [..]}``, ``{any: [..]}``.
``present`` means the column exists and the cell holds a readable value; ``absent`` is its
opposite (column missing, blank or unreadable cell). ``not_in`` is true for blank cells.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ivoaudit.fields import FIELDS_BY_NAME, FieldType
from ivoaudit.i18n import t
from ivoaudit.rules.base import CaseContext


class Condition(BaseModel):
    """One declarative condition; exactly one form per condition."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    field: str | None = None
    in_: tuple[str, ...] | None = Field(default=None, alias="in")
    not_in: tuple[str, ...] | None = None
    present: bool | None = None
    absent: bool | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _scalar_to_list(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key in ("in", "not_in"):
                if isinstance(data.get(key), str):
                    data[key] = [data[key]]
        return data

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [k for k in ("in_", "not_in", "present", "absent", "all", "any") if getattr(self, k) is not None]
        if len(forms) != 1:
            raise ValueError(t("ange precis en av in, not_in, present, absent, all, any",
                                 "give exactly one of in, not_in, present, absent, all, any"))
        form = forms[0]
        if form in ("all", "any"):
            if self.field is not None:
                raise ValueError(t("all/any tar inget field", "all/any take no field"))
            return self
        if self.field is None:
            raise ValueError(t("field saknas", "field is required"))
        spec = FIELDS_BY_NAME.get(self.field)
        if spec is None:
            raise ValueError(t("okänt fält '{f}'", "unknown field '{f}'", f=self.field))
        values = self.in_ if form == "in_" else self.not_in
        if values is not None:
            if spec.type is not FieldType.CODE:
                raise ValueError(t("fältet '{f}' har inga koder; använd present/absent",
                                   "field '{f}' has no codes; use present/absent", f=self.field))
            known = {c.casefold(): c for c in spec.codes}
            bad = [v for v in values if str(v).casefold() not in known]
            if bad:
                raise ValueError(t("okänt värde {b} för '{f}'; tillåtna: {ok}",
                                   "unknown value(s) {b} for '{f}'; allowed: {ok}",
                                   b=", ".join(map(repr, bad)), f=self.field, ok=", ".join(spec.codes)))
        return self

    def fields(self) -> set[str]:
        """Every field the condition reads."""
        if self.all or self.any:
            return set().union(*(c.fields() for c in (self.all or self.any or ())))
        return {self.field} if self.field else set()

    def needed(self) -> set[str]:
        """The fields without whose column the condition cannot be decided (rules.md "Rules
        the extract cannot support"): every field it tests, except a field tested for being
        absent, and in an ``any`` a field that another branch tests for being absent (the
        author said what absence means)."""
        if self.all is not None:
            return set().union(*(c.needed() for c in self.all))
        if self.any is not None:
            absent_ok = {c.field for c in self.any if (c.absent or c.present is False) and c.field}
            return set().union(*(c.needed() for c in self.any)) - absent_ok
        if self.absent or self.present is False or self.field is None:
            return set()
        return {self.field}

    def describe(self, lang: str) -> str:
        """A short readable form for docs, e.g. ``preliminary_outcome ∉ {joined}``."""
        if self.all is not None:
            return (" och " if lang == "sv" else " and ").join(c.describe(lang) for c in self.all)
        if self.any is not None:
            joined = (" eller " if lang == "sv" else " or ").join(c.describe(lang) for c in self.any)
            return f"({joined})"
        if self.in_ is not None:
            return f"`{self.field}` ∈ {{{', '.join(self.in_)}}}"
        if self.not_in is not None:
            return f"`{self.field}` ∉ {{{', '.join(self.not_in)}}}"
        if self.present:
            return f"`{self.field}` " + ("ifyllt" if lang == "sv" else "set")
        return f"`{self.field}` " + ("saknas" if lang == "sv" else "absent")


def evaluate(cond: Condition | None, ctx: CaseContext) -> np.ndarray:
    """Boolean mask over all cases (None = always true)."""
    if cond is None:
        return np.ones(ctx.n, dtype=bool)
    if cond.all is not None:
        out = np.ones(ctx.n, dtype=bool)
        for c in cond.all:
            out &= evaluate(c, ctx)
        return out
    if cond.any is not None:
        out = np.zeros(ctx.n, dtype=bool)
        for c in cond.any:
            out |= evaluate(c, ctx)
        return out
    assert cond.field is not None
    if cond.present is not None:
        return ctx.present(cond.field) if cond.present else ~ctx.present(cond.field)
    if cond.absent is not None:
        return ~ctx.present(cond.field) if cond.absent else ctx.present(cond.field)
    if cond.in_ is not None:
        return ctx.isin(cond.field, cond.in_)
    return ~ctx.isin(cond.field, cond.not_in or ())
