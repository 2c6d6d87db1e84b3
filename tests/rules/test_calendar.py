"""Calendar-month arithmetic (lag 1930:173 1 §) and the weekend/holiday calendar.

Expected dates are written by hand from the law's wording: same day number in the later
month, or that month's last day when it has none.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ivoaudit.dateutil_months import add_months, add_period, day_diff
from ivoaudit.holidays_se import holiday_name, non_working

MONTHS = [
    ("2025-10-31", 4, "2026-02-28"),
    ("2023-10-31", 4, "2024-02-29"),
    ("2026-01-31", 3, "2026-04-30"),
    ("2024-02-29", 4, "2024-06-29"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2024-02-29", 48, "2028-02-29"),
    ("2025-08-31", 3, "2025-11-30"),
    ("2025-08-31", 6, "2026-02-28"),
    ("2026-01-05", 4, "2026-05-05"),
    ("2025-12-31", 2, "2026-02-28"),
    ("2025-11-30", 3, "2026-02-28"),
    ("2026-03-31", 1, "2026-04-30"),
    ("2026-01-15", 0, "2026-01-15"),
]


@pytest.mark.parametrize(("start", "months", "expected"), MONTHS)
def test_add_months(start, months, expected):
    out = add_months(np.array([start], dtype="datetime64[D]"), months)
    assert str(out[0]) == expected


def test_add_months_vectorised_keeps_nat():
    starts = np.array([m[0] for m in MONTHS] + ["NaT"], dtype="datetime64[D]")
    out = add_months(starts, 4)
    assert np.isnat(out[-1])
    assert str(out[0]) == "2026-02-28" and str(out[1]) == "2024-02-29"


def test_days_day_zero_is_start():
    assert str(add_period(np.array(["2026-01-05"], dtype="datetime64[D]"), days=14)[0]) == "2026-01-19"
    d = day_diff(np.array(["2026-01-19", "NaT"], dtype="datetime64[D]"),
                 np.array(["2026-01-05", "2026-01-05"], dtype="datetime64[D]"))
    assert d[0] == 14 and np.isnan(d[1])


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-01-17", True),   # Saturday
    ("2026-01-18", True),   # Sunday
    ("2026-01-19", False),  # Monday
    ("2026-01-06", True),   # Trettondedag jul
    ("2026-04-03", True),   # Långfredagen
    ("2026-04-06", True),   # Annandag påsk
    ("2026-06-19", True),   # Midsommarafton (named in lag 1930:173 2 §)
    ("2026-12-24", True),   # Julafton
    ("2026-12-31", True),   # Nyårsafton
    ("2026-06-05", False),  # Friday before Nationaldagen
    ("2025-06-06", True),   # Nationaldagen on a Friday
])
def test_non_working(day, expected):
    assert bool(non_working(np.array([day], dtype="datetime64[D]"))[0]) is expected


def test_holiday_names():
    assert holiday_name(date(2026, 6, 19)) == "Midsommarafton"
    assert holiday_name(date(2026, 1, 17)) == "lördag"
    assert holiday_name(date(2026, 1, 19)) is None
