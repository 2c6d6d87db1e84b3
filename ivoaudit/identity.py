"""Personal identity numbers: validate, derive sex and birth date, pseudonymise, mask.

Why a vectorised parser: an extract may hold a million rows; validating them one at a
time with the ``personnummer`` library takes several seconds per hundred thousand. So
:func:`parse_personnummer` first reduces the column to its distinct values
(``pandas.factorize``), then checks them all at once with Arrow regexes and numpy
arithmetic on a digit matrix (Luhn, calendar, century). The ``personnummer`` package
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
import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    texts = _normalised_texts(uniques)
    found = _parse_unique(texts, ref)

    known = keys >= 0
    frame = {}
    for column in RESULT_COLUMNS:
        source = found[column]
        if column == "birth_date":
            out = np.full(len(keys), np.datetime64("NaT", "ns"))
        else:
            out = np.full(len(keys), None, dtype=object)
        out[known] = source[keys[known]]
        frame[column] = pd.Series(out, index=values.index, dtype=out.dtype)
    return pd.DataFrame(frame, index=values.index)


def _normalised_texts(uniques: object) -> pa.StringArray:
    """Distinct cell values as upper-case strings without white space ("" when blank)."""
    objects = np.asarray(uniques, dtype=object)
    try:
        arr = pa.array(objects, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array([_cell_text(v) for v in objects], type=pa.string())
    arr = pc.replace_substring_regex(arr, r"\s+", "")
    return pc.fill_null(pc.utf8_upper(arr), "")


def _cell_text(value: object) -> str | None:
    """A non-string cell (XLSX numbers) as the text a user would read."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def _parse_unique(texts: pa.StringArray, ref: dt.date) -> dict[str, np.ndarray]:
    k = len(texts)
    out: dict[str, np.ndarray] = {
        "canonical": np.full(k, None, dtype=object),
        "kind": np.full(k, None, dtype=object),
        "sex": np.full(k, None, dtype=object),
        "birth_date": np.full(k, np.datetime64("NaT", "ns")),
        "problem": np.full(k, None, dtype=object),
    }
    if k == 0:
        return out
    blank = pc.utf8_length(texts).to_numpy(zero_copy_only=False) == 0
    numeric = pc.fill_null(pc.match_substring_regex(texts, _NUMBER), False).to_numpy(
        zero_copy_only=False
    )
    reserve_prefix = pc.fill_null(
        pc.match_substring_regex(texts, "^" + _RESERVE_PREFIX.pattern + "$"), False
    ).to_numpy(zero_copy_only=False)
    numeric &= ~reserve_prefix

    rows = np.flatnonzero(numeric)
    if len(rows):
        _parse_numbers(texts.take(pa.array(rows)), rows, ref, out)

    others = np.flatnonzero(~numeric & ~blank)
    for i in others:
        _parse_other(texts[int(i)].as_py(), int(i), ref, out)
    return out


def _parse_numbers(
    texts: pa.Array, rows: np.ndarray, ref: dt.date, out: dict[str, np.ndarray]
) -> None:
    """Validate all-digit numbers at once (positions ``rows`` of the ``out`` arrays)."""
    parts = pc.extract_regex(texts, _NUMBER)
    century = parts.field("century")
    has_century = pc.utf8_length(century).to_numpy(zero_copy_only=False) == 2
    plus = pc.equal(parts.field("sep"), "+").to_numpy(zero_copy_only=False)
    joined = pc.binary_join_element_wise(
        pc.if_else(pa.array(has_century), century, "00"),
        parts.field("date"),
        parts.field("serial"),
        "",
    )
    digits = _digit_matrix(joined, 12)

    given_century = digits[:, 0] * 10 + digits[:, 1]
    yy = digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
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

    products = digits[:, 2:11] * _LUHN_WEIGHTS
    products -= 9 * (products > 9)
    checksum_ok = (10 - products.sum(axis=1) % 10) % 10 == digits[:, 11]
    serial_zero = (digits[:, 8] == 0) & (digits[:, 9] == 0) & (digits[:, 10] == 0)

    birth = np.full(len(rows), np.datetime64("NaT", "D"))
    birth[real_date] = _to_days(year[real_date], month[real_date], birth_day[real_date])
    future = real_date & (birth > np.datetime64(ref, "D"))

    problem = np.full(len(rows), None, dtype=object)
    problem[future] = "pnr_future"
    problem[~checksum_ok] = "pnr_checksum"
    problem[~real_date] = "pnr_date"
    problem[serial_zero] = "pnr_format"
    ok = real_date & checksum_ok & ~serial_zero & ~future

    canonical_digits = digits.copy()
    canonical_digits[:, 0] = year // 1000
    canonical_digits[:, 1] = year // 100 % 10
    canonical = (canonical_digits.astype(np.uint8) + 48).view("S12").ravel().astype(str)

    target = rows[ok]
    out["problem"][rows] = problem
    out["canonical"][target] = canonical[ok].astype(object)
    out["kind"][target] = np.where(coordination[ok], "samordningsnummer", "personnummer").astype(
        object
    )
    out["sex"][target] = np.where(digits[ok, 10] % 2 == 1, "M", "F").astype(object)
    out["birth_date"][target] = birth[ok].astype("datetime64[ns]")


def _parse_other(text: str, i: int, ref: dt.date, out: dict[str, np.ndarray]) -> None:
    """A value that is not an all-digit number: a reserve number or a format problem."""
    m = _RESERVE_PREFIX.fullmatch(text)
    if m:
        out["kind"][i] = "reserve"
        out["canonical"][i] = m["date"] + m["tail"]
        return
    m = _RESERVE_LETTERS.fullmatch(text)
    if not m or not re.search(r"[A-Z]", m["tail"]):
        out["problem"][i] = "pnr_format"
        return
    date_part = m["date"]
    birth = _reserve_birth_date(date_part, m["sep"] == "+", ref)
    if birth is not None and len(date_part) == 6:
        date_part = f"{birth.year // 100:02d}{date_part}"
    out["kind"][i] = "reserve"
    out["canonical"][i] = date_part + m["tail"]
    if birth is not None and birth <= ref:
        out["birth_date"][i] = np.datetime64(birth, "ns")


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
    # HMAC-SHA256 by hand from the precomputed inner and outer states (RFC 2104): the same
    # digest as hmac.digest, but about twice as fast per value, which matters at a million
    # distinct people. The test suite checks it against the standard library's hmac.
    block = (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0")
    inner_state = hashlib.sha256(bytes(b ^ 0x36 for b in block)).copy
    outer_state = hashlib.sha256(bytes(b ^ 0x5C for b in block)).copy

    def digest8(value: object) -> bytes:
        inner = inner_state()
        inner.update(str(value).encode("utf-8"))
        outer = outer_state()
        outer.update(inner.digest())
        return outer.digest()[:8]

    raw = np.frombuffer(b"".join(map(digest8, uniques)), dtype=np.uint8).reshape(-1, 8)
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype="S1")
    chars = np.empty((len(raw), 17), dtype="S1")
    chars[:, 0] = b"P"
    chars[:, 1::2] = hex_digits[raw >> 4]
    chars[:, 2::2] = hex_digits[raw & 15]
    codes = chars.view("S17").ravel().astype(str).astype(object)
    out = np.full(len(keys), None, dtype=object)
    known = keys >= 0
    out[known] = codes[keys[known]]
    return pd.Series(out, index=canonical.index, name=canonical.name, dtype=object)


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
