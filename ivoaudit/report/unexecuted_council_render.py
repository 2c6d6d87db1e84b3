"""The council report rendered: HTML (one self-contained file), Word and Excel, all on A4.

Renderers only format :class:`~ivoaudit.report.unexecuted_council.CouncilReport`; every figure
is already suppressed there. A suppressed figure shows as X, a missing comparison as –.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ivoaudit.atomic import atomic_path, write_text
from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.docx import _table as docx_table
from ivoaudit.report.docx import a4_page
from ivoaudit.report.html import environment
from ivoaudit.report.sheets import INT
from ivoaudit.report.sheets import put as _put
from ivoaudit.report.sheets import table as _table
from ivoaudit.report.unexecuted_council import CouncilReport, CouncilRow


def previous_text(row: CouncilRow) -> str:
    """The previous quarter's figure: a number, X (suppressed) or – (nothing to compare)."""
    if row.previous is not None:
        return labels.count(row.previous)
    return labels.SUPPRESSED_MARK if row.previous_hidden else "–"


def change_text(row: CouncilRow) -> str:
    """+29, −1, 0; X when a figure it rests on is suppressed; – when there is nothing to compare."""
    if row.change is None:
        return labels.SUPPRESSED_MARK if row.change_hidden else "–"
    if row.change > 0:
        return f"+{labels.count(row.change)}"
    return f"−{labels.count(-row.change)}" if row.change < 0 else "0"


def summary_text(c: CouncilReport) -> str:
    """The report's opening sentence(s), with suppressed figures as X."""
    kinds = {t.dimension: t for t in c.tables}["kind"].rows
    text = t("Den {d} fanns {n} gynnande beslut som inte verkställts inom tre månader, varav {k} där "
             "verkställigheten avbrutits.",
             "On {d} there were {n} granted decisions not executed within three months, {k} of them with the "
             "execution interrupted.", d=c.as_of_text, n=labels.count(c.total.current),
             k=labels.count(kinds[1].current))
    if c.total.previous is not None:
        text += " " + t("Vid förra kvartalets slut ({p}) var de {m} (förändring {ch}).",
                        "At the end of the previous quarter ({p}) there were {m} (change {ch}).",
                        p=c.previous_quarter, m=labels.count(c.total.previous), ch=change_text(c.total))
    return text


def table_note(c: CouncilReport, dimension: str) -> str:
    """The small print under a statistics table (empty when it needs none)."""
    if dimension == "waited":
        return t("Tid från beslutet (eller avbrottet) till kvartalets sista dag, i kalendermånader: 6–12 betyder "
                 "mer än sex och högst tolv månader.",
                 "Time from the decision (or the interruption) to the quarter's last day, in calendar months: "
                 "6–12 means more than six and at most twelve months.")
    if dimension == "intervention_type":
        return t("Insatser med färre än {m} beslut redovisas tillsammans som övriga insatser.",
                 "Interventions with fewer than {m} decisions are counted together as other interventions.",
                 m=c.min_count)
    return ""


def render_council_html(c: CouncilReport) -> str:
    """The council report as one HTML document."""
    with use_language(c.lang):
        env = environment()
        env.filters.update(prev=previous_text, change=change_text)
        template = env.get_template("unexecuted_council.html.j2")
        return template.render(c=c, summary=summary_text(c), note=lambda dim: table_note(c, dim))


def write_council_html(c: CouncilReport, path: str | Path) -> Path:
    path = Path(path)
    write_text(path, render_council_html(c))
    return path


def _rows(c: CouncilReport, table) -> list[list[str]]:
    body = [[r.label, labels.count(r.current), previous_text(r), change_text(r)] for r in table.rows]
    return [*body, [c.total.label, labels.count(c.total.current), previous_text(c.total), change_text(c.total)]]


def write_council_docx(c: CouncilReport, path: str | Path) -> Path:
    """The council report as a Word document (A4), ready to attach to a tjänsteskrivelse."""
    path = Path(path)
    with use_language(c.lang):
        doc = Document()
        a4_page(doc, f"{c.title} · {c.as_of}")
        _docx_intro(doc, c)
        for table in c.tables:
            _docx_count_table(doc, c, table)
        _docx_executed_and_method(doc, c)
        _docx_properties(doc, c)
        with atomic_path(path) as tmp:
            doc.save(str(tmp))
    return path




def _docx_intro(doc, c: CouncilReport) -> None:
    """Title, public-version mark, warnings, summary, what is covered and what X and – mean."""
    doc.add_heading(c.title, level=0)
    run = doc.add_paragraph().add_run(t("Offentlig version – avidentifierad.", "Public version – de-identified."))
    run.italic = True
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    for w in c.warnings:
        doc.add_paragraph().add_run(t("Observera: {w}", "Note: {w}", w=w)).bold = True
    doc.add_paragraph(summary_text(c))
    doc.add_paragraph(t(
        "Rapporten redovisar gynnande beslut enligt SoL och LSS som inte verkställts inom tre månader från "
        "beslutsdagen, och beslut där verkställigheten avbrutits och inte återupptagits inom tre månader "
        "(SoL 34 kap. 3 §, LSS 28 h §). Beslut enligt LVU och LVM ingår inte.",
        "The report covers granted SoL and LSS decisions not executed within three months of the decision, "
        "and decisions whose execution was interrupted and not resumed within three months (SoL ch. 34 "
        "s. 3, LSS s. 28 h). Decisions under LVU and LVM are not included."))
    doc.add_paragraph(t(
        "Uppgifter om färre än {m} beslut visas som X, liksom uppgifter som annars skulle kunna räknas fram "
        "ur summor (OSL 26 kap. 1 §). – betyder att uppgiften inte finns att jämföra.",
        "Figures about fewer than {m} decisions show as X, as do figures that could otherwise be worked out "
        "from totals (OSL ch. 26 s. 1). – means there is no figure to compare with.", m=c.min_count))


def _docx_count_table(doc, c: CouncilReport, table) -> None:
    """One dimension's table: this quarter, the previous one and the change, total row in bold."""
    doc.add_heading(table.title, level=1)
    made = docx_table(doc, [table.title, c.quarter, c.previous_quarter, t("Förändring", "Change")],
                      _rows(c, table), numeric={1, 2, 3}, widths=[8.5, 2.8, 2.8, 2.9])
    for cell in made.rows[-1].cells:
        for p in cell.paragraphs:
            for r in p.runs:
                r.bold = True
    for cell in made.rows[0].cells[1:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table_note(c, table.dimension):
        doc.add_paragraph(table_note(c, table.dimension)).runs[0].font.size = Pt(9)


def _docx_executed_and_method(doc, c: CouncilReport) -> None:
    doc.add_heading(t("Verkställda och ej bedömbara beslut", "Executed and not judgeable decisions"), level=1)
    docx_table(doc, [t("Uppgift", "Item"), t("Antal", "Count")], [
        [t("Beslut som verkställts efter mer än tre månader och vars verkställighetsdag rapporteras till IVO "
           "för kvartalet", "Decisions executed after more than three months whose execution date is "
           "reported to IVO for the quarter"), labels.count(c.executed)],
        [t("Beslut som inte kunde bedömas ur verksamhetssystemets uppgifter",
           "Decisions that could not be judged from the case system's data"), labels.count(c.unjudged)]],
        numeric={1}, widths=[14.0, 3.0])
    doc.add_heading(t("Metod", "Method"), level=1)
    doc.add_paragraph(t(
        "Uppgifterna avser läget den {d}. Tre månader räknas enligt lagen (1930:173) om beräkning av "
        "lagstadgad tid; en frist som slutar på en lördag, söndag eller helgdag flyttas till nästa vardag. "
        "Tid sedan beslutet räknas i kalendermånader till kvartalets sista dag.",
        "The figures are as of {d}. Three months are counted by the Act (1930:173) on computing statutory "
        "time; a deadline ending on a Saturday, Sunday or public holiday moves to the next weekday. Time "
        "since the decision is counted in calendar months to the quarter's last day.", d=c.as_of_text)
        + " " + c.previous_note)


def _docx_properties(doc, c: CouncilReport) -> None:
    """The file's properties: ivoaudit as author, every date the report's as-of day (the same
    report gives the same file)."""
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "ivoaudit"
    cp.title = c.title
    cp.subject = t("Ej verkställda beslut", "Decisions not executed")
    cp.comments = cp.keywords = cp.category = ""
    stamp = datetime.fromisoformat(c.as_of)
    cp.created = cp.modified = cp.last_printed = stamp


def write_council_xlsx(c: CouncilReport, path: str | Path) -> Path:
    """The council report's tables as an Excel workbook (suppressed figures as X)."""
    path = Path(path)
    with use_language(c.lang):
        wb = Workbook()
        ws = wb.active
        ws.title = t("Statistik", "Statistics")
        _put(ws, 1, 1, c.title).font = Font(bold=True, size=14)
        _put(ws, 2, 1, t("Offentlig version – avidentifierad. Läget den {d}.", "Public version – de-identified. "
                         "As of {d}.", d=c.as_of_text)).font = Font(italic=True)
        _put(ws, 3, 1, t("X = färre än {m} beslut, eller skulle kunna räknas fram ur summor; – = inget att jämföra "
                         "med.", "X = fewer than {m} decisions, or could be worked out from totals; – = nothing to "
                         "compare with.", m=c.min_count))
        row = 5
        for w in c.warnings:
            _put(ws, row - 1, 1, t("Observera: {w}", "Note: {w}", w=w)).font = Font(bold=True, color="9C2A00")
            row += 1
        for table in c.tables:
            rows = [[r[0], _cell(r[1]), _cell(r[2]), r[3]] for r in _rows(c, table)]
            _table(ws, [table.title, c.quarter, c.previous_quarter, t("Förändring", "Change")], rows,
                   [None, INT, INT, None], start_row=row, widths=[44, 12, 12, 12])
            for cell in ws[row + len(rows)]:
                cell.font = Font(bold=True)
            for r_cells in ws.iter_rows(min_row=row + 1, max_row=row + len(rows), min_col=2, max_col=4):
                for cell in r_cells:
                    cell.alignment = Alignment(horizontal="right")
            row += len(rows) + 2
        extra = [[t("Verkställda efter mer än tre månader; datumet rapporteras för kvartalet",
                    "Executed after more than three months; the date is reported for the quarter"),
                  _cell(labels.count(c.executed))],
                 [t("Kunde inte bedömas ur verksamhetssystemets uppgifter",
                    "Could not be judged from the case system's data"), _cell(labels.count(c.unjudged))]]
        _table(ws, [t("Övrigt", "Other figures"), t("Antal", "Count")], extra, [None, INT], start_row=row,
               widths=[44, 12, 12, 12])
        for r_cells in ws.iter_rows(min_row=row + 1, max_row=row + 2, min_col=1, max_col=2):
            r_cells[0].alignment = Alignment(wrap_text=True, vertical="top")
            r_cells[1].alignment = Alignment(horizontal="right", vertical="top")
            ws.row_dimensions[r_cells[0].row].height = 28
        row += 4
        _put(ws, row, 1, c.previous_note).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 44
        ws.freeze_panes = None
        ws.auto_filter.ref = None
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        wb.properties.creator = wb.properties.lastModifiedBy = "ivoaudit"
        wb.properties.title = c.title
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return path


def _cell(text: str) -> int | str:
    """A shown count as a number (so Excel can sum it), X and – as text."""
    digits = text.replace("\u00a0", "")
    return int(digits) if digits.isdigit() else text


__all__ = ["change_text", "previous_text", "render_council_html", "summary_text", "table_note", "write_council_docx",
           "write_council_html", "write_council_xlsx"]
