"""The register through the library: measurements, findings, actions, their history and
the one-transaction rule."""

from __future__ import annotations

from datetime import date

import pytest

from ivoaudit.errors import StoreError, UsageError
from ivoaudit.store.actions import get_action, list_actions
from ivoaudit.store.findings import list_findings
from ivoaudit.store.history import history
from ivoaudit.store.measurements import get_measurement, list_measurements
from ivoaudit.tracking.actions import create_action, edit_action
from ivoaudit.tracking.findings import propose_findings
from ivoaudit.tracking.ivo import record_decision, record_demand
from ivoaudit.tracking.measure import record_check_folder
from tests.tracking.conftest import write_check

FORHAND, UTR, ASIKT = "BU-FORHAND-14D", "BU-UTR-4M", "BU-BARN-ASIKT"


def _action(store, **extra):
    return create_action(store, "Bevakningslista för förhandsbedömningar", "Enhetschef",
                         responsible_person="Kim Berg", start=date(2026, 3, 1),
                         deadline=date(2026, 5, 31), rules=[FORHAND], **extra)


def test_a_check_folder_is_recorded_as_counts_only(store, tmp_path):
    folder = write_check(tmp_path / "c1", "2026-02-28", {FORHAND: (33, 5, 2), UTR: (18, 12, 0)},
                         not_evaluable={ASIKT: "child_views"})
    m = record_check_folder(store, "feb", folder, by="Kim")
    assert (m.kind, m.as_of, m.checklists, m.recorded_by) == ("check", date(2026, 2, 28),
                                                              {"barn_unga": "2026.1"}, "Kim")
    forhand = m.rule(FORHAND)
    assert (forhand.passed, forhand.failed, forhand.overdue, forhand.denominator) == (33, 5, 2, 40)
    assert forhand.rate == 33 / 40 and forhand.checklist == "barn_unga"
    assert forhand.title_sv == "Förhandsbedömning inom 14 dagar"  # from the shipped checklist
    asikt = m.rule(ASIKT)
    assert not asikt.evaluable and asikt.rate is None and asikt.missing_fields == ("child_views",)
    assert get_measurement(store, "feb") == m
    with pytest.raises(StoreError, match="redan"):
        record_check_folder(store, "feb", folder)
    assert [x.name for x in list_measurements(store)] == ["feb"]


def test_findings_are_proposed_for_rules_below_target_once(store, tmp_path):
    record_check_folder(store, "feb", write_check(tmp_path / "c", "2026-02-28",
                                                  {FORHAND: (33, 5, 2), UTR: (29, 1, 0)},
                                                  not_evaluable={ASIKT: "child_views"}))
    added = propose_findings(store, "feb", by="Kim")
    # 33/40 = 82.5 % < 95 %; 29/30 = 96.7 % meets it; ASIKT was not measured at all
    assert [(f.rules, f.passed, f.denominator, f.status, f.measurement) for f in added] == [
        ((FORHAND,), 33, 40, "proposed", "feb")]
    assert added[0].title == "Förhandsbedömning inom 14 dagar: under målet 95 %"
    assert propose_findings(store, "feb") == []
    assert len(list_findings(store)) == 1


def test_create_refuses_unknown_rules_and_impossible_dates_storing_nothing(store):
    with pytest.raises(UsageError, match="BU-FORHAND-14D"):
        create_action(store, "x", "Enhetschef", start=date(2026, 3, 1), deadline=date(2026, 4, 1),
                      rules=["BU-FORHAND-14"])
    with pytest.raises(UsageError, match="före"):
        create_action(store, "x", "Enhetschef", start=date(2026, 3, 1), deadline=date(2026, 2, 1))
    with pytest.raises(StoreError, match="finns inte"):
        create_action(store, "x", "Enhetschef", start=date(2026, 3, 1), deadline=date(2026, 4, 1),
                      demands=["8.5-1/2026-1:1"])
    assert list_actions(store) == []


def test_status_changes_keep_history_and_the_proposal_seen(store, tmp_path):
    record_check_folder(store, "jan", write_check(tmp_path / "a", "2026-01-31", {FORHAND: (20, 20, 0)}))
    action = _action(store, followup_date=date(2026, 9, 30), followup_method="ny egenkontroll")
    assert action.status == "planned" and action.responsible_person == "Kim Berg"
    with pytest.raises(UsageError, match="inte klar"):
        edit_action(store, action.id, {"status": "effective"}, by="Eva")
    edit_action(store, action.id, {"status": "done"}, by="Eva", as_of=date(2026, 5, 20))
    assert get_action(store, action.id).done_on == date(2026, 5, 20)
    record_check_folder(store, "sep", write_check(tmp_path / "b", "2026-09-30", {FORHAND: (34, 6, 0)}))
    edit_action(store, action.id, {"status": "effective"}, by="Eva", note="bedömd i ledningsgruppen")
    entries = history(store, "action", action.id)
    assert [(e.field, e.old_value, e.new_value, e.changed_by) for e in entries] == [
        ("created", None, "planned", None), ("status", "planned", "done", "Eva"),
        ("done_on", None, "2026-05-20", "Eva"), ("status", "done", "effective", "Eva")]
    proposal = entries[-1].proposal
    # baseline jan 20/40 = 50 % [0.352, 0.648]; after sep 34/40 = 85 % [0.709, 0.929]: improved
    assert proposal["verdict"] == "improved" and proposal["suggested_status"] == "effective"
    assert proposal["rules"][0]["baseline"]["label"] == "jan"
    assert entries[-1].note == "bedömd i ledningsgruppen"
    # reopening clears the done day
    reopened = edit_action(store, action.id, {"status": "in_progress"}, by="Eva")
    assert reopened.done_on is None


def test_one_change_is_one_transaction(store):
    action = _action(store)
    with pytest.raises(StoreError, match="finns inte"):
        # the measure is written first, then the unknown demand fails: nothing may remain
        edit_action(store, action.id, {"measure": "Ny text", "demands": ["8.5-9/2026-1:1"]}, by="Eva")
    assert get_action(store, action.id).measure == action.measure
    assert [e.field for e in history(store, "action", action.id)] == ["created"]


def test_links_to_demands_and_rules_are_replaced_with_history(store):
    record_decision(store, "8.5-1/2026-1", decision_date=date(2026, 1, 15), answer_due=date(2026, 3, 15))
    record_demand(store, "8.5-1/2026-1", "Att beslut om att inleda utredning fattas inom 14 dagar.",
                  rules=[FORHAND], ivo_figure="3/10")
    action = _action(store, demands=["8.5-1/2026-1:1"])
    assert action.demands == ("8.5-1/2026-1:1",)
    changed = edit_action(store, action.id, {"rules": [FORHAND, UTR]}, by="Eva")
    assert changed.rules == (FORHAND, UTR)
    last = history(store, "action", action.id)[-1]
    assert (last.field, last.old_value, last.new_value) == ("rules", FORHAND, f"{FORHAND}, {UTR}")
