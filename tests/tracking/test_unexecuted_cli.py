"""``ivoaudit unexecuted`` as a user runs it: files, window, warnings, the store, errors."""

from __future__ import annotations

import pytest

CSV = ("Ärendenr;Beslut;Lagrum;Beslutsdatum;Verkställt;Avbrott;Återupptaget;Insats\n"
       "A-1;Bifall;SoL;2023-10-02;;;;Hemtjänst\n"            # listed in 2024-Q1 (2024-03-31)
       "A-2;Bifall;LSS;2023-12-01;2024-05-10;;;Ledsagarservice\n"  # listed in Q1, executed in Q2
       "A-3;Bifall;LVU;2023-06-01;;;;Placering\n"            # never
       "A-4;Avslag;SoL;2023-06-01;;;;Hemtjänst\n")           # never
MAPPING = ("values:\n  decision_outcome:\n    granted: [Bifall]\n    rejected: [Avslag]\n"
           "columns:\n  decision_outcome: Beslut\n  execution_interrupted_date: Avbrott\n"
           "  execution_resumed_date: Återupptaget\n")


@pytest.fixture
def files(tmp_path):
    extract = tmp_path / "beslut.csv"
    extract.write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return extract, mapping, tmp_path / "q.db"


def test_two_quarters_in_a_row(run_cli, files, tmp_path):
    extract, mapping, db = files
    code, out, err = run_cli("unexecuted", extract, "--mapping", mapping, "--quarter", "2024Q1", "--db", db,
                             "--out", tmp_path / "q1")
    assert code == 0, err
    assert "Rapporteringsperiod hos IVO: 1–30 april 2024 – stängd" in out
    assert "VARNING: Rapporteringsperioden för 2024-Q1" in out  # produced long after the window closed
    assert "Att rapportera: 2 (2 ej verkställda beslut, 0 avbrott)" in out
    assert f"Listan för 2024-Q1 är sparad i {db}" in out
    assert sorted(p.name for p in (tmp_path / "q1").iterdir()) == [
        "unexecuted-2024-Q1-council-sv.docx", "unexecuted-2024-Q1-council-sv.html",
        "unexecuted-2024-Q1-council-sv.xlsx", "unexecuted-2024-Q1-list.csv", "unexecuted-2024-Q1-list.xlsx"]
    code, out, err = run_cli("unexecuted", extract, "--mapping", mapping, "--quarter", "2024-Q2", "--db", db,
                             "--out", tmp_path / "q2")
    assert code == 0, err
    assert "Att rapportera: 1 " in out and "förra kvartalet 2 (−1)" in out
    assert "Verkställda, att rapportera med datum: 1" in out
    csv_text = (tmp_path / "q2" / "unexecuted-2024-Q2-list.csv").read_text(encoding="utf-8")
    assert "report,A-1,not_executed,2023-10-02,,Hemtjänst,SoL,,2024-01-02,272,6-12,,2024-Q1," in csv_text
    assert "executed,A-2,not_executed,2023-12-01,,Ledsagarservice,LSS,,2024-03-01,,,,2024-Q1,2024-05-10" in csv_text


def test_no_record_and_the_db_from_the_environment(run_cli, files, tmp_path, monkeypatch):
    extract, mapping, _ = files
    env_db = tmp_path / "env.db"
    monkeypatch.setenv("IVOAUDIT_DB", str(env_db))
    code, out, _ = run_cli("unexecuted", extract, "--mapping", mapping, "--quarter", "2024-Q1", "--out",
                           tmp_path / "o", "--no-record")
    assert code == 0 and "sparades inte (--no-record)" in out
    code, out, _ = run_cli("--lang", "en", "unexecuted", extract, "--mapping", mapping, "--quarter", "2024-Q1",
                           "--out", tmp_path / "o")
    assert code == 0 and f"The list for 2024-Q1 is recorded in {env_db}" in out
    assert "IVO's reporting window: 1–30 April 2024 – closed" in out


def test_usage_and_input_errors(run_cli, files, tmp_path):
    extract, mapping, db = files
    code, _, err = run_cli("unexecuted", extract, "--quarter", "2024-Q7", "--db", db, "--out", tmp_path / "o")
    assert code == 2 and "2026-Q3" in err
    no_exec = tmp_path / "utan.csv"
    no_exec.write_text("Ärendenr;Beslutsutfall;Beslutsdatum\nA-1;Bifall;2023-10-02\n", encoding="utf-8")
    code, _, err = run_cli("unexecuted", no_exec, "--quarter", "2024-Q1", "--db", db, "--out", tmp_path / "o")
    assert code == 3 and "execution_date" in err and "utan.csv" in err
    assert not (tmp_path / "o").exists()


def test_help_in_both_languages(run_cli):
    code, out, _ = run_cli("unexecuted", "--help")
    assert code == 0 and "Ej verkställda beslut" in out and "--quarter" in out
    code, out, _ = run_cli("--lang", "en", "unexecuted", "--help")
    assert code == 0 and "Decisions not executed" in out
