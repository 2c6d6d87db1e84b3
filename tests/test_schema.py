"""The one schema module: statuses and file columns as data-model.md fixes them, and the one
answer→status merge that ``rounds show`` and ``report --round`` both use."""

from __future__ import annotations

import pandas as pd

from ivoaudit import schema
from ivoaudit.i18n import use_language
from ivoaudit.report import round_source
from ivoaudit.review.overview import round_overview
from ivoaudit.store import Store


def test_statuses_and_files_as_the_data_model_fixes_them():
    # data-model.md "Result statuses" and "Files the tool writes", copied by hand
    assert schema.STATUSES == ("pass", "fail", "overdue", "pending", "missing_data", "needs_review",
                               "not_applicable")
    assert schema.COUNTED == ("pass", "fail", "overdue")
    assert schema.RESULT_COLUMNS[:9] == ("case_id", "rule_id", "status", "start_date", "end_date",
                                         "deadline", "days", "days_over", "note")
    assert schema.SUMMARY_COLUMNS == ("rule_id", "applicable", "pass", "fail", "overdue", "pending",
                                      "missing_data", "needs_review", "compliance")
    # data-model.md's quarantine.csv columns, in order, with the case id beside the row (issue 13)
    assert schema.QUARANTINE_COLUMNS == ("row", "case_id", "column", "value", "problem", "code")


def _results():
    return pd.DataFrame({
        "case_id": ["A", "A", "B", "C", "D"],
        "rule_id": ["FH-PLAN", "BU-UTR-4M", "FH-PLAN", "FH-PLAN", "FH-PLAN"],
        "status": ["needs_review", "fail", "needs_review", "needs_review", "not_applicable"],
        "note": ["", "", "", "", ""],
    })


def test_an_answer_replaces_needs_review_and_nothing_else():
    answers = pd.DataFrame({
        "case_id": ["A", "A", "B", "B", "D", "X"],
        "rule_id": ["FH-PLAN", "BU-UTR-4M", "FH-PLAN", "FH-PLAN", "FH-PLAN", "FH-PLAN"],
        "answer": ["yes", "yes", "yes", "not_applicable", "no", "no"],
    })
    with use_language("sv"):
        merged = schema.apply_answers(_results(), answers)
    got = list(zip(merged["case_id"], merged["rule_id"], merged["status"], strict=True))
    assert got == [
        ("A", "FH-PLAN", "pass"),            # Ja on an open question
        ("A", "BU-UTR-4M", "fail"),          # an automatic fail is never overridden
        ("B", "FH-PLAN", "not_applicable"),  # the last answer of a pair wins
        ("C", "FH-PLAN", "needs_review"),    # unanswered stays open
        ("D", "FH-PLAN", "not_applicable"),  # a question that did not apply is not reopened
    ]                                        # and X (no result) adds no row
    assert list(merged["note"]) == ["manuell granskning", "", "manuell granskning", "", ""]
    assert list(_results()["status"])[0] == "needs_review"  # the input is not changed


def test_rounds_show_and_the_round_report_count_answers_alike(tmp_path):
    db = tmp_path / "audit.db"
    ids = [f"K{i}" for i in range(6)]
    cases = pd.DataFrame({"case_id": ids, "unit": "Enhet A", "area": "funktionshinder"})
    results = pd.DataFrame({"case_id": ids, "rule_id": "FH-PLAN",
                            "status": ["needs_review"] * 4 + ["fail", "pass"]})
    with Store(db) as store:
        store.create_round("r1", record={"seed": 1, "case_ids": ids}, cases=cases, results=results,
                           as_of="2026-03-31")
        # an answer on the automatic "fail" (K4) must not turn it into a pass
        store.replace_answers("r1", [("K0", "FH-PLAN", "yes"), ("K1", "FH-PLAN", "no"),
                                     ("K2", "FH-PLAN", "not_applicable"), ("K4", "FH-PLAN", "yes")],
                              {}, file_name="form.xlsx", file_sha256="0" * 64, total=4)
        shown = round_overview(store, "r1").summary.set_index("rule_id").loc["FH-PLAN"]
    reported = round_source("r1", db=db).results()
    assert sorted(reported["status"]) == ["fail", "fail", "needs_review", "not_applicable", "pass", "pass"]
    counts = reported["status"].value_counts()
    for status in schema.STATUSES:
        assert int(shown[status]) == int(counts.get(status, 0)), status
