"""Every row of the events table is accounted for like every case row (issue 13): used by the
rules, or listed in problems.csv with the events file, its row, the case id, the problem and
what to do; meta.json counts read = used + listed; the terminal and report.html say how many
were not used. The expected rows come from the generator's ``event_faults.csv``, written when
it put the faulty rows in (never from the checker)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ivoaudit.synthetic import generate, write_set

REPO = Path(__file__).resolve().parents[2]
MESSY = REPO / "sample_data" / "lifecare_messy"


def _check(run_cli, folder: Path, out: Path, *extra: object):
    suffix = ".xlsx" if (folder / "arenden.xlsx").exists() else ".csv"
    code, stdout, err = run_cli("check", folder / f"arenden{suffix}", "--events", folder / f"handelser{suffix}",
                                "--as-of", "2026-10-31", "--out", out, *extra)
    assert code == 0, err
    problems = pd.read_csv(out / "problems.csv", dtype=str, keep_default_na=False)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    return stdout, problems, meta


def _event_rows(problems: pd.DataFrame) -> pd.DataFrame:
    return problems[problems["code"].str.startswith("event_")]


def _compare(problems: pd.DataFrame, faults: pd.DataFrame) -> None:
    got = _event_rows(problems)
    listed = sorted(zip(got["row"].astype(int), got["case_id"], got["code"], strict=True))
    expected = sorted(zip(faults["row"].astype(int), faults["case_id"], faults["code"], strict=True))
    assert listed == expected


@pytest.fixture(scope="module")
def messy_treserva(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy-treserva")
    write_set(generate(600, 5, system="treserva", messy=True), out)
    return out


def test_bundled_messy_events_listed_as_the_generator_recorded(run_cli, tmp_path):
    stdout, problems, meta = _check(run_cli, MESSY, tmp_path / "o")
    faults = pd.read_csv(MESSY / "event_faults.csv", dtype=str, keep_default_na=False)
    assert set(faults["code"]) == {"event_date", "event_type", "event_case_unknown", "event_not_loaded"}
    _compare(problems, faults)
    events = meta["events"]
    read = json.loads((MESSY / "meta.json").read_text(encoding="utf-8"))["event_rows"]  # the blank row too
    assert events == {"file": "handelser.csv", "rows_read": read, "rows_used": read - len(faults),
                      "rows_listed": len(faults)}
    # each listed row names the events file and says what to do
    for text in _event_rows(problems)["problem"]:
        assert "handelser.csv" in text and ("Rätta" in text or "Lägg till" in text or "Kontrollera" in text)
    assert f"{len(faults)} används inte" in stdout
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert f"{len(faults)} används inte" in html and "handelser.csv" in html


def test_generated_messy_workbook_events_listed(run_cli, tmp_path, messy_treserva):
    _, problems, meta = _check(run_cli, messy_treserva, tmp_path / "o", "--lang", "en")
    faults = pd.read_csv(messy_treserva / "event_faults.csv", dtype=str, keep_default_na=False)
    _compare(problems, faults)
    assert meta["events"]["rows_listed"] == len(faults) > 0
    assert meta["events"]["rows_read"] == meta["events"]["rows_used"] + meta["events"]["rows_listed"]


@pytest.mark.parametrize("name", ["lifecare", "treserva"])
def test_clean_bundled_sets_use_every_event(run_cli, tmp_path, name):
    stdout, problems, meta = _check(run_cli, REPO / "sample_data" / name, tmp_path / "o")
    assert _event_rows(problems).empty
    assert meta["events"]["rows_listed"] == 0 and meta["events"]["rows_used"] == meta["events"]["rows_read"] > 0
    assert "alla används av reglerna" in stdout


def test_without_events_meta_says_none(run_cli, tmp_path):
    code, _, err = run_cli("check", MESSY / "arenden.csv", "--as-of", "2026-10-31", "--out", tmp_path / "o")
    assert code == 0, err
    assert json.loads((tmp_path / "o" / "meta.json").read_text(encoding="utf-8"))["events"] is None


def test_internal_report_lists_event_rows_as_rows_of_the_events_file(run_cli, tmp_path):
    """The report's data-quality list names an events-table row as such (its row number
    counts lines of the events file), after the case extract's rows; the public one lists none."""
    from ivoaudit.report import ReportOptions, build_report
    from ivoaudit.report.source import ResultsDirSource

    _check(run_cli, MESSY, tmp_path / "o")
    faults = pd.read_csv(MESSY / "event_faults.csv", dtype=str, keep_default_na=False)
    rows = build_report(ResultsDirSource(tmp_path / "o"), ReportOptions(audience="internal")).data_quality.rows
    is_event = rows["kind"].str.startswith("Händelserad som inte används")
    listed = rows[is_event]
    assert sorted(zip(listed["row"].astype(int), listed["case_id"].fillna("").astype(str), strict=True)) == sorted(
        zip(faults["row"].astype(int), faults["case_id"], strict=True))
    assert not rows[~is_event]["kind"].str.contains("Händelse").any()
    assert is_event.to_numpy()[-len(faults):].all()  # after every row of the case extract
    public = build_report(ResultsDirSource(tmp_path / "o"), ReportOptions(audience="public")).data_quality.rows
    assert public is None
