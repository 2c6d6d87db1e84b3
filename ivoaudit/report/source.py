"""Where a report's data comes from: the ``ReportSource`` interface and its implementations.

A report needs the frames ``ivoaudit check`` writes (results, summary, cases, problems,
quarantine, meta), and for an audit round also the sampling record and the earlier rounds
(for trends). ``ResultsDirSource`` reads a check output folder; a store-backed source for
``--round NAME`` implements the same protocol (``ivoaudit.report.round_source``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.results import read_results
from ivoaudit.schema import (
    CASE_COLUMNS,
    PROBLEM_COLUMNS,
    QUARANTINE_COLUMNS,
    RESULT_COLUMNS,
    RESULT_OPTIONAL,
    empty_frame,
)


@dataclass(frozen=True)
class RoundPoint:
    """One earlier (or the current) round's counts per rule, for the trend chart."""

    name: str
    date: str  # ISO date the round was checked (as_of)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # rule_id -> (pass, denominator)
    checklist: str = ""  # the checklist versions measured with (see ivoaudit.report.trend)
    population: str = ""  # whom the round measured: its draw's kind, area and deviation filter


@runtime_checkable
class ReportSource(Protocol):
    """What the report model builder reads. Frames follow the check output folder's columns."""

    label: str  # shown in the report ("results folder X" / "round Y")
    is_sample: bool  # True for a sampled round: compliance gets a Wilson confidence interval

    def results(self) -> pd.DataFrame: ...
    def summary(self) -> pd.DataFrame | None: ...
    def cases(self) -> pd.DataFrame: ...
    def problems(self) -> pd.DataFrame: ...
    def quarantine(self) -> pd.DataFrame: ...
    def meta(self) -> dict[str, Any]: ...
    def sampling_record(self) -> dict[str, Any] | None: ...
    def rounds(self) -> list[RoundPoint]: ...


def _arrow_csv(path: Path) -> pd.DataFrame:
    """Every column as text, blanks missing: Arrow reads half a million result rows in a
    fraction of the time pandas' parser takes."""
    with path.open("rb") as fh:
        header = fh.readline().decode("utf-8-sig").strip()
    names = next(csv.reader([header])) if header else []
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="utf8"),
                           convert_options=pacsv.ConvertOptions(
                               column_types={n: pa.string() for n in names}, strings_can_be_null=True))
    table = table.rename_columns([n.lstrip("\ufeff") for n in table.column_names])
    return table.to_pandas()


def _read_csv(path: Path, columns: tuple[str, ...], required: bool) -> pd.DataFrame:
    if not path.exists():
        if required:
            raise InputError(t(
                "Filen {p} saknas. Ange mappen som `ivoaudit check --out` skrev till.",
                "The file {p} is missing. Give the folder that `ivoaudit check --out` wrote to.",
                p=path))
        return empty_frame(columns)
    try:
        frame = _arrow_csv(path)
    except (OSError, UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise InputError(t("Kan inte läsa {p}: {e}. Skapa om mappen med `ivoaudit check`.",
                           "Cannot read {p}: {e}. Recreate the folder with `ivoaudit check`.",
                           p=path, e=exc)) from exc
    missing = [c for c in columns if c not in frame.columns and c not in RESULT_OPTIONAL]
    if required and missing:
        raise InputError(t(
            "{p} saknar kolumnerna {c}. Filen ska vara skriven av `ivoaudit check`.",
            "{p} lacks the columns {c}. The file should be written by `ivoaudit check`.",
            p=path, c=", ".join(missing)))
    for c in columns:
        if c not in frame.columns:
            frame[c] = pd.Series([None] * len(frame), dtype="object")
    return frame


class ResultsDirSource:
    """A check output folder (``ivoaudit check --out DIR``) as a report source."""

    is_sample = False

    def __init__(self, directory: str | Path):
        self.folder = read_results(directory)  # refuses a folder a stopped run left
        self.directory = self.folder.path
        self.label = self.directory.name
        self._cache: dict[str, Any] = {}

    def _frame(self, name: str, columns: tuple[str, ...], required: bool) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = _read_csv(self.directory / name, columns, required)
        return self._cache[name]

    def results(self) -> pd.DataFrame:
        return self._frame("results.csv", RESULT_COLUMNS, True)

    def summary(self) -> pd.DataFrame | None:
        path = self.directory / "summary.csv"
        return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None

    def comments(self) -> dict[str, str]:
        """Reviewer comments: none in a check folder."""
        return {}

    def cases(self) -> pd.DataFrame:
        return self._frame("cases.csv", CASE_COLUMNS, False)

    def problems(self) -> pd.DataFrame:
        return self._frame("problems.csv", PROBLEM_COLUMNS, False)

    def quarantine(self) -> pd.DataFrame:
        return self._frame("quarantine.csv", QUARANTINE_COLUMNS, False)

    def meta(self) -> dict[str, Any]:
        return self.folder.meta

    def sampling_record(self) -> dict[str, Any] | None:
        return None

    def rounds(self) -> list[RoundPoint]:
        # A results folder is a single measurement: the trend has one point.
        return []
