"""A store write the user can fix (full disk, another run holding the lock) ends as a
StoreError saying what to do, and the transaction leaves nothing behind. Real SQLite errors:
``max_page_count`` makes SQLite answer SQLITE_FULL exactly as a full disk does."""

from __future__ import annotations

import sqlite3

import pytest

from ivoaudit.errors import StoreError
from ivoaudit.i18n import set_language
from ivoaudit.store import Store


def _rows(store: Store) -> int:
    return store.con.execute("SELECT COUNT(*) FROM store_meta WHERE key LIKE 'filler-%'").fetchone()[0]


def test_a_full_disk_is_a_store_error_and_the_transaction_is_undone(tmp_path):
    set_language("sv")
    with Store(tmp_path / "audit.db") as store:
        pages = store.con.execute("PRAGMA page_count").fetchone()[0]
        store.con.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError, match="Disken är full") as caught, store.transaction() as con:
            for i in range(200):
                con.execute("INSERT INTO store_meta VALUES (?, ?)", (f"filler-{i}", "x" * 1000))
        assert str(store.path) in str(caught.value)
        assert _rows(store) == 0
        with store.transaction() as con:  # the store is usable again once there is room
            con.execute("INSERT INTO store_meta VALUES ('filler-0', 'x')")
        assert _rows(store) == 1


def test_another_run_holding_the_lock_is_a_store_error(tmp_path):
    set_language("en")
    db = tmp_path / "audit.db"
    with Store(db) as first, Store(db) as second:
        second.con.execute("PRAGMA busy_timeout = 50")
        with first.transaction(), pytest.raises(StoreError, match="in use by another run"), \
                second.transaction():
            pass
        with second.transaction() as con:  # free again once the first is done
            con.execute("INSERT INTO store_meta VALUES ('filler-1', 'x')")
        assert _rows(first) == 1


def test_other_operational_errors_stay_bugs(tmp_path):
    with Store(tmp_path / "audit.db") as store, pytest.raises(sqlite3.OperationalError), \
            store.transaction() as con:
        con.execute("INSERT INTO no_such_table VALUES (1)")
