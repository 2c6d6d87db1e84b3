"""The follow-up report for the quality coordinator.

On an as-of date: the overdue actions, the actions due for follow-up, the effect of every
action that targets a rule, the repeat findings, the done actions with no follow-up date,
and per rule the trend over comparable measurements: the same rule, of the same kind
(whole-extract checks apart from review samples) and the same checklist version and local
change, in as-of order. A changed checklist starts a new series rather than joining one
whose rule meant something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ivoaudit.store.tracking_records import Action
from ivoaudit.tracking.data import TrackingData
from ivoaudit.tracking.effect import ActionEffect, Rate, RepeatFinding
from ivoaudit.tracking.register import RegisterRow, register
from ivoaudit.tracking.rules import green_target


@dataclass(frozen=True)
class TrendPoint:
    """One measurement of a rule: its rate (None when not evaluable or nothing assessed)."""

    measurement: str
    as_of: date
    rate: Rate | None
    evaluable: bool
    target: float


@dataclass(frozen=True)
class Trend:
    """A rule's comparable measurements, in as-of order."""

    rule_id: str
    title: str
    kind: str  # check | round
    checklist: str
    checklist_version: str
    local_change: str
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class FollowUp:
    """Everything the follow-up report shows."""

    as_of: date
    lang: str
    overdue: tuple[RegisterRow, ...]
    due_for_followup: tuple[RegisterRow, ...]
    effects: tuple[tuple[Action, ActionEffect], ...]
    repeats: tuple[RepeatFinding, ...]
    done_without_followup: tuple[Action, ...]
    trends: tuple[Trend, ...]
    actions_total: int


def trends(data: TrackingData, as_of: date, lang: str = "sv") -> list[Trend]:
    """Per rule and comparable series, the measurements up to ``as_of``."""
    series: dict[tuple[str, str, str, str, str], list[TrendPoint]] = {}
    for m in data.measurements:
        if m.as_of > as_of:
            continue
        for counts in m.rules:
            key = (counts.rule_id, m.kind, *counts.definition)
            rate = (Rate.of(counts.passed, counts.denominator, m.name, m.kind, m.as_of)
                    if counts.rate is not None else None)
            target = green_target(counts.rule_id, counts, data.targets, data.catalogue)
            series.setdefault(key, []).append(TrendPoint(m.name, m.as_of, rate, counts.evaluable, target))
    out = []
    for (rule_id, kind, checklist, version, local), points in sorted(series.items()):
        info = data.catalogue.get(rule_id)
        out.append(Trend(rule_id, info.title(lang) if info else rule_id, kind, checklist, version, local,
                         tuple(points)))
    return out


def build_followup(data: TrackingData, as_of: date, *, lang: str = "sv") -> FollowUp:
    """The follow-up on ``as_of`` (see the module docstring)."""
    rows = register(data, as_of)
    effects = tuple((a, e) for a in data.actions if a.status != "cancelled"
                    for e in (data.effect(a),) if e.rules)
    return FollowUp(
        as_of=as_of, lang=lang,
        overdue=tuple(sorted((r for r in rows if r.overdue), key=lambda r: (-r.days_overdue, r.action.id))),
        due_for_followup=tuple(r for r in rows if r.due_for_followup),
        effects=effects,
        repeats=tuple(r for r in data.repeats() if r.as_of <= as_of),
        done_without_followup=tuple(a for a in data.actions if a.status == "done" and a.followup_date is None),
        trends=_targeted_first(trends(data, as_of, lang), {e.rule_id for _, eff in effects for e in eff.rules}),
        actions_total=len(data.actions))


def _targeted_first(series: list[Trend], targeted: set[str]) -> tuple[Trend, ...]:
    """The rules an action targets first (what the coordinator follows), then the others."""
    return tuple(sorted(series, key=lambda tr: tr.rule_id not in targeted))
