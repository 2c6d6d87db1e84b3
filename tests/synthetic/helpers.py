"""Independent arithmetic for checking the generator (not the generator's own code)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar-month rule of lag (1930:173): same day number, or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
