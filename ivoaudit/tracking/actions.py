"""Keeping the action register: new actions and changes, checked as a user would expect.

* the rules an action targets must exist (shipped, or held by a measurement);
* the deadline and follow-up cannot come before the start;
* ``done`` records the day it was done (``done_on``, default the as-of day) and going back
  to ``planned``/``in_progress`` clears it;
* ``effective``/``not_effective`` is a person's verdict on a done action: the effect the
  tool proposes at that moment is computed and kept in the history with the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.store.actions import (
    ACTION_FIELDS,
    LINKS,
    add_action,
    check_status,
    get_action,
    update_action,
)
from ivoaudit.store.measurements import list_measurements
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Action, Measurement
from ivoaudit.targets import Targets
from ivoaudit.tracking.data import load_tracking
from ivoaudit.tracking.effect import ActionEffect, action_effect
from ivoaudit.tracking.rules import check_rule_ids, rule_catalogue

VERDICT_STATUSES = ("effective", "not_effective")


def _check_dates(start: date | None, deadline: date | None, followup: date | None) -> None:
    if start and deadline and deadline < start:
        raise UsageError(t("Klart senast ({d}) ligger före start ({s}).",
                           "The deadline ({d}) is before the start ({s}).", d=deadline, s=start))
    if start and followup and followup < start:
        raise UsageError(t("Uppföljningen ({f}) ligger före start ({s}).",
                           "The follow-up ({f}) is before the start ({s}).", f=followup, s=start))


def create_action(store: Store, measure: str, responsible_role: str, *, start: date, deadline: date,
                  responsible_person: str | None = None, followup_date: date | None = None,
                  followup_method: str | None = None, evidence: str | None = None,
                  rules: Iterable[str] = (), demands: Iterable[str] = (), findings: Iterable[int] = (),
                  by: str | None = None) -> Action:
    """Add an action to the register (status ``planned``); returns it with its new id."""
    _check_dates(start, deadline, followup_date)
    checked = check_rule_ids(rules, rule_catalogue(_measured(store)))
    return add_action(store, measure, responsible_role, by=by, rules=checked, demands=demands,
                      findings=findings, responsible_person=responsible_person, start_date=start,
                      deadline=deadline, followup_date=followup_date, followup_method=followup_method,
                      evidence=evidence)


def _measured(store: Store) -> list[Measurement]:
    return list_measurements(store)


def edit_action(store: Store, action_id: int, changes: Mapping[str, Any], *, by: str | None = None,
                note: str | None = None, as_of: date | None = None, targets: Targets | None = None,
                expected_updated_at: str | None = None) -> Action:
    """Change an action (fields of :class:`Action` and the link sets ``rules``, ``demands``,
    ``findings``); see the module docstring for what a status change does."""
    unknown = set(changes) - set(ACTION_FIELDS) - set(LINKS)
    if unknown:
        raise ValueError(f"unknown action fields {sorted(unknown)}")
    current = get_action(store, action_id)
    changes, proposal = prepare_changes(store, current, changes, as_of=as_of or date.today(), targets=targets)
    return update_action(store, action_id, changes, by=by, note=note, proposal=proposal,
                         expected_updated_at=expected_updated_at)


def prepare_changes(store: Store, current: Action, changes: Mapping[str, Any], *, as_of: date,
                    targets: Targets | None = None) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Check ``changes`` to ``current`` and complete them (done day, proposal): returns the
    changes to store and, for a verdict, the proposal to keep with it."""
    out = dict(changes)
    if "rules" in out:
        out["rules"] = check_rule_ids(out["rules"], rule_catalogue(_measured(store)))
    _check_dates(out.get("start_date", current.start_date), out.get("deadline", current.deadline),
                 out.get("followup_date", current.followup_date))
    status = check_status(str(out.get("status", current.status)))
    if status in ("planned", "in_progress"):
        out["done_on"] = None
    elif status in ("done", *VERDICT_STATUSES):
        out["done_on"] = out.get("done_on") or current.done_on or (as_of if status == "done" else None)
    proposal = None
    if status in VERDICT_STATUSES and status != current.status:
        if out.get("done_on") is None:
            raise UsageError(t(
                "Åtgärd {i} är inte klar: markera den som klar (done) med dagen den blev klar innan "
                "du bedömer effekten.",
                "Action {i} is not done: mark it done (with the day it was done) before you judge "
                "its effect.", i=current.id))
        proposal = proposed_effect(store, current, out, targets=targets).as_proposal()
    return out, proposal


def proposed_effect(store: Store, action: Action, changes: Mapping[str, Any] | None = None, *,
                    targets: Targets | None = None) -> ActionEffect:
    """The effect the tool proposes for ``action`` (as it will be after ``changes``)."""
    data = load_tracking(store, targets)
    fields = {k: v for k, v in (changes or {}).items() if k in ("rules", "demands", "findings",
                                                                  "start_date", "done_on", "status")}
    if "rules" in fields:
        fields["rules"] = tuple(fields["rules"])
    if "demands" in fields:
        fields["demands"] = tuple(fields["demands"])
    if "findings" in fields:
        fields["findings"] = tuple(int(f) for f in fields["findings"])
    if fields.get("status") in VERDICT_STATUSES:
        fields["status"] = "done"  # the proposal is made for the done action, before the verdict
    return action_effect(replace(action, **fields), data.measurements, data.demands, data.findings,
                         targets=targets, catalogue=data.catalogue)
