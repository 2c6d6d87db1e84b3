"""Canonical types for the cells of an extract, and the row-level quarantine.

Cell level (a problem in one cell never drops the row): text is stripped; codes are looked
up in a table per field; dates go through :func:`ivoaudit.normalise.dates.parse_dates`; personnummer
through :mod:`ivoaudit.normalise.personnummer` and are replaced by their keyed pseudonym. A cell that had a
value which could not be read becomes missing, its ``invalid`` flag is True and a row is
added to ``problems``.

Row level, in this order (each row gets at most one reason):

* ``row_malformed`` — a CSV line with more or fewer fields than the header (from the reader);
* ``row_blank`` — every cell blank (a line with no characters at all, or an empty row in a
  sheet, is not a data row: it is neither counted nor reported);
* ``case_id_missing`` — the case id cell is blank;
* ``duplicate_identical`` — all mapped cells equal (after stripping) to an earlier row with
  the same case id: the first is loaded, later copies are quarantined with this code;
* ``duplicate_conflict`` — the same case id on rows with different content: all of them
  are quarantined, since we cannot know which is right.

So every data row of the file is either a case (``cases._row``) or one quarantine row.

Code spellings and :func:`fold_code`: :mod:`ivoaudit.normalise.codes`.

Sex and birth date: derived from the personnummer when the extract lacks the column. When
the extract has the column, its value is kept; a blank cell is filled from the number, and a
value that disagrees with the number is reported (``sex_mismatch``/``birth_date_mismatch``)
but kept, since the case system may be right (e.g. a changed legal sex).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.fields import FieldSpec, FieldType
from ivoaudit.i18n import t
from ivoaudit.normalise.codes import code_table, fold_code
from ivoaudit.schema import PROBLEM_FRAME_COLUMNS, empty_problems


def strip_text(values: pd.Series) -> pd.Series:
    """Stripped text (``str`` dtype), missing where the cell is blank. Idempotent."""
    text = values.astype("str") if values.dtype != "str" else values
    return str_series(strip_array(pa.array(text, from_pandas=True)))


def strip_array(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """An Arrow string column stripped of surrounding white space, null where blank.

    The same white space as pandas' ``str.strip()`` on ``str`` columns (which calls
    this very Arrow kernel), without building a pandas column first.
    """
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if pa.types.is_dictionary(values.type):
        return _strip_dictionary(values)
    if pa.types.is_null(values.type):
        values = values.cast(pa.string())
    if not _may_need_trim(values):
        return values  # nothing to trim or blank out: no copy of the column
    trimmed = pc.utf8_trim_whitespace(values)
    lengths = pc.binary_length(trimmed)
    shortest = pc.min(lengths).as_py()
    if shortest is None or shortest > 0:  # nothing blank but not null: skip the copy
        return trimmed
    return pc.if_else(pc.greater(lengths, 0), trimmed, None)


def _strip_dictionary(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """:func:`strip_array` of a dictionary column: each distinct value stripped once, and a
    cell whose value strips to nothing made null (its index, not just its value: a null
    in the dictionary would still count as a filled cell)."""
    chunks = []
    for chunk in values.chunks:
        texts = strip_array(chunk.dictionary).combine_chunks()
        indices = chunk.indices
        if texts.null_count:
            blank = pc.fill_null(pc.is_null(texts).take(indices), False)
            indices = pc.if_else(blank, pa.scalar(None, indices.type), indices)
        chunks.append(pa.DictionaryArray.from_arrays(indices, texts))
    return pa.chunked_array(chunks, pa.dictionary(values.type.index_type, pa.string()))


# Code points Arrow's utf8_trim_whitespace removes (Unicode White_Space and the ASCII
# separators 0x1C-0x1F); a test checks this list against Arrow over every code point.
_TRIMMED_CODE_POINTS = (
    *range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
    0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)
_FIRST_BYTES = np.zeros(256, dtype=bool)  # first UTF-8 byte of a trimmed code point
_LAST_BYTES = np.zeros(256, dtype=bool)  # last UTF-8 byte of one
for _cp in _TRIMMED_CODE_POINTS:
    _FIRST_BYTES[chr(_cp).encode()[0]] = _LAST_BYTES[chr(_cp).encode()[-1]] = True


def _may_need_trim(values: pa.ChunkedArray) -> bool:
    """False when no cell can change by trimming: no empty string, and no cell starts or
    ends with a byte that begins or ends a trimmed code point (checked on Arrow's buffers).

    Most columns of an extract are clean, and trimming copies the whole column: skipping
    that saves time and memory. True is only a "maybe" (e.g. "Å" ends in the same byte as
    U+0085): the column is then trimmed as usual.
    """
    for chunk in values.chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        n = len(chunk)
        if n == 0 or chunk.null_count == n:
            continue
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.int32 if pa.types.is_string(chunk.type) else np.int64
        offsets = np.frombuffer(offsets_buf, dtype=width)[chunk.offset : chunk.offset + n + 1]
        starts, ends = offsets[:-1], offsets[1:]
        filled = np.greater(ends, starts)
        if chunk.null_count:
            if (chunk.is_valid().to_numpy(zero_copy_only=False) & ~filled).any():
                return True  # an empty string, which must become null
        elif not filled.all():
            return True
        data = np.frombuffer(data_buf, dtype=np.uint8)
        last = len(data) - 1  # clipped reads of empty cells are masked out by ``filled``
        if (_FIRST_BYTES[data[np.minimum(starts, last)]] & filled).any():
            return True
        if (_LAST_BYTES[data[np.maximum(ends - 1, 0)]] & filled).any():
            return True
    return False


def str_series(values: pa.ChunkedArray | pa.Array) -> pd.Series:
    """A pandas ``str`` column over an Arrow string array (no per-cell conversion)."""
    return pd.Series(pd.array(values, dtype="str"))


def normalise_codes(
    text: pd.Series, spec: FieldSpec, extra: Mapping[str, str] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Canonical codes for a stripped text column, and the mask of unknown (invalid) cells.

    Looks up each distinct value once. Idempotent: canonical codes map to themselves.
    """
    arr = pa.array(text.astype("str"), from_pandas=True)
    codes, unknown = normalise_code_array(arr, spec, extra)
    codes.index = text.index
    return codes, pd.Series(unknown, index=text.index, dtype=bool)


def normalise_code_array(
    text: pa.ChunkedArray | pa.Array, spec: FieldSpec, extra: Mapping[str, str] | None = None
) -> tuple[pd.Series, np.ndarray]:
    """:func:`normalise_codes` on an Arrow column: (``str`` codes, numpy unknown mask)."""
    table = code_table(spec, extra)
    if isinstance(text, pa.Array):
        text = pa.chunked_array([text])
    if pa.types.is_null(text.type):
        text = text.cast(pa.string())
    encoded = pc.dictionary_encode(text).combine_chunks()
    mapped = [table.get(fold_code(u)) for u in encoded.dictionary.to_pylist()]
    # large_string: the layout of pandas' str columns, so str_series needs no copy.
    codes = pa.array(mapped, type=pa.large_string()).take(encoded.indices)
    if all(m is not None for m in mapped):  # the common case: every value known
        return str_series(codes), np.zeros(len(codes), dtype=bool)
    # A trailing False for blank cells (index -1): blank is not unknown.
    unknown_u = np.array([m is None for m in mapped] + [False], dtype=bool)
    keys = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return str_series(codes), unknown_u[keys]


def problem_text(code: str, **kw: object) -> str:
    """User-facing text for the loader's own problem codes."""
    texts = {
        "code_unknown": (
            "Okänd kod för {field}. Tillåtna värden: {allowed}. Lägg till koden under "
            "values: i mappningsfilen om den betyder något av dem.",
            "Unknown code for {field}. Allowed values: {allowed}. Add the code under "
            "values: in the mapping file if it means one of them.",
        ),
        "row_blank": ("Raden är tom.", "The row is empty."),
        "row_malformed": (
            "Raden har {actual} fält men rubrikraden har {expected}. Kontrollera citattecken "
            "och avgränsare på raden.",
            "The row has {actual} fields but the header row has {expected}. Check the quotes "
            "and delimiters on the row.",
        ),
        "case_id_missing": (
            "Ärendenummer saknas; raden kan inte läsas in.",
            "The case id is missing; the row cannot be loaded.",
        ),
        "duplicate_identical": (
            "Dubblett: raden är identisk med rad {first}, som lästes in.",
            "Duplicate: the row is identical to row {first}, which was loaded.",
        ),
        "duplicate_conflict": (
            "Ärendenumret finns också på rad {others} med annat innehåll; ingen av raderna "
            "läses in. Rätta uttaget så att varje ärende finns på en rad.",
            "The case id is also on row {others} with different content; none of the rows is "
            "loaded. Correct the extract so that each case is on one row.",
        ),
        "sex_mismatch": (
            "Kön stämmer inte med personnumret (uttagets värde behålls).",
            "Sex does not match the personal identity number (the extract's value is kept).",
        ),
        "birth_date_mismatch": (
            "Födelsedatum stämmer inte med personnumret (uttagets värde behålls).",
            "Birth date does not match the personal identity number (the extract's value is kept).",
        ),
    }
    sv, en = texts[code]
    return t(sv, en, **kw)


@dataclass
class ProblemLog:
    """Collects problem rows (vectorised pieces) and builds the stable frame."""

    pieces: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        rows: Sequence[int] | np.ndarray,
        column: str,
        field_name: str,
        values: Sequence[object] | np.ndarray,
        code: str,
        texts: Sequence[str] | str,
        order: int = 0,
    ) -> None:
        n = len(rows)
        if n == 0:
            return
        piece = pd.DataFrame(
            {
                "row": np.asarray(rows, dtype="int64"),
                "column": [column] * n,
                "field": [field_name] * n,
                "value": [
                    None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                    for v in values
                ],
                "code": [code] * n,
                "problem": [texts] * n if isinstance(texts, str) else list(texts),
                "_order": [order] * n,
            }
        )
        self.pieces.append(piece)

    def frame(self) -> pd.DataFrame:
        if not self.pieces:
            return empty_problems()
        out = pd.concat(self.pieces, ignore_index=True)
        out = out.sort_values(["row", "_order"], kind="stable").drop(columns="_order")
        out = out.reset_index(drop=True)[list(PROBLEM_FRAME_COLUMNS)]
        for col in PROBLEM_FRAME_COLUMNS[1:]:
            out[col] = out[col].astype(object)
        return out


def is_code_field(spec: FieldSpec) -> bool:
    """True for fields whose cells are looked up as codes."""
    return spec.type is FieldType.CODE
