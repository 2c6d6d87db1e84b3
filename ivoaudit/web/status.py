"""The start page's overview: what the library says about the latest check, the rounds,
the actions and IVO decisions, gathered for one template."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ivoaudit.store import open_store

if TYPE_CHECKING:
    from ivoaudit.web.render import AppState


def overview(state: AppState) -> dict[str, Any]:
    from ivoaudit.report.check_folder import read_meta, rule_lines

    checks = [c for c in state.workdir.list("checks") if c.get("state") == "done"]
    latest = checks[0] if checks else None
    lines = []
    meta: dict[str, Any] = {}
    if latest is not None:
        folder = state.workdir.root / latest["folder"]
        lines, meta = rule_lines(folder), read_meta(folder)
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.due import due_for_followup, overdue
    from ivoaudit.tracking.quarters import next_report

    today = date.today()
    with open_store(state.config.db) as store:
        rounds = store.list_rounds()
        tracking = load_tracking(store)
    quarter = next_report(today)
    return {"latest": latest, "lines": lines, "meta": meta, "rounds": rounds[-5:][::-1],
            "extracts": state.workdir.list("extracts")[:3], "overdue": overdue(tracking.actions, today),
            "followup": due_for_followup(tracking.actions, today),
            "decisions": [d for d in tracking.decisions if d.status != "closed"],
            "quarter": quarter, "window": quarter.window, "window_state": quarter.window.state(today),
            "today": today}
