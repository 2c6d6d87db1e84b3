"""A check folder (``ivoaudit check --out``) read back for a screen: per-rule lines with
their traffic lights, and the deviating cases of one rule.

What the web app's check page and drill-down show; the figures are those of summary.csv and
results.csv, the lights those of the reports (:mod:`ivoaudit.report.targets`). Rules the
extract could not support come first (``evaluable`` false in summary.csv), never as 0 found.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ivoaudit.i18n import t
from ivoaudit.report.targets import Targets, light, load_targets

DEVIATION_STATUSES = ("fail", "overdue")
COUNT_COLUMNS = ("applicable", "pass", "fail", "overdue", "pending", "missing_data", "needs_review")


@dataclass(frozen=True)
class RuleLine:
    """One rule of a check as a screen shows it."""

    rule_id: str
    title: str
    basis: str
    counts: dict[str, int]
    denominator: int  # pass + fail + overdue
    compliance: float | None
    light: str  # green, yellow, red, none, or not_evaluable
    evaluable: bool
    missing_fields: tuple[str, ...]
    period: str = ""
    local_change: str = ""

    @property
    def deviations(self) -> int:
        return self.counts["fail"] + self.counts["overdue"]


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def read_meta(folder: str | Path) -> dict[str, Any]:
    """meta.json of a check folder ({} when absent)."""
    path = Path(folder) / "meta.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def rule_lines(folder: str | Path, targets: Targets | None = None) -> list[RuleLine]:
    """summary.csv as :class:`RuleLine` s: not-evaluable rules first, then checklist order."""
    targets = targets or load_targets()
    table = pa_csv.read_csv(Path(folder) / "summary.csv",
                            convert_options=pa_csv.ConvertOptions(strings_can_be_null=False,
                                                                  column_types={"rule_id": pa.string()}))
    lines = []
    for row in table.to_pylist():
        counts = {c: _int(row.get(c)) for c in COUNT_COLUMNS}
        denominator = counts["pass"] + counts["fail"] + counts["overdue"]
        evaluable = str(row.get("evaluable", "true")).lower() not in ("false", "0")
        rate = counts["pass"] / denominator if denominator and evaluable else None
        green, yellow = targets.for_rule(str(row["rule_id"]))
        missing = tuple(m for m in str(row.get("missing_fields") or "").split(";") if m)
        lines.append(RuleLine(
            rule_id=str(row["rule_id"]), title=str(row.get("title") or ""), basis=str(row.get("basis") or ""),
            counts=counts, denominator=denominator, compliance=rate,
            light=light(rate, green, yellow) if evaluable else "not_evaluable",
            evaluable=evaluable, missing_fields=missing, period=str(row.get("period") or ""),
            local_change=str(row.get("local_change") or "")))
    return sorted(lines, key=lambda line: line.evaluable)  # stable: keeps checklist order


# The last few results tables read, by folder and modification time: a drill-down pages
# through one rule after another on the same check.
_CACHE: OrderedDict[tuple[str, float], pa.Table] = OrderedDict()
_CACHE_SIZE = 2
_LOCK = threading.Lock()


def _results(folder: Path) -> pa.Table:
    path = folder / "results.csv"
    key = (str(path.resolve()), path.stat().st_mtime)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    table = pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(
        column_types={"case_id": pa.string(), "rule_id": pa.string(), "status": pa.string(),
                      "start_date": pa.string(), "end_date": pa.string(), "deadline": pa.string(),
                      "note": pa.string()},
        strings_can_be_null=True))
    with _LOCK:
        _CACHE[key] = table
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return table


def deviating_cases(folder: str | Path, rule_id: str, *, offset: int = 0,
                    limit: int = 100) -> tuple[int, list[dict[str, Any]]]:
    """How many cases deviate on ``rule_id`` (fail or overdue), and rows ``offset`` to
    ``offset + limit`` of them in result order, each with the case's unit and caseworker
    when cases.csv has them."""
    folder = Path(folder)
    table = _results(folder)
    mask = pc.and_(pc.equal(table["rule_id"], rule_id),
                   pc.is_in(table["status"], value_set=pa.array(DEVIATION_STATUSES)))
    hits = table.filter(mask)
    rows = hits.slice(offset, limit).to_pylist()
    if rows:
        wanted = pa.array([r["case_id"] for r in rows])
        cases_path = folder / "cases.csv"
        if cases_path.exists():
            cases = pa_csv.read_csv(cases_path, convert_options=pa_csv.ConvertOptions(
                column_types={"case_id": pa.string(), "unit": pa.string(), "caseworker": pa.string()},
                include_columns=["case_id", "unit", "caseworker"], include_missing_columns=True))
            found = cases.filter(pc.is_in(cases["case_id"], value_set=wanted)).to_pylist()
            by_id = {c["case_id"]: c for c in found}
            for r in rows:
                extra = by_id.get(r["case_id"], {})
                r["unit"], r["caseworker"] = extra.get("unit"), extra.get("caseworker")
    return hits.num_rows, rows


def missing_fields_text(line: RuleLine) -> str:
    """What to do about a rule the extract cannot support."""
    return t("Uttaget saknar {f}. Mappa kolumnen i mappningen, eller välj en checklista utan regeln.",
             "The extract lacks {f}. Map the column in the mapping, or choose a checklist without "
             "the rule.", f=", ".join(line.missing_fields) or "?")
