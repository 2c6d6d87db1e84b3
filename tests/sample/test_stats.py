"""Sample sizes and intervals against published values (not against this code)."""

from __future__ import annotations

import pytest

from ivoaudit.sample.stats import attribute_sample_size, exact_interval, wilson_interval

# AICPA Audit Guide "Audit Sampling", table A-1 (5 % risk of over-reliance):
# (expected rate, tolerable rate) -> (sample size, expected deviations)
AICPA_95 = [
    (0.0, 0.02, 149, 0), (0.0, 0.05, 59, 0), (0.0, 0.10, 29, 0), (0.0, 0.20, 14, 0),
    (0.0025, 0.10, 46, 1), (0.01, 0.05, 93, 1), (0.01, 0.04, 156, 2),
    (0.02, 0.05, 181, 4), (0.02, 0.06, 127, 3), (0.02, 0.07, 88, 2), (0.02, 0.10, 46, 1),
]


@pytest.mark.parametrize(("expected", "tolerable", "n", "k"), AICPA_95)
def test_attribute_sample_size_matches_aicpa_table(expected, tolerable, n, k):
    calc = attribute_sample_size(0.95, tolerable, expected)
    assert (calc.n, calc.allowed_deviations) == (n, k)
    assert calc.risk <= 0.05
    assert str(n) in calc.explain("sv") and str(n) in calc.explain("en")


def test_attribute_sample_size_refuses_nonsense():
    with pytest.raises(ValueError):
        attribute_sample_size(0.95, 0.05, 0.05)


# Newcombe (1998), Statistics in Medicine 17:857-872, table II: method 3 (Wilson, no
# continuity correction) and method 5 (Clopper-Pearson exact), 95 %.
NEWCOMBE = [
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0, 0.1611), (0.0, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE)
def test_intervals_match_newcombe(x, n, wilson, exact):
    assert wilson_interval(x, n) == pytest.approx(wilson, abs=6e-5)
    assert exact_interval(x, n) == pytest.approx(exact, abs=6e-5)


def test_interval_of_empty_denominator_is_none():
    assert wilson_interval(0, 0) is None
    assert exact_interval(0, 0) is None
