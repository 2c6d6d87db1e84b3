"""The action plan (handlingsplan): per IVO demand or finding, the fault and its measures.

:func:`build_plan` groups the register: first the demands of IVO decisions not yet closed,
then the open findings (and proposed ones that already have actions), then actions tied to
neither. Each measure carries its responsible, timeline, status and traffic light on the
as-of date, evidence and measured effect. The public plan names roles only and leaves out
evidence texts (they may name people); ``report/`` suppresses its small counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ivoaudit.store.tracking_records import Action, Demand, Measurement
from ivoaudit.tracking.data import TrackingData
from ivoaudit.tracking.due import days_overdue, is_due_for_followup, is_overdue, status_light
from ivoaudit.tracking.effect import ActionEffect, Rate


@dataclass(frozen=True)
class PlanMeasure:
    """One action as the plan shows it."""

    action_id: int
    measure: str
    role: str
    person: str | None  # None in the public plan
    start: date | None
    deadline: date | None
    done_on: date | None
    followup_date: date | None
    followup_method: str | None
    status: str
    light: str
    overdue: bool
    days_overdue: int
    due_for_followup: bool
    evidence: str | None  # None in the public plan
    has_evidence: bool
    effect: ActionEffect


@dataclass(frozen=True)
class PlanSection:
    """A demand or finding (or the actions tied to neither) and its measures."""

    kind: str  # demand | finding | other
    ref: str  # DNR:N, the finding's id, or ""
    text: str  # the demand as IVO wrote it, the finding in words
    rules: tuple[str, ...]
    measures: tuple[PlanMeasure, ...]
    latest: tuple[tuple[str, Rate | None], ...] = ()  # per rule the latest measured rate
    ivo_figure: Rate | None = None
    found_on: date | None = None


@dataclass(frozen=True)
class ActionPlan:
    """Everything the action plan shows."""

    as_of: date
    public: bool
    lang: str
    sections: tuple[PlanSection, ...]
    rule_titles: dict[str, str]
    measurements: tuple[tuple[str, date, str], ...]  # name, as-of, kind of those shown

    @property
    def measures(self) -> list[PlanMeasure]:
        """Every measure once (an action answering two demands shows in both sections)."""
        seen: dict[int, PlanMeasure] = {}
        for section in self.sections:
            for m in section.measures:
                seen.setdefault(m.action_id, m)
        return list(seen.values())


def plan_measure(data: TrackingData, action: Action, as_of: date, *, public: bool) -> PlanMeasure:
    """``action`` on ``as_of`` as a plan row."""
    return PlanMeasure(
        action_id=action.id, measure=action.measure, role=action.responsible_role,
        person=None if public else action.responsible_person, start=action.start_date,
        deadline=action.deadline, done_on=action.done_on, followup_date=action.followup_date,
        followup_method=action.followup_method, status=action.status, light=status_light(action, as_of),
        overdue=is_overdue(action, as_of), days_overdue=days_overdue(action, as_of),
        due_for_followup=is_due_for_followup(action, as_of),
        evidence=None if public else action.evidence, has_evidence=bool(action.evidence),
        effect=data.effect(action))


def latest_rate(measurements: Iterable[Measurement], rule_id: str, as_of: date | None = None) -> Rate | None:
    """The latest measured rate of ``rule_id`` (on or before ``as_of``), with its interval."""
    found = None
    for m in sorted(measurements, key=lambda m: (m.as_of, m.recorded_at, m.name)):
        counts = m.rule(rule_id)
        if counts is None or counts.rate is None or (as_of is not None and m.as_of > as_of):
            continue
        found = Rate.of(counts.passed, counts.denominator, m.name, m.kind, m.as_of)
    return found


def ivo_rate(demand: Demand) -> Rate | None:
    """IVO's own figure as a compliance rate (cases without the fault of those examined)."""
    if demand.ivo_compliant is None or not demand.ivo_assessed:
        return None
    return Rate.of(demand.ivo_compliant, demand.ivo_assessed, f"IVO {demand.dnr}", "ivo")


def _latest(data: TrackingData, rules: Iterable[str], as_of: date) -> tuple[tuple[str, Rate | None], ...]:
    return tuple((r, latest_rate(data.measurements, r, as_of)) for r in rules)


def build_plan(data: TrackingData, as_of: date, *, public: bool = False, lang: str = "sv") -> ActionPlan:
    """The action plan on ``as_of`` (see the module docstring)."""
    sections: list[PlanSection] = []
    placed: set[int] = set()

    def measures(actions: Iterable[Action]) -> tuple[PlanMeasure, ...]:
        chosen = sorted(actions, key=lambda a: (a.deadline or date.max, a.id))
        placed.update(a.id for a in chosen)
        return tuple(plan_measure(data, a, as_of, public=public) for a in chosen)

    for decision in data.decisions:
        if decision.status == "closed":
            continue
        for demand in decision.demands:
            sections.append(PlanSection("demand", demand.ref, demand.text, demand.rules,
                                        measures(data.actions_for_demand(demand.ref)),
                                        _latest(data, demand.rules, as_of), ivo_rate(demand)))
    for finding in data.findings.values():
        linked = data.actions_for_finding(finding.id)
        if finding.status in ("open",) or (finding.status == "proposed" and linked):
            sections.append(PlanSection("finding", str(finding.id), finding.title, finding.rules,
                                        measures(linked), _latest(data, finding.rules, as_of),
                                        found_on=finding.found_on))
    rest = [a for a in data.actions if a.id not in placed]
    if rest:
        rules = tuple(dict.fromkeys(r for a in rest for r in a.rules))
        sections.append(PlanSection("other", "", "", rules, measures(rest), _latest(data, rules, as_of)))
    shown = {rate.label for s in sections for _, rate in s.latest if rate is not None}
    for s in sections:
        for m in s.measures:
            for e in m.effect.rules:
                shown |= {r.label for r in (e.baseline, e.first_after, e.latest_after) if r is not None}
    used = tuple((m.name, m.as_of, m.kind) for m in data.measurements if m.name in shown)
    titles = {rule_id: info.title(lang) for rule_id, info in data.catalogue.items()}
    return ActionPlan(as_of, public, lang, tuple(sections), titles, used)
