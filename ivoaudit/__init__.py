"""ivoaudit: inspection readiness for Swedish municipal social services.

The library API; the ``ivoaudit`` command and the web app are clients of it::

    import ivoaudit

    extract = ivoaudit.load_extract("arenden.csv", mapping="lifecare.yaml")
    checklist = ivoaudit.load_checklists()
    result = ivoaudit.run_check(extract, checklist, date(2026, 10, 31))
    ivoaudit.write_check_outputs(result, extract, "kontroll", report=ivoaudit.write_check_summary)
    folder = ivoaudit.read_results("kontroll")  # refuses a folder a stopped run left

Each name is imported from its module on first use, so ``import ivoaudit`` stays light (the
command line starts without pandas). ``docs/api.md`` lists what each name does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ivoaudit.version import __version__

# name -> module it lives in (the order of the pipeline)
_API = {
    "load_extract": "ivoaudit.load",
    "load_events": "ivoaudit.load",
    "inspect_file": "ivoaudit.load.inspection",
    "load_checklists": "ivoaudit.checklist",
    "run_check": "ivoaudit.check",
    "CheckResult": "ivoaudit.check",
    "write_check_outputs": "ivoaudit.results",
    "check_and_write": "ivoaudit.results",
    "read_results": "ivoaudit.results",
    "open_store": "ivoaudit.store",
    "SampleSpec": "ivoaudit.sample.draw",
    "draw_sample": "ivoaudit.sample.draw",
    "load_population": "ivoaudit.review.answers",
    "sample_round": "ivoaudit.review.answers",
    "write_round_form": "ivoaudit.review.answers",
    "import_review_form": "ivoaudit.review.answers",
    "ReportOptions": "ivoaudit.report",
    "build_report": "ivoaudit.report",
    "generate_reports": "ivoaudit.report",
    "ResultsDirSource": "ivoaudit.report",
    "round_source": "ivoaudit.report.round_source",
    "write_check_summary": "ivoaudit.report.check_summary",
    "Quarter": "ivoaudit.tracking.quarters",
    "quarter_report": "ivoaudit.tracking.unexecuted",
    "draw_up_quarter": "ivoaudit.tracking.unexecuted_record",
    "write_quarter_files": "ivoaudit.report.unexecuted_files",
    "read_summaries": "ivoaudit.tracking.compare",
    "compare_summaries": "ivoaudit.tracking.compare",
    "write_compare_files": "ivoaudit.report.compare_render",
    "run_demo": "ivoaudit.demo",
    "IvoauditError": "ivoaudit.errors",
    "UserError": "ivoaudit.errors",
    "use_language": "ivoaudit.i18n",
}

__all__ = ["__version__", "load_extract", "load_events", "inspect_file", "load_checklists",
    "run_check", "CheckResult", "write_check_outputs", "check_and_write", "read_results", "open_store",
    "SampleSpec", "draw_sample", "load_population", "sample_round", "write_round_form",
    "import_review_form", "ReportOptions", "build_report", "generate_reports",
    "ResultsDirSource", "round_source", "write_check_summary", "Quarter", "quarter_report",
    "draw_up_quarter", "write_quarter_files", "read_summaries", "compare_summaries",
    "write_compare_files", "run_demo", "IvoauditError",
    "UserError", "use_language"]

if TYPE_CHECKING:
    from ivoaudit.check import CheckResult, run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.demo import run_demo
    from ivoaudit.errors import IvoauditError, UserError
    from ivoaudit.i18n import use_language
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.load.inspection import inspect_file
    from ivoaudit.report import (
        ReportOptions,
        ResultsDirSource,
        build_report,
        generate_reports,
    )
    from ivoaudit.report.check_summary import write_check_summary
    from ivoaudit.report.compare_render import write_compare_files
    from ivoaudit.report.round_source import round_source
    from ivoaudit.report.unexecuted_files import write_quarter_files
    from ivoaudit.results import check_and_write, read_results, write_check_outputs
    from ivoaudit.review.answers import (
        import_review_form,
        load_population,
        sample_round,
        write_round_form,
    )
    from ivoaudit.sample.draw import SampleSpec, draw_sample
    from ivoaudit.store import open_store
    from ivoaudit.tracking.compare import compare_summaries, read_summaries
    from ivoaudit.tracking.quarters import Quarter
    from ivoaudit.tracking.unexecuted import quarter_report
    from ivoaudit.tracking.unexecuted_record import draw_up_quarter


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'ivoaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
