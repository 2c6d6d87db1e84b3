"""Word report for the committee: title, summary, per-rule table, charts, method, references.

Written so an official can paste sections into a tjänsteskrivelse: plain styles, A4, table
header rows that repeat across pages, every chart followed by its caption.
"""

from __future__ import annotations

import io
from collections.abc import Container
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor

from ivoaudit.atomic import atomic_path
from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.charts import Chart, build_charts
from ivoaudit.report.headline import headline
from ivoaudit.report.legend import legend_lines
from ivoaudit.report.model import Report, records
from ivoaudit.report.safe import clean_text

LIGHT_RGB = {"green": "D7F0E8", "yellow": "FBECD0", "red": "F7DCCC"}
TABLE_FONT = Pt(8.5)


def _shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    props.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cell_text(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    """The cell's one paragraph holds ``text`` in one 8.5 pt run."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean_text(text))
    run.font.size = TABLE_FONT
    if bold:
        run.bold = True
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc, headers: list[str], rows: list[list[str]], numeric: Container[int] = frozenset(),
           widths: list[float] | None = None):
    # Each cell written once, in one pass (python-docx recomputes ``row.cells`` on every call).
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    column_widths = [Cm(w) for w in widths] if widths else None
    if column_widths:
        # Word reads the cell widths, LibreOffice the grid: set both.
        table.autofit = False
        for column, width in zip(table.columns, column_widths, strict=True):
            column.width = width
    header = table.rows[0]
    for i, (cell, h) in enumerate(zip(header.cells, headers, strict=True)):
        _cell_text(cell, h, bold=True)
        _shade(cell, "DCE6F0")
        if column_widths:
            cell.width = column_widths[i]
    _repeat_header(header)
    for row in rows:
        for i, (cell, value) in enumerate(zip(table.add_row().cells, row, strict=True)):
            _cell_text(cell, str(value), right=i in numeric)
            if column_widths:
                cell.width = column_widths[i]
    return table


def _figure(doc, chart: Chart, title: str | None = None) -> None:
    # The title stands above its chart, kept with it: a caption below read as the next
    # chart's title on paper.
    cap = doc.add_paragraph(title or chart.title)
    cap.style = doc.styles["Caption"]
    cap.paragraph_format.keep_with_next = True
    doc.add_picture(io.BytesIO(chart.png), width=Inches(min(6.3, chart.width_in)))
    # Word's own alt text ("descr") so screen readers read the chart's figures.
    inline = doc.paragraphs[-1].runs[-1]._r.findall(".//" + qn("wp:docPr"))
    for pr in inline:
        pr.set("descr", chart.alt)
        pr.set("title", chart.title)


def a4_page(doc, running_head: str | None = None, *, landscape: bool = False) -> None:
    """Every Word document's page: A4 (portrait or landscape), 2 cm margins, Calibri 11, and
    ``running_head`` in the page header."""
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    if running_head:
        section.header.paragraphs[0].text = running_head


def _front(doc, report: Report) -> None:
    """Page set-up, title, audience and date."""
    a4_page(doc, f"{report.title} · {report.as_of}")
    doc.add_heading(report.title, level=0)
    status = (t("Offentlig version – avidentifierad.", "Public version – de-identified.") if report.public
              else t("Intern – innehåller ärendeuppgifter (sekretess enligt OSL 26 kap.).",
                     "Internal – contains case data (confidential, OSL ch. 26)."))
    p = doc.add_paragraph()
    run = p.add_run(status)
    run.italic = True
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    doc.add_paragraph(t("Mätdatum: {d}. Underlag: {s}.", "Measured as of {d}. Source: {s}.",
                        d=report.as_of or "–", s=report.source_label))


def _summary(doc, report: Report, by_key: dict[str, Chart]) -> None:
    """Warnings first, then the summary, legend and the rules' tables."""
    if report.not_evaluable:
        doc.add_heading(t("Regler som inte kunde mätas", "Rules that could not be measured"), level=1)
        doc.add_paragraph(t("Uttaget saknar uppgifter som de här reglerna behöver. De är inte mätta – läs "
                            "dem inte som ”inga brister”.",
                            "The extract lacks what these rules need. They were not measured – do not "
                            "read them as “no failures”."))
        for item in report.not_evaluable:
            doc.add_paragraph(f"{item.id} {item.title}: {labels.not_evaluable_text(item)}",
                              style="List Bullet")
    if report.mostly_suppressed:
        doc.add_heading(t("Rapporten är till största delen skyddad", "Most of this report is protected"),
                        level=1)
        doc.add_paragraph(t("Underlaget är så litet att de flesta andelar visas som X. Välj en längre period "
                            "eller en bredare population (fler enheter eller områden).",
                            "The data are so few that most shares show as X. Choose a longer period or a "
                            "wider population (more units or areas)."))
    doc.add_heading(t("Sammanfattning", "Summary"), level=1)
    doc.add_paragraph(headline(report))
    for line in legend_lines(report):
        doc.add_paragraph(line, style="List Bullet")
    if "compliance" in by_key:
        _figure(doc, by_key["compliance"])

    for basis, rules in report.rules_by_basis():
        doc.add_heading(labels.basis_label(basis), level=2)
        headers = [t("Regel", "Rule"), t("Uppfyllda", "Pass"), t("Bedömda", "Assessed"),
                   t("Andel", "Share")]
        if report.is_sample:
            headers.append(t("95 % KI", "95% CI"))
        headers.append(t("Trafikljus", "Light"))
        rows = []
        for rule in rules:
            s = rule.share
            row = [f"{rule.id}\n{rule.title}" if rule.title != rule.id else rule.id,
                   labels.count(s.passed), labels.count(s.denominator),
                   labels.share_text(s)]
            if report.is_sample:
                row.append(f"{labels.pct(s.ci[0])}–{labels.pct(s.ci[1])}" if s.ci else "–")
            row.append(f"{labels.light_label(s.light)} ({labels.pct(rule.green)})")
            rows.append(row)
        rest = (17.0 - 6.0) / (len(headers) - 1)
        table = _table(doc, headers, rows, numeric={1, 2, 3}, widths=[6.0] + [rest] * (len(headers) - 1))
        for r_i, rule in enumerate(rules, start=1):
            fill = LIGHT_RGB.get(rule.share.light)
            if fill:
                _shade(table.rows[r_i].cells[len(headers) - 1], fill)


def _trend_and_breakdowns(doc, report: Report, by_key: dict[str, Chart]) -> None:
    """The trend and the breakdowns (transposed tables)."""
    doc.add_heading(t("Utveckling över jämförbara mätningar", "Compliance over comparable measurements"),
                    level=1)
    if "trend" in by_key:
        _figure(doc, by_key["trend"])
    else:
        doc.add_paragraph(t("Det finns bara en jämförbar mätning, så det finns ingen utveckling att visa ännu.",
                            "There is only one comparable measurement, so there is no trend to show yet."))

    for dim in ("unit", "sex", "age_group"):
        b = report.breakdown(dim)
        if b is None:
            continue
        doc.add_heading(f"{t('Efterlevnad', 'Compliance')} {b.title.lower()}", level=1)
        if f"breakdown-{dim}" in by_key:  # a caption that adds to the heading, not repeats it
            _figure(doc, by_key[f"breakdown-{dim}"], t("Andel uppfyllda per regel och grupp",
                                                        "Share compliant per rule and group"))
        _breakdown_tables(doc, b)


def _days_and_quality(doc, report: Report, charts: list[Chart]) -> None:
    """Days against the deadlines, data quality, reviewers' comments."""
    hists = [c for c in charts if c.key.startswith("hist-")]
    if hists:
        doc.add_heading(t("Dagar mot fristerna", "Days against the deadlines"), level=1)
        titles = {r.id: r.title for r in report.rules}
        for c in hists:
            _figure(doc, c, f"{c.title} – {titles.get(c.key[5:], '')}")
    if (without_bars := labels.histograms_without_bars(report)) is not None:
        if not hists:
            doc.add_heading(t("Dagar mot fristerna", "Days against the deadlines"), level=1)
        doc.add_paragraph(without_bars)

    doc.add_heading(t("Datakvalitet", "Data quality"), level=1)
    dq = report.data_quality
    doc.add_paragraph(t("Celler som inte kunde läsas: {p}. Rader som inte lästes in: {q}.",
                        "Cells that could not be read: {p}. Rows not loaded: {q}.",
                        p=labels.count(dq.problems_total), q=labels.count(dq.quarantined)))
    if dq.reviewed:  # a protected count shows as X, never as nothing
        doc.add_paragraph(t("Resultat som granskaren fann inte stämmer med akten: {n}.",
                            "Results the reviewer found do not match the case file: {n}.",
                            n=labels.count(dq.review_flags)))
    if dq.by_field and report.public:
        _table(doc, [t("Fält", "Field"), t("Antal", "Count")],
               [[label, labels.count(n)] for label, _, n in dq.by_field], numeric={1})
    elif dq.by_field:
        _table(doc, [t("Fält", "Field"), t("Kolumn i uttaget", "Column in the extract"), t("Antal", "Count")],
               [[label, column, labels.count(n)] for label, column, n in dq.by_field], numeric={2})
    if report.comments is not None and len(report.comments):
        doc.add_heading(t("Granskarens kommentarer", "Reviewer's comments"), level=1)
        _table(doc, [t("Ärende", "Case"), t("Enhet", "Unit"), t("Kommentar", "Comment")],
               [[c["case_id"], c["unit"] or "", c["comment"]] for c in records(report.comments)],
               widths=[3.3, 4.7, 9.0])  # "Familjehemsenheten" in one piece


def _method_and_references(doc, report: Report) -> None:
    """Method, sampling record, rules and legal references."""
    doc.add_heading(t("Metod och underlag", "Method and data"), level=1)
    for paragraph in report.method:
        doc.add_paragraph(paragraph)
    method = [(t("Mätdatum", "Measured as of"), report.as_of),
              (t("Rader i uttaget", "Rows in the extract"), report.extract_rows),
              (t("Uttagets fingeravtryck", "Extract fingerprint"), report.extract_fingerprint),
              (t("Checklistor", "Checklists"), ", ".join(f"{k} {v}" for k, v in report.checklists.items())),
              (t("Programversion", "Tool version"), f"ivoaudit {report.tool_version}")]
    # an item the source does not have (a round has no extract rows) is left out, as in HTML
    _table(doc, [t("Uppgift", "Item"), t("Värde", "Value")], [list(m) for m in method if m[1]])
    doc.add_heading(t("Stickprov", "Sampling record"), level=2)
    if report.sampling:
        _table(doc, [t("Uppgift", "Item"), t("Värde", "Value")], [list(kv) for kv in report.sampling])
    else:
        doc.add_paragraph(t("Inget stickprov: rapporten bygger på en kontroll av hela uttaget.",
                            "No sample: the report rests on a check of the whole extract."))

    doc.add_heading(t("Regler och lagrum", "Rules and legal references"), level=1)
    _table(doc, [t("Regel", "Rule"), t("Grund", "Basis"), t("Lagrum och källor", "Legal references")],
           [[f"{r.id}\n{r.title}" if r.title != r.id else r.id, labels.basis_label(r.basis),
             "; ".join(r.references) or "–"] for r in report.rules], widths=[6.5, 3.0, 7.5])


def _properties(doc, report: Report) -> None:
    """Core properties: no user name, nothing from the extract; dates from the measurement."""
    cp = doc.core_properties
    cp.author = "ivoaudit"
    cp.last_modified_by = "ivoaudit"
    cp.title = report.title
    cp.subject = t("Egenkontroll", "Self-review")
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    try:
        stamp = datetime.fromisoformat(report.as_of) if report.as_of else datetime(2000, 1, 1)
    except ValueError:
        stamp = datetime(2000, 1, 1)
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp


def write_docx(report: Report, path: str | Path, charts: list[Chart] | None = None) -> Path:
    """Write the Word document to ``path`` (whole or not at all)."""
    path = Path(path)
    if charts is None:
        charts = build_charts(report)
    by_key = {c.key: c for c in charts}
    with use_language(report.lang):
        doc = Document()
        _front(doc, report)
        _summary(doc, report, by_key)
        _trend_and_breakdowns(doc, report, by_key)
        _days_and_quality(doc, report, charts)
        _method_and_references(doc, report)
        _properties(doc, report)
        with atomic_path(path) as tmp:
            doc.save(str(tmp))
    return path


GROUPS_PER_TABLE = 5  # a portrait A4 page holds the rule column and five groups


def _breakdown_tables(doc, b) -> None:
    """A breakdown transposed (rules as rows, groups as columns), five groups per table, so
    a table never has more columns than a portrait A4 page can hold."""
    for part in labels.even_chunks(tuple(b.groups), GROUPS_PER_TABLE):
        rows = []
        for rid in b.rules:
            row = [rid]
            for g in part:
                s = b.cells.get((g, rid))
                row.append("–" if s is None else f"{labels.share_text(s)} ({labels.count(s.passed)}/"
                                                  f"{labels.count(s.denominator)})")
            rows.append(row)
        rest = (17.0 - 4.0) / len(part)
        _table(doc, [t("Regel", "Rule"), *part], rows, numeric=set(range(1, len(part) + 1)),
               widths=[4.0] + [rest] * len(part))
