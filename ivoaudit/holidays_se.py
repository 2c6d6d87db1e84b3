"""Days on which lag (1930:173) 2 § may move a last day: weekends, Swedish public holidays,
midsommarafton, julafton and nyårsafton. Holidays come from the ``holidays`` library.

Results are judged at the raw deadline; this module only supplies the note.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np


@lru_cache(maxsize=64)
def _year(year: int) -> dict[date, str]:
    days = {d: str(name) for d, name in holidays.Sweden(years=year, language="sv").items()}
    for d in list(days):
        # Midsommarafton is the Friday before Midsommardagen (a Saturday 20-26 June).
        if d.month == 6 and d.weekday() == 5 and 20 <= d.day <= 26:
            days[d - timedelta(days=1)] = "Midsommarafton"
    days[date(year, 12, 24)] = "Julafton"
    days[date(year, 12, 31)] = "Nyårsafton"
    return days


def non_working(dates: np.ndarray) -> np.ndarray:
    """Boolean mask: the ``datetime64[D]`` date is a Saturday, Sunday or holiday (NaT: False)."""
    d = np.asarray(dates, dtype="datetime64[D]")
    valid = ~np.isnat(d)
    out = np.zeros(d.shape, dtype=bool)
    if not valid.any():
        return out
    days = d[valid].astype(np.int64)
    lo, hi = int(days.min()), int(days.max())
    # One lookup table over the range of dates present (a few thousand days at most).
    span = np.arange(lo, hi + 1)
    table = (span + 3) % 7 >= 5  # 1970-01-01 was a Thursday: weekday (Monday = 0) = (days + 3) % 7
    first_year = np.datetime64(lo, "D").astype("datetime64[Y]").astype(np.int64) + 1970
    last_year = np.datetime64(hi, "D").astype("datetime64[Y]").astype(np.int64) + 1970
    for year in range(int(first_year), int(last_year) + 1):
        for day in _year(year):
            k = np.datetime64(day, "D").astype(np.int64) - lo
            if 0 <= k < len(table):
                table[k] = True
    out[valid] = table[days - lo]
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
