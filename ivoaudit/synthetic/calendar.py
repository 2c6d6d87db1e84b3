"""Date arithmetic for the generator, written independently of the product's own code.

Dates are ``numpy.datetime64[D]`` arrays with ``NaT`` for "no date". Months follow the
calendar-month rule of lag (1930:173) 1 §: same day number in the later month, or that
month's last day when it has none (2025-10-31 + 4 months = 2026-02-28). A statutory last
day on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton moves to the
next weekday (2 §): public holidays from the ``holidays`` library's Sweden (category
``PUBLIC`` only), the three eves written out here from the law's text.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
import numpy as np
import numpy.typing as npt
from holidays.constants import PUBLIC

NAT = np.datetime64("NaT", "D")
DAY = np.timedelta64(1, "D")


def as_day(value: date | str) -> np.datetime64:
    """A scalar ``datetime64[D]`` from a date or ISO text."""
    return np.datetime64(value if isinstance(value, str) else value.isoformat(), "D")


def add_months(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """``days`` + ``months`` calendar months, clamped to the last day of the target month."""
    days = np.asarray(days, dtype="datetime64[D]")
    month_start = days.astype("datetime64[M]")
    day_index = (days - month_start.astype("datetime64[D]")).astype("int64")  # 0-based day
    target = month_start + np.asarray(months, dtype="int64").astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - DAY
    result = np.minimum(first + day_index.astype("timedelta64[D]"), last)
    return np.where(np.isnat(days), NAT, result)


def add_days(days: np.ndarray, n: int | np.ndarray) -> np.ndarray:
    """``days`` + ``n`` calendar days (NaT stays NaT)."""
    return np.asarray(days, dtype="datetime64[D]") + np.asarray(n, dtype="int64").astype("timedelta64[D]")


def diff_days(later: npt.ArrayLike, earlier: npt.ArrayLike) -> np.ndarray:
    """Whole days from ``earlier`` to ``later`` (garbage where either is NaT: mask first)."""
    return (np.asarray(later, "datetime64[D]") - np.asarray(earlier, "datetime64[D]")).astype("int64")


def uniform_between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A random date in ``[low, high]`` per element (``high`` < ``low`` gives ``low``)."""
    span = np.maximum(diff_days(high, low), 0)
    return add_days(low, rng.integers(0, span + 1))


def excel_serial(days: np.ndarray) -> np.ndarray:
    """Excel's 1900 date system serial number (day 1 = 1900-01-01, with the 1900 leap bug)."""
    return diff_days(days, np.datetime64("1899-12-30", "D"))


@cache
def _days_off(year: int) -> frozenset[date]:
    """The public holidays of ``year`` and the three eves named in lag 1930:173 2 §."""
    public = set(holidays.Sweden(years=year, categories=(PUBLIC,)))
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return frozenset(public | {midsummer_eve, date(year, 12, 24), date(year, 12, 31)})


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5 or day in _days_off(day.year):
        day += timedelta(days=1)
    return day


def next_weekday(days: np.ndarray) -> np.ndarray:
    """Each last day, or the next weekday when 2 § moves it (NaT stays NaT)."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = days.copy()
    for value in np.unique(days[~np.isnat(days)]):
        moved = np.datetime64(_next_weekday(value.astype(date)), "D")
        if moved != value:
            out[days == value] = moved
    return out
