"""The released migrations give the schema they always gave.

``fixtures/schema_v5.json`` is ``sqlite_master`` of a fresh store made by the code at
efa2306 (migrations 1-5, when they still lived in one ``migrations.py``); a fresh store
made by this code's first five migrations must have the same tables, indexes, triggers and
SQL text, byte for byte. A later migration is appended and changes nothing here.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ivoaudit.store import Store, migrations, repository

RELEASED = 5
FIXTURE = Path(__file__).parent / "fixtures" / "schema_v5.json"


def _master(path: Path) -> list[list[str | None]]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        return [list(row) for row in rows]
    finally:
        con.close()


def test_a_fresh_store_has_the_released_schema_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setattr(repository, "MIGRATIONS", migrations.MIGRATIONS[:RELEASED])
    with Store(tmp_path / "fresh.db") as store:
        assert store.schema_version() == RELEASED
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    got = _master(tmp_path / "fresh.db")
    assert [row[:3] for row in got] == [row[:3] for row in expected]
    assert got == expected


def test_the_released_migrations_keep_their_order():
    names = [m.__name__ for m in migrations.MIGRATIONS[:RELEASED]]
    assert names == ["_m001_initial", "_m002_rule_titles", "_m003_unexecuted_lists",
                     "_m004_tracking", "_m005_review_checks"]
