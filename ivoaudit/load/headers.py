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

from ivoaudit.errors import InputError
from ivoaudit.fields import FieldSpec
from ivoaudit.i18n import t
from ivoaudit.normalise.personnummer import mask_personnummer

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
_IDENTIFIER_LIKE = re.compile(r"\d{6}(?:\d{2})?\s*[-+]?\s*[0-9A-Za-z]\d{3}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
SHOWN_HEADER_CHARS = 40


def looks_like_data(headers: Sequence[object]) -> bool:
    """True when the first row looks like a data row rather than column headers: a cell that is
    a date or a personnummer (no header is one), or more than half the non-blank cells numbers
    (or, from a workbook, not text at all)."""
    cells = [h for h in headers if h is not None and str(h).strip()]
    if not cells:
        return False
    if any(isinstance(h, str) and _IDENTIFIER_LIKE.search(h) for h in cells):
        return True
    data_like = sum(1 for h in cells if not isinstance(h, str) or _DATA_LIKE.match(h.strip()))
    return data_like * 2 > len(cells)


def no_header_error(file: str) -> InputError:
    """The first row is data: say so without showing it (it may hold identifiers)."""
    return InputError(t(
        "Filen {file} verkar sakna rubrikrad: första raden ser ut som data (datum, nummer eller "
        "personnummer), inte som kolumnnamn. Lägg till en rubrikrad överst med kolumnernas namn, till "
        "exempel Ärendenr;Personnr;Anmälan inkom. (Radens innehåll visas inte här, eftersom det kan "
        "vara personuppgifter.)",
        "The file {file} seems to lack a header row: the first row looks like data (dates, numbers or "
        "personal identity numbers), not column names. Add a header row at the top with the columns' "
        "names, for example Case no,Person no,Received. (The row is not shown here, since it may hold "
        "personal data.)", file=file))


def printable(text: str) -> str:
    """``text`` without control characters (terminal escape sequences, bidi overrides)."""
    return _CONTROL.sub("", text)


def shown_header(header: object) -> str:
    """A header as it may appear in a message: no control characters, anything that looks like
    an identifier or a date masked, at most :data:`SHOWN_HEADER_CHARS` characters."""
    text = _CONTROL.sub("", str(header if header is not None else "")).strip()
    text = _IDENTIFIER_LIKE.sub(lambda m: mask_personnummer(m.group()), text)
    return text if len(text) <= SHOWN_HEADER_CHARS else text[: SHOWN_HEADER_CHARS - 1] + "…"


def shown_headers(headers: Sequence[object]) -> str:
    """The non-blank headers for a message, quoted and comma-separated (``(inga)`` if none)."""
    shown = [f'"{shown_header(h)}"' for h in headers if h is not None and str(h).strip()]
    if len(shown) > 60:
        shown = [*shown[:60], t("… och {n} till", "… and {n} more", n=len(shown) - 60)]
    return ", ".join(shown) or t("(inga)", "(none)")
