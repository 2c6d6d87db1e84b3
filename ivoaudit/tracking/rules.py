"""What tracking needs to know about rules: their titles and green targets.

The shipped checklists say it; a measurement records the target and titles in force when it
was taken, which win for that measurement. Rule ids given by a user are checked against the
shipped rules and the rules any measurement holds (a municipality's own rules are known
once measured).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.store.tracking_records import Measurement, RuleCounts
from ivoaudit.targets import DEFAULT_GREEN, Targets


@dataclass(frozen=True)
class RuleInfo:
    """A rule's titles and its checklist's green target (None when it names none)."""

    id: str
    title_sv: str = ""
    title_en: str = ""
    target: float | None = None
    checklist: str = ""

    def title(self, lang: str) -> str:
        """The title in ``lang`` (the id when there is none)."""
        return (self.title_en if lang == "en" else self.title_sv) or self.title_sv or self.id


@functools.cache
def shipped_rules() -> dict[str, RuleInfo]:
    """Rule id → :class:`RuleInfo` for every shipped rule (read once per process)."""
    from ivoaudit.checklist import load_checklists

    return {r.id: RuleInfo(r.id, r.text("title", "sv"), r.text("title", "en"), r.target, r.checklist)
            for r in load_checklists().rules}


def rule_catalogue(measurements: Iterable[Measurement] = ()) -> dict[str, RuleInfo]:
    """The shipped rules, plus any rule only a measurement knows (its recorded titles)."""
    out = dict(shipped_rules())
    for m in measurements:
        for r in m.rules:
            if r.rule_id not in out:
                out[r.rule_id] = RuleInfo(r.rule_id, r.title_sv, r.title_en, r.target, r.checklist)
    return out


def green_target(rule_id: str, counts: RuleCounts | None = None, targets: Targets | None = None,
                 catalogue: dict[str, RuleInfo] | None = None) -> float:
    """The green target of a rule: a targets file's, else the one recorded with the
    measurement, else the checklist's, else the default (95 %)."""
    if targets is not None and rule_id in targets.per_rule:
        return targets.per_rule[rule_id][0]
    if counts is not None and counts.target is not None:
        return counts.target
    info = (catalogue if catalogue is not None else shipped_rules()).get(rule_id)
    if info is not None and info.target is not None:
        return info.target
    return targets.green if targets is not None else DEFAULT_GREEN


def check_rule_ids(rule_ids: Iterable[str], catalogue: dict[str, RuleInfo]) -> list[str]:
    """``rule_ids`` stripped and de-duplicated; a ``UsageError`` naming any unknown one and
    the closest known ids."""
    out = list(dict.fromkeys(r.strip() for r in rule_ids if r and r.strip()))
    for rule_id in out:
        if rule_id not in catalogue:
            near = difflib.get_close_matches(rule_id.upper(), list(catalogue), n=3, cutoff=0.5)
            raise UsageError(t(
                "Regeln {r} finns inte. Menade du {n}? Se `ivoaudit rules list`.",
                "There is no rule {r}. Did you mean {n}? See `ivoaudit rules list`.",
                r=rule_id, n=" / ".join(near) or "–"))
    return out
