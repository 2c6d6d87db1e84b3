"""Which actions are overdue, which await a follow-up, and each action's traffic light.

As ``tracking.md`` defines them, on an as-of date:

* **overdue**: the deadline has passed (the deadline day itself is not overdue) and the
  action is not ``done``, ``effective``, ``not_effective`` or ``cancelled``;
* **due for follow-up**: ``done``, and its follow-up date has passed (the follow-up day
  itself not yet) without a verdict (``effective``/``not_effective``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ivoaudit.store.tracking_records import Action

OPEN_STATUSES = ("planned", "in_progress")
FINISHED_STATUSES = ("done", "effective", "not_effective", "cancelled")


def is_overdue(action: Action, as_of: date) -> bool:
    """True when the deadline is before ``as_of`` and the action is still planned or in progress."""
    return action.status in OPEN_STATUSES and action.deadline is not None and action.deadline < as_of


def is_due_for_followup(action: Action, as_of: date) -> bool:
    """True when the action is done and its follow-up date is before ``as_of``."""
    return action.status == "done" and action.followup_date is not None and action.followup_date < as_of


def overdue(actions: Iterable[Action], as_of: date) -> list[Action]:
    """The overdue actions, the longest overdue first."""
    return sorted((a for a in actions if is_overdue(a, as_of)), key=lambda a: (a.deadline, a.id))


def due_for_followup(actions: Iterable[Action], as_of: date) -> list[Action]:
    """The actions awaiting a verdict whose follow-up date has passed, oldest first."""
    return sorted((a for a in actions if is_due_for_followup(a, as_of)),
                  key=lambda a: (a.followup_date, a.id))


def days_overdue(action: Action, as_of: date) -> int:
    """Days past the deadline (0 when not overdue)."""
    return (as_of - action.deadline).days if is_overdue(action, as_of) and action.deadline else 0


def status_light(action: Action, as_of: date) -> str:
    """The action's traffic light: ``red`` (overdue or not effective), ``green`` (done or
    effective), ``yellow`` (planned or in progress within its deadline, or done and due for
    follow-up), ``grey`` (cancelled)."""
    if action.status == "cancelled":
        return "grey"
    if action.status == "not_effective" or is_overdue(action, as_of):
        return "red"
    if action.status == "effective" or (action.status == "done" and not is_due_for_followup(action, as_of)):
        return "green"
    return "yellow"
