"""How deadlines are counted: lag (1930:173) om beräkning av lagstadgad tid, vectorised over
numpy ``datetime64[D]`` arrays.

- **1 §, months**: the deadline is the day with the same number in the later month, or that
  month's last day when it has none (2025-10-31 + 4 months = 2026-02-28). Never 30-day
  months. This is what ``pandas.DateOffset(months=n)`` does (checked against the law's
  wording on every day 1900–2100 in ``tests/rules/test_calendar.py``).
- **Days**: calendar days with the start day as day 0.
- **2 §, the "söndagsregel"**: when the last day falls on a Saturday, Sunday, public holiday,
  midsommarafton, julafton or nyårsafton, the action may be taken on the next weekday.
  Public holidays and the three eves come from the ``holidays`` library's Sweden (categories
  ``PUBLIC`` and ``DE_FACTO``; the de-facto category holds exactly the three eves).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd
from holidays.constants import DE_FACTO, PUBLIC

NAT = np.datetime64("NaT", "D")
_WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def as_days(values) -> np.ndarray:
    """Any date-like array or Series as ``datetime64[D]`` (NaT kept; the same array if it is one)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = arr.astype("datetime64[ns]")
    return arr.astype("datetime64[D]", copy=False)  # no copy when already days


def add_months(dates, months: int) -> np.ndarray:
    """``dates`` + ``months`` calendar months (lag 1930:173 1 §), NaT kept."""
    d = as_days(dates)
    shifted = pd.DatetimeIndex(d.astype("datetime64[s]")) + pd.DateOffset(months=int(months))
    return shifted.to_numpy().astype("datetime64[D]")


def add_period(dates, *, days: int | None = None, months: int | None = None) -> np.ndarray:
    """The deadline ``days`` calendar days or ``months`` calendar months after ``dates``."""
    d = as_days(dates)
    if months is not None:
        return add_months(d, months)
    return d + np.timedelta64(int(days or 0), "D")


def day_diff(later, earlier) -> np.ndarray:
    """Whole days ``later - earlier`` as float (NaN where either is NaT)."""
    a, b = as_days(later), as_days(earlier)
    out = (a - b).astype("timedelta64[D]").astype(np.float64)
    out[np.isnat(a) | np.isnat(b)] = np.nan
    return out


@lru_cache(maxsize=512)
def _holidays(year: int, language: str = "sv") -> dict[date, str]:
    """Sweden's public holidays and the three eves of 2 § in ``year``, named in ``language``."""
    found = holidays.Sweden(years=year, categories=(PUBLIC, DE_FACTO), language=language)
    return {day: str(name) for day, name in found.items()}


@lru_cache(maxsize=64)
def _holiday_days(first: int, last: int) -> np.ndarray:
    """The holidays and eves of the years ``first``..``last`` as day numbers (read-only: the
    same few spans are asked for by every rule, and by every note naming a moved day)."""
    days = np.array([day for year in range(first, last + 1) for day in _holidays(year)],
                    dtype="datetime64[D]").view(np.int64)
    days.flags.writeable = False
    return days


def non_working(dates) -> np.ndarray:
    """True where the day is one lag 1930:173 2 § moves a last day from (NaT: False)."""
    d = as_days(dates)
    out = np.zeros(d.shape, dtype=bool)
    known = np.flatnonzero(~np.isnat(d))
    if not len(known):
        return out
    days = d[known].view(np.int64)
    low, high = int(days.min()), int(days.max())
    # One flag per day of the span: a weekend (1970-01-01 was a Thursday, so the weekday,
    # Monday = 0, is (day + 3) % 7), or a holiday or eve of the years the span covers.
    span = np.arange(low, high + 1)
    flags = (span + 3) % 7 >= 5
    first, last = (np.array([low, high]).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)
    listed = _holiday_days(int(first), int(last))
    listed = listed[(listed >= low) & (listed <= high)]
    flags[listed - low] = True
    out[known] = flags[days - low]
    return out


def next_working_day(dates) -> np.ndarray:
    """The day itself, or when 2 § moves it, the next weekday that is no holiday or eve."""
    moved = as_days(dates).copy()
    todo = np.flatnonzero(non_working(moved))
    while len(todo):  # at most a few rounds (julafton on a Thursday: four days)
        moved[todo] += np.timedelta64(1, "D")
        todo = todo[non_working(moved[todo])]
    return moved


def day_name(day: date, lang: str = "sv") -> str:
    """What kind of day 2 § moved from: the holiday's name (``midsommarafton``), else the
    weekday (``lördag`` / ``Saturday``)."""
    name = _holidays(day.year, "en_US" if lang == "en" else "sv").get(day)
    if name:
        return name if lang == "en" else name.lower()
    return (_WEEKDAYS_EN if lang == "en" else _WEEKDAYS_SV)[day.weekday()]


def holiday_name(day: date) -> str | None:
    """The holiday's Swedish name, ``lördag``/``söndag`` for weekends, or None."""
    name = _holidays(day.year).get(day)
    if name:
        return name
    if day.weekday() in (5, 6):
        return _WEEKDAYS_SV[day.weekday()]
    return None
