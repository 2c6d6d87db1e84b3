"""Days on which lag (1930:173) 2 § may move a last day: weekends, Swedish public holidays,
midsommarafton, julafton and nyårsafton. Holidays come from the ``holidays`` library.

Results are judged at the raw deadline; this module only supplies the note.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np

_NAT_DAY = np.iinfo(np.int64).min  # NaT seen as an int64 day number


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


@lru_cache(maxsize=8)
def _calendar(first_year: int, last_year: int) -> tuple[int, np.ndarray]:
    """(day number of ``first_year``-01-01, whether each day through ``last_year`` is not a
    working day). One extra last slot, False, is where NaT is looked up."""
    lo = int(np.datetime64(first_year - 1970, "Y").astype("datetime64[D]").astype(np.int64))
    hi = int(np.datetime64(last_year + 1 - 1970, "Y").astype("datetime64[D]").astype(np.int64)) - 1
    span = np.arange(lo, hi + 2)
    table = (span + 3) % 7 >= 5  # 1970-01-01 was a Thursday: weekday (Monday = 0) = (days + 3) % 7
    for year in range(first_year, last_year + 1):
        for day in _year(year):
            table[int(np.datetime64(day, "D").astype(np.int64)) - lo] = True
    table[-1] = False
    table.flags.writeable = False
    return lo, table


def non_working(dates: np.ndarray) -> np.ndarray:
    """Boolean mask: the ``datetime64[D]`` date is a Saturday, Sunday or holiday (NaT: False)."""
    d = np.asarray(dates, dtype="datetime64[D]")
    days = d.view(np.int64)
    hi = int(days.max()) if d.size else _NAT_DAY  # NaT is the smallest int64
    if hi == _NAT_DAY:
        return np.zeros(d.shape, dtype=bool)
    offset = days - 1  # NaT wraps round to the largest int64: the minimum is the earliest date
    lo = int(offset.min()) + 1
    # One lookup table over the whole years of the dates present (a few thousand days at most).
    first_year = int(np.datetime64(lo, "D").astype("datetime64[Y]").astype(np.int64)) + 1970
    last_year = int(np.datetime64(hi, "D").astype("datetime64[Y]").astype(np.int64)) + 1970
    start, table = _calendar(first_year, last_year)
    offset -= start - 1
    # A NaT's offset (wrapped round) is beyond the table: clamp it to the False slot.
    np.minimum(offset.view(np.uint64), len(table) - 1, out=offset.view(np.uint64))
    return np.take(table, offset)


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
