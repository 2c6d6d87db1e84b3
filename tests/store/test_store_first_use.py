"""The store's first use: race-free when many open a new store at once, owner-only files."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import stat
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


def _first_use(db: str, go, errors) -> None:
    go.wait()
    try:
        with Store(db) as store:
            store.form_key()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        errors.put(repr(exc))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="forked processes")
def test_sixteen_processes_at_once(tmp_path):
    # (benchmarks/output_trials.py runs 100, see docs/outputs.md; before the fix 71 of 100
    # failed with "table store_meta already exists"). Forked from this process, which has
    # imported the store already: separate processes and connections, without sixteen
    # imports of pandas.
    db = tmp_path / "new" / "audit.db"
    ctx = multiprocessing.get_context("fork")
    go, errors = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_first_use, args=(str(db), go, errors)) for _ in range(16)]
    for proc in procs:
        proc.start()
    go.set()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * 16
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    with Store(db) as store:
        versions = [r[0] for r in store.con.execute("SELECT version FROM schema_version")]
    assert versions == sorted(set(versions))  # each migration once


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
