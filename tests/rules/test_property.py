"""Invariants over random extracts (hypothesis): one status per (case, applicable rule)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.fields import AREAS, DATE_FIELDS, FIELDS_BY_NAME, YES_NO_REASON
from ivoaudit.load.frames import build_extract
from ivoaudit.schema import STATUSES

CHECKLIST = load_checklists()
BASE = date(2024, 1, 1)
dates = st.one_of(st.none(), st.integers(0, 900).map(lambda d: (BASE + timedelta(days=d)).isoformat()))


def _code(name: str):
    return st.one_of(st.none(), st.sampled_from(FIELDS_BY_NAME[name].codes))


row = st.fixed_dictionaries({
    "area": st.one_of(st.none(), st.sampled_from(AREAS)),
    "person_id": st.one_of(st.none(), st.sampled_from(["P1", "P2", "P3"])),
    "preliminary_outcome": _code("preliminary_outcome"),
    "decision_outcome": _code("decision_outcome"),
    "legal_basis": _code("legal_basis"),
    "child_informed": st.one_of(st.none(), st.sampled_from(YES_NO_REASON)),
    "appeal_information": _code("appeal_information"),
    "preliminary_delay_reason": st.one_of(st.none(), st.just("synnerliga skäl")),
    **{name: dates for name in DATE_FIELDS if name != "birth_date"},
})


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=25), as_of_days=st.integers(0, 1000),
       absent=st.sets(st.sampled_from(["investigation_end", "child_informed", "execution_date"])))
def test_one_status_per_applicable_rule_and_compliance(rows, as_of_days, absent):
    columns = {"case_id": [f"C{i}" for i in range(len(rows))]}
    for key in rows[0]:
        if key not in absent:
            columns[key] = [r[key] for r in rows]
    result = run_check(build_extract(columns), CHECKLIST, BASE + timedelta(days=as_of_days))
    res = result.results
    # exactly one row per (case, rule), statuses from the data model, never not_applicable
    assert not res.duplicated(["case_id", "rule_id"]).any()
    assert set(res["status"].astype(str)) <= set(STATUSES) - {"not_applicable"}
    for rec in result.summary.to_dict("records"):
        if not rec["evaluable"]:  # not measured: no counts and no result rows
            assert rec["missing_fields"] and pd.isna(rec["applicable"])
            assert not (res["rule_id"] == rec["rule_id"]).any()
            continue
        counts = [rec[s] for s in STATUSES[:-1]]
        assert sum(counts) == rec["applicable"] == int((res["rule_id"] == rec["rule_id"]).sum())
        denom = rec["pass"] + rec["fail"] + rec["overdue"]
        if denom:
            assert abs(rec["compliance"] - rec["pass"] / denom) < 1e-4
        else:
            assert rec["compliance"] is None or np.isnan(rec["compliance"]) or str(rec["compliance"]) == "<NA>"
    # a deadline result with an end date after the deadline is never an unexplained pass
    late = res[(res["status"].astype(str) == "pass") & res["end_date"].notna() & res["deadline"].notna()
               & (res["end_date"] > res["deadline"])]
    assert late["note"].astype(str).str.contains("undantag|förlängning").all()
