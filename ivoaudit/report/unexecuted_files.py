"""Every file of a quarter's report of decisions not executed, written at once.

``ivoaudit unexecuted`` and the web app call :func:`write_quarter_files`: the internal
individual list (Excel and CSV) and the public council report (HTML, Word, Excel). File
names carry the quarter, so several quarters can share a folder.
"""

from __future__ import annotations

from pathlib import Path

from ivoaudit.atomic import make_dir
from ivoaudit.report.unexecuted_council import CouncilReport, build_council
from ivoaudit.report.unexecuted_council_render import (
    write_council_docx,
    write_council_html,
    write_council_xlsx,
)
from ivoaudit.report.unexecuted_list import write_list_csv, write_list_xlsx
from ivoaudit.tracking.unexecuted import QuarterReport


def quarter_file_names(quarter: str, lang: str) -> dict[str, str]:
    """Output key → file name, e.g. ``list-xlsx`` → ``unexecuted-2026-Q3-list.xlsx``."""
    base = f"unexecuted-{quarter}"
    return {"list-xlsx": f"{base}-list.xlsx", "list-csv": f"{base}-list.csv",
            "council-html": f"{base}-council-{lang}.html", "council-docx": f"{base}-council-{lang}.docx",
            "council-xlsx": f"{base}-council-{lang}.xlsx"}


def write_quarter_files(report: QuarterReport, out_dir: str | Path, lang: str = "sv",
                        min_count: int = 5) -> tuple[CouncilReport, dict[str, Path]]:
    """Write the list and the council report into ``out_dir``; returns the council model and the files."""
    out = make_dir(out_dir)
    names = {k: out / v for k, v in quarter_file_names(report.quarter.label, lang).items()}
    council = build_council(report, lang=lang, min_count=min_count)
    write_list_xlsx(report, names["list-xlsx"], lang=lang)
    write_list_csv(report, names["list-csv"])
    write_council_html(council, names["council-html"])
    write_council_docx(council, names["council-docx"])
    write_council_xlsx(council, names["council-xlsx"])
    return council, names


__all__ = ["quarter_file_names", "write_quarter_files"]
