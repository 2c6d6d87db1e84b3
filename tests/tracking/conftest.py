"""Stores and check folders with known figures for the tracking tests.

``write_check(folder, as_of, counts)`` writes the two files a measurement is recorded from
(``summary.csv`` and ``meta.json``) with the per-rule counts given, so every figure a test
expects is written in the test itself.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ivoaudit.store import Store

SUMMARY_COLUMNS = ["rule_id", "applicable", "pass", "fail", "overdue", "pending", "missing_data",
                   "needs_review", "compliance", "title", "basis", "period", "local_change", "source",
                   "pass_on_exception", "evaluable", "missing_fields"]


def write_check(folder: Path, as_of: str, counts: dict[str, tuple[int, int, int]],
                not_evaluable: dict[str, str] | None = None) -> Path:
    """A check folder: ``counts`` rule → (pass, fail, overdue); ``not_evaluable`` rule → missing fields."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for rule, (p, f, o) in counts.items():
        rows.append({"rule_id": rule, "applicable": p + f + o, "pass": p, "fail": f, "overdue": o,
                     "pending": 0, "missing_data": 0, "needs_review": 0,
                     "compliance": f"{p / (p + f + o):.4f}" if p + f + o else "", "title": rule,
                     "basis": "law", "period": "", "local_change": "", "source": "barn_unga.yaml",
                     "pass_on_exception": 0, "evaluable": "true", "missing_fields": ""})
    for rule, missing in (not_evaluable or {}).items():
        rows.append({**{c: 0 for c in SUMMARY_COLUMNS}, "rule_id": rule, "compliance": "", "title": rule,
                     "basis": "law", "period": "", "local_change": "", "source": "barn_unga.yaml",
                     "evaluable": "false", "missing_fields": missing})
    with (folder / "summary.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SUMMARY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    (folder / "meta.json").write_text(json.dumps({
        "as_of": as_of, "tool_version": "0.1.0", "checklists": {"barn_unga": "2026.1"},
        "extract_fingerprint": "ab" * 32}), encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audit.db") as s:
        yield s
