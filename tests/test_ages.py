"""Age groups: whole years on the day the case was received, birthdays counted exactly."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.ages import AGE_GROUPS, age_groups


@pytest.mark.parametrize(
    ("birth", "received", "expected"),
    [
        ("2013-05-10", "2026-05-10", "13-17"),  # 13th birthday on the day of the report
        ("2013-05-10", "2026-05-09", "0-12"),  # one day short of 13
        ("2008-02-29", "2026-02-28", "13-17"),  # leap-day child is 17 until 1 March
        ("2008-02-29", "2026-03-01", "18-20"),
        ("2005-12-31", "2026-12-31", "21-64"),
        ("1961-06-01", "2026-06-01", "65-79"),
        ("1946-06-02", "2026-06-01", "65-79"),
        ("1946-06-01", "2026-06-01", "80+"),
    ],
)
def test_age_on_the_received_day(birth, received, expected):
    groups = age_groups(pd.Series([pd.Timestamp(birth)]), pd.Series([pd.Timestamp(received)]))
    assert groups.iloc[0] == expected


def test_missing_received_date_uses_the_check_date_and_unknown_birth_gives_none():
    births = pd.Series([pd.Timestamp("2010-01-01"), pd.NaT])
    received = pd.Series([pd.NaT, pd.Timestamp("2026-01-01")])
    groups = age_groups(births, received, as_of=date(2026, 10, 31))
    assert groups.iloc[0] == "13-17"
    assert groups.iloc[1] is None


def _reference_group(born: date, on: date) -> str | None:
    """Whole years by Python's own calendar (the independent reference)."""
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_GROUPS:
        if low <= years <= high:
            return label
    return None  # born after the reference day


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(date(1850, 1, 1), date(2030, 12, 31)),
                          st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)))),
                min_size=1, max_size=60))
def test_age_groups_equal_pythons_calendar(pairs):
    as_of = date(2026, 10, 31)
    births = pd.Series([pd.Timestamp(b) for b, _ in pairs], dtype="datetime64[ns]")
    received = pd.Series([pd.Timestamp(r) if r else pd.NaT for _, r in pairs], dtype="datetime64[ns]")
    expected = [_reference_group(b, r or as_of) for b, r in pairs]
    assert age_groups(births, received, as_of=as_of).tolist() == expected


def test_age_groups_of_many_close_dates_equal_pythons_calendar():
    # More cases than days spanned: the per-day table path (the common one at scale).
    import numpy as np

    rng = np.random.default_rng(7)
    base = date(2008, 1, 1).toordinal()
    births = [date.fromordinal(base + int(d)) for d in rng.integers(0, 2000, 5000)]
    received = [date.fromordinal(date(2024, 1, 1).toordinal() + int(d)) for d in rng.integers(0, 1200, 5000)]
    groups = age_groups(pd.Series(pd.to_datetime(births)), pd.Series(pd.to_datetime(received)))
    assert groups.tolist() == [_reference_group(b, r) for b, r in zip(births, received, strict=True)]
