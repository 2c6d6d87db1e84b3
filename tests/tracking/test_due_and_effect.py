"""Overdue and due-for-follow-up by as-of date; the effect proposal on constructed
measurements; repeat findings.

The 95 % Wilson intervals below were worked out by hand from the closed form
(centre ± half, with z = 1.959964), written here as literals to four decimals, and checked
against the formula as typed in :func:`_wilson` (not the code under test).
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from ivoaudit.store.tracking_records import Action, Demand, Measurement, RuleCounts
from ivoaudit.tracking.due import (
    due_for_followup,
    is_due_for_followup,
    is_overdue,
    overdue,
    status_light,
)
from ivoaudit.tracking.effect import action_effect, repeat_findings

RULE = "BU-FORHAND-14D"
TARGET = 0.90

# passed, assessed → (low, high), by hand
HAND = {
    (20, 40): (0.3520, 0.6480),  # 50 %
    (34, 40): (0.7093, 0.9294),  # 85 %
    (30, 40): (0.5981, 0.8581),  # 75 %
    (33, 40): (0.6805, 0.9125),  # 82.5 %
    (38, 40): (0.8350, 0.9862),  # 95 %
    (36, 40): (0.7695, 0.9604),  # 90 %
    (7, 10): (0.3968, 0.8922),  # IVO: 3 faults in 10
}


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959964
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_the_hand_figures_are_the_formula():
    for (k, n), (low, high) in HAND.items():
        assert _wilson(k, n) == pytest.approx((low, high), abs=6e-5)


def _m(name: str, day: str, passed: int, assessed: int, *, rule: str = RULE, evaluable: bool = True,
       kind: str = "check") -> Measurement:
    counts = RuleCounts(rule, applicable=assessed, passed=passed, failed=assessed - passed,
                        evaluable=evaluable, target=TARGET)
    return Measurement(name=name, kind=kind, as_of=date.fromisoformat(day), rules=(counts,))


def _action(status: str = "done", *, start="2026-03-01", done="2026-06-30", rules=(RULE,), demands=(),
            deadline="2026-06-30", followup=None) -> Action:
    return Action(id=1, measure="Bevakningslista", responsible_role="Enhetschef", status=status,
                  start_date=date.fromisoformat(start), deadline=date.fromisoformat(deadline),
                  done_on=date.fromisoformat(done) if done and status != "planned" else None,
                  followup_date=date.fromisoformat(followup) if followup else None,
                  rules=tuple(rules), demands=tuple(demands))


# -- overdue and due for follow-up -------------------------------------------------------------
@pytest.mark.parametrize("status", ["planned", "in_progress"])
def test_overdue_only_after_the_deadline_day(status):
    action = _action(status, deadline="2026-06-30", done=None)
    assert not is_overdue(action, date(2026, 6, 29))
    assert not is_overdue(action, date(2026, 6, 30))  # the deadline day itself is not overdue
    assert is_overdue(action, date(2026, 7, 1))
    assert overdue([action], date(2026, 7, 1)) == [action]
    assert status_light(action, date(2026, 6, 30)) == "yellow"
    assert status_light(action, date(2026, 7, 1)) == "red"


@pytest.mark.parametrize("status", ["done", "effective", "not_effective", "cancelled"])
def test_finished_actions_are_never_overdue(status):
    action = _action(status, deadline="2026-06-30")
    assert not is_overdue(action, date(2027, 1, 1))


def test_due_for_followup_after_the_followup_day_until_a_verdict():
    done = _action("done", followup="2026-09-30")
    assert not is_due_for_followup(done, date(2026, 9, 30))  # the follow-up day itself: not yet
    assert is_due_for_followup(done, date(2026, 10, 1))
    assert due_for_followup([done], date(2026, 10, 1)) == [done]
    assert status_light(done, date(2026, 9, 30)) == "green"
    assert status_light(done, date(2026, 10, 1)) == "yellow"
    for status in ("effective", "not_effective", "in_progress", "planned", "cancelled"):
        assert not is_due_for_followup(_action(status, followup="2026-09-30"), date(2026, 10, 1))
    assert not is_due_for_followup(_action("done"), date(2027, 1, 1))  # no follow-up date set


# -- effect -------------------------------------------------------------------------------------
def _effect(action, measurements, demands=None):
    effect = action_effect(action, measurements, demands or {}, {})
    assert len(effect.rules) == 1
    return effect, effect.rules[0]


def _assert_rate(rate, passed, assessed):
    assert (rate.passed, rate.denominator) == (passed, assessed)
    assert (rate.low, rate.high) == pytest.approx(HAND[(passed, assessed)], abs=6e-5)


def test_improved_when_the_intervals_part_upwards():
    ms = [_m("jan", "2026-01-31", 30, 40), _m("feb", "2026-03-01", 20, 40),  # start day: baseline
          _m("maj", "2026-05-31", 36, 40),  # after start, before done: neither
          _m("jun", "2026-06-30", 38, 40),  # the done day itself: not after
          _m("sep", "2026-09-30", 33, 40), _m("dec", "2026-12-31", 34, 40)]
    effect, rule = _effect(_action(), ms)
    _assert_rate(rule.baseline, 20, 40)
    assert rule.baseline.label == "feb"
    _assert_rate(rule.first_after, 33, 40)
    _assert_rate(rule.latest_after, 34, 40)
    # 0.7093 > 0.6480: no overlap, rate rose; 85 % is below the 90 % target
    assert rule.verdict == "improved" and effect.verdict == "improved"
    assert effect.suggested_status == "effective"


def test_not_improved_when_the_intervals_overlap():
    effect, rule = _effect(_action(), [_m("a", "2026-02-01", 30, 40), _m("b", "2026-09-01", 33, 40)])
    assert (HAND[(33, 40)][0], HAND[(30, 40)][1]) == (0.6805, 0.8581)  # 0.6805 < 0.8581: overlap
    assert rule.verdict == "not_improved" and effect.suggested_status == "not_effective"


def test_worse_when_the_intervals_part_downwards():
    _, rule = _effect(_action(), [_m("a", "2026-02-01", 38, 40), _m("b", "2026-09-01", 20, 40)])
    assert HAND[(20, 40)][1] < HAND[(38, 40)][0]  # 0.6480 < 0.8350
    assert rule.verdict == "worse"


def test_target_reached_at_the_target_itself():
    _, rule = _effect(_action(), [_m("a", "2026-02-01", 20, 40), _m("b", "2026-09-01", 36, 40)])
    _assert_rate(rule.latest_after, 36, 40)  # 90 % against a 90 % target
    assert rule.verdict == "target_reached"


def test_not_yet_measured_before_done_or_without_a_later_measurement():
    ms = [_m("a", "2026-02-01", 20, 40), _m("b", "2026-09-01", 36, 40)]
    for status in ("planned", "in_progress"):
        effect, rule = _effect(_action(status, done=None), ms)
        assert rule.verdict == effect.verdict == "not_yet_measured" and rule.latest_after is None
    effect, rule = _effect(_action(done="2026-09-01"), ms)  # nothing after the done day
    assert rule.verdict == "not_yet_measured" and effect.suggested_status is None


def test_not_evaluable_measurements_do_not_count():
    ms = [_m("a", "2026-02-01", 20, 40), _m("b", "2026-09-01", 0, 0, evaluable=False)]
    _, rule = _effect(_action(), ms)
    assert rule.verdict == "not_yet_measured"


def test_ivo_figure_is_the_baseline_when_nothing_was_measured_before():
    demand = Demand(id=1, dnr="8.5-1/2026-1", number=1, text="Krav", rules=(RULE,), ivo_deviations=3,
                    ivo_assessed=10)
    action = _action(demands=(demand.ref,), rules=())
    effect, rule = _effect(action, [_m("b", "2026-09-01", 33, 40)], {demand.ref: demand})
    _assert_rate(rule.baseline, 7, 10)
    assert rule.baseline.kind == "ivo" and rule.baseline.label == "IVO 8.5-1/2026-1"
    assert rule.verdict == "not_improved"  # 0.6805 < 0.8922: the intervals overlap
    # a measurement on or before the start wins over IVO's figure
    _, rule = _effect(action, [_m("a", "2026-02-01", 20, 40), _m("b", "2026-09-01", 34, 40)],
                      {demand.ref: demand})
    assert rule.baseline.label == "a" and rule.verdict == "improved"


def test_no_rule_no_verdict_and_the_proposal_keeps_the_figures():
    effect = action_effect(_action(rules=()), [], {}, {})
    assert effect.rules == () and effect.verdict is None
    effect, _ = _effect(_action(), [_m("a", "2026-02-01", 20, 40), _m("b", "2026-09-01", 34, 40)])
    proposal = effect.as_proposal()
    assert proposal["verdict"] == "improved"
    assert proposal["rules"][0]["baseline"]["passed"] == 20
    assert proposal["rules"][0]["latest_after"]["as_of"] == "2026-09-01"


# -- repeat findings ------------------------------------------------------------------------------
def test_repeat_finding_after_the_action_was_done():
    ms = [_m("a", "2026-02-01", 20, 40), _m("b", "2026-06-30", 30, 40),  # done day: not after
          _m("c", "2026-09-01", 38, 40),  # above target: fine
          _m("d", "2026-12-01", 33, 40)]  # below target again
    for status in ("done", "effective"):
        repeats = repeat_findings([_action(status)], ms, {}, {})
        assert [(r.rule_id, r.measurement, r.rate.passed) for r in repeats] == [(RULE, "d", 33)]
    for status in ("planned", "in_progress", "cancelled", "not_effective"):
        assert repeat_findings([_action(status)], ms, {}, {}) == []
