"""The report model from a hand-built check folder: figures, breakdowns, histograms, targets."""

from __future__ import annotations

import pytest
from conftest import EXPECTED, write_results_dir

from ivoaudit.errors import InputError, UserError
from ivoaudit.report import ReportOptions, ResultsDirSource, build_report, load_targets
from ivoaudit.report.targets import light
from ivoaudit.sample.stats import wilson_interval


def test_rule_counts_match_the_fixture(results_dir):
    report = build_report(ResultsDirSource(results_dir))
    assert {r.id for r in report.rules} == set(EXPECTED)
    for rule in report.rules:
        app, p, f, o, pe, m, nr, comp = EXPECTED[rule.id]
        c = rule.counts
        assert (c["applicable"], c["pass"], c["fail"], c["overdue"], c["pending"], c["missing_data"],
                c["needs_review"]) == (app, p, f, o, pe, m, nr)
        assert rule.share.denominator == p + f + o
        assert rule.share.rate == pytest.approx(comp)
    # not_applicable rows (ALL-OVERKLAGANDE) are not a rule of the report
    assert "ALL-OVERKLAGANDE" not in {r.id for r in report.rules}


def test_traffic_lights_against_default_targets(results_dir):
    lights = {r.id: r.share.light for r in build_report(ResultsDirSource(results_dir)).rules}
    # 96.7 % ≥ 95 green; 82.5 % ≥ 80 yellow; 60 % red
    assert lights == {"BU-BARN-ASIKT": "green", "BU-FORHAND-14D": "yellow", "BU-UTR-4M": "red"}


def test_targets_file_overrides_per_rule(results_dir, tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("default: {green: 90, yellow: 50}\nrules:\n  BU-BARN-ASIKT: {green: 99, yellow: 98}\n",
                    encoding="utf-8")
    report = build_report(ResultsDirSource(results_dir), ReportOptions(targets=load_targets(path)))
    lights = {r.id: r.share.light for r in report.rules}
    assert lights == {"BU-BARN-ASIKT": "red", "BU-FORHAND-14D": "yellow", "BU-UTR-4M": "yellow"}


def test_targets_refuse_nonsense(tmp_path):
    with pytest.raises(UserError):
        load_targets(green=80, yellow=90)
    bad = tmp_path / "t.yaml"
    bad.write_text("default: {green: lots}\n", encoding="utf-8")
    with pytest.raises(UserError, match="lots"):
        load_targets(bad)


def test_light_boundaries():
    assert light(0.95, 0.95, 0.8) == "green"
    assert light(19 / 20, 0.95, 0.8) == "green"
    assert light(0.7999, 0.95, 0.8) == "red"
    assert light(None, 0.95, 0.8) == "none"


def test_wilson_interval_known_values():
    # Reference values (Wilson 1927; e.g. Newcombe 1998 table I: 81/263 → 0.2553–0.3662)
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-4) and high == pytest.approx(0.3662, abs=5e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=5e-4)
    assert wilson_interval(0, 0) is None


def test_breakdowns_by_unit_caseworker_sex_age(results_dir):
    report = build_report(ResultsDirSource(results_dir))
    unit = report.breakdown("unit").cells
    assert (unit[("Enhet Nord", "BU-FORHAND-14D")].passed, unit[("Enhet Nord", "BU-FORHAND-14D")].denominator) == (27, 30)
    assert (unit[("Enhet Syd", "BU-FORHAND-14D")].passed, unit[("Enhet Syd", "BU-FORHAND-14D")].denominator) == (6, 10)
    worker = report.breakdown("caseworker").cells
    assert worker[("Olle Zetterlund", "BU-UTR-4M")].denominator == 12
    assert worker[("Olle Zetterlund", "BU-UTR-4M")].passed == 0
    sex = report.breakdown("sex")
    assert sex.groups == ("Kvinnor/flickor", "Män/pojkar")
    assert sex.cells[("Män/pojkar", "BU-FORHAND-14D")].denominator == 7 + 3 + 2
    age = report.breakdown("age_group")
    assert age.groups == ("0–12", "13–17")  # natural order
    assert age.cells[("13–17", "BU-UTR-4M")].passed == 8


def test_histogram_bins_put_the_deadline_on_an_edge(results_dir):
    report = build_report(ResultsDirSource(results_dir))
    hist = {h.rule_id: h for h in report.histograms}
    assert set(hist) == {"BU-FORHAND-14D", "BU-UTR-4M"}  # documented rules have no days
    f = hist["BU-FORHAND-14D"]
    assert f.deadline_min == f.deadline_max == 14
    assert 14 in f.edges
    assert f.n == 40 and sum(f.counts) == 40
    u = hist["BU-UTR-4M"]
    # 4 calendar months from Oct/Nov starts: 120–123 days, never a flat 120
    assert (u.deadline_min, u.deadline_max) == (120, 123)


def test_deviations_list_fail_and_overdue_only(results_dir):
    report = build_report(ResultsDirSource(results_dir))
    dev = report.deviations
    assert len(dev) == 5 + 2 + 12 + 1
    assert set(dev["status_label"]) == {"Ej uppfyllt", "Försenat"}
    assert report.data_quality.problems_total == 2 and report.data_quality.quarantined == 1


def test_english_report_has_english_labels(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(lang="en"))
    assert set(report.breakdown("sex").groups) == {"Women/girls", "Men/boys"}
    assert report.title == "Self-review of case handling"
    assert set(report.deviations["status_label"]) == {"Fail", "Overdue"}


def test_single_measurement_gives_one_trend_point(results_dir):
    report = build_report(ResultsDirSource(results_dir))
    assert report.trend_rounds == 1
    assert all(len(s.points) == 1 for s in report.trend)


def test_missing_results_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        ResultsDirSource(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="meta.json saknas"):  # a stopped run, or not a results folder
        ResultsDirSource(tmp_path / "empty")
    (tmp_path / "empty" / "meta.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="results.csv"):
        build_report(ResultsDirSource(tmp_path / "empty"))


def test_unknown_group_values_are_labelled(tmp_path):
    folder = tmp_path / "c"
    write_results_dir(folder, spec=[("BU-UTR-4M", "", "", "", "", "pass", 6)])
    report = build_report(ResultsDirSource(folder))
    assert report.breakdown("unit").groups == ("(uppgift saknas)",)
    assert report.breakdown("sex").groups == ("Okänt kön",)


@pytest.mark.slow
def test_large_report_caps_html_rows_and_stays_small(tmp_path):
    # Size, not speed: performance is measured in benchmarks/, never timed in tests.
    from ivoaudit.report.html import render_html

    spec = [("BU-FORHAND-14D", f"Enhet {u}", f"H{u}", "F", "0–12", s, 1500)
            for u in range(10) for s in ("pass", "fail")]
    write_results_dir(tmp_path / "big", spec=spec)
    report = build_report(ResultsDirSource(tmp_path / "big"))
    html = render_html(report)
    assert len(report.deviations) == 15000
    assert html.count("<tr>") < 400  # capped row lists
    assert "14\u00a0800" in html or "14800" in html  # "N more in the Excel file"
    assert len(html.encode()) < 3_000_000


def test_rule_texts_and_references_from_a_checklist_folder(results_dir, tmp_path):
    folder = tmp_path / "cl"
    folder.mkdir()
    (folder / "bu.yaml").write_text(
        "rules:\n"
        "  - id: BU-UTR-4M\n    basis: law\n"
        "    title: {sv: Utredningen klar i tid, en: Investigation done in time}\n"
        "    references: ['SoL 11 kap. 2 §']\n"
        "  - id: BU-BARN-ASIKT\n    basis: local\n    target: 99\n"
        "    title: {sv: Barnets åsikter, en: The child's views}\n", encoding="utf-8")
    sv = build_report(ResultsDirSource(results_dir), ReportOptions(checklist_dirs=(str(folder),)))
    rules = {r.id: r for r in sv.rules}
    assert rules["BU-UTR-4M"].title == "Utredningen klar i tid"
    assert rules["BU-UTR-4M"].references == ("SoL 11 kap. 2 §",)
    # a local rule's own target: 96.7 % is below 99 % → yellow (default yellow 80 %)
    assert rules["BU-BARN-ASIKT"].basis == "local" and rules["BU-BARN-ASIKT"].share.light == "yellow"
    assert [b for b, _ in sv.rules_by_basis()] == ["law", "local"]
    en = build_report(ResultsDirSource(results_dir), ReportOptions(lang="en", checklist_dirs=(str(folder),)))
    assert {r.id: r.title for r in en.rules}["BU-UTR-4M"] == "Investigation done in time"


def test_unknown_rule_keeps_its_id_as_title(tmp_path):
    folder = tmp_path / "c"
    write_results_dir(folder, spec=[("XX-OKAND-REGEL", "Enhet A", "H", "F", "0–12", "pass", 6)])
    report = build_report(ResultsDirSource(folder))
    rule = {r.id: r for r in report.rules}["XX-OKAND-REGEL"]
    assert rule.title == "XX-OKAND-REGEL" and not rule.known and rule.references == ()


def test_shipped_checklist_gives_titles_and_both_law_references(results_dir):
    from ivoaudit.report.rules_meta import load_rule_meta

    if "BU-UTR-4M" not in load_rule_meta():
        pytest.skip("no shipped checklist in this tree")
    rule = {r.id: r for r in build_report(ResultsDirSource(results_dir)).rules}["BU-UTR-4M"]
    assert rule.known and rule.title != rule.id
    refs = " ".join(rule.references)
    assert "11 kap. 2 §" in refs and "20 kap. 3 §" in refs  # old SoL → new SoL (rules.md)


def test_review_only_rules_carry_their_templates_title_and_references(tmp_path):
    """A rule only the reviewer answers (no checklist rule) is named in reports by the title
    and references of its review template, read here straight from the YAML; before, a
    round's report showed it by its bare id. It is listed after the checklists' rules."""
    from pathlib import Path

    import yaml
    from conftest import CASEWORKERS, SPEC

    template = Path(__file__).resolve().parents[2] / "ivoaudit" / "review" / "questions" / "barn_unga.yaml"
    question = next(q for q in yaml.safe_load(template.read_text(encoding="utf-8"))["questions"]
                    if q["rule"] == "BU-FORHAND-RAM")
    folder = tmp_path / "check-out"
    write_results_dir(folder, spec=[*SPEC, ("BU-FORHAND-RAM", "Enhet Nord", CASEWORKERS[0], "F", "0–12", "pass", 6)])
    for lang in ("sv", "en"):
        report = build_report(ResultsDirSource(folder), ReportOptions(lang=lang))
        rule = next(r for r in report.rules if r.id == "BU-FORHAND-RAM")
        assert rule.title == question["title"][lang]
        assert rule.description == question["text"][lang]
        assert rule.references == tuple(question["references"])
        assert rule.basis == question["basis"] and rule.known
        assert [r.id for r in report.rules][-1] == "BU-FORHAND-RAM"
