"""Wording shared by the tracking reports: rates with denominators (suppressed in public
outputs), measures, statuses, effects and legal references.

Public outputs hide counts of 1–4 and whatever could be worked out from them by
subtraction (:class:`ivoaudit.report.suppression.Suppressor`): of a rate's cases assessed,
compliant and not compliant, a hidden part hides the other part too, and the rate and its
interval with them. A zero is shown: no fault in 40 cases names nobody. IVO's own figures
are quoted as IVO's decision states them (:func:`ivo_text`): the decision is IVO's public
document, and a committee answering it quotes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ivoaudit.i18n import t
from ivoaudit.report.labels import SUPPRESSED_MARK, count, pct
from ivoaudit.report.rules_meta import RuleMeta, load_rule_meta
from ivoaudit.report.suppression import Suppressor
from ivoaudit.tracking.effect import ActionEffect, Rate
from ivoaudit.tracking.plan import PlanMeasure
from ivoaudit.tracking.words import ACTION_STATUS, LIGHT, MEASUREMENT_KIND, VERDICT, word

MIN_COUNT = 5


def hidden_parts(passed: int, assessed: int, min_count: int = MIN_COUNT) -> set[str]:
    """Which of ``passed``, ``failed``, ``assessed`` a public output hides."""
    sup = Suppressor(min_count=min_count)
    for key, value in (("passed", passed), ("failed", assessed - passed), ("assessed", assessed)):
        sup.add(key, value, structural=value == 0)
    sup.relate("assessed", ["passed", "failed"])
    return {str(k) for k in sup.solve()}


def rate_text(rate: Rate | None, *, public: bool, interval: bool = True, kind: bool = False) -> str:
    """``82 % (33 av 40; 95 % KI 68–91 %)``; ``X av 40`` when a public output must hide it."""
    if rate is None:
        return t("inte mätt", "not measured")
    what = f", {word(MEASUREMENT_KIND, rate.kind).lower()}" if kind else ""
    hidden = hidden_parts(rate.passed, rate.denominator) if public else set()
    if hidden & {"passed", "failed"}:
        n = SUPPRESSED_MARK if "assessed" in hidden else count(rate.denominator)
        return t("{x} av {n} (skyddat{w})", "{x} of {n} (protected{w})", x=SUPPRESSED_MARK, n=n, w=what)
    text = t("{p} ({k} av {n}", "{p} ({k} of {n}", p=pct(rate.rate), k=count(rate.passed), n=count(rate.denominator))
    if interval:
        text += t("; 95 % KI {lo}–{hi}", "; 95% CI {lo}–{hi}", lo=pct(rate.low), hi=pct(rate.high))
    return text + what + ")"


def ivo_text(rate: Rate | None) -> str:
    """IVO's figure as its decision states it: ``brist i 3 av 10 granskade ärenden (70 % utan brist)``."""
    if rate is None:
        return t("ingen siffra i beslutet", "no figure in the decision")
    return t("brist i {f} av {n} granskade ärenden ({p} utan brist)",
             "a fault in {f} of {n} cases examined ({p} without it)",
             f=rate.denominator - rate.passed, n=rate.denominator, p=pct(rate.rate))


def when(rate: Rate | None) -> str:
    """``name, 2026-09-30`` of the measurement behind a rate."""
    if rate is None:
        return ""
    return f"{rate.label}, {rate.as_of}" if rate.as_of else rate.label


def day(value: date | None) -> str:
    """A day as ISO, ``–`` for none."""
    return value.isoformat() if value else "–"


def responsible(m: PlanMeasure) -> str:
    """The role, and in an internal output the person."""
    return m.role + (f"\n{m.person}" if m.person else "")


def timeline(m: PlanMeasure) -> str:
    """``2026-03-01 – 2026-05-31`` (start – deadline)."""
    return f"{day(m.start)} – {day(m.deadline)}"


def followup(m: PlanMeasure) -> str:
    """The follow-up day and method."""
    parts = [x for x in (m.followup_date.isoformat() if m.followup_date else "", m.followup_method or "") if x]
    return "\n".join(parts) or "–"


def status_text(m: PlanMeasure, *, light: bool = True) -> str:
    """The status in words (after the light's, with ``light``), with the day it was done,
    ``försenad N dagar`` or ``väntar på uppföljning``."""
    text = (f"{word(LIGHT, m.light)}: " if light else "") + word(ACTION_STATUS, m.status)
    if m.done_on and m.status in ("done", "effective", "not_effective"):
        text += f" {m.done_on}"
    if m.overdue:
        text += t(", försenad {n} dagar", ", {n} days overdue", n=m.days_overdue)
    elif m.due_for_followup:
        text += t(", väntar på uppföljning", ", due for follow-up")
    return text


def _short(rate: Rate | None, public: bool) -> str:
    if rate is not None and rate.kind == "ivo":
        return t("{p} (IVO, {k} av {n})", "{p} (IVO, {k} of {n})", p=pct(rate.rate), k=rate.passed, n=rate.denominator)
    return rate_text(rate, public=public, interval=False)


def effect_text(effect: ActionEffect, *, public: bool, rule_titles: dict[str, str] | None = None) -> str:
    """The proposed verdict, then per rule the baseline and the latest measurement after
    (with the rule's own verdict when the action targets more than one rule)."""
    lines = [t("{v} (förslag)", "{v} (proposal)", v=word(VERDICT, effect.verdict or ""))]
    several = len(effect.rules) > 1
    for e in effect.rules:
        title = e.rule_id if not rule_titles else rule_titles.get(e.rule_id, e.rule_id)
        if several:
            title += f" ({word(VERDICT, e.verdict).lower()})"
        after = (_short(e.latest_after, public) if e.latest_after is not None
                 else t("ännu inte mätt", "not yet measured"))
        lines.append(t("{r}: före {b}, efter {a}", "{r}: before {b}, after {a}", r=title,
                       b=_short(e.baseline, public) if e.baseline is not None else t("ingen mätning", "no measurement"),
                       a=after))
    return "\n".join(lines)


_META: dict[str, RuleMeta] | None = None


def legal_references(rule_ids: Iterable[str]) -> list[str]:
    """The legal references of ``rule_ids`` (each once), as the checklists cite them."""
    global _META
    if _META is None:
        _META = load_rule_meta()
    out: list[str] = []
    for rule_id in rule_ids:
        meta = _META.get(rule_id)
        for ref in meta.references if meta else ():
            if ref not in out:
                out.append(ref)
    return out
