"""The action register as rows to show: each action with its state on an as-of date.

:func:`register` is what ``ivoaudit actions list``, the Excel register and the web app's
list show: the action, whether it is overdue or due for follow-up, its traffic light, the
rules it targets and the proposed effect.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ivoaudit.store.tracking_records import Action
from ivoaudit.tracking.data import TrackingData
from ivoaudit.tracking.due import days_overdue, is_due_for_followup, is_overdue, status_light
from ivoaudit.tracking.effect import target_rules


@dataclass(frozen=True)
class RegisterRow:
    """One action as the register shows it on ``as_of``."""

    action: Action
    as_of: date
    overdue: bool
    days_overdue: int
    due_for_followup: bool
    light: str  # green | yellow | red | grey
    target_rules: tuple[str, ...]
    proposed: str | None  # the proposed verdict (None: no rule measures the action)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (dates ISO), for ``--format json`` and the web app."""
        out = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self.action).items()}
        out.update(overdue=self.overdue, days_overdue=self.days_overdue,
                   due_for_followup=self.due_for_followup, light=self.light,
                   target_rules=list(self.target_rules), proposed_verdict=self.proposed,
                   as_of=self.as_of.isoformat())
        for key in ("rules", "demands", "findings"):
            out[key] = list(out[key])
        return out


def register(data: TrackingData, as_of: date, *, only_overdue: bool = False,
             only_due_for_followup: bool = False) -> list[RegisterRow]:
    """Every action (or only the overdue ones / those due for follow-up; both flags: either),
    by id."""
    rows = []
    for action in data.actions:
        late, due = is_overdue(action, as_of), is_due_for_followup(action, as_of)
        if (only_overdue or only_due_for_followup) and not (
                (only_overdue and late) or (only_due_for_followup and due)):
            continue
        rows.append(RegisterRow(action, as_of, late, days_overdue(action, as_of), due,
                                status_light(action, as_of),
                                target_rules(action, data.demands, data.findings),
                                data.effect(action).verdict))
    return rows
