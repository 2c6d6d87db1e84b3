"""The plain ``report.html`` that ``ivoaudit check`` writes beside its CSV files.

Per rule: counts, compliance with its denominator, basis and any local target (with the
file it came from); then the deviating cases (fail and overdue), capped for size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from jinja2 import Environment, PackageLoader, select_autoescape

from ivoaudit.i18n import get_language, t

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
    # Filter in Arrow: converting millions of result rows to pandas just to keep a few is slow.
    table = result.table
    status = pc.cast(table.column("status"), pa.string())
    deviating = table.filter(pc.is_in(status, value_set=pa.array(["fail", "overdue"])))
    total = deviating.num_rows
    shown = deviating.slice(0, MAX_DEVIATIONS).to_pandas(date_as_object=False)
    rows = [{k: ("" if pd.isna(v) else (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v))
             for k, v in rec.items()} for rec in shown.to_dict("records")]
    for r in rows:
        for k in ("days", "days_over"):
            if r[k] != "":
                r[k] = int(r[k])
    return {"lang": lang, "meta": result.meta, "rules": rules, "deviations": rows,
            "deviations_total": total, "deviations_shown": len(rows),
            "local_changes": result.meta.get("local_changes", []),
            "disabled": result.meta.get("disabled_rules", {})}


def write_check_summary(result: Any, path: str | Path) -> None:
    """Render ``report.html`` (self-contained, no scripts)."""
    env = Environment(loader=PackageLoader("ivoaudit.report", "templates"), autoescape=select_autoescape())
    env.globals["t"] = t
    html = env.get_template("check_summary.html.j2").render(**build_context(result))
    Path(path).write_text(html, encoding="utf-8")
