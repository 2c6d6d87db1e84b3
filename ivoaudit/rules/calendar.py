"""Calendar arithmetic for deadlines and the days lag (1930:173) 2 § may move a last day from, vectorised over numpy ``datetime64[D]`` arrays.

Months follow lag (1930:173) om beräkning av lagstadgad tid 1 §: the deadline is the day
with the same number in the later month, or that month's last day when it has none
(2025-10-31 + 4 months = 2026-02-28). Never 30-day months. Days are calendar days with the
start day as day 0.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np

NAT = np.datetime64("NaT", "D")
_NAT_DAY = np.iinfo(np.int64).min  # NaT seen as an int64 day number


def as_days(values) -> np.ndarray:
    """Any date-like array or Series as ``datetime64[D]`` (NaT kept; the same array if it is one)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = arr.astype("datetime64[ns]")
    return arr.astype("datetime64[D]", copy=False)  # no copy when already days


def per_day(dates, compute, fill) -> np.ndarray:
    """``compute`` of each date of a ``datetime64[D]`` array, ``fill`` where it is NaT.

    ``compute`` maps a NaT-free ``datetime64[D]`` array elementwise to an array. Calendar
    conversions are slow per element, and a million cases hold only a few thousand distinct
    dates: when the dates span no more than ``max(4 × len, 65 536)`` days, ``compute`` runs
    once per day of the span and every row looks its day up; otherwise on the dates.
    """
    d = as_days(dates)
    days = d.view(np.int64)
    hi = int(days.max()) if d.size else _NAT_DAY  # NaT is the smallest int64
    if hi == _NAT_DAY:  # empty or all NaT
        empty = compute(np.empty(0, dtype="datetime64[D]"))
        return np.full(d.shape, fill, dtype=empty.dtype)
    # One less, NaT wraps round to the largest int64: the minimum is then the earliest date.
    offset = days - 1
    lo = int(offset.min()) + 1
    if hi - lo > max(4 * d.size, 1 << 16):
        nat = np.isnat(d)
        out = compute(np.where(nat, np.datetime64(hi, "D"), d))
        out[nat] = fill
        return out
    # The table's extra last slot is ``fill``: a NaT's offset (wrapped round) is clamped to it.
    found = compute(np.arange(lo, hi + 1).astype("datetime64[D]"))
    table = np.empty(len(found) + 1, dtype=found.dtype)
    table[:-1] = found
    table[-1] = fill
    offset -= lo - 1
    np.minimum(offset.view(np.uint64), hi - lo + 1, out=offset.view(np.uint64))
    return np.take(table, offset)


def add_months(dates, months: int) -> np.ndarray:
    """``dates`` + ``months`` calendar months, clamped to the target month's last day."""
    return per_day(dates, lambda d: _add_months(d, months), NAT)


def _add_months(d: np.ndarray, months: int) -> np.ndarray:
    """The element-wise calendar-month addition behind :func:`add_months` (no NaT)."""
    month_start = d.astype("datetime64[M]")
    day_index = (d - month_start.astype("datetime64[D]")).astype(np.int64)  # 0-based
    target = month_start + np.timedelta64(months, "M")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return first + np.minimum(day_index, length - 1).astype("timedelta64[D]")


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


# --- Non-working days (lag 1930:173 2 §): weekends, holidays, midsommarafton, julafton, nyårsafton.







@lru_cache(maxsize=1)
def _sweden() -> type:
    """The ``holidays`` library's Sweden class, without importing every other country.

    ``holidays.Sweden`` imports the package ``holidays.countries``, whose ``__init__`` imports
    all of the library's ~250 country modules (0.1 s, the slowest step of a small check).
    The Swedish module needs only the library's core modules, so it is run from its own
    file; should that ever fail (a changed layout), the library's own loader is used.
    """
    loaded = sys.modules.get("holidays.countries.sweden")
    if loaded is not None:
        return loaded.Sweden
    try:
        path = Path(holidays.__file__).with_name("countries") / "sweden.py"
        spec = importlib.util.spec_from_file_location("holidays.countries.sweden", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.Sweden
    except Exception:
        return holidays.Sweden


@lru_cache(maxsize=64)
def _year(year: int) -> dict[date, str]:
    days = {d: str(name) for d, name in _sweden()(years=year, language="sv").items()}
    for d in list(days):
        # Midsommarafton is the Friday before Midsommardagen (a Saturday 20-26 June).
        if d.month == 6 and d.weekday() == 5 and 20 <= d.day <= 26:
            days[d - timedelta(days=1)] = "Midsommarafton"
    days[date(year, 12, 24)] = "Julafton"
    days[date(year, 12, 31)] = "Nyårsafton"
    return days


def non_working(dates: np.ndarray) -> np.ndarray:
    """Boolean mask: the ``datetime64[D]`` date is a Saturday, Sunday or holiday (NaT: False)."""
    return per_day(dates, _non_working_days, False)


def _non_working_days(days: np.ndarray) -> np.ndarray:
    """:func:`non_working` of NaT-free days (one lookup per day of a range, see per_day)."""
    numbers = days.view(np.int64)
    out = (numbers + 3) % 7 >= 5  # 1970-01-01 was a Thursday: weekday (Monday = 0) = (days + 3) % 7
    if len(days):
        first_year, last_year = days[[numbers.argmin(), numbers.argmax()]].astype("datetime64[Y]").astype(int) + 1970
        holidays_in_range = np.array(
            [day for year in range(first_year, last_year + 1) for day in _year(year)], dtype="datetime64[D]"
        )
        out |= np.isin(days, holidays_in_range)
    return out


def holiday_name(day: date) -> str | None:
    """The holiday's Swedish name, ``lördag``/``söndag`` for weekends, or None."""
    name = _year(day.year).get(day)
    if name:
        return name
    if day.weekday() == 5:
        return "lördag"
    if day.weekday() == 6:
        return "söndag"
    return None
