"""Traffic-light targets per rule: defaults, the checklist's target, a municipality's file.

A base module (reports colour rules with it, tracking proposes findings and verdicts with the
same green target); ``ivoaudit.report.targets`` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ivoaudit.errors import UserError
from ivoaudit.i18n import t

DEFAULT_GREEN = 0.95
DEFAULT_YELLOW = 0.80


@dataclass(frozen=True)
class Targets:
    """Thresholds for green and yellow; below yellow is red."""

    green: float = DEFAULT_GREEN
    yellow: float = DEFAULT_YELLOW
    per_rule: dict[str, tuple[float, float]] = field(default_factory=dict)

    def for_rule(self, rule_id: str, checklist_target: float | None = None) -> tuple[float, float]:
        """(green, yellow) for a rule: the targets file, else the checklist's target, else defaults."""
        if rule_id in self.per_rule:
            return self.per_rule[rule_id]
        green = checklist_target if checklist_target is not None else self.green
        return green, min(self.yellow, green)


def light(rate: float | None, green: float, yellow: float) -> str:
    """``green``/``yellow``/``red``, or ``none`` when there is no rate."""
    if rate is None:
        return "none"
    # Compare with a small tolerance so 19/20 = 0.95 is green against a 95 % target.
    if rate + 1e-12 >= green:
        return "green"
    if rate + 1e-12 >= yellow:
        return "yellow"
    return "red"


def _share(value: object, where: str) -> float:
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError as exc:
        raise UserError(t("Ogiltigt målvärde {v} i {w}: skriv t.ex. 95 eller 0.95.",
                          "Invalid target {v} in {w}: write e.g. 95 or 0.95.", v=value, w=where)) from exc
    share = number / 100 if number > 1 else number
    if not 0 <= share <= 1:
        raise UserError(t("Målvärdet {v} i {w} ska ligga mellan 0 och 100 %.",
                          "The target {v} in {w} must be between 0 and 100 %.", v=value, w=where))
    return share


def load_targets(path: str | Path | None = None, green: float | None = None,
                 yellow: float | None = None) -> Targets:
    """Targets from an optional YAML file and optional overrides of the defaults.

    File shape::

        default: {green: 95, yellow: 80}
        rules:
          BU-FORHAND-14D: {green: 90, yellow: 75}
    """
    g, y = DEFAULT_GREEN, DEFAULT_YELLOW
    per_rule: dict[str, tuple[float, float]] = {}
    if path is not None:
        p = Path(path)
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise UserError(t("Kan inte läsa målfilen {p}: {e}", "Cannot read the targets file {p}: {e}",
                              p=p, e=exc)) from exc
        if not isinstance(doc, dict):
            raise UserError(t("Målfilen {p} ska innehålla 'default:' och/eller 'rules:'.",
                              "The targets file {p} should hold 'default:' and/or 'rules:'.", p=p))
        default = doc.get("default") or {}
        g = _share(default.get("green", g), f"{p}: default.green")
        y = _share(default.get("yellow", y), f"{p}: default.yellow")
        for rule_id, spec in (doc.get("rules") or {}).items():
            spec = spec or {}
            rg = _share(spec.get("green", g), f"{p}: rules.{rule_id}.green")
            ry = _share(spec.get("yellow", min(y, rg)), f"{p}: rules.{rule_id}.yellow")
            per_rule[str(rule_id)] = (rg, min(ry, rg))
    if green is not None:
        g = _share(green, "--green")
    if yellow is not None:
        y = _share(yellow, "--yellow")
    if y > g:
        raise UserError(t("Gränsen för gult ({y:.0%}) är högre än för grönt ({g:.0%}).",
                          "The yellow threshold ({y:.0%}) is above the green one ({g:.0%}).", y=y, g=g))
    return Targets(green=g, yellow=y, per_rule=per_rule)
