"""The plain ``report.html`` that ``ivoaudit check`` writes beside its CSV files.

Per rule: counts, compliance with its denominator, basis and any local target (with the
file it came from); then the deviating cases (fail and overdue), capped for size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from jinja2 import Environment, PackageLoader, select_autoescape

from ivoaudit.atomic import write_text
from ivoaudit.i18n import get_language, t
from ivoaudit.report.labels import status_label

MAX_DEVIATIONS = 2000


def build_context(result: Any) -> dict[str, Any]:
    """The data the template shows (tests assert on this, not on HTML bytes)."""
    lang = get_language()
    rules = []
    for row in result.summary.to_dict("records"):
        denom = int(row["pass"]) + int(row["fail"]) + int(row["overdue"])
        comp = row["compliance"]
        rules.append({**row, "denominator": denom,
                      "compliance_text": "–" if pd.isna(comp) else f"{float(comp) * 100:.1f} %"})
    # Filtered on the status codes, and only the rows shown are gathered: decoding or
    # converting millions of result rows just to keep a few is slow.
    total, shown = result.rows_with_status(("fail", "overdue"), MAX_DEVIATIONS)
    rows = _records(_decoded(shown))
    for r in rows:
        r["status_label"] = status_label(r["status"])  # the same words as every other report
    return {"lang": lang, "meta": result.meta, "rules": rules, "deviations": rows,
            "deviations_total": total, "deviations_shown": len(rows),
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


def write_check_summary(result: Any, path: str | Path) -> None:
    """Render ``report.html`` (self-contained, no scripts)."""
    env = Environment(loader=PackageLoader("ivoaudit.report", "templates"), autoescape=select_autoescape())
    env.globals["t"] = t
    html = env.get_template("check_summary.html.j2").render(**build_context(result))
    write_text(path, html)
