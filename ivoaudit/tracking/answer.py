"""The committee's answer to an IVO decision, as the tjänsteskrivelse shows it.

Per demand: IVO's text, the measured situation (IVO's own figure, then the self-audit's
latest measurement of each rule the demand concerns, with denominators), the measures with
responsible role and timeline, and how they will be followed up. Always public: roles,
never people; no evidence texts; ``report/`` suppresses small counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.store.tracking_records import Demand, IvoDecision
from ivoaudit.tracking.data import TrackingData
from ivoaudit.tracking.effect import Rate
from ivoaudit.tracking.plan import PlanMeasure, ivo_rate, latest_rate, plan_measure


@dataclass(frozen=True)
class RuleSituation:
    """One rule a demand concerns: its title and latest measured rate."""

    rule_id: str
    title: str
    latest: Rate | None
    target: float | None


@dataclass(frozen=True)
class AnswerDemand:
    """One demand with what the answer says about it."""

    demand: Demand
    ivo_figure: Rate | None
    situation: tuple[RuleSituation, ...]
    measures: tuple[PlanMeasure, ...]


@dataclass(frozen=True)
class IvoAnswer:
    """Everything the tjänsteskrivelse shows."""

    decision: IvoDecision
    written_on: date
    committee: str
    lang: str
    demands: tuple[AnswerDemand, ...]
    measurements: tuple[tuple[str, date, str], ...]  # name, as-of, kind of those quoted

    @property
    def measures(self) -> list[PlanMeasure]:
        """Every measure once."""
        seen: dict[int, PlanMeasure] = {}
        for d in self.demands:
            for m in d.measures:
                seen.setdefault(m.action_id, m)
        return list(seen.values())


def build_answer(data: TrackingData, dnr: str, written_on: date, *, lang: str = "sv") -> IvoAnswer:
    """The answer to decision ``dnr`` as of ``written_on`` (measurements up to that day)."""
    decision = data.decision(dnr.strip())
    if decision is None:
        raise UsageError(t("IVO-beslutet {d} finns inte. Se `ivoaudit ivo list`.",
                           "The IVO decision {d} does not exist. See `ivoaudit ivo list`.", d=dnr))
    if not decision.demands:
        raise UsageError(t("IVO-beslutet {d} har inga krav ännu. Lägg till dem med `ivoaudit ivo demand add {d}`.",
                           "The IVO decision {d} has no demands yet. Add them with `ivoaudit ivo demand add {d}`.",
                           d=dnr))
    demands = []
    quoted: set[str] = set()
    for demand in decision.demands:
        situation = []
        for rule_id in demand.rules:
            info = data.catalogue.get(rule_id)
            latest = latest_rate(data.measurements, rule_id, written_on)
            if latest is not None:
                quoted.add(latest.label)
            situation.append(RuleSituation(rule_id, info.title(lang) if info else rule_id, latest,
                                           info.target if info else None))
        actions = sorted(data.actions_for_demand(demand.ref), key=lambda a: (a.deadline or date.max, a.id))
        demands.append(AnswerDemand(
            demand, ivo_rate(demand), tuple(situation),
            tuple(plan_measure(data, a, written_on, public=True) for a in actions if a.status != "cancelled")))
    used = tuple((m.name, m.as_of, m.kind) for m in data.measurements if m.name in quoted)
    committee = decision.committee or ("The Social Welfare Committee" if lang == "en" else "Socialnämnden")
    return IvoAnswer(decision, written_on, committee, lang, tuple(demands), used)
