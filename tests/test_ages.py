"""Age groups: whole years on the day the case was received, birthdays counted exactly."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ivoaudit.ages import age_groups


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
