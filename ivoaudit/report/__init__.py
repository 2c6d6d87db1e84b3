"""Reports for each reader: internal (case level) and public (de-identified, suppressed).

One model (:func:`build_report`) read by every renderer: HTML, Excel, Word and the JSON
public summary. :func:`generate_reports` writes several formats at once.
"""

from ivoaudit.report.generate import FORMATS, GeneratedReport, generate_reports, parse_formats
from ivoaudit.report.model import Report, ReportOptions, build_report
from ivoaudit.report.round_source import round_source
from ivoaudit.report.source import ReportSource, ResultsDirSource, RoundPoint
from ivoaudit.report.targets import Targets, load_targets

__all__ = [
    "FORMATS", "GeneratedReport", "Report", "ReportOptions", "ReportSource", "ResultsDirSource",
    "RoundPoint", "Targets", "build_report", "generate_reports", "load_targets", "parse_formats",
    "round_source",
]
