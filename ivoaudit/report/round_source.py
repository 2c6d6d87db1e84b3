"""An audit round in the store as a report source (``ivoaudit report --round NAME``).

Reads the round's sampled cases, automatic results and current review answers through
``ivoaudit.store``'s repository; answers turn ``needs_review`` results into statuses by
``ivoaudit.review.overview.combined_results`` (the same merge ``rounds show`` uses). Earlier rounds give
the trend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.report.source import ReportSource, RoundPoint
from ivoaudit.report.trend import checklist_key, population_key
from ivoaudit.review.overview import combined_results, review_flags
from ivoaudit.schema import (
    CASE_COLUMNS,
    COUNTED,
    PROBLEM_COLUMNS,
    QUARANTINE_COLUMNS,
    RESULT_COLUMNS,
    empty_frame,
)


class StoreRoundSource:
    """One round of the audit store; ``is_sample`` is True (Wilson intervals are shown)."""

    is_sample = True

    def __init__(self, name: str, db: str | Path | None = None):
        try:
            from ivoaudit.store.repository import Store
        except ImportError as exc:  # the store is optional for reports from a results folder
            raise InputError(t("Granskningsdatabasen finns inte i den här versionen. Använd --results MAPP.",
                               "The audit store is not available in this version. Use --results DIR.")) from exc
        self.store = Store(db)
        self.info = self.store.get_round(name)
        self.name = name
        self.label = name

    def _results_of(self, name: str) -> pd.DataFrame:
        return combined_results(self.store, name)

    def results(self) -> pd.DataFrame:
        frame = self._results_of(self.name)
        for c in RESULT_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame

    def summary(self) -> pd.DataFrame | None:
        return None

    def cases(self) -> pd.DataFrame:
        frame = self.store.sampled_cases(self.name)
        for c in CASE_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame[list(CASE_COLUMNS)]

    def problems(self) -> pd.DataFrame:
        return empty_frame(PROBLEM_COLUMNS)

    def quarantine(self) -> pd.DataFrame:
        return empty_frame(QUARANTINE_COLUMNS)

    def meta(self) -> dict[str, Any]:
        return {"as_of": self.info.as_of or "", "tool_version": self.info.tool_version or "",
                "extract_fingerprint": self.info.extract_fingerprint or "",
                "extract_rows": "", "checklists": {}, "language": self.info.language}

    def sampling_record(self) -> dict[str, Any] | None:
        """The first draw's record and its extensions (``records``), for the Method section."""
        if not self.info.records:
            return None
        return {**self.info.records[0], "records": list(self.info.records)}

    def review_flags(self) -> pd.DataFrame:
        """Automatic results the reviewer found wrong against the case file (data quality)."""
        return review_flags(self.store, self.name)

    def comments(self) -> dict[str, str]:
        """The reviewers' current comment per case (internal reports only)."""
        return self.store.current_comments(self.name)

    def rounds(self) -> list[RoundPoint]:
        points = []
        for info in self.store.list_rounds():
            res = self._results_of(info.name)
            counted = res[res["status"].isin(COUNTED)]
            grouped = counted.groupby("rule_id")["status"]
            counts = {str(rid): (int((s == "pass").sum()), int(len(s))) for rid, s in grouped}
            versions = (info.records[0].get("checklists") if info.records else None) or {}
            points.append(RoundPoint(info.name, info.as_of or info.created_at[:10], counts,
                                     checklist_key(versions),
                                     population_key(info.records[0] if info.records else None)))
        return points


def round_source(name: str, db: str | Path | None = None) -> ReportSource:
    """A source for an audit round in the store (``--round NAME``)."""
    return StoreRoundSource(name, db=db)
