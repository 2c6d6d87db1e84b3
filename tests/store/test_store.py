"""The audit store: migrations, reopening, transactions, history."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from ivoaudit.errors import StoreError
from ivoaudit.store import Store, default_db_path
from ivoaudit.store.migrations import SCHEMA_VERSION

TABLES = {"schema_version", "store_meta", "rounds", "sampling_records", "sampled_cases", "auto_results",
          "review_questions", "review_imports", "review_answers", "review_comments", "findings",
          "actions", "action_rules", "action_demands", "action_findings", "history", "measurements",
          "measurement_rules", "ivo_decisions", "ivo_demands", "demand_rules", "finding_rules"}


def _cases():
    return pd.DataFrame({"case_id": ["A", "B"], "person_id": ["P1", "P2"], "unit": ["U", "U"],
                         "received_date": pd.to_datetime(["2026-01-02", "2026-01-03"])})


def _results():
    return pd.DataFrame({"case_id": ["A", "B", "Z"], "rule_id": ["R1", "R1", "R1"],
                         "status": ["needs_review", "pass", "fail"], "days_over": [None, 0, 4]})


def test_migrates_an_empty_file_and_reopens_idempotently(tmp_path):
    path = tmp_path / "new" / "ivoaudit.db"
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.create_round("r1", record={"seed": 1}, cases=_cases(), results=_results())
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert [r.name for r in store.list_rounds()] == ["r1"]
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables >= TABLES
    assert con.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_run_local_person_tokens_are_never_stored(tmp_path):
    cases = _cases().assign(person_id=["L0", "L1"])  # what load_extract(keyed=False) gives
    with Store(tmp_path / "ivoaudit.db") as store:
        with pytest.raises(ValueError, match="run-local"):
            store.create_round("r1", record={"seed": 1}, cases=cases, results=_results())
        assert store.list_rounds() == []


def test_foreign_keys_are_enforced(tmp_path):
    with Store(tmp_path / "db") as store, pytest.raises(sqlite3.IntegrityError), store.transaction() as con:
        con.execute("INSERT INTO sampling_records (round_id, seq, created_at, record_json) "
                    "VALUES (999, 0, 'x', '{}')")


def test_failed_write_leaves_nothing(tmp_path):
    with Store(tmp_path / "db") as store:
        bad = _cases().assign(case_id=["A", "A"])  # duplicate primary key mid-write
        with pytest.raises(sqlite3.IntegrityError):
            store.create_round("r1", record={}, cases=bad, results=_results())
        assert store.list_rounds() == []


def test_not_a_database_is_a_user_error(tmp_path):
    path = tmp_path / "x.db"
    path.write_text("hello, not sqlite " * 100)
    with pytest.raises(StoreError):
        Store(path)


def test_default_path_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("IVOAUDIT_DB", str(tmp_path / "e.db"))
    assert default_db_path() == tmp_path / "e.db"


def test_round_contents_are_pseudonymised_and_limited_to_the_sample(tmp_path):
    with Store(tmp_path / "db") as store:
        store.create_round("r1", record={"seed": 1}, cases=_cases(), results=_results())
        cases = store.sampled_cases("r1")
        assert list(cases["case_id"]) == ["A", "B"]
        assert list(cases["person_id"]) == ["P1", "P2"]
        assert list(cases["received_date"]) == ["2026-01-02", "2026-01-03"]
        assert set(store.auto_results("r1")["case_id"]) == {"A", "B"}  # Z was not sampled
        with pytest.raises(StoreError, match="r1"):
            store.create_round("r1", record={}, cases=_cases(), results=_results())
        with pytest.raises(StoreError, match="finns inte"):
            store.get_round("nope")


def test_answers_keep_history(tmp_path):
    with Store(tmp_path / "db") as store:
        store.create_round("r1", record={}, cases=_cases(), results=_results())
        store.replace_answers("r1", [("A", "R1", "no")], {"A": "first"}, file_name="f", file_sha256="1", total=1)
        result = store.replace_answers("r1", [("A", "R1", "yes")], {}, file_name="f", file_sha256="2", total=1)
        assert result.replaced == 1
        assert store.current_answers("r1").values.tolist() == [["A", "R1", "yes"]]
        history = store.answer_history("r1")
        assert history["answer"].tolist() == ["no", "yes"]
        assert history["superseded_at"].notna().tolist() == [True, False]
        assert store.current_comments("r1") == {}
        assert len(store.imports("r1")) == 2


def test_actions_and_findings(tmp_path):
    from ivoaudit.store.actions import add_action, get_action, update_action
    from ivoaudit.store.history import history

    with Store(tmp_path / "db") as store:
        action = add_action(store, "Checklista för barnsamtal", "Enhetschef", deadline="2026-06-30",
                            rules=["BU-BARN-ASIKT"])
        update_action(store, action.id, {"status": "in_progress"}, note="påbörjad", by="Kim")
        update_action(store, action.id, {"status": "in_progress"})  # no change, no history
        entries = history(store, "action", action.id)
        assert [e.field for e in entries] == ["created", "status"]
        assert (entries[1].old_value, entries[1].new_value, entries[1].note, entries[1].changed_by) == (
            "planned", "in_progress", "påbörjad", "Kim")
        got = get_action(store, action.id)
        assert got.rules == ("BU-BARN-ASIKT",) and got.status == "in_progress"
        with pytest.raises(StoreError):
            update_action(store, action.id, {"status": "finished"})


def test_upgrades_an_older_schema_keeping_data(tmp_path):
    from ivoaudit.store import migrations

    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    con.execute("BEGIN")
    migrations.MIGRATIONS[0](con)
    con.execute("INSERT INTO schema_version VALUES (1, 'then')")
    con.execute("INSERT INTO rounds (name, uid, created_at) VALUES ('gammal', 'u1', 'then')")
    con.execute("COMMIT")
    con.close()
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 2
        assert [r.name for r in store.list_rounds()] == ["gammal"]
        store.set_rule_titles("gammal", {"R1": ("Titel", "Title")})
        assert store.rule_titles("gammal", "en") == {"R1": "Title"}


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (99, 'future')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="nyare"):
        Store(path)
