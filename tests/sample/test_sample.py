"""Reproducible sampling: order independence, strategies, allocation invariants."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.errors import UsageError
from ivoaudit.sample.draw import SampleSpec, allocate_proportional, draw_sample, sha256_ids


def test_same_seed_same_sample_regardless_of_row_order(cases, results):
    spec = SampleSpec(strategy="random", size=10, seed=42)
    first = draw_sample(cases, results, spec).case_ids
    shuffled = cases.sample(frac=1, random_state=7).reset_index(drop=True)
    assert list(shuffled["case_id"]) != list(cases["case_id"])
    again = draw_sample(shuffled, results.iloc[::-1], spec).case_ids
    assert first == again
    assert len(set(first)) == 10


def test_different_seed_different_sample(cases, results):
    a = draw_sample(cases, results, SampleSpec(size=10, seed=1)).case_ids
    b = draw_sample(cases, results, SampleSpec(size=10, seed=2)).case_ids
    assert a != b


def test_record_lets_an_auditor_verify_population_and_draw(cases, results):
    import numpy as np

    sample = draw_sample(cases, results, SampleSpec(size=5, seed=99), extract_fingerprint="abc")
    record = sample.record
    ids = sorted(cases["case_id"])
    assert record["population_sha256"] == sha256_ids(ids)
    # Redraw by hand, as the record's method describes.
    positions = np.random.default_rng(99).permutation(len(ids))[:5]
    assert record["selection"] == [ids[p] for p in positions] == sample.case_ids
    assert record["seed"] == 99 and record["extract_fingerprint"] == "abc"
    assert record["population_size"] == 60


def test_seed_drawn_when_absent_is_recorded(cases, results):
    sample = draw_sample(cases, results, SampleSpec(size=5))
    seed = sample.record["seed"]
    assert not sample.record["seed_given"]
    assert draw_sample(cases, results, SampleSpec(size=5, seed=seed)).case_ids == sample.case_ids


def test_filters(cases, results):
    spec = SampleSpec(size=100, seed=1, date_from=date(2026, 1, 11), date_to=date(2026, 1, 20),
                      area="barn_unga", only_deviations=True)
    drawn = draw_sample(cases, results, spec).cases
    expected = {f"C{i:04d}" for i in range(10, 20) if i % 4 and (i % 6 == 0 or i % 8 == 1)}
    assert set(drawn["case_id"]) == expected
    assert drawn.shape[0] == len(expected)


def test_exclude_reviewed_cases(cases, results):
    excluded = {f"C{i:04d}" for i in range(0, 60, 2)}
    sample = draw_sample(cases, results, SampleSpec(size=30, seed=5), exclude=excluded)
    assert not set(sample.case_ids) & excluded
    assert len(sample.case_ids) == 30
    assert sample.record["filters"]["excluded_cases"] == 30


def test_ivo_strategy_composition(cases, results):
    sample = draw_sample(cases, results, SampleSpec(strategy="ivo", not_opened=10, completed=7, seed=3))
    drawn = sample.cases.set_index("case_id")
    not_opened = drawn[drawn["stratum"] == "not_opened"]
    completed = drawn[drawn["stratum"] == "completed"]
    assert len(not_opened) == 10 and len(completed) == 7
    assert (not_opened["preliminary_outcome"] == "not_open").all()
    assert not_opened["preliminary_decision_date"].notna().all()
    assert completed["investigation_end"].notna().all()
    # population of not-opened and decided: i % 3 == 0 and i % 10 != 9
    assert sample.record["strata"]["not_opened"]["population"] == sum(
        1 for i in range(60) if i % 3 == 0 and i % 10 != 9)


def test_stratified_proportional(cases, results):
    sample = draw_sample(cases, results, SampleSpec(strategy="stratified", stratify="unit", size=12, seed=4))
    strata = sample.record["strata"]
    assert sum(s["drawn"] for s in strata.values()) == 12
    assert set(strata) == {"Enhet 1", "Enhet 2", "Enhet 3", "(saknas)"}
    for name, counts in strata.items():
        got = (sample.cases["stratum"] == name).sum()
        assert got == counts["drawn"] >= 1


def test_stratified_per_stratum(cases, results):
    sample = draw_sample(cases, results, SampleSpec(strategy="stratified", stratify="caseworker",
                                                    per_stratum=2, seed=4))
    assert sample.cases.groupby("stratum").size().tolist() == [2] * 5


def test_missing_size_is_a_usage_error(cases, results):
    with pytest.raises(UsageError):
        draw_sample(cases, results, SampleSpec(strategy="random"))


def test_size_above_population_takes_all(cases, results):
    sample = draw_sample(cases, results, SampleSpec(size=500, seed=1))
    assert sorted(sample.case_ids) == sorted(cases["case_id"])
    assert "size_capped_to_population" in sample.record["notes"]


def test_allocation_known_values():
    # 10 of (50, 30, 20): quotas 5, 3, 2
    assert allocate_proportional({"a": 50, "b": 30, "c": 20}, 10) == {"a": 5, "b": 3, "c": 2}
    # 5 of (90, 5, 5): quotas 4.5, .25, .25 -> minimum one each, rest by remainder
    assert allocate_proportional({"a": 90, "b": 5, "c": 5}, 5) == {"a": 3, "b": 1, "c": 1}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet="abcdefgh", min_size=1, max_size=3),
                       st.integers(min_value=0, max_value=40), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=120))
def test_allocation_invariants(sizes, n):
    alloc = allocate_proportional(sizes, n)
    total = sum(sizes.values())
    assert sum(alloc.values()) == min(n, total)
    assert all(0 <= alloc[s] <= sizes[s] for s in sizes)
    nonempty = [s for s in sizes if sizes[s] > 0]
    if n >= len(nonempty):
        assert all(alloc[s] >= 1 for s in nonempty)


def test_age_group_derived_from_birth_date(cases, results):
    frame = cases.assign(birth_date=pd.Timestamp("2010-06-15"))
    drawn = draw_sample(frame, results, SampleSpec(size=3, seed=1)).cases
    assert set(drawn["age_group"]) == {"13-17"}  # 15 years old in Jan-Mar 2026
