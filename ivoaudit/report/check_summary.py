"""The plain ``report.html`` that ``ivoaudit check`` writes beside its CSV files.

First, under a warning, the rules the extract cannot support (not measured, never "0
found"); then per rule: counts with the status words every report uses, compliance with its
denominator, basis and any local target (with the file it came from); the legend of the
words; then the deviating cases (fail and overdue), capped for size. Every text from the
extract is escaped (``autoescape=True``): a case id ``<script>`` arrives as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from jinja2 import Environment, PackageLoader

from ivoaudit.atomic import write_text
from ivoaudit.fields import label
from ivoaudit.i18n import get_language, t
from ivoaudit.load.event_rows import events_sentence
from ivoaudit.wording import (
    COMPLIANCE_LEGEND,
    COMPLIANCE_WORD,
    NOT_EVALUABLE_LEGEND,
    NOT_EVALUABLE_WORD,
    counted,
    legend,
    number,
    percent,
    pick,
    status_with_days,
    status_word,
)

MAX_DEVIATIONS = 2000
STATUSES_SHOWN = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review")


def build_context(result: Any) -> dict[str, Any]:
    """The data the template shows (tests assert on this, not on HTML bytes)."""
    lang = get_language()
    rules, unsupported = [], []
    for row in result.summary.to_dict("records"):
        if not row["evaluable"]:
            fields = [f for f in str(row["missing_fields"]).split(";") if f]
            unsupported.append({"rule_id": row["rule_id"], "title": row["title"],
                                "fields": [f"{label(f, lang)} ({f})" for f in fields]})
            continue
        denominator = int(row["pass"]) + int(row["fail"]) + int(row["overdue"])
        comp = row["compliance"]
        rules.append({**row, "denominator": number(denominator),
                      "counts": [number(int(row[s])) for s in STATUSES_SHOWN],
                      "applicable_text": number(int(row["applicable"])),
                      "pass_on_exception": int(row["pass_on_exception"] or 0),
                      "compliance_text": "–" if pd.isna(comp) else percent(float(comp))})
    # Only the rows shown are gathered: converting millions of result rows to keep a few is slow.
    total, shown = result.rows_with_status(("fail", "overdue"), MAX_DEVIATIONS)
    rows = _records(_decoded(shown))
    for r in rows:
        r["status_label"] = status_with_days(r["status"], r["days_over"])  # as every other report
    return {"lang": lang, "meta": result.meta, "rules": rules, "not_evaluable": unsupported,
            "not_evaluable_heading": t("Varning: {n} kan inte bedömas på uttaget",
                                       "Warning: {n} cannot be evaluated on the extract",
                                       n=counted(len(unsupported), "rule")),
            "not_evaluable_word": pick(NOT_EVALUABLE_WORD), "not_evaluable_text": pick(NOT_EVALUABLE_LEGEND),
            "status_heads": [status_word(s) for s in STATUSES_SHOWN],
            "compliance_word": pick(COMPLIANCE_WORD), "compliance_legend": pick(COMPLIANCE_LEGEND),
            "legend": legend(STATUSES_SHOWN),
            "cases_loaded": number(int(result.meta["cases_loaded"])),
            "extract_rows": number(int(result.meta["extract_rows"])),
            "deviations": rows, "deviations_total": number(total), "deviations_more": total > len(rows),
            "deviations_shown": number(len(rows)),
            "events_text": events_sentence(result.meta.get("events")),
            "local_changes": result.meta.get("local_changes", []),
            "disabled": result.meta.get("disabled_rules", {})}


def _decoded(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings: a few rows would otherwise carry the whole
    dictionary (every case id) into pandas as categories."""
    for i, column in enumerate(table.columns):
        if pa.types.is_dictionary(column.type):
            table = table.set_column(i, table.field(i).name, column.cast(column.type.value_type))
    return table


def _records(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as dicts for the template, built per column (not per cell in pandas): dates as
    ``YYYY-MM-DD``, whole numbers as ``int``, a missing value as ""."""
    columns = []
    for column in table.columns:
        if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
            column = column.cast(pa.date32()).cast(pa.string())
        values = column.to_pylist()
        columns.append([("" if v is None else v) for v in values] if column.null_count else values)
    names = table.column_names
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def render_check_summary(result: Any) -> str:
    """``report.html`` as text (self-contained, no scripts, every value escaped)."""
    env = Environment(loader=PackageLoader("ivoaudit.report", "templates"), autoescape=True)
    env.globals["t"] = t
    return env.get_template("check_summary.html.j2").render(**build_context(result))


def write_check_summary(result: Any, path: str | Path) -> None:
    """Write ``report.html`` (whole or absent)."""
    write_text(path, render_check_summary(result))
