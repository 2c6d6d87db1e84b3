"""Recognise an extract's column headers as canonical fields.

Headers are compared after *folding*: lower case, every run of punctuation or white space
made one space, stripped. ``Ärende-nr.`` and ``ärende nr`` fold alike. å, ä and ö stay
significant (``år`` is not ``ar``), but a header typed without them (``Arendenr``,
``Handlaggare``, as older systems export) is still recognised: when no folded synonym
matches, the ASCII-folded forms (å/ä → a, ö → o, é → e) are compared.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from ivoaudit.fields import FieldSpec

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u"})


def fold(header: object) -> str:
    """Fold a header for comparison: case, punctuation and white space do not matter."""
    text = unicodedata.normalize("NFC", str(header or "")).casefold()
    return _NON_WORD.sub(" ", text).strip()


def ascii_fold(header: object) -> str:
    """:func:`fold`, then å/ä → a and ö → o (for headers typed without Swedish letters)."""
    return fold(header).translate(_ASCII)


def synonym_table(fields: Iterable[FieldSpec]) -> tuple[dict[str, str], dict[str, str]]:
    """Folded and ASCII-folded header names → field name.

    A name that two fields claim (``Beslut`` is both the label of ``decision_outcome`` and
    a synonym of ``preliminary_outcome``) is left out: such a header is not guessed, it
    shows up as unrecognised and the user maps it.
    """
    exact: dict[str, str | None] = {}
    loose: dict[str, str | None] = {}
    for spec in fields:
        names = (spec.name, spec.sv, spec.en, *spec.synonyms)
        for table, key in ((exact, fold), (loose, ascii_fold)):
            for name in names:
                folded = key(name)
                if table.setdefault(folded, spec.name) != spec.name:
                    table[folded] = None
    return ({k: v for k, v in exact.items() if v}, {k: v for k, v in loose.items() if v})


def recognise(
    headers: Sequence[str],
    fields: Iterable[FieldSpec],
    taken: set[str] | None = None,
    skip: set[int] | None = None,
) -> dict[str, int]:
    """Map fields to column positions by synonym.

    ``taken`` are fields already placed (by a mapping) and ``skip`` column positions
    already used; neither is reassigned. When two headers fold to the same field, the
    leftmost wins and the other stays unrecognised.
    """
    exact, loose = synonym_table(fields)
    taken = set(taken or ())
    skip = set(skip or ())
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        if position in skip or not fold(header):
            continue
        name = exact.get(fold(header)) or loose.get(ascii_fold(header))
        if name and name not in taken and name not in found:
            found[name] = position
    return found


def find_header(wanted: str, headers: Sequence[str]) -> int | None:
    """Position of the header a mapping names: exact first, then folded, then ASCII-folded."""
    for position, header in enumerate(headers):
        if header == wanted:
            return position
    for key in (fold, ascii_fold):
        target = key(wanted)
        for position, header in enumerate(headers):
            if target and key(header) == target:
                return position
    return None


def close_headers(wanted: str, headers: Sequence[str], n: int = 3) -> list[str]:
    """The headers most like ``wanted`` (for "did you mean" in error messages)."""
    by_fold = {fold(h): h for h in headers if fold(h)}
    matches = difflib.get_close_matches(fold(wanted), list(by_fold), n=n, cutoff=0.5)
    return [by_fold[m] for m in matches]


_DATA_LIKE = re.compile(
    r"""^(
        \d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*        # ISO-ish date
      | \d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}        # day-first date
      | (\d{6}|\d{8})[-+]?\d{4}                # personnummer
      | [-+]?\d+([.,]\d+)?                     # number
    )$""",
    re.VERBOSE,
)


def looks_like_data(headers: Sequence[object]) -> bool:
    """True when the first row looks like a data row rather than column headers.

    Counts the non-blank cells that are dates, numbers or personnummer (or, from a
    workbook, not text at all); more than half such cells means the header row is missing.
    """
    cells = [h for h in headers if h is not None and str(h).strip()]
    if not cells:
        return False
    data_like = sum(1 for h in cells if not isinstance(h, str) or _DATA_LIKE.match(h.strip()))
    return data_like * 2 > len(cells)
