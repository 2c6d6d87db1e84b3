"""The council statistics of a quarter's list (SoL 34 kap. 3 §, LSS 28 h §): plain counts.

How many decisions are not executed, by kind (not executed / interrupted), legal basis,
women and men, time waited and type of intervention. Every dimension sums to the total,
so the statistics always agree with the list. Suppression for the public report is the
report layer's (:mod:`ivoaudit.report.unexecuted_council`); nothing here is hidden.

Time waited is counted in calendar months from the decision (or interruption) to the
quarter's last day, like the three-month deadline itself: ``3-6`` up to and including six
months, ``6-12`` more than six and up to twelve, ``12+`` more than twelve.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np

WAITED = ("3-6", "6-12", "12+")
DIMENSIONS = ("kind", "legal_basis", "sex", "waited", "intervention_type")
# Keys always shown (as 0 when none), in this order; other keys follow, unknown (None) last.
_FIXED: dict[str, tuple[str, ...]] = {
    "kind": ("not_executed", "interrupted"),
    "legal_basis": ("SoL", "LSS"),
    "sex": ("F", "M"),
    "waited": WAITED,
    "intervention_type": (),
}


class Countable(Protocol):
    """What is counted of a listed decision (a ``ListedDecision`` or a stored entry)."""

    @property
    def kind(self) -> str: ...

    @property
    def legal_basis(self) -> str | None: ...

    @property
    def sex(self) -> str | None: ...

    @property
    def waited(self) -> str | None: ...

    @property
    def intervention_type(self) -> str | None: ...


@dataclass(frozen=True)
class QuarterStatistics:
    """Counts per dimension; every dimension's counts sum to ``total``."""

    total: int
    counts: dict[str, dict[str | None, int]]  # dimension -> key (None = not known) -> count

    def keys(self, dimension: str) -> list[str | None]:
        """The dimension's keys in display order."""
        return list(self.counts[dimension])

    def get(self, dimension: str, key: str | None) -> int:
        """The count of ``key`` (0 when absent)."""
        return self.counts[dimension].get(key, 0)


def waited_bucket(start: date, as_of: date) -> str:
    """``3-6``, ``6-12`` or ``12+``: calendar months from ``start`` to ``as_of``."""
    return waited_buckets(np.array([start], dtype="datetime64[D]"), as_of)[0]


def waited_buckets(starts: np.ndarray, as_of: date) -> list[str]:
    """:func:`waited_bucket` of every date of a ``datetime64[D]`` array at once."""
    from ivoaudit.rules.calendar import add_months

    day = np.datetime64(as_of, "D")
    over_12 = day > add_months(starts, 12)
    over_6 = day > add_months(starts, 6)
    return np.where(over_12, "12+", np.where(over_6, "6-12", "3-6")).tolist()


def count_listed(items: Iterable[Countable]) -> QuarterStatistics:
    """The statistics of the listed decisions ``items``."""
    items = list(items)
    counts: dict[str, dict[str | None, int]] = {}
    for dim in DIMENSIONS:
        found = Counter(getattr(item, dim) or None for item in items)
        fixed = _FIXED[dim]
        others = sorted((k for k in found if k is not None and k not in fixed),
                        key=lambda k: (-found[k], str(k)) if dim == "intervention_type" else (0, str(k)))
        ordered: dict[str | None, int] = {k: found.get(k, 0) for k in fixed}
        ordered.update({k: found[k] for k in others})
        if found.get(None):
            ordered[None] = found[None]
        counts[dim] = ordered
    return QuarterStatistics(total=len(items), counts=counts)


__all__ = ["DIMENSIONS", "WAITED", "Countable", "QuarterStatistics", "count_listed", "waited_bucket",
           "waited_buckets"]
