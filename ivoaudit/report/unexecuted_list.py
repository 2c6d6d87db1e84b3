"""The quarter's individual list (internal): Excel for the registrar and the auditors, CSV for other programs.

What IVO's e-service asks for per decision, by case id (the registrar finds the person in
the case system; no personnummer is written): the decisions not executed within three
months and the interruptions not resumed (``report``), the decisions whose execution date
is to be reported (``executed``), the decisions of the last list that left it without one
(``left_list``) and those that cannot be judged (``not_judgeable``). Internal: it holds case
ids and the extract's own text (the reason), so it is confidential (OSL 26 kap.).
Text from the extract is written formula-safe (Excel's quote prefix in the workbook, a
leading apostrophe in the CSV).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ivoaudit.atomic import atomic_open, atomic_path
from ivoaudit.i18n import t, use_language
from ivoaudit.report.safe import clean_text
from ivoaudit.report.sheets import DATE, INT
from ivoaudit.report.sheets import put as _put
from ivoaudit.report.sheets import table as _table
from ivoaudit.report.unexecuted_words import basis_label, kind_label, waited_label, why_label
from ivoaudit.safe_text import neutralise
from ivoaudit.tracking.unexecuted import QuarterReport

CSV_COLUMNS = ("section", "case_id", "kind", "decision_date", "interruption_date", "intervention_type",
               "legal_basis", "legal_basis_code", "deadline", "days_waiting", "waited_months", "reason",
               "earlier_quarters", "executed_date", "last_listed", "problem", "row")
SECTIONS = ("report", "executed", "left_list", "not_judgeable")


def list_rows(report: QuarterReport) -> list[dict[str, Any]]:
    """Every row of the list, one dict per decision with the keys ``CSV_COLUMNS``."""
    blank: dict[str, Any] = dict.fromkeys(CSV_COLUMNS)
    rows = []
    for d in report.listed:
        rows.append({**blank, "section": "report", "case_id": d.case_id, "kind": d.kind,
                     "decision_date": d.decision_date, "interruption_date": d.interruption_date,
                     "intervention_type": d.intervention_type, "legal_basis": d.legal_basis,
                     "legal_basis_code": d.legal_basis_code, "deadline": d.deadline, "days_waiting": d.days_waiting,
                     "waited_months": d.waited, "reason": d.reason, "earlier_quarters": ";".join(d.earlier_quarters),
                     "executed_date": d.executed_after})
    for e in report.executed:
        rows.append({**blank, "section": "executed", "case_id": e.case_id, "kind": e.kind,
                     "decision_date": e.decision_date, "interruption_date": e.interruption_date,
                     "intervention_type": e.intervention_type, "legal_basis": e.legal_basis,
                     "legal_basis_code": e.legal_basis_code, "deadline": e.deadline,
                     "earlier_quarters": ";".join(e.earlier_quarters), "executed_date": e.executed_date})
    for x in report.dropped:
        rows.append({**blank, "section": "left_list", "case_id": x.case_id, "kind": x.kind,
                     "decision_date": x.start_date if x.kind == "not_executed" else None,
                     "interruption_date": x.start_date if x.kind == "interrupted" else None,
                     "last_listed": x.last_listed, "problem": x.why})
    for u in report.unjudged:
        rows.append({**blank, "section": "not_judgeable", "case_id": u.case_id, "kind": u.kind,
                     "problem": u.problem, "row": u.row})
    return rows


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    # A spreadsheet opening the CSV must not run a formula from the extract's text.
    return neutralise(clean_text(str(value)))


def write_list_csv(report: QuarterReport, path: str | Path) -> Path:
    """The list as CSV (UTF-8, comma-separated, ISO dates, one row per decision, ``CSV_COLUMNS``)."""
    path = Path(path)
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in list_rows(report):
            writer.writerow([_csv_cell(row[c]) for c in CSV_COLUMNS])
    return path


def _head(ws: Worksheet, report: QuarterReport, title: str) -> int:
    """Title, confidentiality and the quarter above a sheet's table; returns the table's first row."""
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, t("Intern – sekretess enligt OSL 26 kap. Innehåller ärendenummer; inga personnummer.",
                     "Internal – confidential (OSL ch. 26). Holds case ids; no personal identity numbers.")
         ).font = Font(italic=True)
    _put(ws, 3, 1, t("Per {d} ({q}). Rapporteras till IVO {w}.", "As of {d} ({q}). Reported to IVO {w}.",
                     d=report.as_of.isoformat(), q=report.quarter.label, w=report.window.text()))
    row = 4
    for warning in report.warnings:
        _put(ws, row, 1, t("Varning: {w}", "Warning: {w}", w=warning.text)).font = Font(bold=True, color="9C2A00")
        row += 1
    return row + 1


def _listed_sheet(ws: Worksheet, report: QuarterReport) -> None:
    ws.title = t("Att rapportera", "To report")
    start = _head(ws, report, t("Ej verkställda beslut {q} – individlista", "Decisions not executed {q} – "
                                "individual list", q=report.quarter.label))
    headers = [t("Ärende", "Case"), t("Slag", "Kind"), t("Beslutsdatum", "Decision date"),
               t("Avbrott", "Interrupted"), t("Insats", "Intervention"), t("Lagrum", "Legal basis"),
               t("Lagrum i uttaget", "Legal basis in the extract"), t("Frist", "Deadline"),
               t("Dagar", "Days"), t("Väntat", "Waited"), t("Skäl till dröjsmål", "Reason for the delay"),
               t("Rapporterat tidigare", "Reported before"),
               t("Verkställt efter kvartalet", "Executed after the quarter")]
    rows = [[d.case_id, kind_label(d.kind), d.decision_date, d.interruption_date, d.intervention_type,
             basis_label(d.legal_basis), d.legal_basis_code, d.deadline, d.days_waiting, waited_label(d.waited),
             d.reason, ", ".join(d.earlier_quarters), d.executed_after] for d in report.listed]
    _table(ws, headers, rows, [None, None, DATE, DATE, None, None, None, DATE, INT, None, None, None, DATE],
           start_row=start, widths=[16, 22, 14, 12, 30, 9, 16, 12, 8, 17, 34, 13, 14])
    _wrap(ws, start, (5, 11))
    if not rows:
        _put(ws, start + 1, 1, t("Inga beslut att rapportera.", "No decisions to report."))


def _executed_sheet(ws: Worksheet, report: QuarterReport) -> None:
    ws.title = t("Verkställda", "Executed")
    start = _head(ws, report, t("Verkställda beslut att rapportera med datum", "Executed decisions to report "
                                "with their date"))
    headers = [t("Ärende", "Case"), t("Slag", "Kind"), t("Beslutsdatum", "Decision date"),
               t("Avbrott", "Interrupted"), t("Insats", "Intervention"), t("Lagrum", "Legal basis"),
               t("Lagrum i uttaget", "Legal basis in the extract"), t("Frist", "Deadline"),
               t("Verkställt / återupptaget", "Executed / resumed"), t("Rapporterat tidigare", "Reported before")]
    rows = [[e.case_id, kind_label(e.kind), e.decision_date, e.interruption_date, e.intervention_type,
             basis_label(e.legal_basis), e.legal_basis_code, e.deadline, e.executed_date,
             ", ".join(e.earlier_quarters) or t("nej (verkställt sent under kvartalet)", "no (executed late "
                                                "during the quarter)")] for e in report.executed]
    _table(ws, headers, rows, [None, None, DATE, DATE, None, None, None, DATE, DATE, None],
           start_row=start, widths=[16, 22, 14, 12, 30, 9, 16, 12, 14, 30])
    _wrap(ws, start, (5, 10))


def _dropped_sheet(ws: Worksheet, report: QuarterReport) -> None:
    ws.title = t("Lämnat listan", "Left the list")
    start = _head(ws, report, t("På förra listan men varken kvar eller verkställda – kontrollera",
                                "On the last list but neither listed nor executed – check"))
    headers = [t("Ärende", "Case"), t("Slag", "Kind"), t("Beslut/avbrott", "Decision/interruption"),
               t("Senast rapporterat", "Last reported"), t("Varför", "Why")]
    rows = [[x.case_id, kind_label(x.kind), x.start_date, x.last_listed, why_label(x.why)] for x in report.dropped]
    _table(ws, headers, rows, [None, None, DATE, None, None], start_row=start, widths=[16, 22, 14, 14, 60])
    _wrap(ws, start, (5,))


def _unjudged_sheet(ws: Worksheet, report: QuarterReport) -> None:
    ws.title = t("Kan inte bedömas", "Cannot be judged")
    start = _head(ws, report, t("Beslut som inte kan bedömas – rätta uppgifterna i verksamhetssystemet",
                                "Decisions that cannot be judged – correct the data in the case system"))
    headers = [t("Rad i uttaget", "Row in the extract"), t("Ärende", "Case"), t("Slag", "Kind"),
               t("Problem", "Problem")]
    rows = [[u.row, u.case_id, kind_label(u.kind), u.problem] for u in report.unjudged]
    _table(ws, headers, rows, [INT, None, None, None], start_row=start, widths=[12, 16, 22, 60])
    _wrap(ws, start, (4,))


def _about_sheet(ws: Worksheet, report: QuarterReport) -> None:
    ws.title = t("Om listan", "About")
    items: list[tuple[str, Any]] = [
        (t("Kvartal", "Quarter"), report.quarter.label),
        (t("Per dag", "As of"), report.as_of),
        (t("Rapporteringsperiod hos IVO", "IVO's reporting window"), report.window.text()),
        (t("Framtagen", "Drawn up on"), report.produced_on),
        (t("Att rapportera", "To report"), len(report.listed)),
        (t("Verkställda att rapportera med datum", "Executed, to report with the date"), len(report.executed)),
        (t("Lämnat listan utan verkställighet", "Left the list without execution"), len(report.dropped)),
        (t("Kan inte bedömas", "Cannot be judged"), len(report.unjudged)),
        (t("Senaste tidigare lista", "Latest earlier list"), report.last_list or t("ingen", "none")),
        (t("Uttag", "Extract"), report.extract_name),
        (t("Rader i uttaget", "Rows in the extract"), report.extract_rows),
        (t("Uttagets fingeravtryck", "Extract fingerprint"), report.extract_fingerprint),
        (t("Programversion", "Tool version"), f"ivoaudit {report.tool_version}"),
    ]
    _put(ws, 1, 1, t("Om listan", "About the list")).font = Font(bold=True, size=14)
    for i, (key, value) in enumerate(items, start=3):
        _put(ws, i, 1, key).font = Font(bold=True)
        _put(ws, i, 2, value, DATE if isinstance(value, date) else None).alignment = Alignment(horizontal="left")
    row = len(items) + 4
    texts = [*(t("Varning: {w}", "Warning: {w}", w=w.text) for w in report.warnings), *(n.text for n in report.notes),
             _method_text()]
    for text in texts:
        cell = _put(ws, row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.row_dimensions[row].height = 15 * (1 + len(text) // 95)
        row += 1
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 70


def _method_text() -> str:
    return t(
        "Listan tas fram per kvartalets sista dag: bifallna beslut enligt SoL och LSS som inte verkställts "
        "inom tre månader från beslutsdagen, och avbrott som inte återupptagits inom tre månader (SoL 34 kap. "
        "1 §, LSS 28 f §). Månader räknas enligt lagen (1930:173) om beräkning av lagstadgad tid; en frist som "
        "slutar på en lördag, söndag eller helgdag flyttas till nästa vardag. Beslut enligt LVU och LVM ingår "
        "inte. Ett beslut rapporteras varje kvartal tills det verkställts, och verkställighetsdagen rapporteras "
        "då (SoL 34 kap. 2 §, LSS 28 g §). Samma lista lämnas till revisorerna.",
        "The list is drawn up as of the quarter's last day: granted SoL and LSS decisions not executed within "
        "three months of the decision, and interruptions not resumed within three months (SoL ch. 34 s. 1, LSS "
        "s. 28 f). Months are counted by the Act (1930:173) on computing statutory time; a deadline ending on a "
        "Saturday, Sunday or public holiday moves to the next weekday. Decisions under LVU and LVM are not "
        "included. A decision is reported each quarter until executed, and the execution date is reported then "
        "(SoL ch. 34 s. 2, LSS s. 28 g). The auditors get the same list.")


_TOP = Alignment(vertical="top")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _wrap(ws: Worksheet, start: int, columns: tuple[int, ...]) -> None:
    """Wrap the text of ``columns`` below the header at ``start``, and give every row the
    height its longest wrapped text needs (spreadsheets do not grow rows written by a program,
    so a wrapped line would otherwise print over the next row); the header gets two lines."""
    from openpyxl.utils import get_column_letter

    ws.row_dimensions[start].height = 30
    for cell in ws[start]:
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    chars = {c: max(1, int((ws.column_dimensions[get_column_letter(c)].width or 10) * 1.15)) for c in columns}
    for row in ws.iter_rows(min_row=start + 1):
        lines = 1
        for cell in row:
            if cell.column in chars:
                cell.alignment = _WRAP_TOP
                lines = max(lines, -(-len(str(cell.value or "")) // chars[cell.column]))
            else:
                cell.alignment = _TOP
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 13 * lines + 2


def write_list_xlsx(report: QuarterReport, path: str | Path, lang: str = "sv") -> Path:
    """The list as an Excel workbook, one sheet per section, printable on A4 landscape."""
    path = Path(path)
    with use_language(lang):
        wb = Workbook()
        _listed_sheet(wb.active, report)
        _executed_sheet(wb.create_sheet(), report)
        if report.dropped:
            _dropped_sheet(wb.create_sheet(), report)
        if report.unjudged:
            _unjudged_sheet(wb.create_sheet(), report)
        _about_sheet(wb.create_sheet(), report)
        for ws in wb.worksheets:
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        props = wb.properties
        props.creator = props.lastModifiedBy = "ivoaudit"
        props.title = t("Ej verkställda beslut {q}", "Decisions not executed {q}", q=report.quarter.label)
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return path


__all__ = ["CSV_COLUMNS", "SECTIONS", "list_rows", "write_list_csv", "write_list_xlsx"]
