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

from ivoaudit.dateutil_months import per_day


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
