"""A results folder is whole or marked incomplete: meta.json is written last and removed
first, and every reader refuses a folder without it, saying what to do."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.errors import InputError
from ivoaudit.load import load_extract
from ivoaudit.results import check_and_write, read_results, write_check_outputs

DATA = Path(__file__).resolve().parents[2] / "sample_data" / "lifecare"
AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def checked():
    extract = load_extract(DATA / "arenden.csv", mapping=DATA / "lifecare.yaml", keyed=False)
    return extract, run_check(extract, load_checklists(), AS_OF)


def test_meta_json_is_written_last(checked, tmp_path, monkeypatch):
    import ivoaudit.results as results

    order = []
    real = results.write_text

    def spy(path, text, **kw):
        order.append(Path(path).name)
        return real(path, text, **kw)

    monkeypatch.setattr(results, "write_text", spy)
    extract, result = checked
    write_check_outputs(result, extract, tmp_path / "out", report=lambda r, p: order.append(p.name))
    assert order[-1] == "meta.json" and "report.html" in order


def test_a_run_that_stops_leaves_no_meta_and_no_old_file(checked, tmp_path, run_cli):
    extract, result = checked
    out = tmp_path / "out"
    write_check_outputs(result, extract, out, report=lambda _r, path: path.write_text("OLD"))

    def broken_report(_result, _path):
        raise OSError(28, "No space left on device", str(_path))

    with pytest.raises(OSError):
        write_check_outputs(result, extract, out, report=broken_report)
    left = sorted(p.name for p in out.iterdir())
    # the old report.html and meta.json went first; what is there is the new run's, whole
    assert left == ["cases.csv", "problems.csv", "quarantine.csv", "results.csv", "summary.csv"]
    with pytest.raises(InputError, match="meta.json saknas"):
        read_results(out)
    code, _, err = run_cli("report", "--results", out, "--out", tmp_path / "r")
    assert code == 3 and "inte en hel granskning" in err and "ivoaudit check" in err


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_outputs_are_owner_only_whatever_the_umask(checked, tmp_path):
    extract, result = checked
    old = os.umask(0o022)
    try:
        paths = write_check_outputs(result, extract, tmp_path / "new" / "out")
    finally:
        os.umask(old)
    for path in paths.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE((tmp_path / "new" / "out").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_a_killed_runs_temporary_files_are_cleared_by_the_next(checked, tmp_path):
    extract, _ = checked
    out = tmp_path / "out"
    out.mkdir()
    (out / ".ivoaudit-tmp-abc.csv").write_text("half", encoding="utf-8")
    check_and_write(extract, load_checklists(["alla_omraden"]), AS_OF, out)
    assert not list(out.glob(".ivoaudit-tmp-*"))
    assert read_results(out).meta["as_of"] == AS_OF.isoformat()
