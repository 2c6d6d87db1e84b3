"""An audit round in the store as a report source (``ivoaudit report --round NAME``).

Reads the round's sampled cases, automatic results and current review answers through
``ivoaudit.store``'s repository. A manual question answered "yes" counts as ``pass``,
"no" as ``fail`` and "not applicable" as ``not_applicable``; unanswered stays
``needs_review``. Earlier rounds give the trend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.report.source import (
    CASES_COLUMNS,
    PROBLEMS_COLUMNS,
    QUARANTINE_COLUMNS,
    RESULTS_COLUMNS,
    RoundPoint,
)

ANSWER_STATUS = {"yes": "pass", "no": "fail", "not_applicable": "not_applicable"}


def _merge_answers(results: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Results with review answers applied (answers win over ``needs_review``)."""
    results = results.copy()
    if answers is None or answers.empty:
        return results
    answered = {(str(a.case_id), str(a.rule_id)): ANSWER_STATUS.get(str(a.answer))
                for a in answers.itertuples(index=False)}
    keys = list(zip(results["case_id"].astype(str), results["rule_id"].astype(str), strict=True))
    new_status = [answered.get(k) or s for k, s in zip(keys, results["status"], strict=True)]
    results["status"] = new_status
    present = set(keys)
    missing = [k for k in answered if k not in present and answered[k]]
    if missing:
        extra = pd.DataFrame([{"case_id": c, "rule_id": r, "status": answered[(c, r)]} for c, r in missing])
        results = pd.concat([results, extra], ignore_index=True)
    return results


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
        return _merge_answers(self.store.auto_results(name), self.store.current_answers(name))

    def results(self) -> pd.DataFrame:
        frame = self._results_of(self.name)
        for c in RESULTS_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame

    def summary(self) -> pd.DataFrame | None:
        return None

    def cases(self) -> pd.DataFrame:
        frame = self.store.sampled_cases(self.name)
        for c in CASES_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame[CASES_COLUMNS]

    def problems(self) -> pd.DataFrame:
        return pd.DataFrame(columns=PROBLEMS_COLUMNS)

    def quarantine(self) -> pd.DataFrame:
        return pd.DataFrame(columns=QUARANTINE_COLUMNS)

    def meta(self) -> dict[str, Any]:
        return {"as_of": self.info.as_of or "", "tool_version": self.info.tool_version or "",
                "extract_fingerprint": self.info.extract_fingerprint or "",
                "extract_rows": "", "checklists": {}, "language": self.info.language}

    def sampling_record(self) -> dict[str, Any] | None:
        if not self.info.records:
            return None
        out: dict[str, Any] = {}
        for i, record in enumerate(self.info.records):
            prefix = "" if i == 0 else f"{t('utökning', 'extension')} {i}: "
            for key, value in record.items():
                out[f"{prefix}{key}"] = value
        return out

    def rounds(self) -> list[RoundPoint]:
        points = []
        for info in self.store.list_rounds():
            res = self._results_of(info.name)
            counted = res[res["status"].isin(("pass", "fail", "overdue"))]
            grouped = counted.groupby("rule_id")["status"]
            counts = {str(rid): (int((s == "pass").sum()), int(len(s))) for rid, s in grouped}
            points.append(RoundPoint(info.name, info.as_of or info.created_at[:10], counts))
            if info.name == self.name:
                break  # later rounds do not belong in this round's report
        return points
