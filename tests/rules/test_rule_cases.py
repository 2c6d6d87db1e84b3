"""One parametrised test over every hand-written case in tests/rules/cases/*.yaml."""

from __future__ import annotations

import pytest
from casefiles import all_cases, load_file, results_for


def _case(name: str, case_id: str) -> dict:
    return next(c for c in load_file(name)["cases"] if c["id"] == case_id)


@pytest.mark.parametrize(("name", "case_id"), all_cases(), ids=[f"{n[:-5]}:{c}" for n, c in all_cases()])
def test_case(name, case_id):
    case = _case(name, case_id)
    res = results_for(name)
    rows = res[res["case_id"] == case_id]
    got = {r: "not_applicable" for r in case["expect"]}
    for rule, status in zip(rows["rule_id"].astype(str), rows["status"].astype(str), strict=True):
        if rule in got:
            got[rule] = status
    expected = sorted((case_id, rule, status) for rule, status in case["expect"].items())
    assert sorted((case_id, rule, status) for rule, status in got.items()) == expected, case.get("why", "")
    by_rule = {str(r.rule_id): r for r in rows.itertuples()}
    for rule, text in case.get("notes", {}).items():
        note = str(by_rule[rule].note)
        if text == "":
            assert note == "", f"{rule}: expected no note, got {note!r}"
        else:
            assert text in note, f"{rule}: {text!r} not in {note!r}"
    for rule, day in case.get("deadline", {}).items():
        assert str(by_rule[rule].deadline)[:10] == day.isoformat(), f"{rule}: deadline {by_rule[rule].deadline}"
    for rule, n in case.get("days_over", {}).items():
        assert by_rule[rule].days_over == n, f"{rule}: days_over {by_rule[rule].days_over}"
    for rule, text in case.get("reference", {}).items():
        assert text in str(by_rule[rule].reference)
