"""The store's first use: race-free when many open a new store at once, owner-only files."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading

import pytest

from ivoaudit.store import Store


def test_two_first_uses_that_both_look_before_either_migrates(tmp_path, monkeypatch):
    """The race made certain: each opener reads the schema version, then waits (up to 2 s)
    for the other to have read it too. Migrating outside the reader's lock made the second
    fail with "table ... already exists"; now the second waits for the first's lock."""
    db = tmp_path / "new" / "audit.db"
    barrier = threading.Barrier(2)
    real = Store.schema_version

    def version_then_wait(self):
        found = real(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return found

    monkeypatch.setattr(Store, "schema_version", version_then_wait)
    errors = []

    def first_use():
        try:
            with Store(db) as store:
                store.form_key()
        except Exception as exc:  # noqa: BLE001 - counted below
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    monkeypatch.undo()
    with Store(db) as store:
        versions = [r[0] for r in store.con.execute("SELECT version FROM schema_version")]
    assert versions == sorted(set(versions))  # each migration once


@pytest.mark.slow
def test_sixteen_processes_at_once(tmp_path):
    # (the script in docs/outputs.md runs 100; before the fix 71 of 100 failed with
    # "table store_meta already exists")
    db = tmp_path / "new" / "audit.db"
    go = tmp_path / "go"
    code = ("import os, sys, time\nfrom ivoaudit.store import Store\nprint('ready', flush=True)\n"
            "while not os.path.exists(sys.argv[2]): time.sleep(0.001)\n"
            "s = Store(sys.argv[1]); s.form_key(); s.close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(go)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(16)]
    for proc in procs:
        proc.stdout.readline()
    go.touch()
    failures = [proc.communicate()[1] for proc in procs if proc.wait() != 0]
    assert failures == []


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_store_and_its_folder_are_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        db = tmp_path / "data" / "ivoaudit" / "audit.db"
        with Store(db):
            pass
        shared = tmp_path / "shared.db"
        shared.touch(mode=0o644)
        with Store(shared):
            pass
    finally:
        os.umask(old)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o600  # an existing store is tightened


def test_an_unreachable_store_path_is_a_store_error_naming_what_to_do(tmp_path, run_cli):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    code, _, err = run_cli("rounds", "list", "--db", loop / "audit.db")
    assert code == 3
    assert "slinga" in err and "Excel" not in err
