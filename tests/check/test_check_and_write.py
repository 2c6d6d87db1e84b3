"""``check_and_write`` (the CLI's path: extract files written while the rules run) gives the
same files, byte for byte, as ``run_check`` then ``write_check_outputs``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.errors import InputError
from ivoaudit.load import load_events, load_extract
from ivoaudit.results import check_and_write, write_check_outputs

DATA = Path(__file__).resolve().parents[2] / "sample_data" / "lifecare_messy"
AS_OF = date(2026, 10, 31)


def test_overlapped_writing_gives_the_same_files(tmp_path):
    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml")
    events = load_events(DATA / "handelser.csv", mapping=DATA / "lifecare_events.yaml")
    checklist = load_checklists()
    result, paths = check_and_write(extract, checklist, AS_OF, tmp_path / "a", events=events)
    write_check_outputs(run_check(extract, checklist, AS_OF, events=events), extract, tmp_path / "b")
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
def test_rows_with_status_are_the_tables_rows_in_order(limit, monkeypatch):
    """``CheckResult.rows_with_status`` (what report.html shows) reads the laid-out rows a
    block at a time: it must give the count and first rows that filtering the full table
    gives, wherever the blocks fall."""
    import numpy as np
    import pyarrow as pa

    import ivoaudit.check as check

    monkeypatch.setattr(check, "_STATUS_BLOCK", 7)  # many blocks on the small sample
    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml")
    result = run_check(extract, load_checklists(), AS_OF)
    total, first = result.rows_with_status(("fail", "overdue"), limit)
    table = result.table
    status = np.array(table.column("status").cast(pa.string()).to_pylist())
    hits = np.flatnonzero(np.isin(status, ["fail", "overdue"]))
    assert total == len(hits) > 10
    assert first.equals(table.take(pa.array(hits[:limit], type=pa.int64())))


def test_a_file_written_over_keeps_no_old_bytes_even_when_the_writing_fails(tmp_path):
    from ivoaudit.results import _written_over

    path = tmp_path / "results.csv"
    path.write_bytes(b"gammal rad\n" * 1000)
    with pytest.raises(OSError), _written_over(path) as fh:
        fh.write(b"ny rad\n")
        raise OSError(28, "No space left on device")
    assert path.read_bytes() == b"ny rad\n"  # as "wb" would have left it
    with _written_over(path) as fh:
        fh.write(b"a")
    assert path.read_bytes() == b"a"
    with _written_over(tmp_path / "new.csv") as fh:  # no old file: made
        fh.write(b"b")
    assert (tmp_path / "new.csv").read_bytes() == b"b"


@pytest.mark.parametrize("pieces", [[10, 70_000, 3], [65_536, 65_536], [1, 1, 200_000, 65_535, 2], [0, 5]])
def test_block_writer_writes_whole_blocks_at_block_boundaries(pieces):
    import io

    from ivoaudit.results import _WRITE_BYTES, _BlockWriter

    class Recording(io.BytesIO):
        def __init__(self):
            super().__init__()
            self.writes = []

        def write(self, data):
            self.writes.append((self.tell(), len(data)))
            return super().write(data)

    data = bytes(range(256)) * (sum(pieces) // 256 + 1)
    fh, at = Recording(), 0
    writer = _BlockWriter(fh)
    for size in pieces:
        assert writer.write(memoryview(data)[at:at + size]) == size
        at += size
    writer.write_rest()
    assert fh.getvalue() == data[:at]
    *blocks, last = fh.writes or [(0, 0)]
    assert all(start % _WRITE_BYTES == 0 and size == _WRITE_BYTES for start, size in blocks)
    assert last[0] % _WRITE_BYTES == 0 and last[1] <= _WRITE_BYTES
