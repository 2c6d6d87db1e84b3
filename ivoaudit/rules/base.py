"""What every rule kind shares: status codes, note flags, the case context and the output.

A rule kind is one function ``evaluate(spec, ctx, scope) -> RuleOutput`` that works on whole
columns at once (numpy arrays over all cases); there is no Python loop per case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from ivoaudit.fields import FIELDS, FieldType, label
from ivoaudit.rules.calendar import NAT, as_days, day_name, holiday_name, next_working_day

_T = TypeVar("_T")

# Status codes (int8 while evaluating; names in the outputs): indexes into schema.STATUSES.
PASS, FAIL, OVERDUE, PENDING, MISSING, REVIEW, NA = range(7)
COMPLIANT = (PASS,)
DENOMINATOR = (PASS, FAIL, OVERDUE)


class Note:
    """Bit flags for result notes; the text is made per rule (it may name a field)."""

    EXCEPTION = 1 << 0
    EXT_APPLIED = 1 << 1
    EXT_LATE = 1 << 2
    EXT_NO_END = 1 << 3
    EXT_NO_DECISION = 1 << 4
    EXT_INVALID = 1 << 5
    NON_WORKING = 1 << 6
    INVALID_SEQUENCE = 1 << 7
    START_MISSING = 1 << 8
    START_INVALID = 1 << 9
    END_ABSENT = 1 << 10
    END_INVALID = 1 << 11
    FALLBACK_START = 1 << 12
    REASON = 1 << 13
    FIELD_ABSENT = 1 << 14
    NO_EVENTS = 1 << 15
    REOPENED = 1 << 16
    FIELD_INVALID = 1 << 17
    MOVED = 1 << 18  # lag 1930:173 2 §: the text names both days (see moved_note)
    PERSON_UNKNOWN = 1 << 19  # a rule that compares a person's cases: id blank or invalid
    EVENT_UNDATED = 1 << 20  # an event of the rule's type without a readable date


@dataclass
class CaseContext:
    """The cases as columns, with helpers that tell 'column absent' from 'cell blank'.

    Derived columns (dates as days, presence, codes) are computed once per field and
    shared by every rule; callers copy before changing them.
    """

    cases: pd.DataFrame
    invalid: pd.DataFrame
    as_of: np.datetime64
    events: pd.DataFrame | None = None
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.cases)

    def _once(self, what: str, name: str, compute: Callable[[], _T]) -> _T:
        key = (what, name)
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def forget(self) -> None:
        """Drop the derived columns (once every rule has run)."""
        self._cache.clear()

    def has(self, name: str) -> bool:
        """The extract has this field (a column or a mapped constant)."""
        return name in self.cases.columns

    def is_invalid(self, name: str) -> np.ndarray:
        """True where the cell had a value that could not be read."""
        return self._once("invalid", name, lambda: self._read_invalid(name))

    def _read_invalid(self, name: str) -> np.ndarray:
        if name in self.invalid.columns:
            return self.invalid[name].fillna(False).to_numpy(dtype=bool)
        return np.zeros(self.n, dtype=bool)

    def date(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """The field as ``datetime64[D]`` (all NaT when the column is absent), for every case
        or, given ``rows`` (case indices), for those cases."""
        days = self._once("date", name, lambda: self._read_days(name))
        return days if rows is None else days[rows]

    def _read_days(self, name: str) -> np.ndarray:
        return _column_days(self.cases[name]) if self.has(name) else np.full(self.n, NAT)

    def present(self, name: str) -> np.ndarray:
        """True where the column exists and the cell holds a readable value."""
        return self._once("present", name, lambda: self._read_present(name))

    def _read_present(self, name: str) -> np.ndarray:
        if self.has(name):
            return self.cases[name].notna().to_numpy(dtype=bool) & ~self.is_invalid(name)
        return np.zeros(self.n, dtype=bool)

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """The column factorised once: (int codes, -1 = blank or invalid; folded labels)."""
        return self._once("codes", name, lambda: self._read_codes(name))

    def _read_codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        codes, uniques = pd.factorize(self.cases[name], use_na_sentinel=True)
        codes = np.where(self.is_invalid(name), -1, codes).astype(np.int32)
        return codes, [str(u).strip().casefold() for u in uniques]

    def isin(self, name: str, values: tuple[str, ...]) -> np.ndarray:
        """True where the cell's canonical code is one of ``values`` (case-insensitive)."""
        if not self.has(name):
            return np.zeros(self.n, dtype=bool)
        wanted = {v.casefold() for v in values}
        codes, labels = self.codes(name)
        # Lookup table indexed by code; the extra last slot (index -1) is "blank".
        lut = np.array([lab in wanted for lab in labels] + [False], dtype=bool)
        return lut[codes]


def _column_days(values: pd.Series) -> np.ndarray:
    """A date column as a new ``datetime64[D]`` array (NaT kept)."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":
        # Already dates (the loader's output): no round trip through pandas.
        return as_days(values.to_numpy())
    return as_days(pd.to_datetime(values).to_numpy())


@dataclass
class RuleOutput:
    """One rule's verdict: arrays of length n (every case), or, when ``rows`` is set, one
    entry per case in ``rows`` (indices, ascending) and NA for every other case."""

    status: np.ndarray  # int8 codes, NA where the rule does not apply
    notes: np.ndarray  # int64 bit flags (Note)
    start: np.ndarray | None = None  # datetime64[D]
    end: np.ndarray | None = None
    deadline: np.ndarray | None = None
    days: np.ndarray | None = None  # float, NaN = blank
    days_over: np.ndarray | None = None
    reference_date: np.ndarray | None = None  # picks old vs new law; default: deadline, else as-of
    rows: np.ndarray | None = None  # the cases the arrays describe (None: all cases)
    moved_from: np.ndarray | None = None  # datetime64[D]: the last day before 2 § moved it (NaT: not moved)


def set_note(notes: np.ndarray, where: np.ndarray, bit: int) -> None:
    """Add the note ``bit`` to ``notes`` where ``where`` holds (in place, one pass)."""
    np.bitwise_or(notes, bit, out=notes, where=where)


def new_output(n: int) -> RuleOutput:
    """An output where nothing applies yet."""
    return RuleOutput(status=np.full(n, NA, dtype=np.int8), notes=np.zeros(n, dtype=np.int64))


def note_texts(spec: Any, lang: str) -> dict[int, str]:
    """Note texts for one rule in ``lang`` (fields named by their labels)."""
    p = spec.params
    en = lang == "en"

    def lab(name: str | None) -> str:
        return label(name, lang) if name else ""

    start = getattr(p, "start", None) or getattr(p, "open_from", None)
    end = getattr(p, "end", None) or getattr(p, "field", None)
    exc = getattr(p, "exception_field", None)
    fallback = getattr(getattr(p, "start_fallback", None), "field", None)
    # the code fields of "applies when", in field order (FIELD_INVALID names them)
    tested = set(spec.applies_when.fields()) if getattr(spec, "applies_when", None) is not None else set()
    if getattr(spec, "area", None) is not None:
        tested.add("area")  # an unreadable area decides whether a rule of one area applies
    coded = [f.name for f in FIELDS if f.name in tested and f.type is FieldType.CODE]
    cond_sv = " eller ".join(label(f, "sv") for f in coded) or "villkoret"
    cond_en = " or ".join(label(f, "en") for f in coded) or "the condition"
    sv_en = {
        Note.EXCEPTION: (f"undantag: {lab(exc)}", f"exception: {lab(exc)}"),
        Note.EXT_APPLIED: ("lagenlig förlängning", "lawful extension applied"),
        Note.EXT_LATE: ("förlängning beslutad efter fristen gäller inte",
                        "extension decided after the deadline does not count"),
        Note.EXT_NO_END: ("förlängning utan slutdatum gäller inte",
                          "extension without an end date does not count"),
        Note.EXT_NO_DECISION: ("förlängt till-datum utan beslut gäller inte",
                               "extended-until date without a decision does not count"),
        Note.EXT_INVALID: ("ogiltigt datum i förlängning", "invalid date in extension"),
        Note.NON_WORKING: ("lokalt mål på lördag, söndag eller helgdag: flyttas inte (lag 1930:173 2 § gäller "
                           "lagstadgad tid)", "local target on a weekend or holiday: not moved (Act 1930:173 "
                           "s. 2 applies to statutory time)"),
        Note.MOVED: ("fristen flyttad till nästa vardag enligt lag 1930:173 2 §",
                     "deadline moved to the next weekday under Act 1930:173 s. 2"),
        Note.INVALID_SEQUENCE: ("ogiltig ordning: slut före start", "invalid sequence: end before start"),
        Note.START_MISSING: (f"startdatum saknas: {lab(start)}", f"start date missing: {lab(start)}"),
        Note.START_INVALID: (f"ogiltigt startdatum: {lab(start)}", f"invalid start date: {lab(start)}"),
        Note.END_ABSENT: (f"uttaget saknar {lab(end)}", f"extract lacks {lab(end)}"),
        Note.END_INVALID: (f"ogiltigt värde: {lab(end)}", f"invalid value: {lab(end)}"),
        Note.FALLBACK_START: (f"start: {lab(fallback)}", f"start: {lab(fallback)}"),
        Note.REASON: ("skäl dokumenterat", "reason documented"),
        Note.FIELD_ABSENT: ("saknas i uttaget, granskas manuellt", "not in the extract, review manually"),
        Note.NO_EVENTS: ("händelsetabell saknas (--events)", "no events table (--events)"),
        Note.REOPENED: (f"ny utredning inom {getattr(p, 'days', '')} dagar efter avslutad",
                        f"new investigation within {getattr(p, 'days', '')} days of closing one"),
        Note.PERSON_UNKNOWN: ("personnummer saknas eller är ogiltigt: ärendet kan inte jämföras med personens "
                              "andra ärenden", "identity number blank or invalid: the case cannot be compared "
                              "with the person's other cases"),
        Note.FIELD_INVALID: (f"oläslig kod i {cond_sv}: det avgör om regeln gäller (se problems.csv)",
                             f"unreadable code in {cond_en}: it decides whether the rule applies (see "
                             "problems.csv)"),
        Note.EVENT_UNDATED: (f"en händelse av typen {getattr(p, 'event_type', '')} saknar giltigt datum",
                             f"an event of type {getattr(p, 'event_type', '')} has no valid date"),
    }
    return {bit: (texts[1] if en else texts[0]) for bit, texts in sv_en.items()}


@lru_cache(maxsize=8192)  # the same few thousand last days recur in every rule of a check
def moved_note(last_day: np.datetime64, lang: str) -> str:
    """The note of a deadline lag 1930:173 2 § moved: "fristen 2025-05-03 var en lördag;
    flyttad till 2025-05-05 enligt lag 1930:173 2 §"."""
    day = date.fromisoformat(str(last_day))
    moved = next_working_day(np.array([last_day], dtype="datetime64[D]"))[0]
    name = day_name(day, lang)
    weekday = holiday_name(day) in ("lördag", "söndag")
    if lang == "en":
        what = f"a {name}" if weekday else name
        return f"the deadline {day} was {what}; moved to {moved} under Act 1930:173 s. 2"
    return f"fristen {day} var {'en ' if weekday else ''}{name}; flyttad till {moved} enligt lag 1930:173 2 §"


def arrow_strings(values: pd.Series) -> pa.Array:
    """A text column as one contiguous Arrow string array.

    Arrow-backed pandas columns arrive in many chunks; building a dictionary over a chunked
    array of a million case ids took over half a second, over one contiguous array 2 ms.
    """
    arr = pa.array(values.astype(str), type=pa.string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def arrow_text(values: pd.Series) -> pa.Array | None:
    """An Arrow-backed text column's own data as one Arrow array (no copy when it is one
    chunk); None for any other column."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return None
    arr = pa.array(values.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def combine_notes(masks: np.ndarray, texts: dict[int, str]) -> dict[int, str]:
    """Text for each distinct bit mask in ``masks`` (notes joined with '; ')."""
    out: dict[int, str] = {}
    for mask in pd.unique(masks):
        m = int(mask)
        out[m] = "; ".join(text for bit, text in texts.items() if m & bit)
    return out
