"""Text cells: stripped of surrounding white space, blank made missing; case ids cleaned of
invisible characters.

Decision on case ids that differ only by invisible characters (a zero-width space, a
byte-order mark or a soft hyphen pasted from the web or e-mail): they are *normalised*, not
merely flagged. Every Unicode format character (category ``Cf``) is removed from a case id and
the id is put in Unicode NFC form, so ``"B-1"`` and ``"B-1\\u200b"`` are one case (and, if
their rows differ, a duplicate conflict that is reported). Each cell that changed is listed in
``problems`` as ``case_id_invisible`` so nothing happens unseen.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Unicode format characters (Cf) that turn up in pasted text: soft hyphen, Arabic letter mark,
# zero-width space/non-joiner/joiner, left-to-right and right-to-left marks and embeddings,
# word joiner and invisible operators, the byte-order mark / zero-width no-break space.
INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"


def strip_array(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """An Arrow text column stripped of surrounding white space, null where blank."""
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(values)
    lengths = pc.binary_length(trimmed)
    shortest = pc.min(lengths).as_py()
    if shortest is None or shortest > 0:  # nothing blank that is not already null
        return trimmed
    return pc.if_else(pc.greater(lengths, 0), trimmed, None)


def strip_text(values: pd.Series) -> pd.Series:
    """Stripped text (``str`` dtype), missing where the cell is blank. Idempotent."""
    text = values.astype("str") if values.dtype != "str" else values
    return str_series(strip_array(pa.array(text, from_pandas=True)))


def str_series(values: pa.ChunkedArray | pa.Array) -> pd.Series:
    """A pandas ``str`` column over an Arrow string array."""
    return pd.Series(pd.array(values, dtype="str"))


def clean_case_ids(ids: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Case ids without invisible characters, in NFC form (blank → null), and a boolean column
    saying which cells changed (see the module docstring)."""
    cleaned = strip_array(pc.utf8_normalize(pc.replace_substring_regex(ids, INVISIBLE, ""), "NFC"))
    changed = pc.fill_null(pc.not_equal(cleaned, ids), pc.is_valid(ids))
    return cleaned, changed
