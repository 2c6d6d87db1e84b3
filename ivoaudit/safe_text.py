"""Text from an extract made harmless where it is written: CSV files and the terminal.

**CSV.** Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab,
a carriage return or a line feed as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``, DDE). Every
CSV ivoaudit writes puts :data:`PREFIX`, an apostrophe, before such text, as the review
form and the Excel reports do (the OWASP advice; the apostrophe stays visible and tells the
reader the text was neutralised). Numbers written as text (``-12``, ``+46 70…`` is not one)
and dates are left as they are: ``-12`` cannot run anything, and changing it would change
the data. Numeric and date columns are never touched.

**Terminal.** :func:`terminal_text` removes escape sequences (CSI, OSC and the rest) and every
other control character but tab and line feed, so a cell cannot move the cursor, retitle the
window, hide text or plant a hyperlink in the user's terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module to print: no pandas or Arrow at start-up
    import pandas as pd
    import pyarrow as pa

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PREFIX = "'"
_RISKY = r"^[=+\-@\t\r\n]"
_NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)?$"
_NUMBER_RE = re.compile(_NUMBER)

# ESC [ … final byte | ESC ] … (BEL or ESC \) | ESC P/X/^/_ … ESC \ | ESC and one more | any other
# C0 control but tab and line feed | DEL | C1 controls.
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]"
)


def is_formula_like(text: object) -> bool:
    """True for a string a spreadsheet would read as a formula (plain numbers excepted)."""
    return (isinstance(text, str) and text.startswith(FORMULA_START)
            and _NUMBER_RE.match(text) is None)


def neutralise(text: str) -> str:
    """``text`` as it goes into a CSV cell: prefixed with :data:`PREFIX` if formula-like."""
    return PREFIX + text if is_formula_like(text) else text


def neutralise_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`neutralise` over an Arrow column (strings and dictionaries of strings; other
    types are returned as they are)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        return pa.chunked_array([neutralise_array(chunk) for chunk in array.chunks], type=array.type)
    if pa.types.is_dictionary(array.type):
        return pa.DictionaryArray.from_arrays(array.indices, neutralise_array(array.dictionary))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.and_kleene(pc.match_substring_regex(array, _RISKY),
                          pc.invert(pc.match_substring_regex(array, _NUMBER)))
    if not pc.any(risky).as_py():
        return array
    return pc.if_else(risky, pc.binary_join_element_wise(PREFIX, array, ""), array)


def neutralise_table(table: pa.Table) -> pa.Table:
    """Every text column of ``table`` neutralised (see :func:`neutralise_array`)."""
    import pyarrow as pa

    return pa.table({name: neutralise_array(table.column(name)) for name in table.column_names})


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralised; numbers, dates and blanks unchanged."""
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out[name] = column.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def terminal_text(text: str) -> str:
    """``text`` without escape sequences or control characters (tab and line feed kept)."""
    return _CONTROLS.sub("", text)


__all__ = ["FORMULA_START", "PREFIX", "is_formula_like", "neutralise", "neutralise_array",
           "neutralise_frame", "neutralise_table", "terminal_text"]
