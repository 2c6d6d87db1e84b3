"""The tracking commands as a user runs them: the interface names of issue 17, --db and
IVOAUDIT_DB, exit codes, and a check recorded with --record."""

from __future__ import annotations

import json
import os

import pytest

from ivoaudit.store import Store
from ivoaudit.store.measurements import get_measurement
from tests.tracking.conftest import write_check

DNR = "8.5-25231/2017-1"
EXTRACT = ("case_id;area;unit;received_date;preliminary_decision_date;preliminary_outcome\n"
           "B1;barn_unga;Barn 1;2026-01-05;2026-01-12;open\n"
           "B2;barn_unga;Barn 1;2026-01-05;2026-01-30;not_open\n"
           "B3;barn_unga;Barn 2;2026-02-02;2026-02-10;not_open\n")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "audit.db"


def _ok(run_cli, *args):
    code, out, err = run_cli(*args)
    assert code == 0, err
    return out


def test_check_record_stores_the_counts_and_refuses_a_taken_name_before_checking(run_cli, tmp_path, db):
    extract = tmp_path / "arenden.csv"
    extract.write_text(EXTRACT, encoding="utf-8")
    out = _ok(run_cli, "check", extract, "--as-of", "2026-03-01", "--out", tmp_path / "c", "--record", "mars",
              "--db", db)
    assert "mars" in out
    with Store(db) as store:
        rule = get_measurement(store, "mars").rule("BU-FORHAND-14D")
    assert (rule.passed, rule.failed, rule.denominator) == (2, 1, 3)  # B2 took 25 days
    code, _, err = run_cli("check", extract, "--as-of", "2026-03-01", "--out", tmp_path / "c2", "--record",
                           "mars", "--db", db)
    assert code == 3 and "redan" in err and not (tmp_path / "c2").exists()
    assert "mars" in _ok(run_cli, "measurements", "list", "--db", db)
    shown = _ok(run_cli, "measurements", "show", "mars", "--db", db)
    line = next(x for x in shown.splitlines() if "BU-FORHAND-14D" in x)
    assert "Förhandsbedömning" in line and "66,7 %" in line and "(2 av 3)" in line
    # a rule the extract cannot measure says so, never as 0 found
    assert "inte mätbar: uttaget saknar" in next(x for x in shown.splitlines() if "BU-UTR-4M" in x)


def test_the_whole_register_from_the_command_line(run_cli, tmp_path, db, monkeypatch):
    monkeypatch.setenv("IVOAUDIT_DB", str(db))  # every command honours it
    _ok(run_cli, "measurements", "record", write_check(tmp_path / "c", "2026-02-28", {"BU-FORHAND-14D": (20, 20, 0)}),
        "--name", "feb")
    _ok(run_cli, "ivo", "add", "--dnr", DNR, "--date", "2017-12-20", "--due", "2018-02-28", "--committee",
        "Socialnämnden")
    _ok(run_cli, "ivo", "demand", "add", DNR, "--text", "Att beslut fattas inom fjorton dagar.", "--rule",
        "BU-FORHAND-14D", "--ivo-figure", "3/10")
    out = _ok(run_cli, "actions", "add", "--measure", "Bevakningslista", "--responsible", "Gruppledare",
              "--person", "Kim Lind", "--start", "2026-03-01", "--deadline", "2026-03-31", "--rule",
              "BU-FORHAND-14D", "--demand", f"{DNR}:1", "--followup", "2026-09-30")
    assert out.strip() == "1"  # the new action's id, alone on the line
    # overdue the day after the deadline, not on the deadline day
    assert json.loads(_ok(run_cli, "actions", "list", "--overdue", "--as-of", "2026-03-31", "--format", "json")) == []
    late = json.loads(_ok(run_cli, "actions", "list", "--overdue", "--as-of", "2026-04-01", "--format", "json"))
    assert [(a["id"], a["overdue"], a["days_overdue"]) for a in late] == [(1, True, 1)]
    _ok(run_cli, "actions", "edit", "1", "--status", "done", "--done-on", "2026-03-30", "--by", "Eva")
    assert json.loads(_ok(run_cli, "actions", "list", "--due-for-followup", "--as-of", "2026-09-30",
                          "--format", "json")) == []
    due = json.loads(_ok(run_cli, "actions", "list", "--due-for-followup", "--as-of", "2026-10-01",
                         "--format", "json"))
    assert [a["id"] for a in due] == [1]
    _ok(run_cli, "measurements", "record", write_check(tmp_path / "d", "2026-09-30", {"BU-FORHAND-14D": (34, 6, 0)}),
        "--name", "sep")
    out = _ok(run_cli, "actions", "edit", "1", "--status", "effective", "--by", "Eva")
    assert "Förbättrad" in out  # the proposal shown and kept
    shown = _ok(run_cli, "actions", "show", "1")
    # before: feb 20 of 40; after: sep 34 of 40; Wilson 95 % by hand: 35.2–64.8 % and 70.9–92.9 %
    assert "50 % (20 av 40; 95 % KI 35 %–65 %)" in shown and "85 % (34 av 40; 95 % KI 71 %–93 %)" in shown
    assert "Eva" in shown and "Status: Genomförd → Har gett effekt" in shown
    assert "Brist" not in _ok(run_cli, "findings", "list")
    assert "Föreslagen brist" in _ok(run_cli, "findings", "propose", "sep")
    followup = _ok(run_cli, "followup", "--as-of", "2026-10-01", "--out", tmp_path / "fu")
    assert "Återkommande brister: 1" in followup  # 85 % < 95 % after the action was done
    assert (tmp_path / "fu" / "uppfoljning.docx").is_file()
    _ok(run_cli, "actions", "report", "--audience", "public", "--out", tmp_path / "plan")
    assert (tmp_path / "plan" / "handlingsplan-offentlig.xlsx").is_file()
    out = _ok(run_cli, "ivo", "answer", DNR, "--format", "docx,html", "--out", tmp_path / "svar")
    assert sorted(p.suffix for p in (tmp_path / "svar").iterdir()) == [".docx", ".html"]
    html = next((tmp_path / "svar").glob("*.html")).read_text(encoding="utf-8")
    assert "Förslag till beslut" in html and "Expedieras till" in html and "Kim Lind" not in html
    _ok(run_cli, "actions", "export", "--out", tmp_path / "reg.xlsx")
    assert "0 nya" in _ok(run_cli, "actions", "import", tmp_path / "reg.xlsx")
    _ok(run_cli, "ivo", "template", "--out", tmp_path / "mall.xlsx")
    assert os.path.getsize(tmp_path / "mall.xlsx") > 0


@pytest.mark.parametrize(("args", "code", "words"), [
    (("actions", "add", "--measure", "x", "--responsible", "y", "--start", "2026-03-01", "--deadline",
      "2026-04-01", "--rule", "BU-FORHAND-14"), 2, "Menade du BU-FORHAND-14D"),
    (("actions", "add", "--measure", "x", "--responsible", "y", "--start", "2026-03-01", "--deadline",
      "31/4"), 2, "ÅÅÅÅ-MM-DD"),
    (("actions", "edit", "9", "--status", "done"), 3, "Åtgärd 9 finns inte"),
    (("actions", "edit", "9", "--status", "finished"), 2, "finished"),
    (("ivo", "demand", "add", "8.5-1/2026-1", "--text", "x"), 3, "finns inte"),
    (("ivo", "answer", "8.5-1/2026-1", "--out", "x"), 2, "finns inte"),
    (("measurements", "show", "ingen"), 3, "finns inte"),
])
def test_bad_input_gets_a_clear_error_and_its_exit_code(run_cli, db, args, code, words):
    got, _, err = run_cli(*args, "--db", db)
    assert got == code and words in err, err


def test_a_round_awaiting_answers_says_so_not_no_cases(run_cli, db):
    import pandas as pd

    cases = pd.DataFrame({"case_id": ["A1", "A2"], "person_id": ["P1", "P2"], "unit": ["Barn 1"] * 2,
                          "caseworker": ["x"] * 2, "area": ["barn_unga"] * 2})
    results = pd.DataFrame({"case_id": ["A1", "A2", "A1"], "rule_id": ["BU-BARN-ASIKT", "BU-BARN-ASIKT", "BU-UTR-4M"],
                            "status": ["needs_review", "needs_review", "pass"], "note": [""] * 3})
    with Store(db) as store:
        store.create_round("omg", record={"seed": 1}, cases=cases, results=results, as_of="2026-10-01")
    shown = _ok(run_cli, "measurements", "show", "omg", "--db", db)
    assert "2 ärenden väntar på granskarens svar" in next(x for x in shown.splitlines() if "BU-BARN-ASIKT" in x)
    assert "(1 av 1)" in next(x for x in shown.splitlines() if "BU-UTR-4M" in x)
