"""`ivoaudit report` as a user runs it."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_writes_every_format(run_cli, results_dir, tmp_path, audience, lang):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("--lang", lang, "report", "--results", results_dir, "--audience", audience,
                                   "--out", out)
    assert code == 0, stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"report-{audience}-{lang}.html", f"report-{audience}-{lang}.xlsx",
                            f"report-{audience}-{lang}.docx", "public-summary.json"])
    assert all((out / n).stat().st_size > 1000 for n in names)
    assert str(out / f"report-{audience}-{lang}.html") in stdout
    doc = json.loads((out / "public-summary.json").read_text(encoding="utf-8"))
    assert doc["language"] == lang


def test_format_and_min_count_options(run_cli, results_dir, tmp_path):
    out = tmp_path / "o"
    code, _, err = run_cli("report", "--results", results_dir, "--audience", "public", "--format", "json",
                           "--min-count", "3", "--out", out)
    assert code == 0, err
    doc = json.loads((out / "public-summary.json").read_text(encoding="utf-8"))
    assert doc["min_count"] == 3
    counts = {r["id"]: r["counts"] for r in doc["rules"]}
    # overdue (2) and missing (1) are below 3; pending (3) would reveal missing by subtraction
    # (needs_review is a known zero for a deadline rule), so it is hidden as the complement.
    assert counts["BU-FORHAND-14D"]["overdue"] is None and counts["BU-FORHAND-14D"]["pending"] is None
    # Unit cells with 3 and 4 deviations, hidden at the default 5, are shown at 3.
    units = {(c["group"], c["rule_id"]): (c["pass"], c["noncompliant"]) for c in doc["breakdowns"]["unit"]}
    assert units[("Enhet 1", "BU-FORHAND-14D")] == (27, 3)
    assert units[("Enhet 2", "BU-FORHAND-14D")] == (6, 4)


def test_targets_options(run_cli, results_dir, tmp_path):
    out = tmp_path / "o"
    code, _, err = run_cli("report", "--results", results_dir, "--format", "json", "--green", "55",
                           "--yellow", "50", "--out", out)
    assert code == 0, err
    doc = json.loads((out / "public-summary.json").read_text(encoding="utf-8"))
    assert {r["id"]: r["light"] for r in doc["rules"]}["BU-UTR-4M"] == "green"  # 60 % ≥ 55 %


def test_needs_exactly_one_source(run_cli, results_dir, tmp_path):
    code, _, err = run_cli("report", "--out", tmp_path / "o")
    assert code == 2 and "--results" in err
    code, _, err = run_cli("report", "--results", results_dir, "--round", "x", "--out", tmp_path / "o")
    assert code == 2


def test_unknown_format_is_a_usage_error(run_cli, results_dir, tmp_path):
    code, _, err = run_cli("report", "--results", results_dir, "--format", "pdf", "--out", tmp_path / "o")
    assert code == 2 and "pdf" in err


def test_missing_folder_is_an_input_error(run_cli, tmp_path):
    code, _, err = run_cli("report", "--results", tmp_path / "nope", "--out", tmp_path / "o")
    assert code == 3 and "nope" in err


def test_help_in_both_languages(run_cli):
    import subprocess
    import sys

    code, out, _ = run_cli("report", "--help")
    assert code == 0 and "--audience" in out
    # Help texts are fixed when the command module is first imported, so each language
    # is checked in a fresh process, as a user runs it.
    for lang, wanted in (("sv", "Skriv rapporter"), ("en", "Write reports")):
        proc = subprocess.run([sys.executable, "-m", "ivoaudit", "--lang", lang, "report", "--help"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and wanted in proc.stdout
