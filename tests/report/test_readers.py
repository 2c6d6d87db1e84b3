"""What readers of the reports rely on (issues 13, 15, 16): zeros shown, unreviewed rules
labelled, mostly-suppressed reports said so, not-evaluable rules first, unit names never
public, comparable trends only, bins that fit the deadline, escaped extract text."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pandas as pd
import pytest
from conftest import write_results_dir

from ivoaudit.report import (
    ReportOptions,
    ResultsDirSource,
    RoundPoint,
    build_report,
    generate_reports,
)
from ivoaudit.report.counting import bin_days
from ivoaudit.report.trend import comparable_points
from ivoaudit.report.units import load_unit_codes, public_unit_labels


def test_a_zero_is_shown_and_an_unreviewed_rule_is_labelled(tmp_path):
    spec = [("BU-UTR-4M", "Enhet Nord", "Kim", "F", "0–12", "pass", 30),
            ("FH-PLAN", "Enhet Nord", "Kim", "F", "0–12", "needs_review", 12)]
    folder = tmp_path / "c"
    write_results_dir(folder, spec)
    report = build_report(ResultsDirSource(folder), ReportOptions(audience="public"))
    rules = {r.id: r for r in report.rules}
    utr = rules["BU-UTR-4M"]
    assert (utr.counts["fail"], utr.counts["overdue"], utr.share.noncompliant) == (0, 0, 0)  # zeros shown
    plan = rules["FH-PLAN"]
    assert plan.share.light == "not_reviewed" and not plan.share.suppressed
    html = generate_reports(ResultsDirSource(folder), ReportOptions(audience="public"), ["html", "docx"],
                            tmp_path / "o").files["html"].read_text("utf-8")
    row = re.search(r'<strong class="rid">FH-PLAN</strong>.*?</tr>', html, re.S).group(0)
    assert "Ej granskad" in row and "Skyddad" not in row


def test_a_mostly_suppressed_public_report_says_so(tmp_path):
    spec = [("BU-UTR-4M", "Enhet Nord", "Kim", "F", "0–12", "pass", 3),
            ("BU-UTR-4M", "Enhet Nord", "Kim", "F", "0–12", "fail", 2),
            ("BU-FORHAND-14D", "Enhet Nord", "Kim", "F", "0–12", "pass", 4),
            ("BU-FORHAND-14D", "Enhet Nord", "Kim", "F", "0–12", "fail", 1)]
    folder = tmp_path / "c"
    write_results_dir(folder, spec)
    report = build_report(ResultsDirSource(folder), ReportOptions(audience="public"))
    assert report.mostly_suppressed
    files = generate_reports(ResultsDirSource(folder), ReportOptions(audience="public"), ["html", "docx"],
                             tmp_path / "o").files
    html = files["html"].read_text("utf-8")
    assert "till största delen skyddad" in html and "längre period" in html
    # every bar of the day charts holds fewer than 5 cases: no empty charts, a sentence instead
    assert report.histograms and not any(h.has_bars for h in report.histograms)
    assert "dagar mot fristen" not in html
    sentence = re.search(r"Inga staplar att visa för ([^:]+): varje stapel har färre än 5", html)
    assert sentence and {"BU-UTR-4M", "BU-FORHAND-14D"} <= set(sentence.group(1).split(", "))
    from docx import Document
    assert any(p.text.startswith("Inga staplar att visa för") for p in Document(files["docx"]).paragraphs)


def test_not_evaluable_rules_come_first_and_are_never_zero(results_dir, tmp_path):
    summary = results_dir / "summary.csv"
    rows = list(csv.DictReader(summary.open(encoding="utf-8")))
    for row in rows:
        row["evaluable"], row["missing_fields"] = "true", ""
    rows.append({**{k: "0" for k in rows[0]}, "rule_id": "ALL-EJ-VERKST-3M", "evaluable": "false",
                 "missing_fields": "decision_outcome;execution_date", "compliance": ""})
    with summary.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = generate_reports(ResultsDirSource(results_dir), ReportOptions(audience="public"),
                              ["html", "xlsx", "docx", "json"], tmp_path / "o")
    report = result.report
    assert [n.id for n in report.not_evaluable] == ["ALL-EJ-VERKST-3M"]
    assert "ALL-EJ-VERKST-3M" not in {r.id for r in report.rules}  # no "0 of 0" row
    html = result.files["html"].read_text("utf-8")
    assert html.index("ALL-EJ-VERKST-3M") < html.index('id="summary"')
    from ivoaudit.fields import label

    assert "Inte mätt" in html and label("execution_date", "sv") in html
    doc = json.loads(result.files["json"].read_text("utf-8"))
    entry = next(r for r in doc["rules"] if r["id"] == "ALL-EJ-VERKST-3M")
    assert entry["evaluable"] is False and entry["pass"] is None and entry["denominator"] is None


def test_unit_names_are_never_public(results_dir, tmp_path):
    codes = tmp_path / "enheter.yaml"
    codes.write_text('units:\n  "Enhet Syd": "BU-S"\n', encoding="utf-8")
    options = ReportOptions(audience="public", unit_codes=load_unit_codes(codes))
    result = generate_reports(ResultsDirSource(results_dir), options, ["html", "json"], tmp_path / "o")
    assert set(result.report.breakdown("unit").groups) == {"Enhet 1", "BU-S"}
    text = result.files["html"].read_text("utf-8") + result.files["json"].read_text("utf-8")
    assert "Enhet Nord" not in text and "Enhet Syd" not in text
    # the column headers of the extract are not echoed either (only our own field names)
    assert "Personnr" not in text and "Kolumn i uttaget" not in text
    bad = tmp_path / "bad.yaml"
    bad.write_text('units:\n  "Enhet Syd": "19121212-1212"\n', encoding="utf-8")
    with pytest.raises(Exception, match="kod"):
        load_unit_codes(bad)
    assert public_unit_labels(["B", "A", None]) == {"A": "Enhet 1", "B": "Enhet 2"}


def test_the_trend_joins_comparable_measurements_in_as_of_order():
    counts = pd.DataFrame({"pass": [1], "fail": [0], "overdue": [0]}, index=["X"])
    points = [RoundPoint("höst", "2026-09-30", {"X": (8, 10)}, "barn_unga 2026.1"),
              RoundPoint("vår", "2026-03-31", {"X": (5, 10)}, "barn_unga 2026.1"),
              RoundPoint("lokal", "2026-06-30", {"X": (9, 10)}, "kommunen 2026-03"),
              RoundPoint("nu", "2026-10-31", {"X": (9, 10)}, "barn_unga 2026.1")]
    kept = comparable_points(points, counts, {}, "nu")
    assert [p.name for p in kept] == ["vår", "höst", "nu"]  # as-of order, other checklist left out


def test_bins_fit_the_deadline():
    edges, counts = bin_days(np.array([0, 0, 1, 1, 2, 5, 40.0]), (1, 1), 20)
    assert edges[1] - edges[0] == 1 and edges[-1] <= 10  # a 1-day deadline gets 1-day bins
    assert counts.sum() == 7 and counts[-1] == 1  # 40 days sits in the open last bin
    edges, _ = bin_days(np.arange(0, 200.0), (120, 123), 20)
    assert 120 in edges and edges[-1] >= 240


TEXT_COLUMNS = ("case_id", "unit", "caseworker", "note")
HOSTILE = ('<script>alert(1)</script>', '<img src=x onerror=alert(2)>')


def test_every_html_output_escapes_extract_text(tmp_path):
    folder = tmp_path / "c"
    write_results_dir(folder)
    for name in ("results.csv", "cases.csv", "problems.csv", "quarantine.csv"):
        path = folder / name
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        for i, row in enumerate(rows):
            for key in row:
                if key == "case_id":  # the same hostile case id in results.csv and cases.csv
                    row[key] = f"{row[key]} {HOSTILE[int(row[key][3:8]) % 2]}"
                elif key in (*TEXT_COLUMNS, "column", "value", "problem"):
                    row[key] = f"{row[key]} {HOSTILE[i % 2]}"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    for audience in ("internal", "public"):
        html = generate_reports(ResultsDirSource(folder), ReportOptions(audience=audience), ["html"],
                                tmp_path / audience).files["html"].read_text("utf-8")
        assert "<script>" not in html and "<img src=x" not in html
        if audience == "internal":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror" in html


def test_the_trend_leaves_out_rounds_of_another_population():
    """A substance-abuse round and an IVO draw measure ALL-* rules too, on other cases: the
    trend of child-welfare samples leaves them out (the README round's trend showed a
    missbruk round as a third point). A round over another period is the same population."""
    from ivoaudit.report.trend import population_key

    bu = population_key({"strategy": "random", "filters": {"area": "barn_unga", "from": "2026-01-01"}})
    assert bu == population_key({"strategy": "stratified", "filters": {"area": "barn_unga", "to": "2026-06-30"}})
    mb = population_key({"strategy": "random", "filters": {"area": "missbruk"}})
    ivo = population_key({"strategy": "ivo", "filters": {"area": "barn_unga"}})
    dev = population_key({"strategy": "random", "filters": {"area": "barn_unga", "only_deviations": True}})
    assert len({bu, mb, ivo, dev}) == 4
    counts = pd.DataFrame({"pass": [1], "fail": [0], "overdue": [0]}, index=["ALL-X"])
    points = [RoundPoint("bu-vår", "2026-03-31", {"ALL-X": (5, 10)}, "c 1", bu),
              RoundPoint("mb", "2026-06-30", {"ALL-X": (9, 10)}, "c 1", mb),
              RoundPoint("ivo", "2026-07-31", {"ALL-X": (9, 10)}, "c 1", ivo),
              RoundPoint("bu-höst", "2026-09-30", {"ALL-X": (8, 10)}, "c 1", bu)]
    assert [p.name for p in comparable_points(points, counts, {}, "bu-höst")] == ["bu-vår", "bu-höst"]
