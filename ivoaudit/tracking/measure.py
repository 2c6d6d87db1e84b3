"""Recording a check as a measurement: per rule the count of each status, nothing per case.

From a check just run (``ivoaudit check … --record NAME``: :func:`record_check`) or from a
check folder written earlier (``ivoaudit measurements record DIR --name NAME``:
:func:`record_check_folder`). Review rounds need no recording: every round is a measurement
(see :mod:`ivoaudit.store.measurements`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.store.measurements import record_measurement
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Measurement, RuleCounts
from ivoaudit.tracking.rules import shipped_rules


def _int(value: Any) -> int:
    try:
        return 0 if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return 0


def _evaluable(row: dict[str, Any]) -> bool:
    value = row.get("evaluable", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return True if value is None or (isinstance(value, float) and pd.isna(value)) else bool(value)


def _missing(row: dict[str, Any]) -> tuple[str, ...]:
    value = row.get("missing_fields")
    if not isinstance(value, str):
        return ()
    return tuple(f for f in value.split(";") if f)


def counts_from_summary(summary: pd.DataFrame, *, checklists: dict[str, str],
                        rule_checklist: dict[str, str], targets: dict[str, float | None],
                        titles: dict[str, tuple[str, str]]) -> list[RuleCounts]:
    """Per-rule counts from a check's summary (``summary.csv`` columns), with the checklist
    (name, version), target and titles of each rule."""
    out = []
    for row in summary.to_dict("records"):
        rule_id = str(row["rule_id"])
        checklist = rule_checklist.get(rule_id, "")
        sv, en = titles.get(rule_id, ("", ""))
        local = row.get("local_change")
        out.append(RuleCounts(
            rule_id=rule_id, applicable=_int(row.get("applicable")), passed=_int(row.get("pass")),
            failed=_int(row.get("fail")), overdue=_int(row.get("overdue")),
            pending=_int(row.get("pending")), missing_data=_int(row.get("missing_data")),
            needs_review=_int(row.get("needs_review")), evaluable=_evaluable(row),
            missing_fields=_missing(row), checklist=checklist,
            checklist_version=checklists.get(checklist, ""),
            local_change=local if isinstance(local, str) else "", target=targets.get(rule_id),
            title_sv=sv, title_en=en))
    return out


def record_check(store: Store, name: str, result: Any, *, by: str | None = None,
                 note: str | None = None) -> Measurement:
    """Record a ``CheckResult`` (from ``run_check``) as the measurement ``name``."""
    rules = result.checklist.rules
    meta = result.meta
    counts = counts_from_summary(
        result.summary, checklists=dict(meta.get("checklists") or {}),
        rule_checklist={r.id: r.checklist for r in rules}, targets={r.id: r.target for r in rules},
        titles={r.id: (r.text("title", "sv"), r.text("title", "en")) for r in rules})
    return record_measurement(store, name, as_of=date.fromisoformat(str(meta["as_of"])), rules=counts,
                              extract_fingerprint=meta.get("extract_fingerprint"),
                              checklists=dict(meta.get("checklists") or {}),
                              tool_version=meta.get("tool_version"), by=by, note=note)


def record_check_folder(store: Store, name: str, folder: str | Path, *, by: str | None = None,
                        note: str | None = None) -> Measurement:
    """Record the check written to ``folder`` (its ``summary.csv`` and ``meta.json``)."""
    folder = Path(folder)
    summary_path, meta_path = folder / "summary.csv", folder / "meta.json"
    for path in (summary_path, meta_path):
        if not path.is_file():
            raise InputError(t(
                "{p} saknas. Ange mappen som `ivoaudit check --out` skrev.",
                "{p} is missing. Give the folder `ivoaudit check --out` wrote.", p=path))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        summary = pd.read_csv(summary_path, dtype={"rule_id": str, "local_change": str, "source": str,
                                                   "missing_fields": str, "evaluable": str})
        as_of = date.fromisoformat(str(meta["as_of"]))
    except (OSError, ValueError, KeyError, pd.errors.ParserError) as exc:
        raise InputError(t("Kan inte läsa kontrollen i {p}: {e}. Kör `ivoaudit check` igen.",
                           "Cannot read the check in {p}: {e}. Run `ivoaudit check` again.",
                           p=folder, e=exc)) from exc
    checklists = dict(meta.get("checklists") or {})
    shipped = shipped_rules()
    rule_checklist, targets = {}, {}
    local_targets = {c["rule_id"]: c["value"] for c in meta.get("local_changes") or []
                     if c.get("key") == "target"}
    for row in summary.to_dict("records"):
        rule_id = str(row["rule_id"])
        source = Path(str(row.get("source") or "")).stem
        info = shipped.get(rule_id)
        rule_checklist[rule_id] = source if source in checklists else (info.checklist if info else "")
        targets[rule_id] = local_targets.get(rule_id, info.target if info else None)
    titles = {rid: (info.title_sv, info.title_en) for rid, info in shipped.items()}
    for row in summary.to_dict("records"):  # the title the check wrote, in its language
        rid = str(row["rule_id"])
        if rid not in titles and isinstance(row.get("title"), str):
            titles[rid] = (row["title"], row["title"])
    counts = counts_from_summary(summary, checklists=checklists, rule_checklist=rule_checklist,
                                 targets=targets, titles=titles)
    return record_measurement(store, name, as_of=as_of, rules=counts,
                              extract_fingerprint=meta.get("extract_fingerprint"), checklists=checklists,
                              tool_version=meta.get("tool_version"), by=by, note=note)
