"""Hand-worked quarters for the list of decisions not executed within three months.

Every expected figure is worked out by hand in the comments (calendar months, lag
1930:173 1 §): 2026-Q3 ends on Wednesday 2026-09-30.
"""

from __future__ import annotations

from datetime import date

import pytest

from ivoaudit.errors import InputError, UsageError
from ivoaudit.load.frames import build_extract
from ivoaudit.store import open_store
from ivoaudit.store.unexecuted import StoredEntry, record_unexecuted_list, unexecuted_lists
from ivoaudit.tracking.quarters import Quarter
from ivoaudit.tracking.unexecuted import quarter_report
from ivoaudit.tracking.unexecuted_record import stored_entries
from ivoaudit.tracking.unexecuted_stats import DIMENSIONS, waited_bucket

ROWS = [
    # case, outcome, basis, decided, executed, interrupted, resumed, sex, intervention
    # exactly three months old on 2026-09-30: deadline 2026-09-30 is the last day, still pending
    ("EXACT", "granted", "SoL", "2026-06-30", None, None, None, "F", "Hemtjänst"),
    # one day older: deadline 2026-09-29 has passed → listed, 93 days
    ("OLDER", "granted", "SoL", "2026-06-29", None, None, None, "M", "Hemtjänst"),
    # LSS, 2026-03-15 + 6 months = 2026-09-15 < 2026-09-30 → waited 6-12
    ("LSS-1", "granted", "LSS", "2026-03-15", None, None, None, "F", "Daglig verksamhet"),
    # LVU and LVM decisions are never listed, however old
    ("LVU-1", "granted", "LVU", "2026-01-10", None, None, None, "M", "Placering HVB"),
    ("LVM-1", "granted", "LVM", "2026-01-10", None, None, None, "M", "Tvångsvård LVM"),
    # rejected: nothing to execute
    ("REJ", "rejected", "SoL", "2025-01-10", None, None, None, "F", "Hemtjänst"),
    # partly granted, 2025-09-01 + 12 months = 2026-09-01 < 2026-09-30 → waited 12+
    ("PART", "partly_granted", "SoL", "2025-09-01", None, None, None, "F", "Hemtjänst"),
    # executed 2025-11-01, interrupted 2026-05-02, not resumed: 2026-08-02 is a Sunday, the
    # deadline moves at most to Monday 2026-08-03, long passed → listed as an interruption
    ("AVBR", "granted", "SoL", "2025-10-01", "2025-11-01", "2026-05-02", None, "M", "Kontaktperson"),
    # on the 2026-Q2 list, executed 2026-07-20 → its execution date is to be reported
    ("DONE", "granted", "SoL", "2026-02-10", "2026-07-20", None, None, "F", "Boendestöd"),
    # executed 2026-10-12, after the quarter: not executed on 2026-09-30 → listed, date given
    ("LATER", "granted", "SoL", "2026-05-20", "2026-10-12", None, None, "M", "Boendestöd"),
    # executed late inside the quarter without ever being listed: deadline 2026-07-05, done 2026-08-01
    ("LATE", "granted", "LSS", "2026-04-05", "2026-08-01", None, None, "F", "Ledsagarservice"),
    # executed in time: nothing to report
    ("OK", "granted", "SoL", "2026-05-01", "2026-06-01", None, None, "F", "Hemtjänst"),
    # granted without a decision date: cannot be judged, shown as such
    ("NODATE", "granted", "SoL", None, None, None, None, "M", "Hemtjänst"),
    # an LVU placement interrupted and not resumed: not listed either
    ("LVU-2", "granted", "LVU", "2025-06-01", "2025-07-01", "2026-01-15", None, "F", "Placering HVB"),
]
COLUMNS = ("case_id", "decision_outcome", "legal_basis", "decision_date", "execution_date",
           "execution_interrupted_date", "execution_resumed_date", "sex", "intervention_type")


def _extract(rows=ROWS, drop=()):
    cols = {c: [r[i] for r in rows] for i, c in enumerate(COLUMNS) if c not in drop}
    return build_extract(cols)


def _q2_history():
    """The 2026-Q2 list as recorded: DONE (not executed on 2026-06-30) and GONE (since deleted)."""
    from ivoaudit.store.unexecuted import StoredList

    entries = (StoredEntry("listed", "DONE", "not_executed", date(2026, 2, 10), decision_date=date(2026, 2, 10),
                           waited="3-6", legal_basis="SoL", sex="F", intervention_type="Boendestöd"),
               StoredEntry("listed", "GONE", "not_executed", date(2025, 12, 1), decision_date=date(2025, 12, 1),
                           waited="6-12", legal_basis="SoL", sex="M", intervention_type="Hemtjänst"),
               StoredEntry("listed", "PART", "not_executed", date(2025, 9, 1), decision_date=date(2025, 9, 1),
                           waited="6-12", legal_basis="SoL", sex="F", intervention_type="Hemtjänst"))
    return [StoredList(1, "2026-Q2", date(2026, 6, 30), date(2026, 7, 10), "x", None, None, None, entries)]


@pytest.fixture(scope="module")
def report():
    return quarter_report(_extract(), "2026-Q3", history=_q2_history(), produced_on=date(2026, 10, 15))


def _listed(report):
    return {d.case_id: d for d in report.listed}


def test_exactly_three_months_is_not_reportable_one_day_older_is(report):
    listed = _listed(report)
    assert "EXACT" not in listed
    older = listed["OLDER"]
    assert older.deadline == date(2026, 9, 29)
    assert older.days_waiting == 93  # 2026-06-29 → 2026-09-30: 1 + 31 + 31 + 30
    assert older.waited == "3-6"


def test_lvu_and_lvm_decisions_are_never_listed(report):
    every = {d.case_id for d in report.listed} | {e.case_id for e in report.executed} | {
        u.case_id for u in report.unjudged}
    assert not every & {"LVU-1", "LVM-1", "LVU-2"}
    assert "REJ" not in every and "OK" not in every


def test_exactly_what_is_listed(report):
    assert [(d.case_id, d.kind) for d in report.listed] == [
        ("PART", "not_executed"), ("LSS-1", "not_executed"), ("AVBR", "interrupted"),
        ("LATER", "not_executed"), ("OLDER", "not_executed")]


def test_lss_and_sol_are_told_apart(report):
    listed = _listed(report)
    assert listed["LSS-1"].legal_basis == "LSS" and listed["LSS-1"].waited == "6-12"
    assert listed["OLDER"].legal_basis == "SoL"
    assert listed["PART"].waited == "12+"
    assert report.statistics.counts["legal_basis"] == {"SoL": 4, "LSS": 1}


def test_an_interruption_is_listed_with_its_date(report):
    avbr = _listed(report)["AVBR"]
    assert avbr.kind == "interrupted"
    assert avbr.interruption_date == date(2026, 5, 2)
    assert avbr.decision_date == date(2025, 10, 1)
    assert avbr.days_waiting == (date(2026, 9, 30) - date(2026, 5, 2)).days
    assert avbr.deadline in (date(2026, 8, 2), date(2026, 8, 3))  # Sunday → Monday under 1930:173 2 §


def test_executed_after_the_quarter_is_listed_with_the_later_date(report):
    later = _listed(report)["LATER"]
    assert later.executed_after == date(2026, 10, 12)
    assert later.deadline == date(2026, 8, 20)


def test_executed_since_last_quarter_gives_the_date_to_report(report):
    executed = {e.case_id: e for e in report.executed}
    assert set(executed) == {"DONE", "LATE"}
    assert executed["DONE"].executed_date == date(2026, 7, 20)
    assert executed["DONE"].earlier_quarters == ("2026-Q2",)
    # LATE passed its deadline (2026-07-05) and was executed (2026-08-01) within the quarter
    # without having been on a list: IVO is still to be told, with the date.
    assert executed["LATE"].earlier_quarters == () and executed["LATE"].executed_date == date(2026, 8, 1)
    assert _listed(report)["PART"].earlier_quarters == ("2026-Q2",)
    assert _listed(report)["OLDER"].earlier_quarters == ()


def test_a_decision_that_left_the_list_without_execution_is_shown(report):
    assert [(d.case_id, d.why, d.last_listed) for d in report.dropped] == [("GONE", "not_in_extract", "2026-Q2")]


def test_a_decision_that_cannot_be_judged_is_shown_not_dropped(report):
    assert [(u.case_id, u.kind) for u in report.unjudged] == [("NODATE", "not_executed")]
    assert report.unjudged[0].row == 2 + [r[0] for r in ROWS].index("NODATE")


def test_statistics_sum_to_the_list(report):
    stats = report.statistics
    assert stats.total == len(report.listed) == 5
    for dim in DIMENSIONS:
        assert sum(stats.counts[dim].values()) == stats.total, dim
    assert stats.counts["kind"] == {"not_executed": 4, "interrupted": 1}
    assert stats.counts["sex"] == {"F": 2, "M": 3}
    assert stats.counts["waited"] == {"3-6": 3, "6-12": 1, "12+": 1}  # OLDER, LATER, AVBR | LSS-1 | PART


def test_previous_figures_come_from_the_recorded_list(report):
    assert report.previous_source == "store"
    assert report.previous.total == 3
    assert report.previous.counts["sex"] == {"F": 2, "M": 1}
    assert report.last_list == "2026-Q2"


def test_without_a_recorded_list_the_previous_quarter_is_computed_from_the_extract():
    r = quarter_report(_extract(), "2026-Q3", produced_on=date(2026, 10, 15))
    assert r.previous_source == "extract"
    # On 2026-06-30: PART, LSS-1, DONE (executed 07-20: not yet) and AVBR (deadline 08-02/03: not yet) …
    # AVBR is pending, LATE (deadline 07-05) pending, LATER (deadline 08-20) pending.
    assert r.previous.total == 3
    assert all(d.earlier_quarters == () for d in r.listed)
    assert {e.case_id for e in r.executed} == {"DONE", "LATE"}  # both executed late within Q3


def test_reporting_window_and_warnings():
    q = Quarter.parse("2026Q3")
    assert q == Quarter.parse("2026-Q3") == Quarter(2026, 3)
    assert (q.first_day, q.last_day) == (date(2026, 7, 1), date(2026, 9, 30))
    assert (q.window.opens, q.window.closes) == (date(2026, 10, 1), date(2026, 10, 31))
    assert Quarter(2026, 1).window.closes == date(2026, 4, 30)
    assert (Quarter(2026, 2).window.opens, Quarter(2026, 2).window.closes) == (date(2026, 7, 1), date(2026, 8, 31))
    assert (Quarter(2026, 4).window.opens, Quarter(2026, 4).window.closes) == (date(2027, 1, 1), date(2027, 1, 31))
    assert Quarter(2026, 4).last_day == date(2026, 12, 31) and Quarter(2026, 1).previous() == Quarter(2025, 4)
    on_time = quarter_report(_extract(), q, produced_on=date(2026, 10, 31))
    late = quarter_report(_extract(), q, produced_on=date(2026, 11, 1))
    early = quarter_report(_extract(), q, produced_on=date(2026, 9, 30))
    assert on_time.window_state == "open" and [w.code for w in on_time.warnings] == []
    assert late.window_state == "closed" and [w.code for w in late.warnings] == ["window_closed"]
    assert "stängde 31 oktober 2026" in late.warnings[0].text
    assert [w.code for w in early.warnings] == ["preliminary"] and "preliminär" in str(early.warnings[0])
    for bad in ("2026-Q5", "Q3", "2026-07"):
        with pytest.raises(UsageError):
            Quarter.parse(bad)


def test_waited_buckets_count_calendar_months():
    assert waited_bucket(date(2026, 3, 30), date(2026, 9, 30)) == "3-6"  # exactly six months
    assert waited_bucket(date(2026, 3, 29), date(2026, 9, 30)) == "6-12"
    assert waited_bucket(date(2025, 9, 30), date(2026, 9, 30)) == "6-12"  # exactly twelve
    assert waited_bucket(date(2025, 9, 29), date(2026, 9, 30)) == "12+"
    assert waited_bucket(date(2026, 3, 31), date(2026, 9, 30)) == "3-6"  # 03-31 + 6 months = 09-30


def test_an_extract_without_execution_dates_is_refused_not_reported_empty():
    with pytest.raises(InputError, match="execution_date"):
        quarter_report(_extract(drop=("execution_date",)), "2026-Q3", produced_on=date(2026, 10, 1))


def test_missing_optional_columns_are_said(report):
    r = quarter_report(_extract(drop=("execution_interrupted_date", "execution_resumed_date", "legal_basis")),
                       "2026-Q3", produced_on=date(2026, 10, 1))
    assert {"no_interruptions", "no_legal_basis", "no_reason", "no_earlier_list"} <= {n.code for n in r.notes}
    # Without a legal basis the LVU/LVM decisions cannot be told apart: they count, as the rule says.
    assert {"LVU-1", "LVM-1"} <= {d.case_id for d in r.listed}
    assert "no_reason" in {n.code for n in report.notes}  # no reason column in this extract


def test_store_round_trip_marks_earlier_quarters(tmp_path):
    store = open_store(tmp_path / "a.db")
    extract = _extract()
    q2 = quarter_report(extract, "2026-Q2", produced_on=date(2026, 7, 10))
    record_unexecuted_list(store, quarter="2026-Q2", as_of=q2.as_of, produced_on=q2.produced_on,
                           extract_fingerprint=q2.extract_fingerprint, extract_rows=q2.extract_rows,
                           tool_version=q2.tool_version, entries=stored_entries(q2))
    # Drawn up twice: the second version supersedes the first, and only it counts.
    record_unexecuted_list(store, quarter="2026-Q2", as_of=q2.as_of, produced_on=q2.produced_on,
                           extract_fingerprint=q2.extract_fingerprint, extract_rows=q2.extract_rows,
                           tool_version=q2.tool_version, entries=stored_entries(q2))
    history = unexecuted_lists(store, before="2026-Q3")
    assert [h.quarter for h in history] == ["2026-Q2"]
    assert {e.case_id for e in history[0].section("listed")} == {d.case_id for d in q2.listed} == {
        "PART", "LSS-1", "DONE"}
    q3 = quarter_report(extract, "2026-Q3", history=history, produced_on=date(2026, 10, 15))
    assert {d.case_id: d.earlier_quarters for d in q3.listed}["LSS-1"] == ("2026-Q2",)
    assert {e.case_id: e.earlier_quarters for e in q3.executed} == {"DONE": ("2026-Q2",), "LATE": ()}
    assert q3.previous_source == "store" and q3.previous.total == 3
    assert store.con.execute("SELECT COUNT(*) FROM unexecuted_lists").fetchone()[0] == 2
    store.close()


def test_finer_legal_basis_codes_and_the_reason_come_from_the_file(tmp_path):
    from ivoaudit.load import load_extract

    csv = tmp_path / "beslut.csv"
    csv.write_text(
        "Ärendenr;Beslut;Lagrum;Beslutsdatum;Verkställt;Insats;Orsak till dröjsmål\n"
        "A-1;Bifall;SoL 4 kap. 1 §;2026-05-04;;Hemtjänst;Ingen ledig plats\n"
        "A-2;Bifall;LSS 9 § 8;2026-05-04;;Korttidsvistelse;\n"
        "A-3;Bifall;SoL;2026-05-04;;Hemtjänst;\n"
        "A-4;Bifall;LVU 2 §;2026-05-04;;Placering;\n"
        "A-5;Bifal;SoL;2026-05-04;;Hemtjänst;\n"
        "A-6;Bifall;HSL;2026-05-04;;Hemtjänst;\n", encoding="utf-8")
    mapping = {"columns": {"decision_outcome": "Beslut", "execution_date": "Verkställt"},
               "values": {"decision_outcome": {"granted": ["Bifall"]},
                          "legal_basis": {"SoL": ["SoL 4 kap. 1 §", "SoL"], "LSS": ["LSS 9 § 8"], "LVU": ["LVU 2 §"]}}}
    extract = load_extract(csv, mapping=mapping, keyed=False)
    r = quarter_report(extract, "2026-Q3", produced_on=date(2026, 10, 2))
    listed = {d.case_id: d for d in r.listed}
    assert set(listed) == {"A-1", "A-2", "A-3", "A-6"}
    assert (listed["A-1"].legal_basis, listed["A-1"].legal_basis_code) == ("SoL", "SoL 4 kap. 1 §")
    assert (listed["A-2"].legal_basis, listed["A-2"].legal_basis_code) == ("LSS", "LSS 9 § 8")
    assert listed["A-3"].legal_basis_code is None  # the code is the canonical one: nothing finer
    assert listed["A-1"].reason == "Ingen ledig plats" and listed["A-2"].reason is None
    assert r.has_reason and "no_reason" not in {n.code for n in r.notes}
    # An unreadable legal basis is "not known": listed (as the rule counts it), with the file's text.
    assert (listed["A-6"].legal_basis, listed["A-6"].legal_basis_code) == (None, "HSL")
    # An unreadable outcome may hide a reportable decision: shown as not judgeable, never dropped.
    assert [(u.case_id, u.row) for u in r.unjudged] == [("A-5", 6)]
    assert "Beslut" in r.unjudged[0].problem
