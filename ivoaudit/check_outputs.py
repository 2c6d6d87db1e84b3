"""Write what ``ivoaudit check --out DIR`` promises (data-model.md, docs/CONTRACTS.md).

``results.csv`` is written with pyarrow (vectorised, no Python per row): one extract,
checklist and as-of date give byte-identical results.csv and summary.csv.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ivoaudit.ages import age_groups
from ivoaudit.check import RESULT_COLUMNS, CheckResult
from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.model import LoadedExtract

CASE_COLUMNS = ["case_id", "area", "unit", "caseworker", "sex", "age_group", "received_date"]
QUARANTINE_COLUMNS = ["row", "column", "value", "problem"]
PROBLEM_COLUMNS = ["row", "column", "field", "value", "problem"]
def write_table(table: pa.Table, path: Path) -> None:
    """CSV via pyarrow: plain header line, ISO dates, empty cells for nulls, LF line ends."""
    # Dictionary columns (case, rule, status, note, reference) are written as they are: Arrow
    # decodes them while writing. A hand-made renderer (each distinct value formatted once,
    # rows joined with compute kernels) measured no faster than this on 5 million rows.
    with path.open("wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="needed"))


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """A small frame as UTF-8 CSV (pandas; deterministic formatting)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def case_attributes(extract: LoadedExtract, as_of: date) -> pd.DataFrame:
    """Pseudonymised case attributes for reports and sampling (no person ids, no free text)."""
    cases = extract.cases
    out = pd.DataFrame({"case_id": cases["case_id"].astype(str)})
    for name in ("area", "unit", "caseworker", "sex"):
        out[name] = cases.get(name)
    out["age_group"] = (age_groups(cases["birth_date"], cases.get("received_date"), as_of).fillna("")
                        if "birth_date" in cases else "")
    out["received_date"] = iso_dates(cases["received_date"]) if "received_date" in cases else None
    return out[CASE_COLUMNS]


def iso_dates(values: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text (missing stays missing), cast by Arrow: strftime over a
    million rows took about a second."""
    days = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    text = pa.array(days, type=pa.date32(), from_pandas=True).cast(pa.string())
    return pd.Series(pd.arrays.ArrowExtensionArray(text), index=values.index)


def _summary_frame(result: CheckResult) -> pd.DataFrame:
    summary = result.summary.copy()
    summary["compliance"] = summary["compliance"].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    return summary


def write_check_outputs(result: CheckResult, extract: LoadedExtract, out_dir: str | Path,
                        *, report: bool = True) -> dict[str, Path]:
    """Write results, summary, quarantine, cases, problems, meta.json and report.html."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(t("Kan inte skapa mappen {p}: {e}", "Cannot create the folder {p}: {e}",
                           p=out, e=exc)) from None
    paths = {name: out / name for name in ("results.csv", "summary.csv", "quarantine.csv", "cases.csv",
                                             "problems.csv", "meta.json", "report.html")}
    clock = _Clock(result.timings)

    def write_results() -> None:
        with clock("write results.csv"):
            write_table(result.table.select(RESULT_COLUMNS), paths["results.csv"])

    # Arrow's CSV writer releases the GIL: write the big results.csv in a thread while the
    # small files and the report are made here (each file is still written by one writer).
    with ThreadPoolExecutor(max_workers=1) as pool:
        results_done = pool.submit(write_results)
        _write_small_files(result, extract, paths, clock, report=report)
        results_done.result()  # re-raises a failure of the results writer
    if not report:
        del paths["report.html"]
    return paths


def _write_small_files(result: CheckResult, extract: LoadedExtract, paths: dict[str, Path], clock: _Clock,
                       *, report: bool) -> None:
    as_of = date.fromisoformat(result.meta["as_of"])
    with clock("write summary, quarantine, problems"):
        write_frame(_summary_frame(result), paths["summary.csv"])
        write_frame(_problem_frame(extract.quarantine, QUARANTINE_COLUMNS), paths["quarantine.csv"])
        write_frame(_problem_frame(extract.problems, PROBLEM_COLUMNS), paths["problems.csv"])
    with clock("write cases.csv"):
        cases = case_attributes(extract, as_of)
        write_table(pa.table({c: pa.array(cases[c], from_pandas=True).cast(pa.string()) for c in CASE_COLUMNS}),
                    paths["cases.csv"])
    paths["meta.json"].write_text(json.dumps(result.meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                  encoding="utf-8")
    if report:
        from ivoaudit.report.check_summary import write_check_summary

        with clock("write report.html"):
            write_check_summary(result, paths["report.html"])


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


def _problem_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(dtype=object) for c in columns})
    if len(out):
        out = out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return out


__all__ = ["CASE_COLUMNS", "case_attributes", "write_check_outputs", "write_table"]
