"""Findings: proposed from a measurement, or entered by hand.

:func:`propose_findings` turns every rule of a measurement that is below its green target
(evaluable, with cases assessed) into a *proposed* finding with the figure that showed it;
a person then confirms it (``open``) or dismisses it. Proposing twice from the same
measurement adds nothing twice. Rules that were not evaluable are never proposed as faults
nor as fine: they were not measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ivoaudit.i18n import t
from ivoaudit.store.findings import add_finding, list_findings
from ivoaudit.store.measurements import get_measurement, list_measurements
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Finding
from ivoaudit.targets import Targets
from ivoaudit.tracking.rules import check_rule_ids, green_target, rule_catalogue


def _pct(rate: float) -> str:
    return t("{v} %", "{v}%", v=f"{rate * 100:.0f}")


def propose_findings(store: Store, measurement: str, *, targets: Targets | None = None,
                     by: str | None = None, lang: str = "sv") -> list[Finding]:
    """Propose a finding for every rule of ``measurement`` below its green target; returns the
    findings added now (rules already proposed from this measurement are skipped)."""
    m = get_measurement(store, measurement)
    catalogue = rule_catalogue([m])
    existing = {(f.measurement or f.round_name, rule) for f in list_findings(store) for rule in f.rules}
    added = []
    for counts in m.rules:
        rate = counts.rate
        target = green_target(counts.rule_id, counts, targets, catalogue)
        if rate is None or rate + 1e-12 >= target or (m.name, counts.rule_id) in existing:
            continue
        title = catalogue[counts.rule_id].title(lang) if counts.rule_id in catalogue else counts.rule_id
        # No counts in the text: it is written once and shown in the public plan too, where a
        # measurement's small counts must be hidden; the figure is kept in passed/denominator.
        text = t("{r}: under målet {g}", "{r}: below the target of {g}", r=title, g=_pct(target))
        origin = (t("egenkontroll", "self-audit") if m.kind == "check"
                  else t("granskningsomgång", "review round")) + f" {m.name} ({m.as_of.isoformat()})"
        added.append(add_finding(
            store, text, source="measurement" if m.kind == "check" else "review", found_on=m.as_of,
            rules=[counts.rule_id], origin=origin, measurement=m.name if m.kind == "check" else None,
            round_name=m.name if m.kind == "round" else None, passed=counts.passed,
            denominator=counts.denominator, status="proposed", by=by))
    return added


def record_finding(store: Store, text: str, *, found_on: date, rules: Iterable[str] = (),
                   origin: str = "", source: str = "manual", demand: str | None = None,
                   note: str | None = None, by: str | None = None) -> Finding:
    """A finding entered by hand (e.g. from a lex Sarah report or a complaint), status ``open``."""
    checked = check_rule_ids(rules, rule_catalogue(list_measurements(store)))
    return add_finding(store, text, source=source, found_on=found_on, rules=checked, origin=origin,
                       demand=demand, note=note, status="open", by=by)
