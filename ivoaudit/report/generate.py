"""Write a report in several formats from one model (what ``ivoaudit report`` calls)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ivoaudit.atomic import make_dir
from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.report.model import Report, ReportOptions, build_report
from ivoaudit.report.source import ReportSource

FORMATS = ("html", "xlsx", "docx", "json")


@dataclass(frozen=True)
class GeneratedReport:
    """What was written: the model(s) and the files."""

    report: Report
    files: dict[str, Path]  # format -> path


def parse_formats(text: str | None) -> list[str]:
    """``"html,xlsx"`` → ``["html", "xlsx"]``; refuses unknown formats."""
    if not text:
        return list(FORMATS)
    out = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part not in FORMATS:
            raise UsageError(t("Okänt format '{f}'. Välj bland: {all}.", "Unknown format '{f}'. Choose from: {all}.",
                               f=part, all=", ".join(FORMATS)))
        if part not in out:
            out.append(part)
    return out or list(FORMATS)


def file_name(report: Report, fmt: str) -> str:
    """The file name for a format, e.g. ``report-public-sv.docx``; JSON is always the public summary."""
    if fmt == "json":
        return "public-summary.json"
    return f"report-{report.audience}-{report.lang}.{fmt}"


def generate_reports(source: ReportSource, options: ReportOptions, formats: list[str],
                     out_dir: str | Path, template_dir: str | Path | None = None) -> GeneratedReport:
    """Build the model once and write each format into ``out_dir``.

    The JSON summary is public by definition: for an internal report a public model is
    built alongside, from the same source and options. An earlier run's files of these
    formats are removed before the first is written (each is written whole, see
    ``ivoaudit.atomic``): a run that stops half-way leaves some of the new files, never new
    beside old.
    """
    from ivoaudit.report.charts import build_charts
    from ivoaudit.report.docx import write_docx
    from ivoaudit.report.html import write_html
    from ivoaudit.report.json_summary import write_json
    from ivoaudit.report.xlsx import write_xlsx

    out = make_dir(out_dir)
    report = build_report(source, options)
    charts = build_charts(report) if {"html", "docx"} & set(formats) else []
    targets = {fmt: out / file_name(report, fmt) for fmt in formats}
    for path in targets.values():
        path.unlink(missing_ok=True)
    files: dict[str, Path] = {}
    for fmt in formats:
        path = targets[fmt]
        if fmt == "html":
            write_html(report, path, charts, template_dir, options.html_row_cap)
        elif fmt == "xlsx":
            write_xlsx(report, path)
        elif fmt == "docx":
            write_docx(report, path, charts)
        elif fmt == "json":
            public = report if report.public else build_report(
                source, dataclasses.replace(options, audience="public"))
            write_json(public, path)
        files[fmt] = path
    return GeneratedReport(report, files)
