"""Parse the date cells of an extract: fast for clean columns, strict for odd ones.

:func:`parse_dates` turns one column (strings from CSV; dates, datetimes, numbers or
strings from XLSX; or a column Arrow already typed) into ``datetime64[ns]`` at midnight
plus a problem code per cell. It never guesses: a form that could mean two dates is
refused with a code that tells the user what to do.

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

Performance: the common case (a million ``YYYY-MM-DD`` cells, perhaps with a time) is
read without per-cell Python: the digits are gathered from the Arrow string buffer with
numpy and looked up in a calendar table of 1900–2100, so impossible dates fall out by
themselves (about 60 ms per million cells; cells with a time first pass an Arrow regex).
Only non-blank cells the fast path could not read go to the Python parser, once per
distinct value. Arrow's ``strptime`` is *not* used: it silently rolls 2026-02-30 over to
2026-03-02.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.i18n import t

__all__ = [
    "DATE_PROBLEM_CODES",
    "MAX_YEAR",
    "iso_date_column",
    "MIN_YEAR",
    "date_problem_text",
    "parse_dates",
]

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

_NS_PER_DAY = 86_400_000_000_000
_NAT = np.iinfo(np.int64).min  # int64 view of NaT
_NAT_32 = np.iinfo(np.int32).min  # "no such date" in the calendar table
_EPOCH = dt.date(1970, 1, 1)
_MIN_DAY = (dt.date(MIN_YEAR, 1, 1) - _EPOCH).days
_MAX_DAY = (dt.date(MAX_YEAR, 12, 31) - _EPOCH).days
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_EXCEL_BEFORE_BUG = dt.date(1899, 12, 31)  # serial 1 = 1900-01-01
_EXCEL_AFTER_BUG = dt.date(1899, 12, 30)  # serial 61 = 1900-03-01

# The form read by the vectorised fast path: ISO date, optionally a valid time.
_FAST_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)?$"
_DIGIT_OFFSETS = (0, 1, 2, 3, 5, 6, 8, 9)  # the digits of YYYY-MM-DD
_DASH = ord("-")
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


def date_problem_text(code: str) -> str:
    """The user-facing message for a date problem code, in the current language."""
    texts = {
        "date_unparseable": t(
            "Datumet kan inte läsas. Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-05.",
            "The date cannot be read. Write the date as YYYY-MM-DD, for example 2026-01-05.",
        ),
        "date_ambiguous_dayfirst": t(
            "Datumet kan läsas på två sätt (dag/månad eller månad/dag). Skriv det som "
            "ÅÅÅÅ-MM-DD, eller ange dates: dayfirst: true i mappningsfilen om uttaget "
            "skriver dagen först.",
            "The date can be read two ways (day/month or month/day). Write it as "
            "YYYY-MM-DD, or set dates: dayfirst: true in the mapping file if the extract "
            "writes the day first.",
        ),
        "date_two_digit_year": t(
            "Året har bara två siffror, så århundradet är okänt. Skriv datumet med fyrsiffrigt "
            "år: ÅÅÅÅ-MM-DD.",
            "The year has only two digits, so the century is unknown. Write the date with a "
            "four-digit year: YYYY-MM-DD.",
        ),
        "date_impossible": t(
            "Datumet finns inte i kalendern (till exempel 30 februari). Rätta datumet i "
            "verksamhetssystemet eller uttaget.",
            "The date does not exist in the calendar (for example 30 February). Correct the "
            "date in the case system or the extract.",
        ),
        "date_implausible": t(
            "Datumet ligger före år {lo} eller efter år {hi} och är troligen felskrivet. "
            "Kontrollera året.",
            "The date is before {lo} or after {hi} and is probably mistyped. Check the year.",
            lo=MIN_YEAR,
            hi=MAX_YEAR,
        ),
        "date_excel_1900_leap_bug": t(
            "Excel-datumet 60 motsvarar 1900-02-29, som inte finns (ett känt fel i Excel). "
            "Skriv datumet som ÅÅÅÅ-MM-DD.",
            "Excel date 60 stands for 1900-02-29, which does not exist (a known Excel bug). "
            "Write the date as YYYY-MM-DD.",
        ),
    }
    if code not in texts:
        raise KeyError(f"unknown date problem code: {code!r}")
    return texts[code]


def parse_dates(values: pd.Series, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse one column of date cells.

    Returns ``(dates, problems)`` with the index of ``values``: ``dates`` is
    ``datetime64[ns]`` at midnight with ``NaT`` for blank or invalid cells; ``problems``
    (object dtype) holds ``None`` where the cell was valid or blank, else one of
    :data:`DATE_PROBLEM_CODES`. See the module docstring for the accepted forms.
    """
    n = len(values)
    days = np.full(n, _NAT, dtype=np.int64)
    codes = np.full(n, None, dtype=object)
    dtype = values.dtype

    if isinstance(dtype, pd.CategoricalDtype):
        values = values.astype(object)
        dtype = values.dtype

    if _is_typed_temporal(dtype):
        days = _typed_to_days(values)
    elif pd.api.types.is_bool_dtype(dtype):
        _fill_from_scalars(values.to_numpy(dtype=object), days, codes, _parse_scalar)
    elif pd.api.types.is_numeric_dtype(dtype):
        _fill_from_scalars(values.to_numpy(dtype=object), days, codes, _parse_number)
    else:
        arr = _as_arrow_strings(values)
        if arr is not None:
            _parse_string_array(arr, np.arange(n), days, codes, dayfirst)
        else:
            _parse_mixed(values.to_numpy(dtype=object), days, codes, dayfirst)

    # Plausibility applies to every path, typed columns included.
    present = days != _NAT
    implausible = present & ((days < _MIN_DAY) | (days > _MAX_DAY))
    if implausible.any():
        days[implausible] = _NAT
        codes[implausible] = "date_implausible"

    ns = np.where(days == _NAT, _NAT, days * _NS_PER_DAY)
    dates = pd.Series(ns.view("datetime64[ns]"), index=values.index, name=values.name)
    problems = pd.Series(codes, index=values.index, name=values.name, dtype=object)
    return dates, problems


def iso_date_column(values: pa.ChunkedArray | pa.Array) -> pd.Series | None:
    """The fast path for an Arrow string column whose every cell is exactly ``YYYY-MM-DD``
    (or a ``date32`` column Arrow's CSV reader parsed already).

    Arrow's own cast (strict: exactly ``YYYY-MM-DD``, a real calendar date) does the
    parsing, about five times faster than :func:`parse_dates`. Returns the
    ``datetime64[ns]`` column (``NaT`` where blank), or ``None`` when any cell has another
    form (white space included) or an implausible year: then :func:`parse_dates` must read
    the column and name each problem. Same result as :func:`parse_dates` whenever it
    returns a column, so the column needs no trimming first.
    """
    try:
        days = values if pa.types.is_date32(values.type) else pc.cast(values, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    lowest, highest = pc.min_max(days).values()
    if lowest.is_valid and (
        lowest.cast(pa.int32()).as_py() < _MIN_DAY or highest.cast(pa.int32()).as_py() > _MAX_DAY
    ):
        return None
    return pd.Series(_date32_to_ns(days), copy=False)




def _date32_to_ns(days: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """``datetime64[ns]`` of a ``date32`` column (null → NaT), written chunk by chunk into
    one new array: Arrow's cast and ``to_numpy`` would make it twice (fresh memory is
    what costs most here)."""
    chunks = days.chunks if isinstance(days, pa.ChunkedArray) else [days]
    out = np.empty(len(days), dtype=np.int64)
    at = 0
    for chunk in chunks:
        size = len(chunk)
        if not size:
            continue
        validity, data = chunk.buffers()
        part = out[at : at + size]
        at += size
        if data is None:  # a chunk of nothing but nulls may carry no data buffer
            part[:] = _NAT
            continue
        day = np.frombuffer(data, dtype=np.int32, count=size, offset=chunk.offset * 4)
        np.multiply(day, np.int64(_NS_PER_DAY), out=part, casting="unsafe")
        if chunk.null_count:
            bits = np.frombuffer(validity, dtype=np.uint8)
            valid = np.unpackbits(bits, count=chunk.offset + size, bitorder="little")[chunk.offset :]
            part[valid == 0] = _NAT
    return out.view("datetime64[ns]")


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


# --- strings ------------------------------------------------------------------------


def _as_arrow_strings(values: pd.Series) -> pa.ChunkedArray | None:
    """The column as an Arrow string array, or None when it mixes types (XLSX)."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    if pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    if not (
        pa.types.is_string(arr.type)
        or pa.types.is_large_string(arr.type)
        or pa.types.is_string_view(arr.type)
    ):
        return None
    return pa.chunked_array([arr]) if isinstance(arr, pa.Array) else arr


def _parse_string_array(
    arr: pa.ChunkedArray,
    positions: np.ndarray,
    days: np.ndarray,
    codes: np.ndarray,
    dayfirst: bool,
) -> None:
    """Parse strings into ``days``/``codes`` at ``positions`` (fast path, then the rest)."""
    trimmed = pc.utf8_trim_whitespace(arr).combine_chunks()
    if trimmed.type != pa.large_string():
        trimmed = trimmed.cast(pa.large_string())  # one offsets width for the gather below
    lengths = pc.fill_null(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)
    nonblank = lengths > 0
    # A bare date is checked byte by byte below; only cells long enough to carry a time
    # need the (slower) regex.
    shaped = lengths == 10
    timed = np.flatnonzero((lengths >= 16) & (lengths <= 29))
    if len(timed):
        subset = trimmed.take(pa.array(timed))
        matches = pc.fill_null(pc.match_substring_regex(subset, _FAST_ISO), False)
        shaped[timed[matches.to_numpy(zero_copy_only=False)]] = True
    fast_days, ok = _iso_prefix_days(trimmed, shaped)
    days[positions[ok]] = fast_days[ok]

    rest = nonblank & ~ok
    if not rest.any():
        return
    rest_values = trimmed.filter(pa.array(rest)).to_numpy(zero_copy_only=False)
    _fill_by_unique(rest_values, positions[rest], days, codes, lambda s: _parse_string(str(s), dayfirst))


def _iso_prefix_days(arr: pa.LargeStringArray, shaped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 of ``YYYY-MM-DD`` prefixes, read straight from Arrow's buffers.

    ``shaped`` marks the cells that may have the fast form (ten characters, or a date and
    a time that passed the regex); the prefix's bytes are checked here. Returns the day numbers and a
    mask of those that are real, plausible dates (the others go to the slow parser, which
    names their problem). The calendar is a lookup table, so no per-cell Python runs.
    """
    result = np.full(len(arr), _NAT, dtype=np.int64)
    ok = np.zeros(len(arr), dtype=bool)
    if not shaped.any():
        return result, ok
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr)]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    where = np.flatnonzero(shaped)
    starts = offsets[where]
    key = np.zeros(len(where), dtype=np.int32)  # YYYYMMDD as a number
    well_formed = (data[starts + 4] == _DASH) & (data[starts + 7] == _DASH)
    for k in _DIGIT_OFFSETS:
        digit = data[starts + k] - np.uint8(48)  # wraps above 9 for any non-digit byte
        well_formed &= digit <= 9
        key *= 10
        key += digit
    inside = well_formed & (key >= MIN_YEAR * 10_000) & (key < (MAX_YEAR + 1) * 10_000)
    found = _calendar()[np.where(inside, key - MIN_YEAR * 10_000, 0)]
    valid = inside & (found != _NAT_32)
    result[where[valid]] = found[valid]
    ok[where[valid]] = True
    return result, ok


@functools.cache
def _calendar() -> np.ndarray:
    """Day number (since 1970) indexed by YYYYMMDD - MIN_YEAR*10000; a sentinel where no date."""
    table = np.full((MAX_YEAR - MIN_YEAR + 1) * 10_000, _NAT_32, dtype=np.int32)
    days = np.arange(f"{MIN_YEAR}-01-01", f"{MAX_YEAR + 1}-01-01", dtype="datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    month_days = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    table[(years - MIN_YEAR) * 10_000 + months * 100 + month_days] = days.astype(np.int64)
    return table


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


def _parse_mixed(objects: np.ndarray, days: np.ndarray, codes: np.ndarray, dayfirst: bool) -> None:
    is_str = np.fromiter((isinstance(v, str) for v in objects), dtype=bool, count=len(objects))
    if is_str.any():
        strings = pa.chunked_array([pa.array(objects[is_str], type=pa.string())])
        _parse_string_array(strings, np.flatnonzero(is_str), days, codes, dayfirst)
    others = np.flatnonzero(~is_str)
    for pos in others:
        day, code = _parse_scalar(objects[pos])
        if day is not None:
            days[pos] = day
        codes[pos] = code


def _fill_from_scalars(
    objects: np.ndarray, days: np.ndarray, codes: np.ndarray, parse: Callable[[object], Parsed]
) -> None:
    _fill_by_unique(objects, np.arange(len(objects)), days, codes, parse)


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
