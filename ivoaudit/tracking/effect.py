"""Did the measure work? The effect of each action on the rules it targets, and repeat findings.

For each rule an action targets (its own rules and those of the demands and findings it
answers):

* **baseline**: the last measurement of the rule on or before the action's start, or else
  IVO's own figure in a demand the action answers that concerns the rule;
* **after**: the first and the latest measurements after the day the action was done;

each a compliance rate with its denominator and 95 % Wilson interval. Only measurements in
which the rule was evaluable and had cases assessed count. The proposed verdict per rule:

* ``not_yet_measured``: the action is not done, or no measurement came after;
* ``target_reached``: the latest rate is at or above the rule's green target;
* ``improved`` / ``worse``: the latest and the baseline intervals do not overlap and the
  rate rose / fell;
* ``not_improved``: otherwise (also when there is no baseline to compare with).

The tool only proposes: a person sets ``effective``/``not_effective``, and the history
keeps the proposal they saw (:meth:`ActionEffect.as_proposal`).

A **repeat finding** is a target rule below its green target in a measurement after an
action targeting it was done (status ``done`` or ``effective``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ivoaudit.sample.stats import wilson_interval
from ivoaudit.store.tracking_records import Action, Demand, Finding, Measurement, parse_day
from ivoaudit.targets import Targets
from ivoaudit.tracking.rules import RuleInfo, green_target

DONE_STATUSES = ("done", "effective", "not_effective")
_EPS = 1e-12


@dataclass(frozen=True)
class Rate:
    """A compliance rate: passed of denominator, with its 95 % Wilson interval."""

    passed: int
    denominator: int
    low: float
    high: float
    label: str  # the measurement's name, or "IVO <dnr>"
    kind: str  # check | round | ivo
    as_of: date | None = None

    @property
    def rate(self) -> float:
        """passed / denominator."""
        return self.passed / self.denominator

    @staticmethod
    def of(passed: int, denominator: int, label: str, kind: str, as_of: date | None = None) -> Rate | None:
        """The rate with its interval; None when nothing was assessed."""
        interval = wilson_interval(passed, denominator)
        if interval is None:
            return None
        return Rate(passed, denominator, interval[0], interval[1], label, kind, as_of)


@dataclass(frozen=True)
class RuleEffect:
    """The effect of one action on one rule."""

    rule_id: str
    target: float
    baseline: Rate | None
    first_after: Rate | None
    latest_after: Rate | None
    verdict: str


@dataclass(frozen=True)
class ActionEffect:
    """Per target rule the effect, and the verdict proposed for the action as a whole."""

    action_id: int
    rules: tuple[RuleEffect, ...]
    verdict: str | None  # None when the action targets no rule (judge it by its evidence)

    @property
    def suggested_status(self) -> str | None:
        """``effective`` for improved / target reached, ``not_effective`` for not improved / worse."""
        return {"improved": "effective", "target_reached": "effective", "not_improved": "not_effective",
                "worse": "not_effective"}.get(self.verdict or "")

    def as_proposal(self) -> dict[str, Any]:
        """What the history keeps with a verdict: the proposal and every figure behind it."""
        return {"verdict": self.verdict, "suggested_status": self.suggested_status,
                "rules": [_jsonable(asdict(r)) for r in self.rules]}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def propose(baseline: Rate | None, latest: Rate | None, target: float) -> str:
    """The verdict for one rule (see the module docstring)."""
    if latest is None:
        return "not_yet_measured"
    if latest.rate + _EPS >= target:
        return "target_reached"
    if baseline is None:
        return "not_improved"
    if latest.low > baseline.high:
        return "improved"
    if latest.high < baseline.low:
        return "worse"
    return "not_improved"


def overall(verdicts: Iterable[str]) -> str | None:
    """The action's verdict from its rules': not yet measured if any rule is, worse if any is,
    target reached if all are, improved if all improved or reached the target, else not improved."""
    found = list(verdicts)
    if not found:
        return None
    for verdict in ("not_yet_measured", "worse"):
        if verdict in found:
            return verdict
    if all(v == "target_reached" for v in found):
        return "target_reached"
    if all(v in ("improved", "target_reached") for v in found):
        return "improved"
    return "not_improved"


def target_rules(action: Action, demands: Mapping[str, Demand], findings: Mapping[int, Finding]) -> tuple[str, ...]:
    """The rules an action targets: its own, then those of its demands and findings."""
    rules = list(action.rules)
    for ref in action.demands:
        if ref in demands:
            rules += demands[ref].rules
    for finding_id in action.findings:
        if finding_id in findings:
            rules += findings[finding_id].rules
    return tuple(dict.fromkeys(rules))


def start_day(action: Action) -> date:
    """The action's start (its creation day when none was given)."""
    return action.start_date or parse_day(action.created_at) or date.min


def done_day(action: Action) -> date | None:
    """The day the action was done; None while it is not."""
    if action.status not in DONE_STATUSES:
        return None
    return action.done_on or parse_day(action.updated_at)


def _rates(rule_id: str, measurements: Iterable[Measurement]) -> list[Rate]:
    out = []
    for m in sorted(measurements, key=lambda m: (m.as_of, m.recorded_at, m.name)):
        counts = m.rule(rule_id)
        if counts is None or counts.rate is None:
            continue
        rate = Rate.of(counts.passed, counts.denominator, m.name, m.kind, m.as_of)
        if rate is not None:
            out.append(rate)
    return out


def _ivo_baseline(action: Action, rule_id: str, demands: Mapping[str, Demand]) -> Rate | None:
    for ref in action.demands:
        demand = demands.get(ref)
        if demand and rule_id in demand.rules and demand.ivo_compliant is not None and demand.ivo_assessed:
            return Rate.of(demand.ivo_compliant, demand.ivo_assessed, f"IVO {demand.dnr}", "ivo")
    return None


def _target(rule_id: str, measurements: list[Measurement], targets: Targets | None,
            catalogue: Mapping[str, RuleInfo] | None) -> float:
    latest = next((m.rule(rule_id) for m in reversed(measurements) if m.rule(rule_id) is not None), None)
    return green_target(rule_id, latest, targets, dict(catalogue) if catalogue is not None else None)


def action_effect(action: Action, measurements: Iterable[Measurement], demands: Mapping[str, Demand],
                  findings: Mapping[int, Finding], *, targets: Targets | None = None,
                  catalogue: Mapping[str, RuleInfo] | None = None) -> ActionEffect:
    """The effect of ``action`` on each rule it targets (see the module docstring)."""
    ordered = sorted(measurements, key=lambda m: (m.as_of, m.recorded_at, m.name))
    start, done = start_day(action), done_day(action)
    effects = []
    for rule_id in target_rules(action, demands, findings):
        rates = _rates(rule_id, ordered)
        before = [r for r in rates if r.as_of is not None and r.as_of <= start]
        baseline = before[-1] if before else _ivo_baseline(action, rule_id, demands)
        after = [r for r in rates if done is not None and r.as_of is not None and r.as_of > done]
        first, latest = (after[0], after[-1]) if after else (None, None)
        target = _target(rule_id, ordered, targets, catalogue)
        effects.append(RuleEffect(rule_id, target, baseline, first, latest, propose(baseline, latest, target)))
    verdict = overall(e.verdict for e in effects) if action.status != "cancelled" else None
    return ActionEffect(action.id, tuple(effects), verdict)


@dataclass(frozen=True)
class RepeatFinding:
    """A target rule below its green target again after an action on it was done."""

    rule_id: str
    action_id: int
    done_on: date
    measurement: str
    as_of: date
    rate: Rate
    target: float


def repeat_findings(actions: Iterable[Action], measurements: Iterable[Measurement],
                    demands: Mapping[str, Demand], findings: Mapping[int, Finding], *,
                    targets: Targets | None = None,
                    catalogue: Mapping[str, RuleInfo] | None = None) -> list[RepeatFinding]:
    """Every (action, rule, later measurement) where the rule fell below its target again,
    in as-of order."""
    ordered = sorted(measurements, key=lambda m: (m.as_of, m.recorded_at, m.name))
    out = []
    for action in actions:
        done = done_day(action)
        if done is None or action.status not in ("done", "effective"):
            continue
        for rule_id in target_rules(action, demands, findings):
            for rate in _rates(rule_id, ordered):
                if rate.as_of is None or rate.as_of <= done:
                    continue
                m = next(m for m in ordered if m.name == rate.label)
                target = green_target(rule_id, m.rule(rule_id), targets,
                                      dict(catalogue) if catalogue is not None else None)
                if rate.rate + _EPS < target:
                    out.append(RepeatFinding(rule_id, action.id, done, rate.label, rate.as_of, rate, target))
    return sorted(out, key=lambda r: (r.as_of, r.action_id, r.rule_id))
