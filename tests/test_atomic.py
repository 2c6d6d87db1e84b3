"""Outputs are whole or absent, owner-only."""

from __future__ import annotations

import os
import stat

import pytest

from ivoaudit.atomic import atomic_open, atomic_path, make_dir, write_text


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_open(target, "w") as fh:
        fh.write("half of the new")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_new_file_is_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o000)
    try:
        write_text(tmp_path / "a" / "b" / "x.txt", "hej\n")
        with atomic_path(tmp_path / "a" / "y.xlsx") as tmp:
            tmp.write_bytes(b"PK")
            os.chmod(tmp, 0o666)  # as a library writing with the umask would
    finally:
        os.umask(old)
    assert (tmp_path / "a" / "b" / "x.txt").read_text() == "hej\n"
    assert _mode(tmp_path / "a" / "b" / "x.txt") == 0o600
    assert _mode(tmp_path / "a" / "y.xlsx") == 0o600
    assert _mode(tmp_path / "a") == 0o700
    assert _mode(tmp_path / "a" / "b") == 0o700


def test_existing_folder_keeps_its_mode(tmp_path):
    os.chmod(tmp_path, 0o755)
    make_dir(tmp_path)
    assert _mode(tmp_path) == 0o755
