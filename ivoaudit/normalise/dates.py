"""Parse the date cells of an extract into dates, strictly: a form that could mean two dates is
refused with a code that tells the user what to do, never guessed.

:func:`parse_dates` is the one date parser. It takes one column (strings from CSV; dates,
datetimes, numbers or strings from XLSX; or a column already typed) and gives
``datetime64[ns]`` at midnight plus a problem code per cell (codes in :mod:`ivoaudit.problems`).

What is accepted (surrounding white space is ignored):

* ISO, year first: ``2026-01-05``; also ``2026-1-5``, ``2026/01/05`` and ``2026.01.05``
  (a four-digit year first is read year-month-day everywhere, so single digits and other
  separators are not ambiguous);
* compact ``20260105`` (exactly eight digits, YYYYMMDD);
* any of these with a time: ``2026-01-05 14:30``, ``2026-01-05T14:30:00``,
  ``2026-01-05 14:30:00.000`` (the time is dropped; a time zone suffix is refused, since
  it could move the date);
* ``dd/mm/yyyy``, ``dd.mm.yyyy``, ``dd-mm-yyyy`` only with ``dayfirst=True`` (the
  mapping's ``dates.dayfirst``); otherwise ``date_ambiguous_dayfirst``;
* Excel serial numbers: numeric cells 1 – 2958465 (fraction = time of day, dropped), and
  strings of exactly five digits with an optional fraction (``45000``, ``45000.5``), which
  covers 1927-05-18 – 2173. Shorter digit strings are refused: in a CSV a bare ``2026``
  is far more likely a year than serial 2026 (1905-07-18). Serial 60 is Excel's
  non-existent 1900-02-29 (the Lotus leap-year bug) and is refused; serials up to 59 are
  counted from 1899-12-31, from 61 on from 1899-12-30, as Excel does. Numeric cells with
  eight digits (``20260105``) are YYYYMMDD, with six digits two-digit years;
* real date cells (``datetime.date``/``datetime``/``pandas.Timestamp``) and columns that
  are already ``datetime64`` or Arrow ``date32``/``timestamp`` are taken as they are.

Refused: two-digit years in any form (``05-01-26``, ``26-01-05``, ``050126``):
``date_two_digit_year``; dates that do not exist (2026-02-30, 2025-02-29):
``date_impossible``; years before 1900 or after 2100 (a typo such as 2062 for 2026 is
still accepted, but 0026 or 1026 is not a case date): ``date_implausible``; anything else,
including leading or trailing junk: ``date_unparseable``.

How: ``YYYY-MM-DD`` cells (with or without a time) are converted by Arrow's cast to
``date32``, which is strict (exactly that form, a real calendar date; Arrow's ``strptime`` is
not used: it rolls 2026-02-30 over to 2026-03-02). Every other cell, and a column where the
cast finds an impossible date, is read in Python once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["DATE_PROBLEM_CODES", "MAX_YEAR", "MIN_YEAR", "parse_date_cells", "parse_dates"]

MIN_YEAR = 1900
MAX_YEAR = 2100

DATE_PROBLEM_CODES = (
    "date_unparseable",
    "date_ambiguous_dayfirst",
    "date_two_digit_year",
    "date_impossible",
    "date_implausible",
    "date_excel_1900_leap_bug",
)

_NS_PER_DAY = np.int64(86_400_000_000_000)
_NAT = np.iinfo(np.int64).min  # int64 view of NaT
_EPOCH = dt.date(1970, 1, 1)
_MIN_DAY = (dt.date(MIN_YEAR, 1, 1) - _EPOCH).days
_MAX_DAY = (dt.date(MAX_YEAR, 12, 31) - _EPOCH).days
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_EXCEL_BEFORE_BUG = dt.date(1899, 12, 31)  # serial 1 = 1900-01-01
_EXCEL_AFTER_BUG = dt.date(1899, 12, 30)  # serial 61 = 1900-03-01

# ISO date, optionally with a valid time: what Arrow's cast reads (from the first ten characters).
_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)?$"
_TIME = r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d{1,9})?)?)?"
_YEAR_FIRST = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME, re.ASCII
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})" + _TIME, re.ASCII)
_DAY_FIRST = re.compile(
    r"(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})" + _TIME, re.ASCII
)
_TWO_DIGIT_YEAR = re.compile(r"(?:\d{1,2}([-/.])\d{1,2}\1\d{2}|\d{6})" + _TIME, re.ASCII)
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?", re.ASCII)

Parsed = tuple[int | None, str | None]  # (days since 1970-01-01, problem code)


def parse_dates(values: pd.Series, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse one column of date cells.

    Returns ``(dates, problems)`` with the index of ``values``: ``dates`` is ``datetime64[ns]``
    at midnight with ``NaT`` for blank or invalid cells; ``problems`` (object dtype) holds
    ``None`` where the cell was valid or blank, else one of :data:`DATE_PROBLEM_CODES`. See the
    module docstring for the accepted forms.
    """
    dates, codes = parse_date_cells(values, dayfirst=dayfirst)
    return (pd.Series(dates, index=values.index, name=values.name),
            pd.Series(codes, index=values.index, name=values.name, dtype=object))


def parse_date_cells(values: pd.Series | pa.Array | pa.ChunkedArray, *,
                     dayfirst: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_dates` for an Arrow text column or a pandas column, as numpy arrays
    (``datetime64[ns]`` dates, object problem codes)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        plain = _plain_iso_column(values)
        if plain is not None:
            return plain, np.full(len(values), None, dtype=object)
        days = np.full(len(values), _NAT, dtype=np.int64)
        codes = np.full(len(values), None, dtype=object)
        _parse_strings(values, np.arange(len(values)), days, codes, dayfirst)
    else:
        days, codes = _parse_any(values, dayfirst)
    implausible = (days != _NAT) & ((days < _MIN_DAY) | (days > _MAX_DAY))
    days[implausible] = _NAT
    codes[implausible] = "date_implausible"
    return np.where(days == _NAT, _NAT, days * _NS_PER_DAY).view("datetime64[ns]"), codes


def _plain_iso_column(values: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """The usual column, every cell blank or a plain ``YYYY-MM-DD`` of a plausible year, read by
    Arrow's cast straight to ``datetime64[ns]``; ``None`` for any other column."""
    if values.null_count == len(values):
        return None
    try:
        dates = pc.cast(values.cast(pa.string()), pa.date32())
    except pa.ArrowInvalid:
        return None
    low, high = pc.min_max(dates).values()
    if low.is_valid and (low.cast(pa.int32()).as_py() < _MIN_DAY or high.cast(pa.int32()).as_py() > _MAX_DAY):
        return None
    return np.asarray(dates.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False), dtype="datetime64[ns]")


def _parse_any(values: pd.Series, dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 (``_NAT`` where none) and problem codes, by the column's type."""
    n = len(values)
    days = np.full(n, _NAT, dtype=np.int64)
    codes = np.full(n, None, dtype=object)
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        values = values.astype(object)
        dtype = values.dtype
    if _is_typed_temporal(dtype):
        return _typed_to_days(values), codes
    if pd.api.types.is_bool_dtype(dtype):
        _fill_by_unique(values.to_numpy(dtype=object), np.arange(n), days, codes, _parse_scalar)
    elif pd.api.types.is_numeric_dtype(dtype):
        _fill_by_unique(values.to_numpy(dtype=object), np.arange(n), days, codes, _parse_number)
    else:
        objects = values.to_numpy(dtype=object)
        is_str = np.fromiter((isinstance(v, str) for v in objects), dtype=bool, count=n)
        if is_str.any():
            strings = pa.array(objects[is_str], type=pa.string())
            _parse_strings(strings, np.flatnonzero(is_str), days, codes, dayfirst)
        others = np.flatnonzero(~is_str)
        _fill_by_unique(objects[others], others, days, codes, _parse_scalar)
    return days, codes


def _parse_strings(arr: pa.Array | pa.ChunkedArray, positions: np.ndarray, days: np.ndarray,
                   codes: np.ndarray, dayfirst: bool) -> None:
    """Strings into ``days``/``codes`` at ``positions``: ISO cells by Arrow's cast, the rest in Python."""
    trimmed = pc.utf8_trim_whitespace(arr.cast(pa.string()))
    filled = pc.fill_null(pc.greater(pc.binary_length(trimmed), 0), False)
    try:  # the usual column: every cell blank or a plain YYYY-MM-DD
        whole = pc.cast(pc.if_else(filled, trimmed, None), pa.date32())
        days[positions] = pc.fill_null(pc.cast(pc.cast(whole, pa.int32()), pa.int64()), _NAT).to_numpy(zero_copy_only=False)
        return
    except pa.ArrowInvalid:
        pass
    nonblank = filled.to_numpy(zero_copy_only=False)
    iso = pc.fill_null(pc.match_substring_regex(trimmed, _ISO), False).to_numpy(zero_copy_only=False)
    if iso.any():
        heads = pc.utf8_slice_codeunits(trimmed.filter(pa.array(iso)), 0, 10)
        try:
            cast = pc.cast(pc.cast(pc.cast(heads, pa.date32()), pa.int32()), pa.int64()).to_numpy(zero_copy_only=False)
            days[positions[iso]] = cast
        except pa.ArrowInvalid:  # an impossible date among them: Python names it below
            iso[:] = False
    rest = nonblank & ~iso
    if rest.any():
        texts = trimmed.filter(pa.array(rest)).to_numpy(zero_copy_only=False)
        _fill_by_unique(texts, positions[rest], days, codes, lambda s: _parse_string(str(s), dayfirst))


# --- typed columns ------------------------------------------------------------------


def _is_typed_temporal(dtype: object) -> bool:
    if isinstance(dtype, pd.ArrowDtype):
        pa_type = dtype.pyarrow_dtype
        return pa.types.is_date(pa_type) or pa.types.is_timestamp(pa_type)
    return pd.api.types.is_datetime64_any_dtype(dtype)


def _typed_to_days(values: pd.Series) -> np.ndarray:
    """Days since 1970 for a date/timestamp column, floored to the (local wall) date."""
    if isinstance(values.dtype, pd.ArrowDtype):
        arr = pa.chunked_array(values.array._pa_array)
        if pa.types.is_timestamp(arr.type):
            # Dropping the zone keeps the wall-clock date the extract shows.
            arr = pc.cast(pc.local_timestamp(arr) if arr.type.tz else arr, pa.date32())
        arr = pc.cast(pc.cast(arr, pa.date32()), pa.int32())
        return pc.fill_null(pc.cast(arr, pa.int64()), _NAT).to_numpy().copy()
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    raw = values.to_numpy(dtype="datetime64[ns]" if values.dtype.kind != "M" else None)
    day_values = raw.astype("datetime64[D]").astype(np.int64)
    return np.where(np.isnat(raw), _NAT, day_values)


# --- one cell at a time (each distinct value once) ------------------------------------


def _parse_string(text: str, dayfirst: bool) -> Parsed:
    """Parse one trimmed, non-blank string the fast path could not read."""
    m = _YEAR_FIRST.fullmatch(text) or _COMPACT.fullmatch(text)
    if m:
        return _from_match(m)
    m = _DAY_FIRST.fullmatch(text)
    if m:
        if not dayfirst:
            return None, "date_ambiguous_dayfirst"
        return _from_match(m)
    if _TWO_DIGIT_YEAR.fullmatch(text):
        return None, "date_two_digit_year"
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")))
    return None, "date_unparseable"


def _from_match(m: re.Match[str]) -> Parsed:
    hour, minute, second = m.group("H"), m.group("M"), m.group("S")
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59):
        return None, "date_unparseable"
    return _from_parts(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _from_parts(year: int, month: int, day: int) -> Parsed:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, "date_implausible"
    try:
        return (dt.date(year, month, day) - _EPOCH).days, None
    except ValueError:
        return None, "date_impossible"


# --- numbers and other cells ----------------------------------------------------------


def _from_serial(serial: float) -> Parsed:
    """An Excel (1900 date system) serial number; the fraction is the time of day."""
    if not math.isfinite(serial) or serial < 1:
        return None, "date_unparseable"
    if serial > _EXCEL_MAX_SERIAL:
        return None, "date_implausible"
    whole = int(serial)
    if whole == 60:
        return None, "date_excel_1900_leap_bug"
    base = _EXCEL_BEFORE_BUG if whole < 60 else _EXCEL_AFTER_BUG
    day = base + dt.timedelta(days=whole)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None, "date_implausible"
    return (day - _EPOCH).days, None


def _parse_number(value: object) -> Parsed:
    """A numeric cell: YYYYMMDD when it has eight digits, else an Excel serial."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None, None
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer() and 10_000_000 <= number <= 99_999_999:
        whole = int(number)
        return _from_parts(whole // 10_000, whole // 100 % 100, whole % 100)
    if number.is_integer() and 100_000 <= number <= 999_999:
        return None, "date_two_digit_year"
    return _from_serial(number)


def _parse_scalar(value: object) -> Parsed:
    """One cell of a mixed (XLSX) column that is not a string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, None
    if isinstance(value, bool | np.bool_):
        return None, "date_unparseable"
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None, None
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):  # includes pandas.Timestamp
        return _from_parts(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _from_parts(value.year, value.month, value.day)
    if isinstance(value, int | float | np.integer | np.floating):
        return _parse_number(value)
    return None, "date_unparseable"


def _fill_by_unique(
    objects: np.ndarray,
    positions: np.ndarray,
    days: np.ndarray,
    codes: np.ndarray,
    parse: Callable[[object], Parsed],
) -> None:
    """Parse each distinct value once and spread the results to ``positions``."""
    keys, uniques = pd.factorize(objects, use_na_sentinel=True)
    u_days = np.full(len(uniques), _NAT, dtype=np.int64)
    u_codes = np.full(len(uniques), None, dtype=object)
    for i, value in enumerate(uniques):
        day, code = parse(value)
        if day is not None:
            u_days[i] = day
        u_codes[i] = code
    known = keys >= 0  # missing values stay blank
    days[positions[known]] = u_days[keys[known]]
    codes[positions[known]] = u_codes[keys[known]]
