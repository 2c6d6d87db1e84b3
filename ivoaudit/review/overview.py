"""What ``rounds list`` and ``rounds show`` print: a round's automatic and manual results
combined, per-rule compliance with its Wilson interval, and progress. (Reports read a round
through ``ivoaudit.report.round_source``.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ivoaudit.i18n import t
from ivoaudit.sample.stats import wilson_interval
from ivoaudit.schema import STATUSES, apply_review
from ivoaudit.store.records import RoundInfo
from ivoaudit.store.repository import Store
from ivoaudit.store.review_checks import current_checks


def combined_results(store: Store, name: str) -> pd.DataFrame:
    """The round's results after its review (``schema.apply_review``: answers, then checks).

    The one reading of a round's results: ``rounds show``, ``report --round`` and the web app
    all use it, so they cannot disagree."""
    return apply_review(store.auto_results(name), store.current_answers(name), current_checks(store, name))


def review_flags(store: Store, name: str) -> pd.DataFrame:
    """The automatic results the reviewer found wrong against the case file, as data-quality
    rows: case_id, column (the rule), value (the date in the file), problem."""
    checks = current_checks(store, name)
    wrong = checks[checks["matches"] == "no"]
    return pd.DataFrame({
        "row": pd.Series([None] * len(wrong), dtype="object"), "case_id": wrong["case_id"].to_numpy(),
        "column": wrong["rule_id"].to_numpy(), "value": wrong["correct_date"].to_numpy(),
        "problem": t("Uppgiften i uttaget stämmer inte med akten (rätt datum enligt akten i kolumnen Värde)",
                     "The extract's data do not match the case file (the file's date in the Value column)"),
    })


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
