"""Operating-system errors on output, key and store paths are the user's to fix: exit 3 with
a Swedish message naming the path and what to do, never a traceback, never a half-written
file under its final name. Real ones where a test can make them (a loop of links, a name
too long, a folder where a file should be), injected ones where root cannot (full disk,
read-only drive, access denied)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import ivoaudit.atomic as atomic

EXTRACT = Path(__file__).resolve().parents[1] / "sample_data" / "lifecare" / "arenden.csv"
MAPPING = EXTRACT.with_name("lifecare.yaml")
CHECK = ("check", EXTRACT, "--mapping", MAPPING, "--checklist", "alla_omraden", "--as-of", "2026-10-31")


def _loop(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    return loop


def _assert_user_error(code, err, *phrases):
    assert code == 3, err
    assert "Traceback" not in err and "Errno" not in err
    for phrase in phrases:
        assert phrase in err, err


def test_output_folder_in_a_loop_of_links(run_cli, tmp_path):
    code, _, err = run_cli(*CHECK, "--out", _loop(tmp_path) / "out")
    _assert_user_error(code, err, "slinga", str(tmp_path / "loop"))
    assert "Excel" not in err


def test_output_name_too_long(run_cli, tmp_path):
    code, _, err = run_cli(*CHECK, "--out", tmp_path / ("x" * 300))
    _assert_user_error(code, err, "för lång")


def test_an_output_file_that_is_a_folder(run_cli, tmp_path):
    (tmp_path / "rules.md").mkdir()
    code, _, err = run_cli("rules", "docs", "--out", tmp_path)
    _assert_user_error(code, err, "är en mapp", "rules.md")


def test_key_file_in_a_loop_of_links(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("IVOAUDIT_SECRET_FILE", str(_loop(tmp_path) / "secret.key"))
    code, _, err = run_cli("sample", EXTRACT, "--mapping", MAPPING, "--size", "3", "--seed", "1",
                           "--as-of", "2026-10-31", "--out", tmp_path / "f.xlsx")
    _assert_user_error(code, err, "slinga")
    assert "Excel" not in err and not (tmp_path / "f.xlsx").exists()


def test_store_name_too_long(run_cli, tmp_path):
    code, _, err = run_cli("rounds", "list", "--db", tmp_path / ("d" * 300) / "audit.db")
    _assert_user_error(code, err, "för lång", "--db")


@pytest.mark.parametrize(("number", "phrase"), [
    (errno.ENOSPC, "Disken är full"),
    (errno.EROFS, "skrivskyddad"),
    (errno.EACCES, "åtkomst nekad"),
    (errno.EFBIG, "för stor"),
])
def test_a_write_that_fails_leaves_nothing_half_written(run_cli, tmp_path, monkeypatch, number, phrase):
    out = tmp_path / "out"
    calls = []
    real = atomic._fsync

    def failing(path):
        calls.append(path)
        if len(calls) == 3:  # the third file of the run
            raise OSError(number, os.strerror(number), str(path))
        real(path)

    monkeypatch.setattr(atomic, "_fsync", failing)
    code, _, err = run_cli(*CHECK, "--out", out)
    _assert_user_error(code, err, phrase)
    names = sorted(p.name for p in out.iterdir())
    assert "meta.json" not in names and not [n for n in names if n.startswith(".ivoaudit-tmp")]
    assert len(names) == 2  # the two files written before the failure, whole


def test_a_file_a_failed_write_left_open_adds_no_traceback(capsys):
    """A Word or Excel zip left open by a write that failed on a full disk fails again when
    Python closes it (found by benchmarks/output_trials.py): nothing more is printed. Other
    such errors are printed as usual."""
    import sys

    from ivoaudit.cli.main import _quiet_unraisable

    class Leaky:
        def __init__(self, error):
            self.error = error

        def __del__(self):
            raise self.error

    old = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable
    try:
        Leaky(OSError(errno.ENOSPC, "No space left on device"))
        assert capsys.readouterr().err == ""
        Leaky(ValueError("a bug"))
        assert "ValueError: a bug" in capsys.readouterr().err
    finally:
        sys.unraisablehook = old
