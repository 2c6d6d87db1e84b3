"""Helpers the templates call: the library's own words and number formats, nothing new.

Status words come from :mod:`ivoaudit.wording`, percentages, counts, traffic lights and
area names from :mod:`ivoaudit.report.labels` and :mod:`ivoaudit.report.targets`, so a page
says what the reports say.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from ivoaudit.i18n import get_language, use_language
from ivoaudit.report.labels import area_label, basis_label, count, light_label, pct
from ivoaudit.tracking.words import ACTION_STATUS, DECISION_STATUS, VERDICT, change_text, word
from ivoaudit.wording import STATUS_WORDS, status_word


def _number(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def percent(value: Any) -> str:
    """A share (0–1) as the reports write it; '–' when there is none."""
    value = _number(value)
    return pct(None if value is None else float(value))


def number(value: Any) -> str:
    value = _number(value)
    return "–" if value is None else count(int(value))


def size(n_bytes: int) -> str:
    if n_bytes < 1024 * 1024:
        return f"{max(1, round(n_bytes / 1024))} kB"
    return f"{n_bytes / 2**20:.1f} MB".replace(".", ",")


def in_both(make: Any) -> dict[str, str]:
    """``make()`` (a text the library words) in Swedish and in English, for a record whose
    label is shown later in whichever language the page is in."""
    out = {}
    for lang in ("sv", "en"):
        with use_language(lang):
            out[lang] = str(make())
    return out


def label_of(record: dict[str, Any], key: str = "label") -> str:
    """A record's label in the page's language (records kept before both were: as written)."""
    both = record.get(key + "s") or {}
    return str(both.get(get_language()) or record.get(key) or "")


def rule_title(rule_id: str, written: str) -> str:
    """A shipped rule's title in the page's language; a check folder holds the title in the
    language the check ran in. A rule the shipped checklists do not have (or whose title
    differs: the user's own checklist) keeps the written one."""
    from ivoaudit.tracking.rules import shipped_rules

    info = shipped_rules().get(rule_id)
    if info is None or written not in ("", info.title_sv, info.title_en):
        return written
    return info.title(get_language())


@functools.cache
def _shipped_specs() -> dict[str, Any]:
    from ivoaudit.checklist import load_checklists

    return {str(r.id): r for r in load_checklists().rules}


def rule_period(rule_id: str, written: str) -> str:
    """A shipped rule's time limit as the check describes it, in the page's language (the
    check folder holds it in the language the check ran in); anything else as written."""
    describe = getattr(getattr(_shipped_specs().get(rule_id), "params", None), "describe", None)
    if describe is None or written not in (describe("sv"), describe("en")):
        return written
    return str(describe(get_language()))


TEMPLATE_HELPERS = {
    "status_word": status_word,
    "status_words": STATUS_WORDS,
    "percent": percent,
    "number": number,
    "size": size,
    "light_label": light_label,
    "area_label": area_label,
    "basis_label": basis_label,
    "word": word,
    "action_status": ACTION_STATUS,
    "decision_status": DECISION_STATUS,
    "verdict": VERDICT,
    "change_text": change_text,
    "label_of": label_of,
    "rule_title": rule_title,
    "rule_period": rule_period,
}
