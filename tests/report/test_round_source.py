"""A report from an audit round in the store: review answers count, earlier rounds give a trend."""

from __future__ import annotations

import pandas as pd
import pytest

store_repo = pytest.importorskip("ivoaudit.store.repository")

from ivoaudit.report import ReportOptions, build_report, round_source  # noqa: E402


def _round(store, name, as_of, passes, fails, manual_yes, manual_no):
    n = passes + fails + manual_yes + manual_no
    ids = [f"{name}-{i:03d}" for i in range(n)]
    cases = pd.DataFrame({"case_id": ids, "unit": ["Enhet A"] * n, "caseworker": ["Kim"] * n,
                          "area": ["barn_unga"] * n, "sex": ["F"] * n, "age_group": ["0–12"] * n})
    status = ["pass"] * passes + ["fail"] * fails
    results = pd.DataFrame({"case_id": ids[: passes + fails], "rule_id": "BU-UTR-4M", "status": status})
    manual_ids = ids[passes + fails:]
    manual = pd.DataFrame({"case_id": manual_ids, "rule_id": "FH-PLAN", "status": "needs_review"})
    results = pd.concat([results, manual], ignore_index=True)
    store.create_round(name, record={"seed": 42, "method": "simple", "population": 500,
                                     "case_ids": ids}, cases=cases, results=results, as_of=as_of)
    answers = [(c, "FH-PLAN", "yes") for c in manual_ids[:manual_yes]]
    answers += [(c, "FH-PLAN", "no") for c in manual_ids[manual_yes:]]
    store.replace_answers(name, answers, {}, file_name="form.xlsx", file_sha256="0" * 64, total=len(answers))


def test_round_report_with_answers_trend_and_sampling_record(tmp_path):
    db = tmp_path / "store.db"
    with store_repo.Store(db) as store:
        _round(store, "2025-Q4", "2025-12-31", passes=12, fails=8, manual_yes=6, manual_no=4)
        _round(store, "2026-Q1", "2026-03-31", passes=18, fails=2, manual_yes=9, manual_no=1)
    source = round_source("2026-Q1", db=db)
    report = build_report(source, ReportOptions(audience="internal"))
    rules = {r.id: r for r in report.rules}
    assert (rules["BU-UTR-4M"].share.passed, rules["BU-UTR-4M"].share.denominator) == (18, 20)
    # answers: yes → pass, no → fail
    assert (rules["FH-PLAN"].share.passed, rules["FH-PLAN"].share.denominator) == (9, 10)
    assert report.is_sample and rules["FH-PLAN"].share.ci is not None
    assert report.trend_rounds == 2
    series = {s.rule_id: [(name, sh.passed, sh.denominator) for name, _, sh in s.points] for s in report.trend}
    assert series["BU-UTR-4M"] == [("2025-Q4", 12, 20), ("2026-Q1", 18, 20)]
    sampling = dict(report.sampling)
    # the record in the reader's words: no raw keys, no case lists
    assert sampling["Slumpfrö (för att dra om samma urval)"] == "42"
    assert not any(k in sampling for k in ("seed", "case_ids", "seed_given", "numpy_version"))
    assert not any("case_ids" in v or "round" in k for k, v in sampling.items())


def test_results_found_wrong_against_the_file_are_protected_not_dropped(tmp_path):
    """Two automatic results the reviewer marked "does not match the case file": the internal
    report counts 2, the public one shows the count as protected (X) in every format. Before,
    a protected count was taken for "not a review round" and the line vanished from the public
    report, which then read as if nothing had been found."""
    from docx import Document
    from openpyxl import load_workbook

    from ivoaudit.report import generate_reports
    from ivoaudit.store.review_checks import replace_checks

    db = tmp_path / "store.db"
    with store_repo.Store(db) as store:
        _round(store, "2026-Q1", "2026-03-31", passes=18, fails=2, manual_yes=9, manual_no=1)
        replace_checks(store, "2026-Q1", 1, [("2026-Q1-000", "BU-UTR-4M", "no", "2026-01-05"),
                                             ("2026-Q1-001", "BU-UTR-4M", "no", None),
                                             ("2026-Q1-002", "BU-UTR-4M", "yes", None)])
    line = "Resultat som granskaren fann inte stämmer med akten"
    for audience, shown in (("internal", "2"), ("public", "X")):
        files = generate_reports(round_source("2026-Q1", db=db), ReportOptions(audience=audience),
                                 ["html", "xlsx", "docx"], tmp_path / audience).files
        assert f"{line}: <strong>{shown}</strong>" in files["html"].read_text(encoding="utf-8")
        assert f"{line}: {shown}." in [p.text for p in Document(str(files["docx"])).paragraphs]
        sheet = load_workbook(files["xlsx"])["Datakvalitet"]
        assert (sheet["A3"].value, str(sheet["B3"].value)) == ("Resultat som inte stämmer med akten", shown)


def test_sampling_figures_read_like_every_other_count_and_no_empty_method_rows(tmp_path):
    """3 000, not 3000, in the method text and the sampling record (the seed stays as typed);
    Word's method table leaves out what a round does not have (rows in the extract,
    checklists) instead of printing empty rows."""
    from docx import Document

    from ivoaudit.report import generate_reports
    from ivoaudit.report.method import method_paragraphs, sampling_lines

    record = {"strategy": "ivo", "population_size": 12345, "size_drawn": 1017, "seed": 12345,
              "strata": {"completed": {"drawn": 1000, "population": 2500}}}
    lines = dict(sampling_lines(record, public=True))
    assert lines["Populationens storlek"] == "12\u00a0345" and lines["Dragna ärenden"] == "1\u00a0017"
    assert lines["Skikt: avslutade utredningar"] == "1\u00a0000 av 2\u00a0500"
    assert lines["Slumpfrö (för att dra om samma urval)"] == "12345"
    assert "1\u00a0017 ärenden ur en population om 12\u00a0345" in method_paragraphs(True, {}, record)[0]

    db = tmp_path / "store.db"
    with store_repo.Store(db) as store:
        _round(store, "2026-Q1", "2026-03-31", passes=18, fails=2, manual_yes=9, manual_no=1)
    files = generate_reports(round_source("2026-Q1", db=db), ReportOptions(audience="public"), ["docx"],
                             tmp_path / "out").files
    method = next(tb for tb in Document(str(files["docx"])).tables if tb.rows[1].cells[0].text == "Mätdatum")
    items = {row.cells[0].text: row.cells[1].text for row in method.rows[1:]}
    assert "Rader i uttaget" not in items and "Checklistor" not in items
    assert all(items.values())
