"""Personal identity numbers: validate, derive sex and birth date, mask.

:func:`parse_numbers` checks a whole Arrow column at once: the cells are normalised and
matched with Arrow's regular expressions, the all-digit numbers then checked with numpy
arithmetic on their digits (Luhn, calendar, century); the few other cells (reserve numbers
with letters, format errors) are read in Python once per distinct value. Validating a
million rows one at a time with the ``personnummer`` library would take many seconds; that
package (a dependency) is the independent reference instead: the tests check with
Hypothesis that this module agrees with ``personnummer.valid()`` and with its parse for sex
and birth date. Pseudonyms are :mod:`ivoaudit.normalise.pseudonyms`.

Accepted forms (white space anywhere is ignored, letters are upper-cased):

* ``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC`` (the century is given; ``+`` is accepted too);
* ``YYMMDD-NNNC``, ``YYMMDDNNNC``: the century that makes the person *under* 100 on the
  reference date (the latest birth date not after it);
* ``YYMMDD+NNNC``: the person is 100 or older on the reference date (the latest birth
  date at least 100 years before it).

The check digit is Luhn over ``YYMMDDNNN``; the date must exist (1900-02-29 does not,
2000-02-29 does); day 61–91 is a samordningsnummer (birth day = day − 60); the 9th digit
of the ten-digit form is odd for men. Birth number ``000`` is never issued and is refused
as a format error, as the reference library does.

Reserve numbers (reservnummer), given by regions and municipalities to people without a
known number, have no national standard. Recognised here:

* a date part (``YYYYMMDD`` or ``YYMMDD``) followed by four characters of which at least
  one is a letter: ``19121212-T123``, ``20010101-TF01``, ``121212-XX12``;
* twelve digits starting with ``98`` or ``99`` (no such birth century exists), as some
  case systems number their reserve numbers.

A reserve number gets kind ``reserve``, its upper-cased form without separator as
``canonical`` (with the century added to a six-digit date part when that is a real date),
a birth date when its date part is a real date not after the reference date, no sex
(schemes differ between regions, so nothing is guessed) and no Luhn check.

Problem codes: ``pnr_format``, ``pnr_date``, ``pnr_checksum``, ``pnr_future``. A blank
cell is not a problem. Where there is a problem every other column is empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["PNR_PROBLEM_CODES", "ParsedNumbers", "mask_personnummer", "parse_numbers", "parse_personnummer"]

PNR_PROBLEM_CODES = ("pnr_format", "pnr_date", "pnr_checksum", "pnr_future")
RESULT_COLUMNS = ["canonical", "kind", "sex", "birth_date", "problem"]

_NUMBER = r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$"
_RESERVE_LETTERS = re.compile(r"(?P<date>\d{8}|\d{6})(?P<sep>[-+]?)(?P<tail>[0-9A-Z]{4})", re.ASCII)
_RESERVE_PREFIX = re.compile(r"(?P<date>(?:98|99)\d{6})-?(?P<tail>\d{4})", re.ASCII)
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int64)  # 2d, digit sum
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)

# Small integer codes; index 0 means "none".
KIND_NAMES: tuple[str | None, ...] = (None, "personnummer", "samordningsnummer", "reserve")
SEX_NAMES: tuple[str | None, ...] = (None, "F", "M")
PROBLEM_NAMES: tuple[str | None, ...] = (None, *PNR_PROBLEM_CODES)
_KIND = {name: i for i, name in enumerate(KIND_NAMES)}
_PROBLEM = {name: i for i, name in enumerate(PROBLEM_NAMES)}


@dataclass(frozen=True)
class ParsedNumbers:
    """One entry per input cell; ``kind``/``sex``/``problem`` index the ``*_NAMES`` tuples.

    ``canonical`` is the 12-character form (``YYYYMMDDNNNC``, or a reserve number), null where
    there is none; ``birth`` is ``datetime64[D]`` (``NaT`` where there is none). Where there is
    a problem every other part is empty.
    """

    canonical: pa.Array
    kind: np.ndarray
    sex: np.ndarray
    birth: np.ndarray
    problem: np.ndarray

    def take(self, index: np.ndarray) -> ParsedNumbers:
        """The entries at ``index``, in that order."""
        return ParsedNumbers(self.canonical.take(pa.array(index, type=pa.int64())), self.kind[index],
                             self.sex[index], self.birth[index], self.problem[index])


def parse_personnummer(values: pd.Series, *, reference_date: dt.date | None = None) -> pd.DataFrame:
    """Validate a column of personnummer/samordningsnummer/reserve numbers.

    Returns a frame with the index of ``values`` and the columns ``canonical`` (12-digit
    ``YYYYMMDDNNNC``), ``kind`` (``personnummer``/``samordningsnummer``/``reserve``),
    ``sex`` (``F``/``M``), ``birth_date`` (``datetime64[ns]``) and ``problem`` (one of
    :data:`PNR_PROBLEM_CODES`). Blank cells give an all-empty row without a problem.
    ``reference_date`` (default today) decides the century of ten-digit numbers and
    what counts as a future birth date.
    """
    texts = pa.array([None if _missing(v) else _cell_text(v) for v in values], type=pa.string())
    found = parse_numbers(texts, reference_date or dt.date.today())
    columns = {
        "canonical": np.array(found.canonical.to_pylist(), dtype=object),
        "kind": np.array(KIND_NAMES, dtype=object)[found.kind],
        "sex": np.array(SEX_NAMES, dtype=object)[found.sex],
        "birth_date": found.birth.astype("datetime64[ns]"),
        "problem": np.array(PROBLEM_NAMES, dtype=object)[found.problem],
    }
    return pd.DataFrame({c: pd.Series(columns[c], index=values.index, dtype=None if c == "birth_date" else object)
                         for c in RESULT_COLUMNS})


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _cell_text(value: object) -> str:
    """A cell as the text a user would read (XLSX numbers without a trailing ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_numbers(texts: pa.Array | pa.ChunkedArray, ref: dt.date) -> ParsedNumbers:
    """Validate an Arrow text column of numbers (null or blank = no number) as of ``ref``."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    n = len(texts)
    norm = pc.utf8_upper(pc.replace_substring_regex(texts.cast(pa.string()), r"\s+", ""))
    present = pc.fill_null(pc.greater(pc.binary_length(norm), 0), False).to_numpy(zero_copy_only=False)
    reserve = pc.fill_null(pc.match_substring_regex(norm, "^" + _RESERVE_PREFIX.pattern + "$"), False)
    numeric = pc.and_(pc.fill_null(pc.match_substring_regex(norm, _NUMBER), False), pc.invert(reserve))
    numeric_np = numeric.to_numpy(zero_copy_only=False)
    out = _Builder(n)
    rows = np.flatnonzero(numeric_np)
    if len(rows):
        picked = norm.filter(numeric)
        digits = pc.replace_substring_regex(picked, "[-+]", "")  # 12 digits, or 10 without the century
        number = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
        has_century = pc.equal(pc.binary_length(digits), 12).to_numpy(zero_copy_only=False)
        plus = pc.match_substring(picked, "+").to_numpy(zero_copy_only=False)
        _check_numbers(out, rows, number, has_century, plus, ref)
    others = np.flatnonzero(present & ~numeric_np)
    if len(others):
        texts_np = norm.take(pa.array(others)).to_pylist()
        for value in set(texts_np):
            _parse_other(out, others[[v == value for v in texts_np]], value, ref)
    return out.build()


class _Builder:
    """The parts of :class:`ParsedNumbers` being filled in; canonical forms as integers (all-digit
    numbers) or text (reserve numbers with letters)."""

    def __init__(self, n: int):
        self.numeric = np.full(n, -1, dtype=np.int64)
        self.text: dict[int, str] = {}
        self.kind = np.zeros(n, dtype=np.int8)
        self.sex = np.zeros(n, dtype=np.int8)
        self.birth = np.full(n, np.datetime64("NaT", "D"))
        self.problem = np.zeros(n, dtype=np.int8)

    def build(self) -> ParsedNumbers:
        canonical = pc.cast(pa.array(self.numeric, mask=self.numeric < 0), pa.string())
        if self.text:
            where = np.zeros(len(self.numeric), dtype=bool)
            where[list(self.text)] = True
            canonical = pc.replace_with_mask(canonical, pa.array(where),
                                             pa.array([self.text[i] for i in sorted(self.text)], pa.string()))
        return ParsedNumbers(canonical, self.kind, self.sex, self.birth, self.problem)


def _check_numbers(out: _Builder, rows: np.ndarray, number: np.ndarray, has_century: np.ndarray,
                   plus: np.ndarray, ref: dt.date) -> None:
    """Validate twelve-digit numbers ``CCYYMMDDNNNC`` (century ``00`` when not given)."""
    digit = [number // 10 ** (11 - k) % 10 for k in range(12)]
    yy, month, day = number // 10**8 % 100, number // 10**6 % 100, number // 10**4 % 100
    coordination = (day >= 61) & (day <= 91)
    birth_day = np.where(coordination, day - 60, day)
    year = _full_year(number // 10**10, yy, month, birth_day, has_century, plus, ref)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    month_days = _MONTH_DAYS[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    # Only centuries 18-20 hold living people; 98/99 were taken as reserve numbers before.
    real_date = month_ok & (birth_day >= 1) & (birth_day <= month_days) & (year >= 1800) & (year <= 2099)
    # Luhn over YYMMDDNNN: weights 2, 1, 2, ...; a doubled digit above 9 counts its digit sum.
    total = sum(_LUHN_DOUBLED[digit[k]] if k % 2 == 0 else digit[k] for k in range(2, 11))
    birth = np.full(len(number), np.datetime64("NaT", "D"))
    birth[real_date] = _to_days(year[real_date], month[real_date], birth_day[real_date])
    # Later assignments win: format before date before checksum before future.
    problem = np.zeros(len(number), dtype=np.int8)
    problem[real_date & (birth > np.datetime64(ref, "D"))] = _PROBLEM["pnr_future"]
    problem[(10 - total % 10) % 10 != digit[11]] = _PROBLEM["pnr_checksum"]
    problem[~real_date] = _PROBLEM["pnr_date"]
    problem[(number // 10 % 1000) == 0] = _PROBLEM["pnr_format"]  # birth number 000 is never issued
    ok = problem == 0
    good = rows[ok]
    out.problem[rows] = problem
    out.numeric[good] = year[ok] * 10**8 + number[ok] % 10**8
    out.kind[good] = np.where(coordination[ok], _KIND["samordningsnummer"], _KIND["personnummer"])
    out.sex[good] = np.where(digit[10][ok] % 2 == 1, 2, 1)  # odd ninth digit: M
    out.birth[good] = birth[ok]


def _full_year(century: np.ndarray, yy: np.ndarray, month: np.ndarray, day: np.ndarray,
               has_century: np.ndarray, plus: np.ndarray, ref: dt.date) -> np.ndarray:
    """The birth year. Ten-digit forms: the latest year ending in ``yy`` whose birthday is on or
    before the target date (the reference date, or 100 years before it for ``+``)."""
    target_year = np.where(plus, ref.year - 100, ref.year)
    year = target_year - (target_year - yy) % 100
    after_target = (month > ref.month) | ((month == ref.month) & (day > ref.day))
    year = np.where((year == target_year) & after_target, year - 100, year)
    return np.where(has_century, century * 100 + yy, year)


def _parse_other(out: _Builder, rows: np.ndarray, text: str, ref: dt.date) -> None:
    """A value that is not an all-digit number: a reserve number or a format problem."""
    m = _RESERVE_PREFIX.fullmatch(text)
    if m:
        out.kind[rows] = _KIND["reserve"]
        out.text.update(dict.fromkeys(rows.tolist(), m["date"] + m["tail"]))
        return
    m = _RESERVE_LETTERS.fullmatch(text)
    if not m or not re.search(r"[A-Z]", m["tail"]):
        out.problem[rows] = _PROBLEM["pnr_format"]
        return
    date_part = m["date"]
    birth = _reserve_birth_date(date_part, m["sep"] == "+", ref)
    if birth is not None and len(date_part) == 6:
        date_part = f"{birth.year // 100:02d}{date_part}"
    out.kind[rows] = _KIND["reserve"]
    out.text.update(dict.fromkeys(rows.tolist(), date_part + m["tail"]))
    if birth is not None and birth <= ref:
        out.birth[rows] = np.datetime64(birth, "D")


def _reserve_birth_date(date_part: str, plus: bool, ref: dt.date) -> dt.date | None:
    """The date part of a reserve number when it is a real date (century as for numbers)."""
    month, day = int(date_part[-4:-2]), int(date_part[-2:])
    if len(date_part) == 8:
        year = int(date_part[:4])
    else:
        target = ref.year - 100 if plus else ref.year
        year = target - (target - int(date_part[:2])) % 100
        if year == target and (month, day) > (ref.month, ref.day):
            year -= 100
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _to_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = ((year - 1970) * 12 + month - 1).astype("timedelta64[M]")
    first = (np.datetime64("1970-01", "M") + months).astype("datetime64[D]")
    return first + (day - 1).astype("timedelta64[D]")


def mask_personnummer(raw: object) -> str:
    """A cell value safe for problem reports: at most the date part, never the last four.

    ``'19121212-1212'`` → ``'19121212-****'``, ``'121212-1212'`` → ``'121212-****'``;
    anything too short or not starting with a date part → ``'****'``.
    """
    if raw is None or raw is pd.NA or (isinstance(raw, float) and raw != raw):
        return ""
    text = re.sub(r"[^0-9A-Za-z]", "", str(raw))
    leading = len(text) - len(text.lstrip("0123456789"))
    if len(text) >= 12 and leading >= 8:
        return text[:8] + "-****"
    if len(text) >= 10 and leading >= 6:
        return text[:6] + "-****"
    return "****"
