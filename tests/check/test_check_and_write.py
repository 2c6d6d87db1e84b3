"""``check_and_write`` (the CLI's path) gives the same files, byte for byte, as ``run_check``
then ``write_check_outputs``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.errors import InputError
from ivoaudit.load import load_events, load_extract
from ivoaudit.report.check_summary import write_check_summary
from ivoaudit.results import check_and_write, write_check_outputs

DATA = Path(__file__).resolve().parents[2] / "sample_data" / "lifecare_messy"
AS_OF = date(2026, 10, 31)


def test_check_and_write_gives_the_same_files(tmp_path):
    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml")
    events = load_events(DATA / "handelser.csv", mapping=DATA / "lifecare_events.yaml")
    checklist = load_checklists()
    result, paths = check_and_write(extract, checklist, AS_OF, tmp_path / "a", events=events,
                                    report=write_check_summary)
    write_check_outputs(run_check(extract, checklist, AS_OF, events=events), extract, tmp_path / "b",
                        report=write_check_summary)
    names = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert names == sorted(p.name for p in paths.values())
    assert len(extract.quarantine) > 0 and len(extract.problems) > 0  # the messy set has both
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert "write cases.csv" in result.timings and "write results.csv" in result.timings


def test_a_folder_that_cannot_be_made_stops_before_the_rules(tmp_path, monkeypatch):
    import ivoaudit.results as outputs

    def no_rules(*args, **kwargs):
        raise AssertionError("the rules ran")

    monkeypatch.setattr(outputs, "run_check", no_rules)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml")
    with pytest.raises(InputError):
        check_and_write(extract, load_checklists(), AS_OF, blocker / "out")


@pytest.mark.parametrize("limit", [0, 3, 70_000, 10**9])
def test_rows_with_status_are_the_tables_rows_in_order(limit):
    """``CheckResult.rows_with_status`` (what report.html shows) gives the count and first
    rows that filtering the full table gives."""
    import numpy as np
    import pyarrow as pa

    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml")
    result = run_check(extract, load_checklists(), AS_OF)
    total, first = result.rows_with_status(("fail", "overdue"), limit)
    table = result.table
    status = np.array(table.column("status").cast(pa.string()).to_pylist())
    hits = np.flatnonzero(np.isin(status, ["fail", "overdue"]))
    assert total == len(hits) > 10
    assert first.equals(table.take(pa.array(hits[:limit], type=pa.int64())))
