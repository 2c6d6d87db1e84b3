"""Write what ``ivoaudit check --out`` promises (data-model.md, docs/CONTRACTS.md).

Every file is written through :mod:`ivoaudit.atomic` (whole or absent). ``results.csv`` and
``cases.csv`` are written by pyarrow's CSV writer: one extract, checklist and as-of date give
byte-identical results.csv and summary.csv.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ivoaudit.ages import AGE_GROUPS, age_group_codes
from ivoaudit.atomic import TEMP_PREFIX, atomic_open, make_dir, write_text
from ivoaudit.check import CheckResult, run_check
from ivoaudit.checklist import Checklist
from ivoaudit.errors import InputError, os_error_message
from ivoaudit.i18n import t
from ivoaudit.safe_text import neutralise_frame, neutralise_table
from ivoaudit.schema import CASE_COLUMNS, PROBLEM_COLUMNS, QUARANTINE_COLUMNS, LoadedExtract

# Writes the human report beside the files (``ivoaudit.report.check_summary.write_check_summary``):
# passed in by the caller, as the report layer sits above this one.
ReportWriter = Callable[[CheckResult, Path], None]


def write_table(table: pa.Table, path: Path) -> None:
    """``table`` as CSV: a plain header line, then pyarrow's rows (every string quoted,
    ISO dates, empty cells for nulls, LF line ends); formula-like text neutralised
    (:mod:`ivoaudit.safe_text`)."""
    with atomic_open(path, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode("utf-8"))
        # Batches of 64 Ki rows rather than the default 1 Ki: the same bytes, some 20 % faster.
        pacsv.write_csv(neutralise_table(table), fh,
                        pacsv.WriteOptions(include_header=False, quoting_style="needed", batch_size=65536))


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """A small frame as UTF-8 CSV (pandas; deterministic formatting), formula-like text
    neutralised."""
    write_text(path, neutralise_frame(frame).to_csv(index=False, lineterminator="\n"))


def case_table(extract: LoadedExtract, as_of: date) -> pa.Table:
    """The columns of ``cases.csv`` as Arrow text (missing: null, an unknown age group: "").

    Columns with few distinct values are dictionary arrays, so that the writer renders each
    value once (units, caseworkers, age groups, received dates)."""
    cases = extract.cases
    n = len(cases)

    def text(name: str) -> pa.Array | pa.ChunkedArray:
        return pa.array(cases[name], from_pandas=True).cast(pa.string()) if name in cases else pa.nulls(n, pa.string())

    columns = {"case_id": pa.array(cases["case_id"].astype(str), from_pandas=True).cast(pa.string())}
    for name in ("area", "unit", "caseworker", "sex"):
        columns[name] = text(name).dictionary_encode()
    labels = pa.array([label for _, _, label in AGE_GROUPS] + [""])  # unknown: the last, ""
    codes = (age_group_codes(cases["birth_date"], cases.get("received_date"), as_of) if "birth_date" in cases
             else np.full(n, -1, dtype=np.int8))
    columns["age_group"] = pa.DictionaryArray.from_arrays(np.where(codes < 0, len(labels) - 1, codes).astype(np.int32),
                                                          labels)
    columns["received_date"] = (_iso_date_array(cases["received_date"]) if "received_date" in cases
                                else pa.nulls(n, pa.string()))
    return pa.table(columns)


def _iso_date_array(values: pd.Series) -> pa.Array:
    """Dates as ``YYYY-MM-DD`` text (missing: null); a dictionary array when the dates span
    fewer days than there are values (as received dates do): each day is formatted once."""
    days = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    known = ~np.isnat(days)
    numbers = days.view(np.int64)
    if known.any():
        low, high = numbers.min(where=known, initial=np.iinfo(np.int64).max), numbers.max(where=known, initial=0)
        if high - low < len(days):
            dictionary = pa.array(np.arange(low, high + 1).astype("datetime64[D]"), type=pa.date32()).cast(pa.string())
            return pa.DictionaryArray.from_arrays(pa.array((numbers - low).astype(np.int32), mask=~known), dictionary)
    return pa.array(days, type=pa.date32(), from_pandas=True).cast(pa.string())


def _summary_frame(result: CheckResult) -> pd.DataFrame:
    summary = result.summary.copy()
    summary["compliance"] = summary["compliance"].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    summary["evaluable"] = summary["evaluable"].map({True: "true", False: "false"})
    return summary


# meta.json first: removed before anything else and written last, it marks a whole folder.
_FILES = ("meta.json", "results.csv", "summary.csv", "quarantine.csv", "cases.csv", "problems.csv", "report.html")
COMPLETE_MARK = "meta.json"


def _output_paths(out_dir: str | Path) -> dict[str, Path]:
    out = Path(out_dir)
    try:
        make_dir(out)
    except OSError as exc:
        raise InputError(t("Kan inte skapa mappen {p}. {e}", "Cannot create the folder {p}. {e}",
                           p=out, e=os_error_message(exc))) from None
    return {name: out / name for name in _FILES}


def _clear_old(paths: dict[str, Path]) -> None:
    """Remove what an earlier run left in the folder, before anything is written, meta.json
    first: a run that stops half-way (an error, a kill, a full disk) then leaves a folder
    without meta.json, which every reader refuses, and never a mix of old and new files. A
    file another program holds open (Excel, on Windows) is found before anything is written.
    Temporary files of a killed run go too."""
    folder = paths[COMPLETE_MARK].parent
    for path in [*paths.values(), *folder.glob(f"{TEMP_PREFIX}*")]:
        try:
            path.unlink(missing_ok=True)
        except (PermissionError, IsADirectoryError) as exc:
            raise InputError(
                t(
                    "Filen {p} från en tidigare granskning kan inte ersättas ({e}). Stäng den om den "
                    "är öppen i Excel eller något annat program, eller välj en annan mapp med --out.",
                    "The file {p} from an earlier check cannot be replaced ({e}). Close it if it is "
                    "open in Excel or another program, or choose another folder with --out.",
                    p=path,
                    e=exc.strerror or exc,
                )
            ) from None


@dataclass(frozen=True)
class ResultsFolder:
    """A complete results folder, as :func:`read_results` found it."""

    path: Path
    meta: dict[str, Any]

    def file(self, name: str) -> Path:
        """The path of one of the folder's files (``results.csv``, ``cases.csv``…)."""
        return self.path / name


def read_results(folder: str | Path) -> ResultsFolder:
    """Open a folder ``ivoaudit check --out`` wrote, refusing one that is not whole.

    ``meta.json`` is the last file a check writes: a folder without it was left by a run
    that stopped (killed, a full disk, an error) and may lack files, so it is refused with
    what to do rather than read as if it were complete.
    """
    path = Path(folder)
    if not path.is_dir():
        raise InputError(t(
            "Mappen {p} finns inte. Ange mappen som `ivoaudit check --out` skrev till.",
            "The folder {p} does not exist. Give the folder `ivoaudit check --out` wrote to.", p=path))
    mark = path / COMPLETE_MARK
    if not mark.is_file():
        raise InputError(t(
            "Mappen {p} är inte en hel granskning: {m} saknas, så körningen som skrev den avbröts "
            "(eller mappen är inte en resultatmapp). Kör `ivoaudit check ... --out {p}` igen.",
            "The folder {p} is not a whole check: {m} is missing, so the run that wrote it was "
            "stopped (or the folder is not a results folder). Run `ivoaudit check ... --out {p}` again.",
            p=path, m=COMPLETE_MARK))
    try:
        meta = json.loads(mark.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(t("Kan inte läsa {p}: {e}", "Cannot read {p}: {e}", p=mark,
                           e=os_error_message(exc))) from exc
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested beyond the parser
        raise InputError(t("{p} är skadad (ingen läsbar JSON). Kör `ivoaudit check` igen.",
                           "{p} is damaged (no readable JSON). Run `ivoaudit check` again.", p=mark)) from None
    if not isinstance(meta, dict):
        raise InputError(t("{p} är skadad. Kör `ivoaudit check` igen.", "{p} is damaged. Run `ivoaudit check` again.",
                           p=mark))
    return ResultsFolder(path, meta)


def check_and_write(extract: LoadedExtract, checklist: Checklist, as_of: date, out_dir: str | Path, *,
                    events: LoadedExtract | None = None, progress: bool = False,
                    report: ReportWriter | None = None,
                    mapping: dict[str, Any] | None = None) -> tuple[CheckResult, dict[str, Path]]:
    """:func:`~ivoaudit.check.run_check`, then :func:`write_check_outputs`.

    The folder is made and an earlier run's files removed first, so a folder that cannot be
    made or a file that cannot be replaced stops the run before the rules start.
    """
    paths = _output_paths(out_dir)
    _clear_old(paths)
    result = run_check(extract, checklist, as_of, events=events, progress=progress, mapping=mapping)
    return result, write_check_outputs(result, extract, out_dir, report=report)


def write_check_outputs(result: CheckResult, extract: LoadedExtract, out_dir: str | Path,
                        *, report: ReportWriter | None = None) -> dict[str, Path]:
    """Write results, summary, quarantine, cases, problems, report.html (with ``report``) and
    meta.json."""
    paths = _output_paths(out_dir)
    _clear_old(paths)
    clock = _Clock(result.timings)
    event_problems = result.events.problems if result.events is not None else None
    _write_extract_files(extract, date.fromisoformat(result.meta["as_of"]), paths, clock, event_problems)
    with clock("write results.csv"):
        write_table(result.table, paths["results.csv"])
    _write_result_files(result, paths, clock, report=report)
    if report is None:
        del paths["report.html"]
    return paths


def _write_extract_files(extract: LoadedExtract, as_of: date, paths: dict[str, Path], clock: _Clock,
                         event_problems: pd.DataFrame | None = None) -> None:
    """quarantine.csv, problems.csv and cases.csv: what depends on the extracts alone.

    problems.csv lists the case extract's cells by row, then the events table's rows the
    rules cannot use (codes ``event_*``, whose message names the events file)."""
    with clock("write quarantine, problems"):
        write_frame(_problem_frame(extract.quarantine, QUARANTINE_COLUMNS), paths["quarantine.csv"])
        problems = _problem_frame(extract.problems, PROBLEM_COLUMNS)
        if event_problems is not None and len(event_problems):
            problems = pd.concat([problems, _problem_frame(event_problems, PROBLEM_COLUMNS)], ignore_index=True)
        write_frame(problems, paths["problems.csv"])
    with clock("write cases.csv"):
        write_table(case_table(extract, as_of), paths["cases.csv"])


def _write_result_files(result: CheckResult, paths: dict[str, Path], clock: _Clock, *,
                        report: ReportWriter | None) -> None:
    with clock("write summary"):
        write_frame(_summary_frame(result), paths["summary.csv"])
    if report is not None:
        with clock("write report.html"):
            report(result, paths["report.html"])
    write_text(paths["meta.json"], json.dumps(result.meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


class _Clock:
    """Adds each stage's wall time to ``timings`` (the benchmark reports them; no profiler)."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0


def _problem_frame(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(dtype=object) for c in columns})
    if len(out):
        out = out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return out


__all__ = ["CASE_COLUMNS", "ResultsFolder", "case_table", "check_and_write", "read_results",
           "write_check_outputs", "write_table"]
