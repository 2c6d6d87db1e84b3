"""The regional comparison: suppression kept, versions kept apart, intervals checked by hand."""

from __future__ import annotations

import copy
import json
import math

import pytest
from openpyxl import load_workbook

from ivoaudit.errors import InputError
from ivoaudit.tracking.compare import compare_summaries, read_summaries, read_summary


def _rule(rule_id, passed, noncompliant, denominator, compliance, basis="law"):
    return {"id": rule_id, "title": f"Titel {rule_id}", "basis": basis, "area": None, "references": [],
            "counts": {"applicable": None, "pass": passed, "fail": None, "overdue": None, "pending": None,
                       "missing_data": None, "needs_review": None},
            "pass": passed, "noncompliant": noncompliant, "denominator": denominator, "compliance": compliance,
            "ci95": None, "light": "none", "target": {"green": 0.95, "yellow": 0.8}}


def _summary(rules, as_of="2026-10-31", checklists=None, is_sample=False):
    return {"schema": "ivoaudit.public-summary/1", "tool": {"name": "ivoaudit", "version": "0.1.0"},
            "as_of": as_of, "language": "sv", "is_sample": is_sample, "min_count": 5, "cases": None,
            "targets": {"green": 0.95, "yellow": 0.8}, "extract": {"rows": 300, "fingerprint": "sha256:x"},
            "checklists": checklists or {"alla_omraden": "2026.1", "barn_unga": "1"}, "rules": rules,
            "breakdowns": {"sex": []}, "rounds": [],
            "data_quality": {"problems": 0, "quarantined_rows": 0, "by_field": []}, "any_suppressed": True}


NORRBY = _summary([_rule("BU-FORHAND-14D", 33, 7, 40, 0.825), _rule("BU-UTR-4M", None, None, None, None),
                   _rule("ALL-EJ-VERKST-3M", 81, 182, 263, round(81 / 263, 4))])
SODERAS = _summary([_rule("BU-FORHAND-14D", 18, 2, 20, 0.9), _rule("BU-UTR-4M", 1, 28, 29, round(1 / 29, 4)),
                    _rule("ALL-EJ-VERKST-3M", 0, 0, 0, None)])
VASTVIK = _summary([_rule("BU-FORHAND-14D", 36, 4, 40, 0.9), _rule("BU-UTR-4M", 0, 20, 20, 0.0)])


def _write(folder, name, doc):
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path):
    return [(None, _write(tmp_path, n + ".json", d)) for n, d in
            (("Norrby", NORRBY), ("Söderås", SODERAS), ("Västvik", VASTVIK))]


def _by(comparison, rule_id, group=0):
    rule = next(r for r in comparison.groups[group].rules if r.rule_id == rule_id)
    return rule, {f.label: f for f in rule.figures}


def _wilson_by_hand(x, n, z=1.959963984540054):
    # Wilson (1927) score interval, written out: centre ± half, both over 1 + z²/n.
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def test_intervals_match_values_computed_by_hand(three):
    c = compare_summaries(read_summaries(three))
    _, ejv = _by(c, "ALL-EJ-VERKST-3M")
    # Newcombe (1998), Table I, method 3: 81/263 → 0.2553–0.3662.
    assert ejv["Norrby"].ci == pytest.approx((0.2553, 0.3662), abs=5e-5)
    _, utr = _by(c, "BU-UTR-4M")
    assert utr["Västvik"].ci == pytest.approx((0.0, 0.1611), abs=5e-5)  # Newcombe: 0/20 → 0–0.1611
    assert utr["Söderås"].ci == pytest.approx((0.0061, 0.1718), abs=5e-5)  # Newcombe: 1/29 → 0.0061–0.1718
    _, forhand = _by(c, "BU-FORHAND-14D")
    assert forhand["Norrby"].ci == pytest.approx(_wilson_by_hand(33, 40), abs=1e-12)
    assert forhand["Norrby"].ci == pytest.approx((0.6805, 0.9125), abs=5e-5)


def test_ranked_with_ties_sharing_a_rank(three):
    rule, forhand = _by(compare_summaries(read_summaries(three)), "BU-FORHAND-14D")
    assert [(f.label, f.rank) for f in rule.figures] == [("Söderås", 1), ("Västvik", 1), ("Norrby", 3)]
    assert (forhand["Norrby"].passed, forhand["Norrby"].denominator, forhand["Norrby"].rate) == (33, 40, 0.825)
    # The region pools the shown counts: (33 + 18 + 36) / (40 + 20 + 40).
    assert rule.region.passed == 87 and rule.region.denominator == 100 and rule.pooled == 3


def test_a_suppressed_cell_stays_suppressed(three):
    rule, utr = _by(compare_summaries(read_summaries(three)), "BU-UTR-4M")
    norrby = utr["Norrby"]
    assert norrby.state == "suppressed"
    assert (norrby.passed, norrby.denominator, norrby.rate, norrby.ci, norrby.rank) == (None,) * 5
    assert rule.figures[-1].label == "Norrby"  # unranked, after the ranked ones
    # The region is over the two shown municipalities only (1 + 0) / (29 + 20) and says so.
    assert (rule.region.passed, rule.region.denominator, rule.pooled) == (1, 49, 2)


def test_a_suppressed_count_is_not_worked_out_from_the_others(tmp_path):
    # pass hidden, noncompliant and denominator shown: pass = 40 - 7 must not appear.
    doc = copy.deepcopy(NORRBY)
    doc["rules"][0].update({"pass": None, "compliance": None})
    c = compare_summaries(read_summaries([(None, _write(tmp_path, "a.json", doc)), (None, _write(tmp_path, "b.json", SODERAS))]))
    _, forhand = _by(c, "BU-FORHAND-14D")
    assert forhand["a"].state == "suppressed" and forhand["a"].passed is None and forhand["a"].rate is None


def test_no_cases_and_absent_rules_are_not_zero(three):
    _, ejv = _by(compare_summaries(read_summaries(three)), "ALL-EJ-VERKST-3M")
    assert ejv["Söderås"].state == "no_cases" and ejv["Söderås"].rate is None and ejv["Söderås"].rank is None
    assert ejv["Västvik"].state == "absent"


def test_a_rule_not_evaluable_is_not_measured(tmp_path):
    doc = copy.deepcopy(NORRBY)
    doc["rules"][2].update({"evaluable": False, "pass": 0, "denominator": 0})
    c = compare_summaries(read_summaries([(None, _write(tmp_path, "a.json", doc)), (None, _write(tmp_path, "b.json", SODERAS))]))
    assert _by(c, "ALL-EJ-VERKST-3M")[1]["a"].state == "not_measured"


def test_mixed_versions_are_shown_apart_or_refused(tmp_path, three):
    other = _summary(NORRBY["rules"], as_of="2026-09-30")
    newer = _summary(SODERAS["rules"], checklists={"alla_omraden": "2027.1", "barn_unga": "1"})
    items = [*three, (None, _write(tmp_path, "Ettan.json", other)), (None, _write(tmp_path, "Tvåan.json", newer))]
    c = compare_summaries(read_summaries(items))
    assert [g.labels for g in c.groups] == [("Norrby", "Söderås", "Västvik"), ("Ettan",), ("Tvåan",)]
    assert c.warnings and "3 grupper" in c.warnings[0]
    with pytest.raises(InputError, match="2026-09-30"):
        compare_summaries(read_summaries(items), strict=True)
    sample = _summary(VASTVIK["rules"], is_sample=True)
    mixed = compare_summaries(read_summaries([*three, ("Stickprov", _write(tmp_path, "s.json", sample))]))
    assert len(mixed.groups) == 2


@pytest.mark.parametrize("doc, words", [
    ({**NORRBY, "schema": "ivoaudit.public-summary/2"}, "version"),
    ({**NORRBY, "schema": "ivoaudit.internal/1"}, "ingen offentlig sammanställning"),
    ({k: v for k, v in NORRBY.items() if k != "schema"}, "schema"),
    ({**NORRBY, "deviations": [{"case_id": "2024-01", "rule_id": "X"}]}, "ärendenivå"),
    ({**NORRBY, "breakdowns": {"caseworker": []}}, "ärendenivå"),
    ({**NORRBY, "audience": "internal"}, "ärendenivå"),
    ({**NORRBY, "rules": "none"}, "rules"),
    ({**NORRBY, "rules": [_rule("BU-UTR-4M", 41, 0, 40, 1.025)]}, "omöjliga tal"),
])
def test_files_that_are_not_public_summaries_are_refused(tmp_path, doc, words):
    path = _write(tmp_path, "kommun.json", doc)
    with pytest.raises(InputError, match=words) as err:
        read_summary(path)
    assert "kommun.json" in str(err.value)


def test_not_json_and_duplicate_names_are_refused(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("kommun;andel\n", encoding="utf-8")
    with pytest.raises(InputError, match="inte JSON"):
        read_summary(bad)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    pa_, pb = _write(a, "public-summary.json", NORRBY), _write(b, "public-summary.json", SODERAS)
    assert [i.label for i in read_summaries([(None, pa_), (None, pb)])] == ["a", "b"]
    with pytest.raises(InputError, match="NAMN=FIL"):
        read_summaries([("Flen", pa_), ("Flen", pb)])
    with pytest.raises(InputError, match="minst två"):
        compare_summaries(read_summaries([(None, pa_)]))


# --- the command and its files -------------------------------------------------------


def test_compare_writes_html_and_excel_with_suppression_kept(run_cli, tmp_path):
    hidden_pass = copy.deepcopy(NORRBY)
    hidden_pass["rules"][0].update({"pass": None, "compliance": None})  # 40 assessed, 7 not compliant shown
    a = _write(tmp_path, "a.json", hidden_pass)
    b = _write(tmp_path, "b.json", SODERAS)
    c = _write(tmp_path, "c.json", VASTVIK)
    code, out, err = run_cli("compare", f"Norrby={a}", f"Söderås={b}", f"Västvik={c}", "--out", tmp_path / "ut")
    assert code == 0, err
    assert "Grupp 1: 3 kommuner (Norrby, Söderås, Västvik), 3 regler" in out
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "comparison-sv.docx", "comparison-sv.html", "comparison-sv.xlsx"]
    html = (tmp_path / "ut" / "comparison-sv.html").read_text(encoding="utf-8")
    assert "Norrby" in html and "BU-FORHAND-14D" in html
    ws = load_workbook(tmp_path / "ut" / "comparison-sv.xlsx")["Alla tal"]
    rows = {(r[1], r[4]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    norrby = rows[("BU-FORHAND-14D", "Norrby")]
    # pass stays X although 40 − 7 = 33 could be worked out; no share, no interval.
    assert norrby[5:10] == ("X", 40, "X", None, None) and norrby[11] == "skyddad"
    assert 33 not in norrby
    utr = rows[("BU-UTR-4M", "Norrby")]
    assert utr[5:8] == ("X", "X", "X")
    assert rows[("BU-FORHAND-14D", "Söderås")][5:8] == (18, 20, 0.9)
    assert rows[("BU-FORHAND-14D", "Söderås")][3] == 1  # rank
    overview = load_workbook(tmp_path / "ut" / "comparison-sv.xlsx")["Översikt"]
    values = [c.value for row in overview.iter_rows() for c in row]
    assert "X" in values and 0.825 not in values


def test_mixed_versions_are_shown_apart_or_refused_by_the_command(run_cli, tmp_path):
    a = _write(tmp_path, "a.json", NORRBY)
    b = _write(tmp_path, "b.json", _summary(SODERAS["rules"], as_of="2026-06-30"))
    code, out, _ = run_cli("compare", a, b, "--out", tmp_path / "ut")
    assert code == 0 and "VARNING" in out and "2 grupper" in out
    code, _, err = run_cli("compare", a, b, "--out", tmp_path / "ut2", "--strict")
    assert code == 3 and "2026-06-30" in err and not (tmp_path / "ut2").exists()


def test_an_internal_file_is_refused_by_the_command(run_cli, tmp_path):
    a = _write(tmp_path, "a.json", NORRBY)
    internal = _write(tmp_path, "intern.json", {**NORRBY, "deviations": [{"case_id": "2024-0001"}]})
    code, _, err = run_cli("compare", a, internal, "--out", tmp_path / "ut")
    assert code == 3 and "intern.json" in err and "ärendenivå" in err
    results = tmp_path / "results.csv"
    results.write_text("case_id,rule_id,status\nA,B,pass\n", encoding="utf-8")
    code, _, err = run_cli("--lang", "en", "compare", a, results, "--out", tmp_path / "ut")
    assert code == 3 and "results.csv is not a public summary" in err
