"""Calendar arithmetic for deadlines, vectorised over numpy ``datetime64[D]`` arrays.

Months follow lag (1930:173) om beräkning av lagstadgad tid 1 §: the deadline is the day
with the same number in the later month, or that month's last day when it has none
(2025-10-31 + 4 months = 2026-02-28). Never 30-day months. Days are calendar days with the
start day as day 0.
"""

from __future__ import annotations

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
