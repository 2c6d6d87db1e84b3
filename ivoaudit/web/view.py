"""Helpers the templates call: the library's own words and number formats, nothing new.

Status words come from :mod:`ivoaudit.wording`, percentages, counts, traffic lights and
area names from :mod:`ivoaudit.report.labels` and :mod:`ivoaudit.report.targets`, so a page
says what the reports say.
"""

from __future__ import annotations

import math
from typing import Any

from ivoaudit.report.labels import area_label, basis_label, count, light_label, pct
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


TEMPLATE_HELPERS = {
    "status_word": status_word,
    "status_words": STATUS_WORDS,
    "percent": percent,
    "number": number,
    "size": size,
    "light_label": light_label,
    "area_label": area_label,
    "basis_label": basis_label,
}
