"""Excel report: Summary, Rules, breakdowns, Deviations (internal only), Data quality.

Frozen headers, autofilter, number/date formats, compliance as percentages. Text from the
extract that starts with = + - @ tab or CR is written as a string cell with Excel's
quote-prefix, so Excel shows it as text and never evaluates it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.model import Report, Share, records
from ivoaudit.report.safe import clean_text, is_formula_like
from ivoaudit.schema import APPLICABLE_STATUSES

PCT = "0.0%"
INT = "#,##0"
DATE = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
LIGHT_FILLS = {"green": "D7F0E8", "yellow": "FBECD0", "red": "F7DCCC"}


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None):
    """Write one cell safely: suppressed counts as the mark, formula-like text as text."""
    if isinstance(value, str):
        value = clean_text(value)
    cell = ws.cell(row=row, column=col)
    if is_formula_like(value):
        cell.value = value
        cell.data_type = "s"  # a string cell, never a formula
        cell.quotePrefix = True
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    return cell


def _table(ws: Worksheet, headers: list[str], rows: list[list[Any]], formats: list[str | None],
           start_row: int = 1, widths: list[int] | None = None) -> None:
    for c, h in enumerate(headers, start=1):
        cell = _put(ws, start_row, c, h)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=start_row + 1):
        for c, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            _put(ws, r, c, value, fmt)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=2)
    ws.print_title_rows = f"{start_row}:{start_row}"

    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{start_row}:{last}{max(start_row + len(rows), start_row + 1)}"
    for c, h in enumerate(headers, start=1):
        width = (widths[c - 1] if widths and c <= len(widths) else None) or min(60, max(10, len(h) + 2))
        ws.column_dimensions[get_column_letter(c)].width = width


def _n(value: int | None) -> Any:
    return labels.SUPPRESSED_MARK if value is None else value


def _rate(share: Share) -> Any:
    if share.rate is not None:
        return share.rate
    return labels.SUPPRESSED_MARK if share.suppressed else None


def _date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _summary_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = t("Sammanfattning", "Summary")
    _put(ws, 1, 1, report.title).font = Font(bold=True, size=14)
    info = [
        (t("Version", "Version"), t("Offentlig (avidentifierad)", "Public (de-identified)") if report.public
         else t("Intern – sekretess enligt OSL 26 kap.", "Internal – confidential (OSL ch. 26)")),
        (t("Mätdatum", "Measured as of"), _date(report.as_of)),
        (t("Underlag", "Source"), report.source_label),
        (t("Ärenden", "Cases"), _n(report.cases_total)),
        (t("Mål grönt / gult", "Target green / yellow"), f"{labels.pct(report.green)} / {labels.pct(report.yellow)}"),
    ]
    if report.public:
        info.append((t("Skyddade uppgifter", "Protected figures"),
                     t("X = färre än {m} ärenden, eller skulle kunna räknas fram ur summor",
                       "X = fewer than {m} cases, or could be worked out from totals", m=report.min_count)))
    for i, (k, v) in enumerate(info, start=3):
        _put(ws, i, 1, k).font = Font(bold=True)
        _put(ws, i, 2, v, DATE if isinstance(v, date) else None).alignment = Alignment(horizontal="left")
    start = len(info) + 5
    headers = [t("Regel", "Rule"), t("Benämning", "Title"), t("Grund", "Basis"),
               t("Uppfyllda", "Pass"), t("Bedömda", "Assessed"), t("Andel", "Share")]
    formats: list[str | None] = [None, None, None, INT, INT, PCT]
    if report.is_sample:
        headers += [t("KI 95 % nedre", "CI 95% low"), t("KI 95 % övre", "CI 95% high")]
        formats += [PCT, PCT]
    headers += [t("Trafikljus", "Light"), t("Mål grönt", "Green target")]
    formats += [None, PCT]
    rows = []
    for rule in report.rules:
        s = rule.share
        row = [rule.id, rule.title, labels.basis_label(rule.basis), _n(s.passed), _n(s.denominator), _rate(s)]
        if report.is_sample:
            row += [s.ci[0] if s.ci else None, s.ci[1] if s.ci else None]
        row += [labels.light_label(s.light), rule.green]
        rows.append(row)
    _table(ws, headers, rows, formats, start_row=start, widths=[18, 50, 16, 11, 11, 9])
    light_col = headers.index(t("Trafikljus", "Light")) + 1
    for r, rule in enumerate(report.rules, start=start + 1):
        fill = LIGHT_FILLS.get(rule.share.light)
        if fill:
            ws.cell(row=r, column=light_col).fill = PatternFill("solid", fgColor=fill)
    ws.column_dimensions["A"].width = 24


def _rules_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = t("Regler", "Rules")
    statuses = [*APPLICABLE_STATUSES, "applicable"]
    headers = [t("Regel", "Rule"), t("Benämning", "Title"), t("Grund", "Basis"),
               *[labels.status_label(s) for s in statuses], t("Andel", "Share"), t("Lagrum", "References")]
    rows = [[r.id, r.title, labels.basis_label(r.basis), *[_n(r.counts[s]) for s in statuses],
             _rate(r.share), "; ".join(r.references)] for r in report.rules]
    _table(ws, headers, rows, [None, None, None, *[INT] * len(statuses), PCT, None],
           widths=[18, 40, 14, *[11] * len(statuses), 9, 45])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=len(headers)):
        for cell in row:
            if cell.column in (2, len(headers)):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _breakdown_sheet(ws: Worksheet, report: Report, dim: str) -> None:
    b = report.breakdown(dim)
    if b is None:
        return
    ws.title = b.title[:31]
    headers = [b.title, t("Regel", "Rule"), t("Uppfyllda", "Pass"), t("Avvikelser", "Deviations"),
               t("Bedömda", "Assessed"), t("Andel", "Share"), t("Trafikljus", "Light")]
    rows = []
    for g in b.groups:
        for rid in b.rules:
            s = b.cells.get((g, rid))
            if s is not None:
                rows.append([g, rid, _n(s.passed), _n(s.noncompliant), _n(s.denominator), _rate(s),
                             labels.light_label(s.light)])
    _table(ws, headers, rows, [None, None, INT, INT, INT, PCT, None], widths=[30, 18, 11, 11, 11, 9, 12])


def _deviations_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = t("Avvikelser", "Deviations")
    cols = ["case_id", "rule_id", "rule_title", "status_label", "unit", "caseworker", "start_date",
            "deadline", "end_date", "days", "days_over", "note"]
    headers = [t("Ärende", "Case"), t("Regel", "Rule"), t("Benämning", "Title"), t("Vad är fel", "What is wrong"),
               t("Enhet", "Unit"), t("Handläggare", "Caseworker"), t("Start", "Start"), t("Frist", "Deadline"),
               t("Klart", "Done"), t("Dagar", "Days"), t("Dagar över", "Days over"), t("Anteckning", "Note")]
    rows = []
    for rec in records(report.deviations):
        rows.append([_date(rec[c]) if c in ("start_date", "deadline", "end_date") else rec[c] for c in cols])
    _table(ws, headers, rows, [None, None, None, None, None, None, DATE, DATE, DATE, INT, INT, None],
           widths=[16, 18, 40, 14, 20, 22, 12, 12, 12, 8, 10, 50])


def _quality_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = t("Datakvalitet", "Data quality")
    dq = report.data_quality
    _put(ws, 1, 1, t("Celler som inte kunde läsas", "Cells that could not be read")).font = Font(bold=True)
    _put(ws, 1, 2, _n(dq.problems_total), INT)
    _put(ws, 2, 1, t("Rader som inte lästes in", "Rows not loaded")).font = Font(bold=True)
    _put(ws, 2, 2, _n(dq.quarantined), INT)
    rows = [[label, column, _n(n)] for label, column, n in dq.by_field]
    start = 4
    _table(ws, [t("Fält", "Field"), t("Kolumn i uttaget", "Column in the extract"), t("Antal", "Count")],
           rows, [None, None, INT], start_row=start, widths=[32, 32, 10])
    if dq.rows is not None and len(dq.rows):
        start = start + len(rows) + 3
        detail = [[rec["row"], rec["column"], rec["value"], rec["problem"], rec["kind"]] for rec in records(dq.rows)]
        headers = [t("Rad", "Row"), t("Kolumn", "Column"), t("Värde", "Value"), t("Problem", "Problem"),
                   t("Typ", "Kind")]
        for c, h in enumerate(headers, start=1):
            cell = _put(ws, start, c, h)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for r, row in enumerate(detail, start=start + 1):
            for c, v in enumerate(row, start=1):
                _put(ws, r, c, v, INT if c == 1 else None)
        ws.column_dimensions["D"].width = 50
        ws.column_dimensions["E"].width = 24


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the Excel workbook to ``path``."""
    path = Path(path)
    with use_language(report.lang):
        wb = Workbook()
        _summary_sheet(wb.active, report)
        _rules_sheet(wb.create_sheet(), report)
        for dim in ("unit", "caseworker", "sex", "age_group"):
            if report.breakdown(dim) is not None:
                _breakdown_sheet(wb.create_sheet(), report, dim)
        if not report.public and report.deviations is not None:
            _deviations_sheet(wb.create_sheet(), report)
        _quality_sheet(wb.create_sheet(), report)
        for ws in wb.worksheets:
            # Printable: landscape A4, all columns on one page wide.
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        # Document properties: nothing from the extract, no user name from the machine.
        props = wb.properties
        props.creator = "ivoaudit"
        props.lastModifiedBy = "ivoaudit"
        props.title = report.title
        props.subject = t("Egenkontroll", "Self-review")
        props.description = None
        props.keywords = None
        wb.save(path)
    return path
