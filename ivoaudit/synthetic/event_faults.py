"""Messy mode, events table: rows the rules cannot use, put in on purpose and recorded.

Appended after the real review events (so the rows before keep their numbers), from a random
stream of their own (so the rest of the set is byte for byte what it was without them):

* a review event with a date that does not exist (``2026-02-30``) for a placed child whose
  reviews are otherwise complete: listed as ``event_date``; BU-OVERVAG-6M of that case was
  ``pass`` and becomes ``missing_data`` (rules.md: a review event of the case with an invalid
  date hides a possible gap), any other status stays;
* an event of a type the mapping does not know (``Hembesök``): listed as ``event_type``;
* a review event for a case id the case extract does not have: ``event_case_unknown``;
* a review event for a case whose rows are quarantined as conflicting duplicates (and the
  real events such cases already have): ``event_case_unknown``;
* (CSV) a blank line of delimiters: ``event_not_loaded``.

Each is one row of ``event_faults.csv``: ``row, case_id, column, fault, code`` (row as the
user sees it, header = 1; ``code`` the problems.csv code expected for it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivoaudit.synthetic.systems import System
from ivoaudit.synthetic.truth import S, Truth

RULE = "BU-OVERVAG-6M"
UNKNOWN_TYPE = "Hembesök"
PER_KIND = 2
FAULT_COLUMNS = ("row", "case_id", "column", "fault", "code")


def _impossible(year: int) -> str:
    return f"{year}-02-30"


def inject_event_faults(seed: int, events: pd.DataFrame, case_ids: np.ndarray, keep: np.ndarray,
                        truth: Truth, sysdef: System) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the events with faulty rows appended, the event faults); ``truth`` adjusted."""
    rng = np.random.default_rng([seed, 13])
    cols = sysdef.event_columns
    review = sysdef.event_values["review"][0]
    ids = case_ids.astype(str)
    status = truth.status[RULE]
    added: list[dict[str, object]] = []
    faults: list[tuple[str, str, str, str]] = []

    def add(case: str, day: object, kind: object, column: str, fault: str, code: str) -> None:
        added.append({cols["case_id"]: case, cols["event_date"]: day, cols["event_type"]: kind})
        faults.append((case, column, fault, code))

    reviewed = np.flatnonzero(keep & (status >= 0) & (status != S["not_applicable"]))
    for i in _pick(rng, reviewed):
        add(ids[i], _impossible(2026), review, cols["event_date"], "review event with a date that does not exist",
            "event_date")
        if status[i] == S["pass"]:
            one = np.zeros(len(ids), dtype=bool)
            one[i] = True
            truth.set(RULE, one, "missing_data", "a review event of the case has a date that does not exist")
    day = _a_date(events, cols["event_date"])
    for i in _pick(rng, np.flatnonzero(keep)):
        add(ids[i], day, UNKNOWN_TYPE, cols["event_type"], "event type the mapping does not know", "event_type")
    for k in range(PER_KIND):
        add(_absent_id(ids, k, sysdef), day, review, cols["case_id"], "case not in the case extract",
            "event_case_unknown")
    gone = np.flatnonzero(~keep)
    for i in _pick(rng, gone, 1):
        add(ids[i], day, review, cols["case_id"], "case quarantined (conflicting duplicates)", "event_case_unknown")
    start = len(events) + 2
    rows = [(start + j, *f) for j, f in enumerate(faults)]
    out = pd.concat([events, pd.DataFrame(added, columns=events.columns)], ignore_index=True)
    if sysdef.format == "csv":
        out.loc[len(out)] = [""] * len(out.columns)
        rows.append((len(out) + 1, "", "", "blank row", "event_not_loaded"))
    # real events of quarantined cases are listed too
    quarantined = set(ids[gone])
    own = [(n + 2, str(c), cols["case_id"], "case quarantined (conflicting duplicates)", "event_case_unknown")
           for n, c in enumerate(events[cols["case_id"]].astype(str)) if c in quarantined]
    frame = pd.DataFrame(sorted(own + rows), columns=list(FAULT_COLUMNS))
    return out, frame


def _pick(rng: np.random.Generator, candidates: np.ndarray, k: int = PER_KIND) -> np.ndarray:
    if not len(candidates):
        return candidates
    return np.sort(rng.choice(candidates, size=min(k, len(candidates)), replace=False))


def _a_date(events: pd.DataFrame, column: str) -> object:
    """A real date in the events' own form (text in a CSV, a date cell in a workbook)."""
    return events[column].iloc[0] if len(events) else "2026-01-05"


def _absent_id(ids: np.ndarray, k: int, sysdef: System) -> str:
    """A case id in the system's style that the extract does not have."""
    n = len(ids) + 900_000 + k
    case = f"{sysdef.case_prefix}{n:08d}" if sysdef.case_prefix else f"2026-{n:07d}"
    assert case not in set(ids)  # noqa: S101 (the ids run from 1 to the number of cases)
    return case
