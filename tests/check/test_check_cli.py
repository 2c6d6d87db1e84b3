"""`ivoaudit check`: files written as data-model.md says, CLI = library, byte-identical reruns."""

from __future__ import annotations

import csv
import json
from datetime import date

import pandas as pd
import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.load import load_events, load_extract
from ivoaudit.report.check_summary import build_context
from ivoaudit.schema import STATUSES

HEADER = ("case_id;person_id;area;unit;received_date;preliminary_decision_date;preliminary_outcome;"
          "investigation_start;investigation_end;child_informed;decision_date;decision_outcome;execution_date\n")
ROWS = [
    "B1;;barn_unga;Barn 1;2026-01-05;2026-01-19;open;2026-01-19;;ja;;;",
    "B2;;barn_unga;Barn 1;2026-01-05;2026-01-20;inleda;;;;;;",
    "B3;;barn_unga;Barn 2;2025-06-10;2025-06-20;;;;;;;",
    "B4;;barn_unga;Barn 2;2026-01-05;31/02/2026;;;;;;;",
    "F1;;funktionshinder;LSS;2025-10-31;;;;;;2026-02-01;granted;",
    "P1;;barn_unga;Barn 1;2025-09-10;2025-09-12;open;2025-09-12;;;;;2025-10-01",
]
EVENTS = "case_id,event_date,event_type\nP1,2026-02-01,review\nP1,2025-12-01,journal\n"


@pytest.fixture
def extract(tmp_path):
    path = tmp_path / "arenden.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    events = tmp_path / "handelser.csv"
    events.write_text(EVENTS, encoding="utf-8")
    return path, events


def _run(run_cli, extract, out, *extra):
    path, events = extract
    code, stdout, stderr = run_cli("check", path, "--as-of", "2026-03-01", "--events", events, "--out", out, *extra)
    assert code == 0, stderr
    return stdout


def test_writes_every_file_with_stable_columns(run_cli, extract, tmp_path):
    out = tmp_path / "out"
    stdout = _run(run_cli, extract, out)
    for name in ("results.csv", "summary.csv", "quarantine.csv", "cases.csv", "problems.csv", "meta.json", "report.html"):
        assert (out / name).exists(), name
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:9] == ["case_id", "rule_id", "status", "start_date", "end_date", "deadline", "days", "days_over", "note"]
    summary = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
    assert list(summary.columns[:9]) == ["rule_id", "applicable", "pass", "fail", "overdue", "pending",
                                          "missing_data", "needs_review", "compliance"]
    assert list(pd.read_csv(out / "quarantine.csv").columns) == ["row", "case_id", "column", "value", "problem", "code"]
    assert list(pd.read_csv(out / "problems.csv").columns) == ["row", "case_id", "column", "field", "value", "problem",
                                                               "code"]
    assert list(pd.read_csv(out / "cases.csv").columns) == ["case_id", "area", "unit", "caseworker", "sex",
                                                            "age_group", "received_date"]
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2026-03-01" and meta["tool_version"] and len(meta["extract_fingerprint"]) == 64
    assert meta["checklists"]["barn_unga"] and meta["extract_rows"] == len(ROWS) and meta["language"] == "sv"
    res = pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)
    assert set(res["status"]) <= set(STATUSES)
    got = {(r.case_id, r.rule_id): r.status for r in res.itertuples()}
    # Expected from the law, by hand (as of 2026-03-01):
    assert got[("B1", "BU-FORHAND-14D")] == "pass"          # day 14
    assert got[("B2", "BU-FORHAND-14D")] == "fail"          # day 15
    assert got[("B3", "BU-FORHAND-14D")] == "pass"
    assert got[("B4", "BU-FORHAND-14D")] == "missing_data"  # 31/02 is no date
    assert got[("F1", "FH-SKYNDSAM")] == "fail"             # 2025-10-31 + 3 months = 2026-01-31
    assert got[("F1", "ALL-EJ-VERKST-3M")] == "pending"     # 2026-02-01 + 3 months = 2026-05-01
    assert got[("P1", "BU-OVERVAG-6M")] == "pass"           # 2025-10-01 → 2026-02-01 → 2026-03-01
    assert got[("B1", "BU-BARN-INFO")] == "pass"
    ref = {(r.case_id, r.rule_id): r.reference for r in res.itertuples()}
    assert "2001:453" in ref[("B3", "BU-FORHAND-14D")]     # deadline 2025-06-24
    assert "2025:400" in ref[("B1", "BU-FORHAND-14D")]
    problems = pd.read_csv(out / "problems.csv", dtype=str)
    assert (problems["row"] == "5").any()                    # B4's unreadable date, file row 5
    assert "BU-FORHAND-14D" in stdout and "75,0\u00a0% (n=4)" in stdout  # B1, B3, P1 of 4


def test_cli_equals_library(run_cli, extract, tmp_path):
    out = tmp_path / "out"
    _run(run_cli, extract, out)
    path, events = extract
    lib = run_check(load_extract(path), load_checklists(), date(2026, 3, 1), events=load_events(events))
    written = pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)
    expected = lib.results.copy()
    for col in ("start_date", "end_date", "deadline"):
        expected[col] = expected[col].dt.strftime("%Y-%m-%d").fillna("")
    for col in ("days", "days_over"):
        expected[col] = expected[col].map(lambda v: "" if pd.isna(v) else str(int(v)))
    expected = expected.astype(str)
    pd.testing.assert_frame_equal(written, expected.reset_index(drop=True), check_dtype=False)
    summary = pd.read_csv(out / "summary.csv")
    assert summary["rule_id"].tolist() == lib.summary["rule_id"].tolist()
    assert summary["pass"].fillna(-1).tolist() == lib.summary["pass"].fillna(-1).tolist()


def test_byte_identical_reruns(run_cli, extract, tmp_path):
    _run(run_cli, extract, tmp_path / "a")
    _run(run_cli, extract, tmp_path / "b")
    for name in ("results.csv", "summary.csv", "meta.json", "cases.csv", "quarantine.csv", "problems.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_english_notes_and_report_context(run_cli, extract, tmp_path):
    out = tmp_path / "en"
    path, events = extract
    code, stdout, _ = run_cli("--lang", "en", "check", path, "--as-of", "2026-03-01", "--out", out)
    assert code == 0 and "Compliance" in stdout
    res = pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)
    notes = set(res["note"])
    assert any("no events table" in n for n in notes) and not any("saknas" in n for n in notes)
    lib = run_check(load_extract(path), load_checklists(), date(2026, 3, 1))
    ctx = build_context(lib)
    by_rule = {r["rule_id"]: r for r in ctx["rules"]}
    assert by_rule["BU-FORHAND-14D"]["denominator"] == "4" and by_rule["BU-FORHAND-14D"]["compliance_text"] == "75.0%"
    assert {(d["case_id"], d["rule_id"]) for d in ctx["deviations"]} >= {("B2", "BU-FORHAND-14D"), ("F1", "FH-SKYNDSAM")}
    assert all(d["status"] in ("fail", "overdue") for d in ctx["deviations"])


def test_checklist_selection_by_name(run_cli, extract, tmp_path):
    out = tmp_path / "sel"
    _run(run_cli, extract, out, "--checklist", "funktionshinder")
    res = pd.read_csv(out / "results.csv", dtype=str)
    assert set(res["rule_id"]) == {"FH-SKYNDSAM", "FH-PLAN"}
    assert set(res["case_id"]) == {"F1"}


def test_usage_errors(run_cli, extract, tmp_path):
    path, _ = extract
    code, _, err = run_cli("check", path, "--as-of", "1 mars", "--out", tmp_path / "x")
    assert code == 2 and "--as-of" in err
    code, _, err = run_cli("check", path, "--checklist", "skola", "--out", tmp_path / "x")
    assert code == 3 and "skola" in err


def test_a_rerun_into_the_same_folder_replaces_every_file(run_cli, extract, tmp_path):
    fresh, reused = tmp_path / "fresh", tmp_path / "reused"
    reused.mkdir()
    for name in ("results.csv", "summary.csv", "cases.csv", "report.html", "meta.json"):
        (reused / name).write_text("från en gammal körning\n" * 50_000, encoding="utf-8")  # longer
    _run(run_cli, extract, fresh)
    _run(run_cli, extract, reused)
    for path in sorted(fresh.iterdir()):
        assert (reused / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_old_results_file_with_a_second_link_is_replaced_not_written_over(run_cli, extract, tmp_path):
    import os

    out = tmp_path / "out"
    _run(run_cli, extract, out)
    kept = tmp_path / "kept.csv"  # e.g. a user's hard-linked copy of an earlier result
    os.link(out / "results.csv", kept)
    (out / "results.csv").write_bytes(b"gammalt resultat\n")
    _run(run_cli, extract, out)
    assert kept.read_bytes() == b"gammalt resultat\n"
    assert (out / "results.csv").read_bytes() != kept.read_bytes()
    assert os.stat(out / "results.csv").st_nlink == 1


def _refuse_removing(monkeypatch, name):
    """``Path.unlink`` of ``name`` fails as Windows answers for a file open in Excel."""
    from pathlib import Path

    unlink = Path.unlink

    def locked(self, missing_ok=False):
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", locked)


def test_a_read_only_old_results_file_is_removed_and_written_anew(run_cli, extract, tmp_path):
    fresh, out = tmp_path / "fresh", tmp_path / "out"
    _run(run_cli, extract, fresh)
    out.mkdir()
    (out / "results.csv").write_text("från en gammal körning\n" * 5_000, encoding="utf-8")
    (out / "results.csv").chmod(0o444)
    _run(run_cli, extract, out)
    assert (out / "results.csv").read_bytes() == (fresh / "results.csv").read_bytes()


def test_a_locked_old_results_file_stops_the_check_before_anything_is_written(run_cli, extract, tmp_path, monkeypatch):

    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("gammalt\n", encoding="utf-8")
    _refuse_removing(monkeypatch, "results.csv")
    path, events = extract
    code, _, err = run_cli("check", path, "--as-of", "2026-03-01", "--events", events, "--out", out)
    assert code == 3
    assert "results.csv" in err and "Stäng den om den är öppen i Excel" in err
    assert sorted(p.name for p in out.iterdir()) == ["results.csv"]
    assert (out / "results.csv").read_text(encoding="utf-8") == "gammalt\n"


@pytest.mark.parametrize("failing", ["run_check", "write_table"])
def test_a_failed_run_leaves_no_results_or_cases_file_old_or_new(run_cli, extract, tmp_path, monkeypatch, failing):
    import ivoaudit.results as outputs

    out = tmp_path / "out"
    _run(run_cli, extract, out)

    def broken(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(outputs, failing, broken)
    path, events = extract
    code, _, err = run_cli("check", path, "--as-of", "2026-03-01", "--events", events, "--out", out)
    assert code == 1 and "trasig" in err
    assert not (out / "results.csv").exists() and not (out / "cases.csv").exists()


def test_an_old_file_that_cannot_be_replaced_stops_the_check_before_anything_is_written(
    run_cli, extract, tmp_path, monkeypatch
):

    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("old\n", encoding="utf-8")
    _refuse_removing(monkeypatch, "summary.csv")
    path, events = extract
    code, _, err = run_cli("check", path, "--as-of", "2026-03-01", "--events", events, "--out", out)
    assert code == 3
    assert "summary.csv" in err and "Stäng den om den är öppen i Excel" in err
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]  # nothing new written


def test_check_pseudonymises_nothing_and_reads_no_secret(run_cli, tmp_path):
    # The check's files hold no person ids: it loads with run-local tokens (load_extract's
    # keyed=False), so the pseudonymisation secret is neither created nor read.
    import os
    from pathlib import Path

    path = tmp_path / "arenden.csv"
    path.write_text(HEADER + "B1;191212121212;barn_unga;Barn 1;2026-01-05;2026-01-19;open;2026-01-19;;ja;;;\n",
                    encoding="utf-8")
    code, _, stderr = run_cli("check", path, "--as-of", "2026-03-01", "--out", tmp_path / "out")
    assert code == 0, stderr
    assert not Path(os.environ["IVOAUDIT_SECRET_FILE"]).exists()
    for written in (tmp_path / "out").iterdir():
        assert "191212" not in written.read_text(encoding="utf-8"), written.name


def test_the_not_evaluable_warning_agrees_in_number(run_cli, tmp_path):
    """'1 regel … den är inte mätt', '2 regler … de är inte mätta' (and in English)."""
    extract = tmp_path / "x.csv"
    extract.write_text("Ärendenr;Verksamhet;Beslutsdatum\nA1;aldre;2026-01-05\n", encoding="utf-8")
    own = tmp_path / "en.yaml"
    own.write_text("extends: [alla_omraden]\ndisable: [ALL-AVBROTT-3M, ALL-DROJSMAL-6M, ALL-BESLUT-UNDERRATTAD, "
                   "ALL-OVERKLAGANDE]\n", encoding="utf-8")
    code, out, err = run_cli("check", extract, "--checklist", own, "--as-of", "2026-10-31", "--out", tmp_path / "a")
    assert code == 0, err
    assert "VARNING: 1 regel kan inte bedömas på det här uttaget: den är inte mätt" in out
    code, out, err = run_cli("--lang", "en", "check", extract, "--as-of", "2026-10-31", "--checklist",
                             "alla_omraden", "--out", tmp_path / "b")
    assert code == 0, err
    assert "rules cannot be evaluated on this extract: they were not measured" in out
