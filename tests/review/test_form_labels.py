"""Reviewers read codes as words: the form shows canonical codes in the form's language."""

from __future__ import annotations

import pandas as pd
import pytest

from ivoaudit.review.form import build_form

from .conftest import make_cases, make_results


@pytest.mark.parametrize(("lang", "area", "outcome"), [("sv", "Missbruk", "Delvis bifall"),
                                                       ("en", "Substance abuse", "Partly granted")])
def test_codes_are_shown_as_labels(lang, area, outcome):
    cases = make_cases(4)
    cases["decision_outcome"] = pd.Series(["partly_granted", None, "partly_granted", "none"], dtype=object)
    content = build_form(cases, make_results(cases), [], lang=lang)
    keys = [c.key for c in content.columns]
    rows = content.rows
    assert {row[keys.index("area")] for row in rows} == {area}
    assert rows[0][keys.index("decision_outcome")] == outcome
    assert rows[1][keys.index("decision_outcome")] is None
    assert "partly_granted" not in {str(v) for row in rows for v in row}


def test_locked_results_use_the_same_words_as_the_reports():
    from ivoaudit.i18n import use_language
    from ivoaudit.report.labels import status_label

    cases = make_cases(4)
    content = build_form(cases, make_results(cases), [], lang="sv")
    column = [c.key for c in content.columns].index("ALL-DROJSMAL-6M")
    with use_language("sv"):
        fail, passed = status_label("fail"), status_label("pass")
    assert content.rows[0][column] == f"{fail} (+9 d)"  # case 0 failed, 9 days over
    assert content.rows[1][column] == passed
