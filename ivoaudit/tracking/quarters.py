"""Calendar quarters and the windows in which each quarter's report to IVO is due.

A quarter is written ``2026-Q3`` (``2026Q3`` is accepted too) and ends on its last day
(2026-Q3: 2026-07-01 to 2026-09-30). IVO takes each quarter's individual reports of
decisions not executed within three months in a window after the quarter (IVO's
instructions for SoL 34 kap. 1 § and LSS 28 f §): Q1 1–30 April, Q2 1 July–31 August,
Q3 1–31 October, Q4 1–31 January of the next year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")

# (month the window opens, month it closes, whether it lies in the next year), per quarter.
_WINDOWS = {1: (4, 4, False), 2: (7, 8, False), 3: (10, 10, False), 4: (1, 1, True)}

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def day_text(day: date) -> str:
    """``31 oktober 2026`` / ``31 October 2026`` in the language in force."""
    return t("{d} {m} {y}", "{d} {m} {y}", d=day.day, y=day.year,
             m=t(MONTHS_SV[day.month - 1], MONTHS_EN[day.month - 1]))


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: ``Quarter(2026, 3)`` is ``2026-Q3``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number {self.number} outside 1..4")

    @classmethod
    def parse(cls, text: str | Quarter) -> Quarter:
        """``2026-Q3`` or ``2026Q3`` (any case, spaces allowed) → ``Quarter(2026, 3)``.

        Raises :class:`~ivoaudit.errors.UsageError` for anything else.
        """
        if isinstance(text, Quarter):
            return text
        found = _QUARTER.match(str(text))
        if not found:
            raise UsageError(t(
                "Kvartalet '{q}' kan inte läsas. Skriv år och kvartal som 2026-Q3 (eller 2026Q3).",
                "The quarter '{q}' cannot be read. Write the year and quarter as 2026-Q3 (or 2026Q3).",
                q=text))
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        """``2026-Q3``: how the quarter is written in files, the store and messages."""
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        return self.label

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        """The quarter's last day: the date the list is drawn up as of."""
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def window(self) -> ReportingWindow:
        """When IVO takes this quarter's report."""
        first, last, next_year = _WINDOWS[self.number]
        year = self.year + 1 if next_year else self.year
        return ReportingWindow(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))

    def text(self) -> str:
        """``kvartal 3 2026`` / ``quarter 3 of 2026``."""
        return t("kvartal {n} {y}", "quarter {n} of {y}", n=self.number, y=self.year)


@dataclass(frozen=True)
class ReportingWindow:
    """The days IVO takes a quarter's report: ``opens`` to ``closes``, both included."""

    opens: date
    closes: date

    def state(self, day: date) -> str:
        """``before`` (not yet open), ``open`` or ``closed`` on ``day``."""
        if day < self.opens:
            return "before"
        return "open" if day <= self.closes else "closed"

    def text(self) -> str:
        """``1–31 oktober 2026`` / ``1 July–31 August 2026``."""
        if self.opens.month == self.closes.month:
            return t("{a}–{b}", "{a}–{b}", a=self.opens.day, b=day_text(self.closes))
        return t("{a} {m}–{b}", "{a} {m}–{b}", a=self.opens.day, b=day_text(self.closes),
                 m=t(MONTHS_SV[self.opens.month - 1], MONTHS_EN[self.opens.month - 1]))


def next_report(day: date) -> Quarter:
    """The quarter whose report is due next on ``day``: the earliest one whose reporting
    window has not closed (the last quarter's while its window is open or about to open)."""
    quarter = Quarter.containing(day).previous()
    while quarter.window.closes < day:
        quarter = quarter.next()
    return quarter


__all__ = ["Quarter", "ReportingWindow", "day_text", "next_report"]
