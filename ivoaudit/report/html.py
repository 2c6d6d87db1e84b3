"""HTML report: one self-contained file (inline CSS, charts as base64 PNG), printable on A4."""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)

from ivoaudit.atomic import write_text
from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels, legend
from ivoaudit.report.charts import Chart, build_charts, charts_by_key
from ivoaudit.report.headline import headline
from ivoaudit.report.model import Report, records

RULES_PER_TABLE = 8  # breakdown tables are split so every column fits a printed A4 page


def chunks(items: tuple[str, ...], size: int = RULES_PER_TABLE) -> list[tuple[str, ...]]:
    """``items`` in consecutive pieces of at most ``size`` (at least one piece)."""
    return labels.even_chunks(items, size)


def environment(template_dir: str | Path | None = None) -> Environment:
    """The jinja environment: a user's template folder first (to override), then the package's."""
    loaders: list[BaseLoader] = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(str(template_dir)))
    loaders.append(PackageLoader("ivoaudit.report", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(t=t, labels=labels, legend=legend)
    env.filters.update(pct=labels.pct, share=labels.share_text, count=labels.count, status=labels.status_label,
                       light=labels.light_label, basis=labels.basis_label, area=labels.area_label,
                       b64=lambda data: base64.b64encode(data).decode("ascii"),
                       blank=lambda v: "" if v is None else v)
    return env


def render_html(report: Report, charts: list[Chart] | None = None,
                template_dir: str | Path | None = None, row_cap: int = 200) -> str:
    """The report as one HTML document (a string)."""
    if charts is None:
        charts = build_charts(report)
    with use_language(report.lang):
        template = environment(template_dir).get_template("report.html.j2")
        deviations = report.deviations
        cap = row_cap
        return template.render(
            r=report, charts=charts_by_key(charts), hist_charts=[c for c in charts if c.key.startswith("hist-")],
            hist_without_bars=labels.histograms_without_bars(report),
            deviations=None if deviations is None else records(deviations, cap),
            deviations_more=0 if deviations is None else max(0, len(deviations) - cap),
            dq_rows=None if report.data_quality.rows is None else records(report.data_quality.rows, cap),
            dq_more=0 if report.data_quality.rows is None else max(0, len(report.data_quality.rows) - cap),
            rule_title={r.id: r.title for r in report.rules},
            headline=headline(report), breakdowns=[(b, chunks(b.rules)) for b in report.breakdowns],
            comments=records(report.comments), has_comments=deviations is not None and "comment" in deviations,
        )


def write_html(report: Report, path: str | Path, charts: list[Chart] | None = None,
               template_dir: str | Path | None = None, row_cap: int = 200) -> Path:
    """Write the HTML report to ``path``."""
    path = Path(path)
    write_text(path, render_html(report, charts, template_dir, row_cap))
    return path
