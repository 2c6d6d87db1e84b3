"""Read-side views of a round: automatic and manual results combined, per-rule compliance
with its Wilson interval, progress; and a report source for ``ivoaudit report --round``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ivoaudit.sample.stats import wilson_interval
from ivoaudit.store.records import RoundInfo
from ivoaudit.store.repository import Store

ANSWER_STATUS = {"yes": "pass", "no": "fail", "not_applicable": "not_applicable"}
STATUSES = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review", "not_applicable")


def combined_results(store: Store, name: str) -> pd.DataFrame:
    """The round's results with the reviewers' answers applied.

    An answer replaces the ``needs_review`` result of that rule on that case: Ja → pass,
    Nej → fail, Ej aktuellt → not_applicable (the note says it came from the review).
    """
    results = store.auto_results(name).copy()
    answers = store.current_answers(name)
    if answers.empty or results.empty:
        return results
    mapped = {(a.case_id, a.rule_id): ANSWER_STATUS[a.answer] for a in answers.itertuples(index=False)}
    keys = list(zip(results["case_id"], results["rule_id"], strict=True))
    new_status = [mapped.get(k) if s == "needs_review" else None
                  for k, s in zip(keys, results["status"], strict=True)]
    changed = pd.Series([s is not None for s in new_status], index=results.index)
    results.loc[changed, "status"] = [s for s in new_status if s is not None]
    results.loc[changed, "note"] = "manuell granskning"
    return results


def rule_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per rule: counts per status, compliance = pass / (pass + fail + overdue) and its 95 %
    Wilson interval (``ci_low``/``ci_high``, empty when the denominator is 0)."""
    rows = []
    for rule, group in results.groupby("rule_id", sort=True):
        counts = group["status"].value_counts().to_dict()
        row: dict[str, Any] = {"rule_id": rule}
        row["applicable"] = int(len(group) - counts.get("not_applicable", 0))
        for status in STATUSES:
            row[status] = int(counts.get(status, 0))
        denominator = row["pass"] + row["fail"] + row["overdue"]
        row["denominator"] = denominator
        interval = wilson_interval(row["pass"], denominator)
        row["compliance"] = row["pass"] / denominator if denominator else None
        row["ci_low"], row["ci_high"] = interval if interval else (None, None)
        rows.append(row)
    cols = ["rule_id", "applicable", *STATUSES, "denominator", "compliance", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class RoundOverview:
    """What ``rounds show`` prints."""

    info: RoundInfo
    cases: int
    answered: int
    questions: int  # answer cells: (case, rule) pairs waiting for a manual answer
    summary: pd.DataFrame
    imports: list[dict[str, Any]]


def round_overview(store: Store, name: str) -> RoundOverview:
    """Progress and combined per-rule results of a round."""
    info = store.get_round(name)
    auto = store.auto_results(name)
    waiting = set(zip(*(auto.loc[auto["status"] == "needs_review", c] for c in ("case_id", "rule_id")),
                      strict=True))
    answers = store.current_answers(name)
    answered = len(waiting & set(zip(answers["case_id"], answers["rule_id"], strict=True)))
    return RoundOverview(info, len(store.sampled_cases(name)), answered, len(waiting),
                         rule_summary(combined_results(store, name)), store.imports(name))


class StoreRoundSource:
    """An audit round as a report source (the ``ReportSource`` protocol of ivoaudit.report)."""

    is_sample = True

    def __init__(self, store: Store, name: str):
        self.store, self.name = store, name
        self.info = store.get_round(name)
        self.label = name

    def results(self) -> pd.DataFrame:
        return combined_results(self.store, self.name)

    def summary(self) -> pd.DataFrame | None:
        return None

    def cases(self) -> pd.DataFrame:
        cols = ["case_id", "area", "unit", "caseworker", "sex", "age_group", "received_date"]
        frame = self.store.sampled_cases(self.name)
        for c in cols:
            if c not in frame.columns:
                frame[c] = None
        return frame[cols]

    def problems(self) -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ["row", "column", "field", "value", "problem"]})

    def quarantine(self) -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ["row", "column", "value", "problem"]})

    def meta(self) -> dict[str, Any]:
        return {"as_of": self.info.as_of, "tool_version": self.info.tool_version,
                "extract_fingerprint": self.info.extract_fingerprint, "round": self.name,
                "language": self.info.language}

    def sampling_record(self) -> dict[str, Any] | None:
        return self.info.records[0] if self.info.records else None

    def rounds(self) -> list[Any]:
        from ivoaudit.report.source import RoundPoint

        points = []
        for info in self.store.list_rounds():
            summary = rule_summary(combined_results(self.store, info.name))
            counts = {str(r.rule_id): (int(r["pass"]), int(r.denominator)) for _, r in summary.iterrows()}
            points.append(RoundPoint(info.name, info.as_of or info.created_at[:10], counts))
            if info.name == self.name:
                break
        return points
