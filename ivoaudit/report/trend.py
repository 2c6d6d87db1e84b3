"""Which measurements a trend may join: the same rule under the same checklist, in as-of order.

A trend line drawn through rounds of different checklists (a local target changed, a rule
redefined), of different populations (a round of substance-abuse cases beside child-welfare
rounds, an IVO draw of two groups beside a random sample of all cases: the rules for every
area, ALL-*, are measured in each) or in the order rounds happened to be created compares
unlike things. Each :class:`~ivoaudit.report.source.RoundPoint` names the checklist versions
it was measured with and its population (:func:`population_key`); only points with the
current measurement's checklist and population are kept, sorted by their as-of date. The
period a round covers (``--from/--to``) may differ: that is what a trend compares. A rule
that a point did not measure has no value there (its series skips it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ivoaudit.report.source import RoundPoint


def checklist_key(versions: dict[str, Any] | None) -> str:
    """A comparable text for a set of checklist versions, e.g. ``barn_unga 2026.1, aldre 2026.1``."""
    return ", ".join(f"{k} {v}" for k, v in sorted((versions or {}).items()))


def population_key(record: dict[str, Any] | None) -> str:
    """Whom a round's draw measured: ``ivo`` (two groups) or a sample of all cases, the area
    and the deviations-only filter; e.g. ``urval · missbruk``."""
    record = record or {}
    filters = record.get("filters") or {}
    kind = "ivo" if record.get("strategy") == "ivo" else "urval"
    return " · ".join([kind, str(filters.get("area") or "alla"),
                       *(["avvikelser"] if filters.get("only_deviations") else [])])


def comparable_points(points: Iterable[RoundPoint], counts: pd.DataFrame, meta: dict[str, Any],
                      label: str) -> list[RoundPoint]:
    """The points of the trend: comparable to the current measurement, in as-of order.

    Without earlier points the current measurement (``counts``) is the one point.
    """
    points = list(points)
    if not points:
        only = {str(rid): (int(r["pass"]), int(r["pass"] + r["fail"] + r["overdue"]))
                for rid, r in counts.iterrows()}
        return [RoundPoint(label, str(meta.get("as_of", "")), only,
                           checklist_key(meta.get("checklists")))]
    current = next((p for p in points if p.name == label), points[-1])
    kept = [p for p in points if (p.checklist, p.population) == (current.checklist, current.population)
            and (p.date or "") <= (current.date or "")]
    return sorted(kept, key=lambda p: (p.date or "", p.name))
