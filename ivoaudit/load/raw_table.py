"""An extract's cells as read, before normalising: what the CSV and XLSX readers give."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa


@dataclass
class RawTable:
    """An extract's cells before normalising, and how its rows were accounted for.

    Rows are numbered as the user sees them: the header row is its own number (1 unless title
    rows sit above it), data rows follow; for CSV the number is the physical line on which the
    record starts. ``text`` holds one Arrow string column per header position (null = empty
    cell); ``values`` (XLSX only) the cells' own Python values (dates as datetime).
    """

    headers: list[str]  # as written ("" for a blank header cell)
    text: list[pa.ChunkedArray]
    rows: np.ndarray  # row number of each data row (int64)
    format: str  # "csv" | "xlsx"
    fingerprint: str = ""
    values: pd.DataFrame | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    rejected: list[tuple[int, int]] = field(default_factory=list)  # (row, fields found)
    quote_rows: list[tuple[int, list[int]]] = field(default_factory=list)  # (first line, lines)
    continued: list[int] = field(default_factory=list)  # lines continuing a cell of the row before
    header_is_data: bool = False  # the header row looks like data (or a title with a date)
    # The first rows of the file (row number, cells as text), for finding a header row that
    # sits below title rows.
    top_rows: list[tuple[int, list[str]]] = field(default_factory=list)
