"""Independent arithmetic for checking the generator (not the generator's own code)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import cache


def add_months(day: date, months: int) -> date:
    """Calendar-month rule of lag (1930:173): same day number, or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache  # a year's days off, computed once (last_day asks for each day it tries)
def days_off(year: int) -> frozenset[date]:
    """Lag (1989:253) om allmänna helgdagar, plus the three eves lag 1930:173 2 § names."""
    easter = _easter(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    all_saints = next(date(year, m, d) for m, d in [(10, 31)] + [(11, x) for x in range(1, 7)]
                      if date(year, m, d).weekday() == 5)
    return frozenset({date(year, 1, 1), date(year, 1, 6), plus(easter, -2), easter, plus(easter, 1), date(year, 5, 1),
                      plus(easter, 39), plus(easter, 49), date(year, 6, 6), plus(midsummer_eve, 1), all_saints,
                      date(year, 12, 25), date(year, 12, 26), midsummer_eve, date(year, 12, 24), date(year, 12, 31)})


def last_day(day: date) -> date:
    """A statutory last day, moved to the next weekday when it falls on a Saturday, Sunday,
    public holiday or one of the three eves (lag 1930:173 2 §)."""
    while day.weekday() >= 5 or day in days_off(day.year):
        day = plus(day, 1)
    return day


def parse(text: str) -> date | None:
    """ISO date text as written by the clean lifecare style; blank -> None."""
    return date.fromisoformat(text) if text else None


def plus(day: date, n: int) -> date:
    return day + timedelta(days=n)


# rules.md, by area (ALL-* in every area)
ALL_RULES = ("ALL-EJ-VERKST-3M", "ALL-AVBROTT-3M", "ALL-DROJSMAL-6M", "ALL-BESLUT-UNDERRATTAD", "ALL-OVERKLAGANDE")
RULES_BY_AREA = {
    "barn_unga": ("BU-SKYDD", "BU-FORHAND-14D", "BU-UTR-4M", "BU-BARN-INFO", "BU-BARN-ASIKT", "BU-SAMTAL",
                  "BU-ATERUPPTAGEN", "BU-OVERVAG-6M") + ALL_RULES,
    "funktionshinder": ("FH-SKYNDSAM", "FH-PLAN") + ALL_RULES,
    "missbruk": ("MB-PLAN", "MB-EGEN-SYN", "MB-BEDOMNING") + ALL_RULES,
    "aldre": ("AO-INFO", "AO-UPPFOLJNING") + ALL_RULES,
}
