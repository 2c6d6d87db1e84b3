"""Checklist errors in the user's words: pydantic's errors as Swedish or English sentences.

Every error names the file, the rule id and the key (the dotted path inside the rule), and says
what to do. The error types a checklist can raise are translated here; a type not listed falls
back to "ogiltigt värde" with the value given.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ivoaudit.errors import ChecklistError
from ivoaudit.i18n import t


def checklist_error(file: str, rule: str | None, key: str | None, problem: str) -> ChecklistError:
    """An error the user fixes in a checklist: file, rule id and key, in the current language."""
    return ChecklistError(t(
        "Checklistan {f}: regel {r}: nyckeln '{k}': {p}. Rätta filen och kör igen.",
        "Checklist {f}: rule {r}: key '{k}': {p}. Fix the file and run again.",
        f=file, r=rule or "–", k=key or "–", p=problem))


def _key_of(loc: tuple[Any, ...]) -> str:
    parts = [str(x) for x in loc if not isinstance(x, int)]
    return ".".join(parts) if parts else "–"


# pydantic's error types in the user's language ({v}: the value given, shortened; the other
# names come from the error's context). A type not listed falls back to "ogiltigt värde".
_PYDANTIC_TEXTS: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("okänd nyckel", "unknown key"),
    "missing": ("saknas", "missing"),
    "int_parsing": ("ska vara ett heltal, inte {v}", "must be a whole number, not {v}"),
    "int_type": ("ska vara ett heltal, inte {v}", "must be a whole number, not {v}"),
    "int_from_float": ("ska vara ett heltal, inte {v}", "must be a whole number, not {v}"),
    "float_parsing": ("ska vara ett tal, inte {v}", "must be a number, not {v}"),
    "float_type": ("ska vara ett tal, inte {v}", "must be a number, not {v}"),
    "bool_parsing": ("ska vara true eller false, inte {v}", "must be true or false, not {v}"),
    "bool_type": ("ska vara true eller false, inte {v}", "must be true or false, not {v}"),
    "string_type": ("ska vara en text, inte {v}", "must be a text, not {v}"),
    "string_too_short": ("får inte vara tom", "must not be empty"),
    "string_pattern_mismatch": ("{v} har fel form", "{v} has the wrong form"),
    "greater_than_equal": ("ska vara minst {ge}, inte {v}", "must be at least {ge}, not {v}"),
    "greater_than": ("ska vara större än {gt}, inte {v}", "must be greater than {gt}, not {v}"),
    "less_than_equal": ("får vara högst {le}, inte {v}", "must be at most {le}, not {v}"),
    "less_than": ("ska vara mindre än {lt}, inte {v}", "must be less than {lt}, not {v}"),
    "dict_type": ("ska vara en mappning (nyckel: värde), inte {v}", "must be a mapping (key: value), not {v}"),
    "model_type": ("ska vara en mappning (nyckel: värde), inte {v}", "must be a mapping (key: value), not {v}"),
    "model_attributes_type": ("ska vara en mappning (nyckel: värde), inte {v}",
                              "must be a mapping (key: value), not {v}"),
    "list_type": ("ska vara en lista, inte {v}", "must be a list, not {v}"),
    "tuple_type": ("ska vara en lista, inte {v}", "must be a list, not {v}"),
    "literal_error": ("ogiltigt värde {v} (tillåtna: {expected})", "invalid value {v} (allowed: {expected})"),
}
_RULE_ID_FORM = (" (ett regel-id skrivs med versaler, siffror och bindestreck, till exempel LOK-BESLUT-14D)",
                 " (a rule id is written in capitals, digits and hyphens, for example LOK-BESLUT-14D)")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _validation_text(err: Any, loc: tuple[Any, ...]) -> str:
    """One pydantic error as a sentence in the current language."""
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):  # our validators: already in the user's language
        return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    ctx = dict(err.get("ctx") or {})
    if "expected" in ctx:  # "'law', 'practice' or 'local'"
        ctx["expected"] = t(str(ctx["expected"]).replace(" or ", " eller "), str(ctx["expected"]))
    texts = _PYDANTIC_TEXTS.get(kind)
    if texts is None:
        return t("ogiltigt värde {v}", "invalid value {v} ({m})", v=_shown(err.get("input")), m=err["msg"])
    try:
        text = t(*texts, v=_shown(err.get("input")), **ctx)
    except (KeyError, IndexError):
        text = t("ogiltigt värde {v}", "invalid value {v}", v=_shown(err.get("input")))
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        text += t(*_RULE_ID_FORM)
    return text


def raise_validation(file: str, rule: str | None, exc: ValidationError, prefix: tuple = ()) -> None:
    """Raise pydantic's first error as a :func:`checklist_error` (``prefix``: the keys above the model)."""
    err = exc.errors()[0]
    loc = prefix + tuple(err["loc"])
    raise checklist_error(file, rule, _key_of(loc), _validation_text(err, loc))
