"""IVO decisions and their demands, checked as a user would expect.

A decision needs its diarienummer, decision date and answer due date; an extended due date
(anstånd) needs its reason. A demand quotes IVO's text, names the rules that measure it
(none for demands no rule measures, e.g. staffing) and may carry IVO's own figure
(``3/10``: faults found in cases examined), used as the baseline when no measurement
precedes an action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.store.ivo import add_decision, add_demand, get_decision, update_decision
from ivoaudit.store.measurements import list_measurements
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Demand, IvoDecision
from ivoaudit.tracking.rules import check_rule_ids, rule_catalogue

_FIGURE = re.compile(r"^\s*(\d+)\s*(?:/|av|of)\s*(\d+)\s*$", re.IGNORECASE)


def parse_figure(text: str | None) -> tuple[int, int] | None:
    """``"3/10"`` (or ``3 av 10``, ``3 of 10``) → (3, 10): faults found, cases examined."""
    if text is None or not str(text).strip():
        return None
    match = _FIGURE.match(str(text))
    if not match or int(match[2]) == 0 or int(match[1]) > int(match[2]):
        raise UsageError(t(
            "IVO:s siffra {v} ska skrivas BRISTER/GRANSKADE, t.ex. 3/10 (brist i tre av tio granskade "
            "ärenden).",
            "IVO's figure {v} is written FAULTS/EXAMINED, e.g. 3/10 (a fault in three of ten cases "
            "examined).", v=text))
    return int(match[1]), int(match[2])


def check_decision_dates(decision_date: date | None, due: date | None, received: date | None = None,
                         extended_due: date | None = None, extension_reason: str | None = None) -> None:
    """Refuse dates that cannot be: an answer due before the decision, a receipt before it, an
    anstånd that shortens the time or has no reason."""
    if decision_date and due and due < decision_date:
        raise UsageError(t("Svaret ska vara inne {d}, före beslutsdagen {b}.",
                           "The answer is due {d}, before the decision date {b}.", d=due, b=decision_date))
    if decision_date and received and received < decision_date:
        raise UsageError(t("Beslutet kom in {r}, före beslutsdagen {b}.",
                           "The decision was received {r}, before its date {b}.", r=received, b=decision_date))
    if extended_due and due and extended_due <= due:
        raise UsageError(t("Anståndet ({e}) ska ligga efter den ursprungliga svarsdagen ({d}).",
                           "The extension ({e}) must come after the original due date ({d}).",
                           e=extended_due, d=due))
    if extended_due and not (extension_reason or "").strip():
        raise UsageError(t("Ange skälet till anståndet (--extension-reason).",
                           "Give the reason for the extension (--extension-reason)."))


def record_decision(store: Store, dnr: str, *, decision_date: date, answer_due: date,
                    received_date: date | None = None, extended_due: date | None = None,
                    extension_reason: str | None = None, committee: str | None = None,
                    our_dnr: str | None = None, units: str | None = None, summary: str | None = None,
                    by: str | None = None) -> IvoDecision:
    """Record an IVO decision (status ``open``)."""
    check_decision_dates(decision_date, answer_due, received_date, extended_due, extension_reason)
    return add_decision(store, dnr, by=by, decision_date=decision_date, answer_due=answer_due,
                        received_date=received_date, extended_due=extended_due,
                        extension_reason=extension_reason, committee=committee, our_dnr=our_dnr,
                        units=units, summary=summary)


def edit_decision(store: Store, dnr: str, changes: dict[str, object], *, by: str | None = None) -> IvoDecision:
    """Change a decision (dates, anstånd, texts, status, adopted/sent days)."""
    current = get_decision(store, dnr)
    merged: dict[str, Any] = {**asdict(current), **changes}
    check_decision_dates(merged["decision_date"], merged["answer_due"], merged["received_date"],
                         merged["extended_due"], merged["extension_reason"])
    return update_decision(store, dnr, changes, by=by)


def record_demand(store: Store, dnr: str, text: str, *, rules: Iterable[str] = (),
                  ivo_figure: str | None = None, number: int | None = None,
                  by: str | None = None) -> Demand:
    """Add a demand to decision ``dnr``; ``ivo_figure`` as :func:`parse_figure` reads it."""
    checked = check_rule_ids(rules, rule_catalogue(list_measurements(store)))
    figure = parse_figure(ivo_figure)
    return add_demand(store, dnr, text, number=number, rules=checked,
                      ivo_deviations=figure[0] if figure else None,
                      ivo_assessed=figure[1] if figure else None, by=by)
