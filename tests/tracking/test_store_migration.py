"""A store written by the released code (schema 2) opens, migrates and loses nothing.

``fixtures/store_schema2.db`` was made by ``fixtures/make_store_schema2.py`` with the code of
main at d09a525 (the release before the tracking tables): one round with a review answer and
comment, two old-style findings and two actions, one with a history and a demand reference.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ivoaudit.errors import StoreError
from ivoaudit.store import Store
from ivoaudit.store.actions import get_action, list_actions
from ivoaudit.store.findings import list_findings
from ivoaudit.store.history import history
from ivoaudit.store.ivo import get_decision
from ivoaudit.store.migrations import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "store_schema2.db"


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 2
    con.close()
    return path


def _snapshot(path: Path, tables: list[str]) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        con.close()


KEPT = ["rounds", "sampling_records", "sampled_cases", "auto_results", "review_imports",
        "review_answers", "review_comments", "rule_titles", "store_meta"]


def test_release_store_migrates_without_loss(old_store):
    before = _snapshot(old_store, KEPT + ["findings", "actions", "action_rules", "action_demands",
                                          "action_history"])
    with Store(old_store) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        # the review side is untouched, row for row
        assert _snapshot(old_store, KEPT) == {t: before[t] for t in KEPT}
        assert store.current_answers("vår-2026").values.tolist() == [["A-1", "BU-BARN-ASIKT", "no"]]
        # old actions: same ids, texts, dates and statuses; responsible → responsible role
        old_actions = before["actions"]
        actions = list_actions(store)
        assert [(a.id, a.measure, a.responsible_role, a.status) for a in actions] == [
            (r[0], r[1], r[2], r[5]) for r in old_actions]
        first = get_action(store, 1)
        assert (first.start_date, first.deadline) == (date(2026, 4, 1), date(2026, 6, 30))
        assert first.rules == ("BU-BARN-ASIKT",)
        assert first.demands == ("8.5-25231/2017-1:2",)
        # a done action gets the day its history set it done
        assert get_action(store, 2).done_on == date.fromisoformat(old_actions[1][6][:10])
        # the history, entry for entry
        old_history = before["action_history"]
        new_history = history(store, "action", 1) + history(store, "action", 2)
        assert [(h.entity_id, h.changed_at, h.field, h.old_value, h.new_value, h.note)
                for h in new_history] == [tuple(r[1:]) for r in old_history]
        # old findings (per round and rule: passed of denominator, note) are findings now
        findings = list_findings(store)
        assert [(f.rules, f.round_name, f.passed, f.denominator, f.note) for f in findings] == [
            ((r[2],), "vår-2026", r[3], r[4], r[6]) for r in before["findings"]]
        assert all(f.source == "measurement" and f.status == "proposed" for f in findings)
        # the free-text demand reference became a demand of a decision shell
        decision = get_decision(store, "8.5-25231/2017-1")
        assert [d.number for d in decision.demands] == [2] and decision.decision_date is None
        assert store.con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(old_store) as store:  # reopening migrates nothing twice
        assert store.schema_version() == SCHEMA_VERSION
        assert len(list_actions(store)) == 2


def test_history_is_append_only(old_store):
    with Store(old_store) as store:
        for statement in ("UPDATE history SET new_value = 'done'", "DELETE FROM history"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"), store.transaction() as con:
                con.execute(statement)
        assert len(history(store, "action", 1)) == 2


def test_a_failing_migration_leaves_the_old_store(old_store, monkeypatch):
    from ivoaudit.store import migrations, repository

    # The tracking tables' migration (not simply the last one: later ones are appended).
    at = migrations.MIGRATIONS.index(migrations._m004_tracking)

    def broken(con):
        migrations._m004_tracking(con)  # the tracking tables, then a failure
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(repository, "MIGRATIONS", (*migrations.MIGRATIONS[:at], broken,
                                                     *migrations.MIGRATIONS[at + 1:]))
    before = _snapshot(old_store, KEPT + ["actions", "findings"])
    with pytest.raises(StoreError, match="simulated"):
        Store(old_store)
    assert _snapshot(old_store, KEPT + ["actions", "findings"]) == before
    con = sqlite3.connect(old_store)
    # each migration is its own transaction: the ones before the tracking tables stay applied
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == at
    con.close()
