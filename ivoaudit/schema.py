"""Frozen data shapes passed between the pipeline stages.

The contract every stage relies on (load → normalise → check → sample/report):

``LoadedExtract.cases`` — one row per loaded case; columns are the canonical fields the
extract *has* (a field the extract lacks is absent, so rules can tell "column absent"
from "cell blank"), plus ``_row``, the row number as the user sees it in their file
(header = row 1, first data row = 2, both for CSV and XLSX).
  * date fields: ``datetime64`` (midnight), ``NaT`` when the cell was blank *or* invalid;
  * code fields: the canonical code as ``str``, missing (``NA``/``None``) when blank or invalid;
  * text fields: stripped ``str``, missing when blank;
  * ``person_id``: the keyed pseudonym (never the raw number), or with
    ``load_extract(..., keyed=False)`` a run-local token (``"L"`` + rank) that only tells
    which rows share a person; ``sex`` and ``birth_date`` are derived from the number when
    the extract lacks them.

``LoadedExtract.invalid`` — same index, one bool column per canonical field in ``cases``:
True where the cell had a value that could not be read. Rules use it to give
``missing_data`` instead of treating an unreadable end date as "has not happened".

``problems`` — cell-level data-quality findings on loaded rows (the rest of the row is
kept); ``quarantine`` — rows that were not loaded. Both have the columns
``row, column, value, problem`` (``column`` is the header as written in the extract) plus
``field`` (canonical name) and ``code`` (machine-readable problem code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

PROBLEM_COLUMNS = ["row", "column", "field", "value", "code", "problem"]


def empty_problems() -> pd.DataFrame:
    """An empty problems/quarantine frame with the stable columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in PROBLEM_COLUMNS})


@dataclass(frozen=True)
class SourceInfo:
    """What was detected about the extract file."""

    path: str
    format: str  # "csv" or "xlsx"
    rows: int  # data rows in the file (header excluded)
    fingerprint: str  # sha256 of the file's bytes
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only
    header_row: int = 1


@dataclass(frozen=True)
class LoadedExtract:
    cases: pd.DataFrame
    invalid: pd.DataFrame
    problems: pd.DataFrame
    quarantine: pd.DataFrame
    source: SourceInfo
    columns: dict[str, str]  # canonical field -> header in the extract
    constants: dict[str, str] = field(default_factory=dict)  # canonical field -> constant value
    unrecognised: tuple[str, ...] = ()  # headers not mapped to any field
    notes: tuple[str, ...] = ()  # e.g. "3 identical duplicate rows collapsed"

    @property
    def fields(self) -> list[str]:
        """Canonical fields present (from a column or a constant)."""
        return [c for c in self.cases.columns if not c.startswith("_")]
