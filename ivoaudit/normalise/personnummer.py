"""Personal identity numbers: validate, derive sex and birth date, pseudonymise, mask.

Why a vectorised parser: an extract may hold a million rows; validating them one at a
time with the ``personnummer`` library takes several seconds per hundred thousand. So
:func:`parse_number_array` checks a whole Arrow column at once with numpy arithmetic on a
digit matrix (Luhn, calendar, century): the plain digit shapes (``YYYYMMDD-NNNN``,
``YYYYMMDDNNNN``, ``YYMMDD-NNNN``, ``YYMMDDNNNN``, ``+`` for ``-``) are read straight from
Arrow's string buffer, everything else is normalised and matched with Arrow regexes
first. :func:`parse_personnummer` (the pandas-facing form) runs it once per distinct
value; :func:`pseudonym_array` computes one HMAC per distinct number. The ``personnummer`` package
(installed as a dependency) is the independent reference: the tests check with
Hypothesis that for generated valid and invalid numbers this module agrees with
``personnummer.valid()`` and with its parse for sex and birth date. It is not called at
run time.

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

import contextlib
import datetime as dt
import functools
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit import hmac_worker
from ivoaudit.background import in_background
from ivoaudit.errors import UserError
from ivoaudit.i18n import t

__all__ = [
    "PNR_PROBLEM_CODES",
    "SECRET_ENV",
    "load_or_create_secret",
    "mask_personnummer",
    "parse_personnummer",
    "pnr_problem_text",
    "pseudonymise",
]

PNR_PROBLEM_CODES = ("pnr_format", "pnr_date", "pnr_checksum", "pnr_future")
SECRET_ENV = "IVOAUDIT_SECRET_FILE"
RESULT_COLUMNS = ["canonical", "kind", "sex", "birth_date", "problem"]

_NUMBER = r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$"
_RESERVE_LETTERS = re.compile(r"(?P<date>\d{8}|\d{6})(?P<sep>[-+]?)(?P<tail>[0-9A-Z]{4})", re.ASCII)
_RESERVE_PREFIX = re.compile(r"(?P<date>(?:98|99)\d{6})-?(?P<tail>\d{4})", re.ASCII)
_LUHN_WEIGHTS = np.array([2, 1, 2, 1, 2, 1, 2, 1, 2], dtype=np.int16)
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int16)  # 2d, digit sum
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int16)


def pnr_problem_text(code: str) -> str:
    """The user-facing message for a personnummer problem code, in the current language."""
    texts = {
        "pnr_format": t(
            "Personnumret har fel form. Skriv det som ÅÅÅÅMMDD-NNNN (tolv siffror), "
            "eller ÅÅMMDD-NNNN.",
            "The personal identity number has the wrong form. Write it as YYYYMMDD-NNNN "
            "(twelve digits), or YYMMDD-NNNN.",
        ),
        "pnr_date": t(
            "Personnumrets datumdel är inte ett riktigt datum. Kontrollera numret i "
            "verksamhetssystemet.",
            "The date part of the personal identity number is not a real date. Check the "
            "number in the case system.",
        ),
        "pnr_checksum": t(
            "Personnumrets kontrollsiffra stämmer inte, så numret är troligen felskrivet. "
            "Kontrollera numret i verksamhetssystemet.",
            "The check digit of the personal identity number does not match, so the number "
            "is probably mistyped. Check the number in the case system.",
        ),
        "pnr_future": t(
            "Personnumrets födelsedatum ligger efter dagens datum. Kontrollera århundradet "
            "(19 eller 20) i numret.",
            "The birth date in the personal identity number is after today. Check the "
            "century (19 or 20) in the number.",
        ),
    }
    if code not in texts:
        raise KeyError(f"unknown personnummer problem code: {code!r}")
    return texts[code]


# --- parsing ------------------------------------------------------------------------

# Small integer codes of the vectorised core; index 0 means "none".
KIND_NAMES: tuple[str | None, ...] = (None, "personnummer", "samordningsnummer", "reserve")
SEX_NAMES: tuple[str | None, ...] = (None, "F", "M")
PROBLEM_NAMES: tuple[str | None, ...] = (None, *PNR_PROBLEM_CODES)
_KIND = {name: i for i, name in enumerate(KIND_NAMES)}
_PROBLEM = {name: i for i, name in enumerate(PROBLEM_NAMES)}

# The shapes read straight from the string buffer: (length, separator position or None,
# century given). Everything else (white space, letters, other lengths) takes the regex path.
_FAST_SHAPES = ((13, 8, True), (12, None, True), (11, 6, False), (10, None, False))


@dataclass(frozen=True)
class ParsedNumbers:
    """The vectorised result: one entry per input value, codes index the ``*_NAMES`` tuples.

    ``canonical`` is ASCII bytes (``b""`` where there is none; at most 12 characters),
    ``birth`` is ``datetime64[D]`` (``NaT`` where there is none).
    """

    canonical: np.ndarray
    kind: np.ndarray
    sex: np.ndarray
    birth: np.ndarray
    problem: np.ndarray

    def take(self, index: np.ndarray) -> ParsedNumbers:
        """The entries at ``index``, in that order."""
        return ParsedNumbers(self.canonical[index], self.kind[index], self.sex[index], self.birth[index],
                             self.problem[index])

    @classmethod
    def empty(cls, n: int) -> ParsedNumbers:
        return cls(
            canonical=np.zeros(n, dtype="S12"),
            kind=np.zeros(n, dtype=np.int8),
            sex=np.zeros(n, dtype=np.int8),
            birth=np.full(n, np.datetime64("NaT", "D")),
            problem=np.zeros(n, dtype=np.int8),
        )


def parse_personnummer(values: pd.Series, *, reference_date: dt.date | None = None) -> pd.DataFrame:
    """Validate a column of personnummer/samordningsnummer/reserve numbers.

    Returns a frame with the index of ``values`` and the columns ``canonical`` (12-digit
    ``YYYYMMDDNNNC``), ``kind`` (``personnummer``/``samordningsnummer``/``reserve``),
    ``sex`` (``F``/``M``), ``birth_date`` (``datetime64[ns]``) and ``problem`` (one of
    :data:`PNR_PROBLEM_CODES`). Blank cells give an all-empty row without a problem.
    ``reference_date`` (default today) decides the century of ten-digit numbers and
    what counts as a future birth date.
    """
    ref = reference_date or dt.date.today()
    keys, uniques = pd.factorize(values, use_na_sentinel=True)
    found = parse_number_array(_as_string_array(uniques), ref)

    canonical = found.canonical.astype("U12").astype(object)
    canonical[found.canonical == b""] = None
    columns = {
        "canonical": canonical,
        "kind": np.array(KIND_NAMES, dtype=object)[found.kind],
        "sex": np.array(SEX_NAMES, dtype=object)[found.sex],
        "birth_date": found.birth.astype("datetime64[ns]"),
        "problem": np.array(PROBLEM_NAMES, dtype=object)[found.problem],
    }
    known = keys >= 0
    frame = {}
    for column in RESULT_COLUMNS:
        source = columns[column]
        if column == "birth_date":
            out = np.full(len(keys), np.datetime64("NaT", "ns"))
        else:
            out = np.full(len(keys), None, dtype=object)
        out[known] = source[keys[known]]
        frame[column] = pd.Series(out, index=values.index, dtype=out.dtype)
    return pd.DataFrame(frame, index=values.index)


def _as_string_array(uniques: object) -> pa.Array:
    """Distinct cell values as an Arrow string array (non-strings as a user would read them)."""
    objects = np.asarray(uniques, dtype=object)
    try:
        return pa.array(objects, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_cell_text(v) for v in objects], type=pa.string())


def _cell_text(value: object) -> str | None:
    """A non-string cell (XLSX numbers) as the text a user would read."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def parse_number_array(texts: pa.Array | pa.ChunkedArray, ref: dt.date) -> ParsedNumbers:
    """Validate an Arrow string array of numbers (null = blank) without per-value Python.

    Why two paths: nearly every cell of a real extract is ``YYYYMMDD-NNNN`` or one of
    the other three plain digit shapes, and those are read byte by byte from Arrow's
    string buffer into a digit matrix. Cells with white space, letters or other lengths
    (few) go through the regular-expression path, which normalises them first; both
    end in the same checks (:func:`_check_digits`).
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = texts.cast(pa.large_string())  # int64 offsets for the gather below
    n = len(texts)
    out = ParsedNumbers.empty(n)
    if n == 0:
        return out
    present = texts.is_valid().to_numpy(zero_copy_only=False)
    _, offsets_buf, data_buf = texts.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[texts.offset : texts.offset + n + 1]
    lengths = np.where(present, np.diff(offsets), -1)
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    )

    fast = np.zeros(n, dtype=bool)
    for length, sep_at, has_century in _FAST_SHAPES:
        rows = np.flatnonzero(lengths == length)
        if not len(rows):
            continue
        # One gather per character position: an (n, length) index matrix would cost
        # eight bytes per character at a million cells.
        starts = offsets[rows]
        # Character positions as rows: every step below works on contiguous vectors.
        cells = np.empty((length, len(rows)), dtype=np.uint8)
        for k in range(length):
            cells[k] = data[starts + k]
        sep = cells[sep_at] if sep_at is not None else None
        digit_rows = [k for k in range(length) if k != sep_at]
        good = np.ones(len(rows), dtype=bool)
        for k in digit_rows:
            good &= cells[k] - np.uint8(48) <= 9  # wraps above 9 for any non-digit byte
        if sep is not None:
            good &= (sep == ord("-")) | (sep == ord("+"))
        if has_century:
            # 98/99 may be a reserve number: leave those to the regular-expression path.
            good &= ~((cells[0] == ord("9")) & (cells[1] >= ord("8")))
        rows = rows[good]
        digits = np.full((12, len(rows)), 48, dtype=np.int16)  # century "00" when not given
        for i, k in enumerate(digit_rows, start=12 - len(digit_rows)):
            digits[i] = cells[k][good]
        digits -= 48
        digits = digits.T  # (n, 12) as _check_digits takes it, still column-contiguous
        plus = (sep[good] == ord("+")) if sep is not None else np.zeros(len(rows), dtype=bool)
        century = np.full(len(rows), has_century)
        _store(out, rows, _check_digits(digits, century, plus, ref))
        fast[rows] = True

    rest = np.flatnonzero(present & ~fast)
    if len(rest):
        _parse_rest(texts.take(pa.array(rest)), rest, ref, out)
    return out


def _parse_rest(texts: pa.Array, rows: np.ndarray, ref: dt.date, out: ParsedNumbers) -> None:
    """Values the byte path did not take: normalise, then regular expressions."""
    texts = pc.fill_null(pc.utf8_upper(pc.replace_substring_regex(texts, r"\s+", "")), "")
    blank = pc.utf8_length(texts).to_numpy(zero_copy_only=False) == 0
    numeric = pc.fill_null(pc.match_substring_regex(texts, _NUMBER), False).to_numpy(
        zero_copy_only=False
    )
    reserve_prefix = pc.fill_null(
        pc.match_substring_regex(texts, "^" + _RESERVE_PREFIX.pattern + "$"), False
    ).to_numpy(zero_copy_only=False)
    numeric &= ~reserve_prefix

    picked = np.flatnonzero(numeric)
    if len(picked):
        parts = pc.extract_regex(texts.take(pa.array(picked)), _NUMBER)
        century = parts.field("century")
        has_century = pc.utf8_length(century).to_numpy(zero_copy_only=False) == 2
        plus = pc.equal(parts.field("sep"), "+").to_numpy(zero_copy_only=False)
        joined = pc.binary_join_element_wise(
            pc.if_else(pa.array(has_century), century, "00"),
            parts.field("date"),
            parts.field("serial"),
            pa.scalar("", pa.large_string()),
        )
        digits = _digit_matrix(joined, 12)
        _store(out, rows[picked], _check_digits(digits, has_century, plus, ref))

    for i in np.flatnonzero(~numeric & ~blank):
        _parse_other(texts[int(i)].as_py(), int(rows[i]), ref, out)


def _store(out: ParsedNumbers, rows: np.ndarray, found: ParsedNumbers) -> None:
    for name in ("canonical", "kind", "sex", "birth", "problem"):
        getattr(out, name)[rows] = getattr(found, name)


def _check_digits(
    digits: np.ndarray, has_century: np.ndarray, plus: np.ndarray, ref: dt.date
) -> ParsedNumbers:
    """Validate numbers given as an (n, 12) digit matrix (century ``00`` when not given)."""
    d = np.ascontiguousarray(digits.T)  # d[k]: the k-th digit of every number (free if F-order)
    given_century = d[0] * 10 + d[1]
    yy = d[2] * 10 + d[3]
    month = d[4] * 10 + d[5]
    day = d[6] * 10 + d[7]
    coordination = (day >= 61) & (day <= 91)
    birth_day = np.where(coordination, day - 60, day)

    # Ten-digit forms: the latest year ending in yy whose birthday is on or before the
    # target date (the reference date, or 100 years before it for '+').
    target_year = np.where(plus, ref.year - 100, ref.year)
    year = target_year - (target_year - yy) % 100
    after_target = (month > ref.month) | ((month == ref.month) & (birth_day > ref.day))
    year = np.where((year == target_year) & after_target, year - 100, year)
    year = np.where(has_century, given_century * 100 + yy, year)

    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    month_days = _MONTH_DAYS[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    # Only centuries 18-20 hold living people; 98/99 were taken as reserve numbers above.
    real_date = (
        month_ok & (birth_day >= 1) & (birth_day <= month_days) & (year >= 1800) & (year <= 2099)
    )

    # Luhn over YYMMDDNNN: weights 2, 1, 2, ...; a doubled digit above 9 counts its digit sum.
    total = np.zeros(len(d[0]), dtype=np.int16)
    for k, weight in zip(range(2, 11), _LUHN_WEIGHTS, strict=True):
        total += _LUHN_DOUBLED[d[k]] if weight == 2 else d[k]
    checksum_ok = (10 - total % 10) % 10 == d[11]
    serial_zero = (d[8] == 0) & (d[9] == 0) & (d[10] == 0)

    birth = np.full(len(digits), np.datetime64("NaT", "D"))
    birth[real_date] = _to_days(year[real_date], month[real_date], birth_day[real_date])
    future = real_date & (birth > np.datetime64(ref, "D"))

    # Later assignments win: format before date before checksum before future.
    problem = np.zeros(len(digits), dtype=np.int8)
    problem[future] = _PROBLEM["pnr_future"]
    problem[~checksum_ok] = _PROBLEM["pnr_checksum"]
    problem[~real_date] = _PROBLEM["pnr_date"]
    problem[serial_zero] = _PROBLEM["pnr_format"]
    ok = problem == 0

    canonical_digits = np.empty((len(d[0]), 12), dtype=np.uint8)
    canonical_digits[:, 0] = year // 1000 + 48
    canonical_digits[:, 1] = year // 100 % 10 + 48
    canonical_digits[:, 2:] = (d[2:] + 48).T
    canonical = canonical_digits.view("S12").ravel()

    found = ParsedNumbers.empty(len(digits))
    found.problem[:] = problem
    found.canonical[ok] = canonical[ok]
    found.kind[ok] = np.where(coordination[ok], _KIND["samordningsnummer"], _KIND["personnummer"])
    found.sex[ok] = np.where(d[10][ok] % 2 == 1, 2, 1)  # odd ninth digit: M
    found.birth[ok] = birth[ok]
    return found


def _parse_other(text: str, i: int, ref: dt.date, out: ParsedNumbers) -> None:
    """A value that is not an all-digit number: a reserve number or a format problem."""
    m = _RESERVE_PREFIX.fullmatch(text)
    if m:
        out.kind[i] = _KIND["reserve"]
        out.canonical[i] = (m["date"] + m["tail"]).encode("ascii")
        return
    m = _RESERVE_LETTERS.fullmatch(text)
    if not m or not re.search(r"[A-Z]", m["tail"]):
        out.problem[i] = _PROBLEM["pnr_format"]
        return
    date_part = m["date"]
    birth = _reserve_birth_date(date_part, m["sep"] == "+", ref)
    if birth is not None and len(date_part) == 6:
        date_part = f"{birth.year // 100:02d}{date_part}"
    out.kind[i] = _KIND["reserve"]
    out.canonical[i] = (date_part + m["tail"]).encode("ascii")
    if birth is not None and birth <= ref:
        out.birth[i] = np.datetime64(birth, "D")


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


def _digit_matrix(arr: pa.Array, width: int) -> np.ndarray:
    """A (n, width) int16 matrix of the digits of equal-length ASCII digit strings."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(len(arr), width).astype(np.int16) - 48


def _to_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = ((year - 1970) * 12 + month - 1).astype("timedelta64[M]")
    first = (np.datetime64("1970-01", "M") + months).astype("datetime64[D]")
    return first + (day - 1).astype("timedelta64[D]")


# --- pseudonyms and masking -----------------------------------------------------------


def pseudonymise(canonical: pd.Series, secret: bytes) -> pd.Series:
    """Keyed pseudonyms: ``'P'`` + the first 16 hex digits of HMAC-SHA256(secret, number).

    The same number and secret always give the same pseudonym; without the secret it
    cannot be reversed or recomputed. Missing values stay missing (``None``).
    """
    keys, uniques = pd.factorize(canonical, use_na_sentinel=True)
    codes = pseudonym_bytes([str(v).encode("utf-8") for v in uniques], secret)
    codes = codes.astype(str).astype(object)
    out = np.full(len(keys), None, dtype=object)
    known = keys >= 0
    out[known] = codes[keys[known]]
    return pd.Series(out, index=canonical.index, name=canonical.name, dtype=object)


WORKER_FROM = 100_000  # distinct numbers; below this a child process costs more than it saves


def pseudonym_array(canonical: np.ndarray, secret: bytes) -> pa.StringArray:
    """Pseudonyms of an ``S12`` array of canonical numbers as Arrow strings, null for ``b""``."""
    return start_pseudonyms(canonical, secret)()


def start_pseudonyms(
    canonical: np.ndarray, secret: bytes, *, worker_from: int = WORKER_FROM
) -> Callable[[], pa.StringArray]:
    """Begin :func:`pseudonym_array`; the returned function waits for and returns the result.

    One HMAC per distinct number. From ``worker_from`` distinct numbers on, the HMACs run
    in child processes (:mod:`ivoaudit.hmac_worker`, one per core up to two) while the
    caller goes on with other columns. The result is built straight from the fixed-width
    bytes (no Python string per value).
    """
    named = np.flatnonzero(canonical != b"")
    keys, first = _distinct(canonical[named])
    packed = np.ascontiguousarray(canonical[named[first]], dtype="S12").tobytes()
    parts = min(2, os.cpu_count() or 1)
    if len(first) >= worker_from and parts > 1:
        digests = hmac_worker.start(packed, 12, secret, parts)
    else:
        digests = functools.partial(
            hmac_worker.truncated_digests, hmac_worker.fixed_width_messages(packed, 12), secret
        )
    n = len(canonical)

    def finish() -> pa.StringArray:
        codes = np.zeros(n, dtype="S17")
        codes[named] = _hex_pseudonyms(digests())[keys]
        present = np.zeros(n, dtype=bool)
        present[named] = True
        offsets = np.arange(0, 17 * (n + 1), 17, dtype=np.int32)
        return pa.Array.from_buffers(
            pa.string(),
            n,
            [
                pa.py_buffer(np.packbits(present, bitorder="little")),
                pa.py_buffer(offsets),
                pa.py_buffer(codes.tobytes()),
            ],
        )

    return finish


LOCAL_TOKEN_PREFIX = "L"  # run-local person tokens; a keyed pseudonym starts with "P"


def start_local_tokens(canonical: np.ndarray) -> Callable[[], pa.StringArray]:
    """Run-local person tokens for an ``S12`` array of canonical numbers (null for ``b""``),
    shaped like :func:`start_pseudonyms` (the returned function gives the result).

    ``"L"`` + the number's rank in order of first appearance: equal numbers get equal
    tokens and different numbers different ones, so grouping by token is grouping by
    person. Unlike a pseudonym a token carries nothing of the number (it depends only on
    the order of the rows) and means nothing outside this load; no secret is used.
    """
    # On a side thread: the loader normalises the other columns meanwhile (on a million
    # cases 0.1 s of the load's critical path; numpy and Arrow release the GIL).
    return in_background(_local_tokens, canonical, name="tokens")


def _local_tokens(canonical: np.ndarray) -> pa.StringArray:
    named = np.flatnonzero(canonical != b"")
    keys, _ = _distinct(canonical[named])
    ranks = np.full(len(canonical), -1, dtype=np.int64)
    ranks[named] = keys
    text = pa.array(ranks, mask=ranks < 0).cast(pa.string())
    return pc.binary_join_element_wise(LOCAL_TOKEN_PREFIX, text, "")


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(key of each value, position of one occurrence per key) for an ``S12`` array.

    All-digit numbers (nearly all) are factorised as integers, which is far cheaper than
    hashing byte strings; the few others (reserve numbers with letters) get negative keys.
    A digit's low four bits are its value, so the twelve of them side by side are a key
    that differs for different numbers. It is built a column at a time: the product of a
    million-by-twelve int64 matrix with the powers of ten took twice as long, for its 96 MB
    of temporaries.
    """
    matrix = np.ascontiguousarray(values).view(np.uint8).reshape(len(values), 12)
    numeric = ((matrix >= 48) & (matrix <= 57)).all(axis=1)
    key = np.zeros(len(values), dtype=np.int64)
    for column in matrix.T:
        key <<= 4
        key |= column & 15
    others = np.flatnonzero(~numeric)
    if len(others):
        other_keys, _ = pd.factorize(values[others].astype(object))
        key[others] = -1 - other_keys
    keys, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.int64)
    first[keys[::-1]] = np.arange(len(keys) - 1, -1, -1)
    return keys, first


def pseudonym_bytes(messages: Iterable[bytes], secret: bytes) -> np.ndarray:
    """The pseudonyms of already encoded numbers as an ``S17`` array (``b'P'`` + 16 hex)."""
    return _hex_pseudonyms(hmac_worker.truncated_digests(messages, secret))


def _hex_pseudonyms(digests: bytes) -> np.ndarray:
    """``b'P'`` + the hex digits of each truncated digest, as an ``S17`` array."""
    raw = np.frombuffer(digests, dtype=np.uint8).reshape(-1, hmac_worker.DIGEST_BYTES)
    chars = np.empty((len(raw), 17), dtype=np.uint8)
    chars[:, 0] = ord("P")
    chars[:, 1:] = _HEX_PAIRS[raw].view(np.uint8).reshape(len(raw), 16)  # two digits per byte
    return chars.view("S17").ravel()


_HEX_PAIRS = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint16)


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


# --- the pseudonymisation secret ------------------------------------------------------


def secret_path(path: Path | None = None) -> Path:
    """Where the secret lives: ``path``, else ``IVOAUDIT_SECRET_FILE``, else the user data dir."""
    if path is not None:
        return Path(path)
    env = os.environ.get(SECRET_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ivoaudit")) / "secret.key"


def load_or_create_secret(path: Path | None = None) -> bytes:
    """The 32-byte pseudonymisation key, created (hex, owner-only) on first use.

    Raises :class:`~ivoaudit.errors.UserError` when the file is readable by others
    (POSIX) or is not 64 hex digits: pseudonyms made with a leaked or damaged key would
    protect no one, and a silently replaced key would break links between rounds.
    """
    target = secret_path(path)
    if not target.exists():
        _create_secret(target)
    return _read_secret(target)


def _read_secret(target: Path) -> bytes:
    if os.name == "posix":
        mode = target.stat().st_mode & 0o777
        if mode & 0o077:
            raise UserError(
                t(
                    "Nyckelfilen {path} kan läsas av andra än du (rättigheter {mode:o}). Gör den "
                    "privat med: chmod 600 {path}",
                    "The key file {path} can be read by others than you (mode {mode:o}). Make it "
                    "private with: chmod 600 {path}",
                    path=target,
                    mode=mode,
                )
            )
    try:
        text = target.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError, OSError):
        key = b""
    if len(key) != 32:
        raise UserError(
            t(
                "Nyckelfilen {path} är skadad (den ska innehålla 64 hexadecimala tecken). "
                "Återställ den från säkerhetskopia; en ny nyckel ger nya pseudonymer som inte "
                "går att koppla till tidigare omgångar.",
                "The key file {path} is damaged (it should hold 64 hexadecimal characters). "
                "Restore it from a backup; a new key gives new pseudonyms that cannot be linked "
                "to earlier rounds.",
                path=target,
            )
        )
    return key


def _create_secret(target: Path) -> None:
    """Write a new key atomically: a private temp file, then a link that fails if taken."""
    parent = target.parent
    if not parent.exists():
        parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(parent, 0o700)
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=parent)  # created with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(32).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # link() (and rename() on Windows) refuse an existing target, so two processes
            # starting at once both end up with the first one's key.
            os.link(tmp, target)
        except FileExistsError:
            pass
        except OSError:
            if os.name == "posix":
                raise
            with contextlib.suppress(FileExistsError):
                os.rename(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
