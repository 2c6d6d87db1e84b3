"""Everything tracking computes from, read from the store in one go.

:func:`load_tracking` gives the measurements, IVO decisions and demands, findings, actions and
the rule catalogue as plain values; the effect, follow-up, action plan and IVO answer are
pure functions of it (the web app and the reports call the same ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivoaudit.store.actions import list_actions
from ivoaudit.store.findings import list_findings
from ivoaudit.store.ivo import list_decisions
from ivoaudit.store.measurements import list_measurements
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Action, Demand, Finding, IvoDecision, Measurement
from ivoaudit.targets import Targets
from ivoaudit.tracking.effect import ActionEffect, RepeatFinding, action_effect, repeat_findings
from ivoaudit.tracking.rules import RuleInfo, rule_catalogue


@dataclass(frozen=True)
class TrackingData:
    """The tracked state of one store (measurements in as-of order, the rest by id)."""

    measurements: tuple[Measurement, ...]
    decisions: tuple[IvoDecision, ...]
    findings: dict[int, Finding]
    actions: tuple[Action, ...]
    catalogue: dict[str, RuleInfo]
    targets: Targets | None = None
    demands: dict[str, Demand] = field(default_factory=dict)  # DNR:N -> demand

    def action(self, action_id: int) -> Action | None:
        """The action with that id, if any."""
        return next((a for a in self.actions if a.id == action_id), None)

    def decision(self, dnr: str) -> IvoDecision | None:
        """The IVO decision with that diarienummer, if any."""
        return next((d for d in self.decisions if d.dnr == dnr), None)

    def effect(self, action: Action) -> ActionEffect:
        """The effect of ``action`` (see :mod:`ivoaudit.tracking.effect`)."""
        return action_effect(action, self.measurements, self.demands, self.findings,
                             targets=self.targets, catalogue=self.catalogue)

    def repeats(self) -> list[RepeatFinding]:
        """Every repeat finding."""
        return repeat_findings(self.actions, self.measurements, self.demands, self.findings,
                               targets=self.targets, catalogue=self.catalogue)

    def actions_for_demand(self, ref: str) -> list[Action]:
        """The actions that answer demand ``DNR:N``."""
        return [a for a in self.actions if ref in a.demands]

    def actions_for_finding(self, finding_id: int) -> list[Action]:
        """The actions that answer finding ``finding_id``."""
        return [a for a in self.actions if finding_id in a.findings]


def load_tracking(store: Store, targets: Targets | None = None) -> TrackingData:
    """Read the tracked state of ``store``."""
    measurements = tuple(list_measurements(store))
    decisions = tuple(list_decisions(store))
    return TrackingData(
        measurements=measurements, decisions=decisions,
        findings={f.id: f for f in list_findings(store)}, actions=tuple(list_actions(store)),
        catalogue=rule_catalogue(measurements), targets=targets,
        demands={d.ref: d for decision in decisions for d in decision.demands})
