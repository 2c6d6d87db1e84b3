"""Small-count suppression: counts < min_count hidden, no cell recoverable by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.report import ReportOptions, ResultsDirSource, build_report
from ivoaudit.report.suppression import Suppressor
from ivoaudit.rules import structural_zeros


def test_single_small_cell_gets_a_complement():
    s = Suppressor(min_count=5)
    for key, value in {"total": 40, "a": 30, "b": 7, "c": 3}.items():
        s.add(key, value)
    s.relate("total", ["a", "b", "c"])
    # c (3) is small; alone it could be recovered as 40 - 30 - 7, so the next-smallest (b) goes too.
    assert s.solve() == {"c", "b"}


def test_structural_zero_is_shown_and_never_a_complement():
    # A documentation duty cannot be overdue. With fail small, hiding the known zero would
    # protect nothing (applicable - pass - pending = fail); a real cell must go instead.
    s = Suppressor(min_count=5)
    for key, value in {"app": 40, "pass": 30, "fail": 3, "pending": 7}.items():
        s.add(key, value)
    s.add("overdue", 0, structural=True)
    s.relate("app", ["pass", "fail", "overdue", "pending"])
    assert s.solve() == {"fail", "pending"}


def test_a_lone_structural_zero_hides_nothing():
    s = Suppressor(min_count=5)
    for key, value in {"app": 661, "pass": 561, "fail": 93, "pending": 7}.items():
        s.add(key, value)
    s.add("overdue", 0, structural=True)
    s.relate("app", ["pass", "fail", "overdue", "pending"])
    assert s.solve() == set()


def test_total_hidden_alone_hides_a_part():
    s = Suppressor(min_count=5)
    for key, value in {"total": 4, "a": 2, "b": 2}.items():
        s.add(key, value)
    s.relate("total", ["a", "b"])
    assert s.solve() == {"total", "a", "b"}


def test_nothing_hidden_when_all_large():
    s = Suppressor(min_count=5)
    for key, value in {"total": 20, "a": 10, "b": 10}.items():
        s.add(key, value)
    s.relate("total", ["a", "b"])
    assert s.solve() == set()


def test_chained_relations_propagate():
    # row: den = pass + nc ; column: nc_total = nc_1 + nc_2. Hiding nc_1 (small) must hide
    # pass_1 (row) and nc_2 (column), which then hides pass_2 (its row).
    s = Suppressor(min_count=5)
    cells = {"den1": 30, "pass1": 27, "nc1": 3, "den2": 20, "pass2": 12, "nc2": 8, "nc": 11}
    for k, v in cells.items():
        s.add(k, v)
    s.relate("den1", ["pass1", "nc1"])
    s.relate("den2", ["pass2", "nc2"])
    s.relate("nc", ["nc1", "nc2"])
    assert s.solve() == {"nc1", "pass1", "nc2", "pass2"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=1, max_size=5),
       st.integers(1, 10))
def test_no_relation_has_exactly_one_hidden_member(table, min_count):
    s = Suppressor(min_count=min_count)
    for r, row in enumerate(table):
        for c, v in enumerate(row):
            s.add((r, c), v)
        s.add((r, "t"), sum(row))
        s.relate((r, "t"), [(r, c) for c in range(len(row))])
    hidden = s.solve()
    for key, value in s.cells.items():
        if 0 < value < min_count:
            assert key in hidden
        if value == 0:
            assert key not in hidden  # a zero is shown
    for total, parts in s.relations:
        assert sum(1 for m in (total, *parts) if m in hidden) != 1


def test_public_rule_figures_for_the_fixture(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(audience="public"))
    rules = {r.id: r for r in report.rules}
    # BU-FORHAND-14D: 33/40 shown; fail (5) hidden as the complement of overdue (2).
    f = rules["BU-FORHAND-14D"]
    assert (f.share.passed, f.share.denominator) == (33, 40)
    assert f.counts["applicable"] == 44
    assert all(f.counts[s] is None for s in ("fail", "overdue", "pending", "missing_data"))
    # A deadline rule never yields needs_review: that zero is public knowledge and shown.
    assert f.counts["needs_review"] == 0
    assert abs(f.share.rate - 33 / 40) < 1e-9
    # BU-UTR-4M: 18/30 = 60 % shown; its zeros (overdue, pending …) are shown, so fail (12) is too.
    u = rules["BU-UTR-4M"]
    assert (u.share.passed, u.share.noncompliant, u.share.denominator) == (18, 12, 30)
    assert (u.counts["fail"], u.counts["overdue"], u.counts["pending"]) == (12, 0, 0)
    # BU-BARN-ASIKT: one fail → pass hidden too (else 30 - 29), so the share is hidden.
    a = rules["BU-BARN-ASIKT"]
    assert a.share.passed is None and a.share.noncompliant is None
    assert a.share.rate is None and a.share.suppressed and a.share.light == "suppressed"


def test_public_unit_cells_for_the_fixture(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(audience="public"))
    units = report.breakdown("unit")
    # unit names are free text from the extract: public reports number them
    assert units.groups == ("Enhet 1", "Enhet 2")
    nord = units.cells[("Enhet 1", "BU-FORHAND-14D")]
    syd = units.cells[("Enhet 2", "BU-FORHAND-14D")]
    # Nord has 3 deviations (< 5), Syd 4: both hidden, and the passes with them.
    assert (nord.passed, nord.noncompliant, nord.denominator) == (None, None, 30)
    assert (syd.passed, syd.noncompliant, syd.denominator) == (None, None, 10)
    assert nord.rate is None and syd.rate is None
    utr = units.cells[("Enhet 1", "BU-UTR-4M")]
    assert (utr.passed, utr.noncompliant, utr.denominator) == (10, 6, 16)
    assert report.breakdown("caseworker") is None


def test_public_model_has_no_visible_small_count_and_no_lone_hidden_cell(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(audience="public", min_count=5))
    visible = []
    for r in report.rules:
        impossible = structural_zeros(r.kind)
        assert all(r.counts[s] == 0 for s in impossible)  # shown, and zero by construction
        visible += [v for s, v in r.counts.items() if v is not None and s not in impossible]
        statuses = [r.counts[s] for s in ("pass", "fail", "overdue", "pending", "missing_data", "needs_review")]
        if r.counts["applicable"] is not None:
            assert sum(v is None for v in statuses) != 1
        trio = (r.share.passed, r.share.noncompliant, r.share.denominator)
        assert sum(v is None for v in trio) != 1
    for b in report.breakdowns:
        for s in b.cells.values():
            visible += [v for v in (s.passed, s.noncompliant, s.denominator) if v is not None]
            assert sum(v is None for v in (s.passed, s.noncompliant, s.denominator)) != 1
            if s.passed is None or s.denominator is None:
                assert s.rate is None
        for rule in report.rules:
            for attr in ("passed", "noncompliant", "denominator"):
                total = getattr(rule.share, attr)
                parts = [getattr(b.cells[(g, rule.id)], attr) for g in b.groups if (g, rule.id) in b.cells]
                assert sum(v is None for v in [total, *parts]) != 1
    for h in report.histograms:
        visible += [c for c in h.counts if c is not None]
    assert visible and min(v for v in visible if v) >= 5


def test_min_count_is_configurable(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(audience="public", min_count=2))
    rules = {r.id: r for r in report.rules}
    # With min 2, missing (1) is hidden. needs_review is a structural zero for a deadline rule
    # (shown, and useless as a complement since everyone knows it), so real cells must
    # protect missing: overdue (2) in the status sum, pending (3) in applicable = den + rest.
    f = rules["BU-FORHAND-14D"].counts
    assert (f["overdue"], f["pending"], f["missing_data"], f["needs_review"]) == (None, None, None, 0)
    assert f["applicable"] == 44 and f["pass"] == 33


def test_internal_report_suppresses_nothing(results_dir):
    report = build_report(ResultsDirSource(results_dir), ReportOptions(audience="internal"))
    assert not report.any_suppressed
    assert all(v is not None for r in report.rules for v in r.counts.values())
