"""The public summary as JSON, schema ``ivoaudit.public-summary/1`` (docs/report-json.md).

Always built from a *public* report model, so it holds no case ids, pseudonyms, caseworker
names or free text, and suppressed figures are ``null``. Used to compare municipalities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ivoaudit.atomic import write_text
from ivoaudit.i18n import use_language
from ivoaudit.report import labels
from ivoaudit.report.model import Report, Share

SCHEMA = "ivoaudit.public-summary/1"


def _rate(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _share(s: Share) -> dict[str, Any]:
    return {"pass": s.passed, "noncompliant": s.noncompliant, "denominator": s.denominator,
            "compliance": _rate(s.rate), "ci95": None if s.ci is None else [_rate(s.ci[0]), _rate(s.ci[1])],
            "light": s.light}


def public_summary(report: Report) -> dict[str, Any]:
    """The JSON document as a dict. ``report`` must be a public report."""
    if not report.public:
        raise ValueError("the JSON summary is built from a public report only")
    with use_language(report.lang):
        sex_codes = {labels.sex_label("F"): "F", labels.sex_label("M"): "M",
                     labels.sex_label(None): None, labels.unknown_label(): None}
        unknown = labels.unknown_label()
    breakdowns: dict[str, list[dict[str, Any]]] = {}
    for b in report.breakdowns:
        items = []
        for g in b.groups:
            for rid in b.rules:
                s = b.cells.get((g, rid))
                if s is None:
                    continue
                group = sex_codes.get(g, g) if b.dimension == "sex" else (None if g == unknown else g)
                items.append({"group": group, "rule_id": rid, **_share(s)})
        breakdowns[b.dimension] = items
    rounds: dict[str, dict[str, Any]] = {}
    for series in report.trend:
        for name, when, s in series.points:
            entry = rounds.setdefault(name, {"name": name, "date": when or None, "rules": []})
            entry["rules"].append({"rule_id": series.rule_id, **_share(s)})
    return {
        "schema": SCHEMA,
        "tool": {"name": "ivoaudit", "version": report.tool_version or None},
        "as_of": report.as_of or None,
        "language": report.lang,
        "is_sample": report.is_sample,
        "min_count": report.min_count,
        "cases": report.cases_total,
        "targets": {"green": report.green, "yellow": report.yellow},
        "extract": {"rows": int(report.extract_rows) if report.extract_rows.isdigit() else None,
                    "fingerprint": report.extract_fingerprint or None},
        "checklists": report.checklists,
        "rules": [{
            "id": r.id, "title": r.title, "basis": r.basis, "area": r.area, "references": list(r.references),
            "counts": {k: v for k, v in r.counts.items()},
            **_share(r.share),
            "target": {"green": r.green, "yellow": r.yellow},
            "evaluable": True,
        } for r in report.rules] + [{
            "id": n.id, "title": n.title, "evaluable": False, "missing_fields": list(n.missing_fields),
            "counts": None, "pass": None, "noncompliant": None, "denominator": None, "compliance": None,
            "ci95": None, "light": "none",
        } for n in report.not_evaluable],
        "breakdowns": breakdowns,
        "rounds": list(rounds.values()),
        "data_quality": {
            "problems": report.data_quality.problems_total,
            "quarantined_rows": report.data_quality.quarantined,
            "by_field": [{"field": f, "column": c, "count": n} for f, c, n in report.data_quality.by_field],
        },
        "any_suppressed": report.any_suppressed,
        "mostly_suppressed": report.mostly_suppressed,
        "not_evaluable": [{"rule_id": n.id, "missing_fields": list(n.missing_fields)} for n in report.not_evaluable],
    }


def write_json(report: Report, path: str | Path) -> Path:
    """Write the public summary to ``path`` (UTF-8, stable key order)."""
    path = Path(path)
    write_text(path, json.dumps(public_summary(report), ensure_ascii=False, indent=2) + "\n")
    return path
