"""Calendar-month arithmetic (lag 1930:173 1 §) and the weekend/holiday calendar.

Expected dates are written by hand from the law's wording: same day number in the later
month, or that month's last day when it has none.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ivoaudit.rules.calendar import (
    add_months,
    add_period,
    day_diff,
    day_name,
    holiday_name,
    next_working_day,
    non_working,
)

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


def _months_later(start: date, months: int) -> date:
    """The law's wording in plain Python: same day number, or the later month's last day."""
    import calendar

    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


@pytest.mark.parametrize("months", [1, 3, 4, 6, 12])
def test_add_months_equals_the_laws_wording_on_every_day_1900_to_2100(months):
    starts = np.arange(np.datetime64("1900-01-01"), np.datetime64("2101-01-01")).astype("datetime64[D]")
    out = add_months(starts, months)
    expected = [_months_later(s, months) for s in starts.astype(date)]
    assert out.astype(date).tolist() == expected
    assert np.isnat(add_months(np.array(["NaT"], dtype="datetime64[D]"), months)[0])


# Hand-checked moves under 2 § (weekdays looked up with GNU `date -d DATE +%A`).
MOVES = [
    ("2025-05-03", "2025-05-05"),  # Saturday → Monday
    ("2025-05-04", "2025-05-05"),  # Sunday → Monday
    ("2026-06-19", "2026-06-22"),  # Midsommarafton (Fri) → Monday (Sat midsommardagen, Sun)
    ("2026-12-24", "2026-12-28"),  # Julafton (Thu) → juldagen, annandag jul, Sunday → Monday
    ("2025-12-31", "2026-01-02"),  # Nyårsafton (Wed) → nyårsdagen → Friday
    ("2026-04-03", "2026-04-07"),  # Långfredagen → påskafton (Sat), påskdagen, annandag påsk → Tue
    ("2026-04-06", "2026-04-07"),  # Annandag påsk → Tuesday
    ("2025-06-06", "2025-06-09"),  # Nationaldagen (Fri) → Monday
    ("2026-01-05", "2026-01-05"),  # a Monday stays
    ("2025-06-30", "2025-06-30"),  # a Monday stays (the day before the new SoL)
]


def test_next_working_day_moves_as_2_paragraph_says():
    days = np.array([m[0] for m in MOVES] + ["NaT"], dtype="datetime64[D]")
    out = next_working_day(days)
    assert [str(d) for d in out[:-1]] == [m[1] for m in MOVES]
    assert np.isnat(out[-1])


def test_day_names():
    assert day_name(date(2026, 6, 19)) == "midsommarafton"
    assert day_name(date(2025, 5, 3)) == "lördag" and day_name(date(2025, 5, 3), "en") == "Saturday"
    assert day_name(date(2026, 12, 24), "en") == "Christmas Eve"


def test_non_working_equals_weekends_and_the_holidays_library():
    import holidays

    rng = np.random.default_rng(12)
    days = rng.integers(np.datetime64("2019-01-01", "D").astype(int), np.datetime64("2028-12-31", "D").astype(int),
                        3000).astype("datetime64[D]")
    days[::50] = np.datetime64("NaT")
    sweden = holidays.Sweden(years=range(2019, 2029), language="sv")
    expected = []
    for d in days:
        if np.isnat(d):
            expected.append(False)
            continue
        day = d.astype(date)
        # Midsommarafton, julafton, nyårsafton are named in lag 1930:173 2 § (holidays lists
        # them only as observances in some versions): the Friday 19-25 June, 24 and 31 Dec.
        eve = (day.month == 6 and day.weekday() == 4 and 19 <= day.day <= 25) or (day.month, day.day) in (
            (12, 24), (12, 31))
        expected.append(day.weekday() >= 5 or (day in sweden and "Söndag" not in sweden.get(day)) or eve)
    assert non_working(days).tolist() == expected
