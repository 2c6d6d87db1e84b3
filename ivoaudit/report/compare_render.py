"""The regional comparison rendered: HTML (one file, A4), Excel (an overview and one row per figure), Word.

Formats :class:`~ivoaudit.tracking.compare.Comparison` only: a figure a municipality
suppressed shows as X, a rule it did not measure as "ej mätt", and none is worked out here.
Municipality labels and rule titles come from the inputs (file names or NAME=FILE); they
are escaped in HTML and written formula-safe in Excel.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ivoaudit.atomic import atomic_path, make_dir, write_text
from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.html import environment
from ivoaudit.report.sheets import INT, PCT
from ivoaudit.report.sheets import put as _put
from ivoaudit.report.sheets import table as _table
from ivoaudit.tracking.compare import ComparableGroup, Comparison, Figure, RuleComparison
from ivoaudit.version import __version__


def state_text(f: Figure) -> str:
    """What stands in for a share that is not shown."""
    return {"suppressed": labels.SUPPRESSED_MARK, "no_cases": t("inga bedömda", "none assessed"),
            "not_measured": t("ej mätt", "not measured"), "absent": t("regeln saknas", "rule not included")
            }.get(f.state, "–")


def state_word(f: Figure) -> str:
    """The figure's state in words (the Excel sheet's last column)."""
    return {"shown": t("visas", "shown"), "suppressed": t("skyddad", "protected"),
            "no_cases": t("inga bedömda", "none assessed"), "not_measured": t("ej mätt", "not measured"),
            "absent": t("regeln saknas", "rule not included")}[f.state]


def share_text(f: Figure | None) -> str:
    if f is None:
        return "–"
    return labels.pct(f.rate) if f.state == "shown" else state_text(f)


def ci_text(f: Figure) -> str:
    if f.ci is None:
        return labels.SUPPRESSED_MARK if f.state == "suppressed" else "–"
    return f"{labels.pct(f.ci[0])}–{labels.pct(f.ci[1])}"


def versus_text(f: Figure) -> str:
    return {"above": t("högre", "higher"), "below": t("lägre", "lower")}.get(f.versus_region or "", "")


def _bar(f: Figure, region: Figure | None) -> Markup:
    """An inline SVG: the interval as a line, the share as a dot, the region as a dashed line."""
    if f.state != "shown" or f.rate is None or f.ci is None:
        return Markup("")
    w, h = 160, 14

    def x(v: float) -> float:
        return round(4 + v * (w - 8), 1)

    parts = [f'<svg class="ci" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="{labels.pct(f.ci[0])}–{labels.pct(f.ci[1])}">',
             f'<line x1="4" y1="{h / 2}" x2="{w - 4}" y2="{h / 2}" stroke="#ddd" stroke-width="1"/>',
             *(f'<line x1="{x(v)}" y1="{h / 2 - 3}" x2="{x(v)}" y2="{h / 2 + 3}" stroke="#bbb"/>'
               for v in (0.0, 0.5, 1.0))]
    if region is not None and region.rate is not None:
        parts.append(f'<line x1="{x(region.rate)}" y1="1" x2="{x(region.rate)}" y2="{h - 1}" stroke="#888" '
                     'stroke-dasharray="2,2"/>')
    parts.append(f'<line x1="{x(f.ci[0])}" y1="{h / 2}" x2="{x(f.ci[1])}" y2="{h / 2}" stroke="#0072B2" '
                 'stroke-width="2"/>')
    parts.append(f'<circle cx="{x(f.rate)}" cy="{h / 2}" r="3.5" fill="#0072B2"/></svg>')
    return Markup("".join(parts))


def describe_group(g: ComparableGroup) -> str:
    lists = ", ".join(f"{k} {v}" for k, v in sorted(g.checklists.items())) or "–"
    kind = t("stickprov", "samples") if g.is_sample else t("hela uttag", "whole extracts")
    return t("mätdatum {d}, checklistor {c}, {k}", "measured as of {d}, checklists {c}, {k}",
             d=g.as_of or "–", c=lists, k=kind)


def _figure(rule: RuleComparison, label: str) -> Figure:
    return next(f for f in rule.figures if f.label == label)


def title_text() -> str:
    return t("Regional jämförelse av egenkontrollen", "Regional comparison of the self-audits")


def render_compare_html(c: Comparison, lang: str = "sv") -> str:
    """The comparison as one HTML document."""
    with use_language(lang):
        env = environment()
        template = env.get_template("compare.html.j2")
        return template.render(
            c=c, lang=lang, title=title_text(), version=__version__,
            min_count=min((i.min_count for i in c.inputs if i.min_count is not None), default=5),
            describe=describe_group, figure=_figure, share=share_text, ci=ci_text, versus=versus_text, bar=_bar,
            lists=lambda d: ", ".join(f"{k} {v}" for k, v in sorted(d.items())) or "–")


def write_compare_html(c: Comparison, path: str | Path, lang: str = "sv") -> Path:
    path = Path(path)
    write_text(path, render_compare_html(c, lang))
    return path


def _value(f: Figure | None) -> object:
    """A share as a number Excel can format; a missing one as its text."""
    if f is None:
        return "–"
    return f.rate if f.state == "shown" else state_text(f)


def write_compare_xlsx(c: Comparison, path: str | Path, lang: str = "sv") -> Path:
    """Sheets: an overview (rules × municipalities), every figure as a row, and the sources."""
    path = Path(path)
    with use_language(lang):
        wb = Workbook()
        ws = wb.active
        ws.title = t("Översikt", "Overview")
        _put(ws, 1, 1, title_text()).font = Font(bold=True, size=14)
        _put(ws, 2, 1, t("X = skyddad uppgift i kommunens sammanställning; den räknas aldrig fram här.",
                         "X = a figure protected in the municipality's summary; it is never worked out here."))
        row = 4
        for w in c.warnings:
            _put(ws, row, 1, w).font = Font(bold=True, color="9C2A00")
            row += 1
        for i, g in enumerate(c.groups, start=1):
            _put(ws, row, 1, t("Grupp {i}: {d}", "Group {i}: {d}", i=i, d=describe_group(g))).font = Font(bold=True)
            headers = [t("Regel", "Rule"), t("Benämning", "Title"), *g.labels, t("Regionen", "The region")]
            rows = [[r.rule_id, r.title, *(_value(_figure(r, label)) for label in g.labels), _value(r.region)]
                    for r in g.rules]
            _table(ws, headers, rows, [None, None, *[PCT] * (len(g.labels) + 1)], start_row=row + 1,
                   widths=[24, 44, *[13] * (len(g.labels) + 1)])
            for r_cells in ws.iter_rows(min_row=row + 2, max_row=row + 1 + len(rows), min_col=3):
                for cell in r_cells:
                    cell.alignment = Alignment(horizontal="right")
            row += len(rows) + 3
        ws.auto_filter.ref = None
        _rows_sheet(wb.create_sheet(), c)
        _sources_sheet(wb.create_sheet(), c)
        for sheet in wb.worksheets:
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
        wb.properties.creator = wb.properties.lastModifiedBy = "ivoaudit"
        wb.properties.title = title_text()
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return path


def _rows_sheet(ws, c: Comparison) -> None:
    ws.title = t("Alla tal", "All figures")
    headers = [t("Grupp", "Group"), t("Regel", "Rule"), t("Benämning", "Title"), t("Rang", "Rank"),
               t("Kommun", "Municipality"), t("Uppfyllda", "Pass"), t("Bedömda", "Assessed"), t("Andel", "Share"),
               t("KI 95 % nedre", "CI 95% low"), t("KI 95 % övre", "CI 95% high"),
               t("Mot regionen", "Against the region"), t("Status", "State")]
    rows = []
    for i, g in enumerate(c.groups, start=1):
        for r in g.rules:
            figures = [*r.figures, *([r.region] if r.region else [])]
            for f in figures:
                is_region = f is r.region
                rows.append([i, r.rule_id, r.title, f.rank, f.label + (f" ({r.pooled})" if is_region else ""),
                             f.passed if f.passed is not None else _mark(f), f.denominator
                             if f.denominator is not None else _mark(f), _value(f),
                             f.ci[0] if f.ci else None, f.ci[1] if f.ci else None, versus_text(f),
                             t("regionen", "the region") if is_region else state_word(f)])
    _table(ws, headers, rows, [INT, None, None, INT, None, INT, INT, PCT, PCT, PCT, None, None],
           widths=[8, 24, 40, 7, 20, 10, 10, 9, 12, 12, 13, 16])
    ws.row_dimensions[1].height = 30
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for r_cells in ws.iter_rows(min_row=2, min_col=6, max_col=10):
        for cell in r_cells:
            cell.alignment = Alignment(horizontal="right")


def _mark(f: Figure) -> str:
    return labels.SUPPRESSED_MARK if f.state == "suppressed" else "–"


def _sources_sheet(ws, c: Comparison) -> None:
    ws.title = t("Underlag", "Sources")
    headers = [t("Kommun", "Municipality"), t("Fil", "File"), t("Mätdatum", "Measured as of"),
               t("Checklistor", "Checklists"), t("Stickprov", "Sample"), t("Skyddsgräns", "Protection limit"),
               "ivoaudit"]
    rows = [[i.label, i.file, i.as_of, ", ".join(f"{k} {v}" for k, v in sorted(i.checklists.items())),
             t("ja", "yes") if i.is_sample else t("nej", "no"), i.min_count, i.tool_version] for i in c.inputs]
    _table(ws, headers, rows, [None, None, None, None, None, INT, None], widths=[20, 30, 14, 40, 10, 12, 10])


def write_compare_docx(c: Comparison, path: str | Path, lang: str = "sv") -> Path:
    """The comparison as a Word document (A4): the overview, then each rule's ranked table."""
    from docx import Document

    from ivoaudit.report.docx import a4_page

    path = Path(path)
    with use_language(lang):
        doc = Document()
        a4_page(doc)
        doc.add_heading(title_text(), level=0)
        for w in c.warnings:
            doc.add_paragraph().add_run(t("Observera: {w}", "Note: {w}", w=w)).bold = True
        doc.add_paragraph(t(
            "Andel uppfyllda = uppfyllda / bedömda, med 95 % konfidensintervall (Wilson). X är en uppgift som "
            "kommunen själv skyddat; den räknas aldrig fram här. Regionen är de visade talen sammanlagda.",
            "Share compliant = pass / assessed, with a 95% confidence interval (Wilson). X is a figure the "
            "municipality itself protected; it is never worked out here. The region is the shown figures "
            "added up."))
        for i, g in enumerate(c.groups, start=1):
            _docx_group(doc, i, g)
        _docx_properties(doc, c)
        with atomic_path(path) as tmp:
            doc.save(str(tmp))
    return path


def _docx_group(doc, i: int, g: ComparableGroup) -> None:
    """One comparable group: the share per municipality and rule, then each rule ranked."""
    from ivoaudit.report.docx import _table as docx_table

    doc.add_heading(t("Grupp {i}: {d}", "Group {i}: {d}", i=i, d=describe_group(g)), level=1)
    widths = [5.4, *[11.6 / (len(g.labels) + 1)] * (len(g.labels) + 1)]
    docx_table(doc, [t("Regel", "Rule"), *g.labels, t("Regionen", "The region")],
               [[r.rule_id, *(share_text(_figure(r, label)) for label in g.labels), share_text(r.region)]
                for r in g.rules], numeric=set(range(1, len(g.labels) + 2)), widths=widths)
    for r in (r for r in g.rules if r.region is not None):
        _docx_ranked_rule(doc, r)


def _docx_ranked_rule(doc, r: RuleComparison) -> None:
    """A rule's municipalities in rank order, the region's pooled figure last, in bold."""
    from ivoaudit.report.docx import _table as docx_table

    doc.add_heading(f"{r.rule_id} {r.title}", level=2)
    rows = [[str(f.rank or "–"), f.label, labels.count(f.passed) if f.state != "absent" else "–",
             labels.count(f.denominator) if f.state != "absent" else "–", share_text(f), ci_text(f),
             versus_text(f)] for f in r.figures]
    assert r.region is not None
    rows.append(["", t("Regionen ({n} av {m})", "The region ({n} of {m})", n=r.pooled,
                       m=len(r.figures)), labels.count(r.region.passed),
                 labels.count(r.region.denominator), share_text(r.region), ci_text(r.region), ""])
    made = docx_table(doc, [t("Rang", "Rank"), t("Kommun", "Municipality"), t("Uppfyllda", "Pass"),
                            t("Bedömda", "Assessed"), t("Andel", "Share"), t("95 % KI", "95% CI"),
                            t("Mot regionen", "vs. region")], rows, numeric={0, 2, 3, 4, 5},
                      widths=[1.3, 4.2, 2.2, 2.2, 1.9, 3.0, 2.2])
    for cell in made.rows[-1].cells:
        for run in (r for p in cell.paragraphs for r in p.runs):
            run.bold = True


def _docx_properties(doc, c: Comparison) -> None:
    """The file's properties, dated by the latest input (the same comparison gives the same file)."""
    from datetime import datetime

    cp = doc.core_properties
    cp.author = cp.last_modified_by = "ivoaudit"
    cp.title = title_text()
    cp.comments = cp.keywords = cp.category = ""
    stamp = datetime(2000, 1, 1)
    for item in c.inputs:
        if item.as_of:
            stamp = max(stamp, datetime.fromisoformat(item.as_of))
    cp.created = cp.modified = cp.last_printed = stamp


def write_compare_files(c: Comparison, out_dir: str | Path, lang: str = "sv") -> dict[str, Path]:
    """``comparison-<lang>.html``, ``.xlsx`` and ``.docx`` in ``out_dir``."""
    out = make_dir(out_dir)
    return {"html": write_compare_html(c, out / f"comparison-{lang}.html", lang),
            "xlsx": write_compare_xlsx(c, out / f"comparison-{lang}.xlsx", lang),
            "docx": write_compare_docx(c, out / f"comparison-{lang}.docx", lang)}


__all__ = ["ci_text", "describe_group", "render_compare_html", "share_text", "state_text", "state_word", "write_compare_files",
           "write_compare_docx", "write_compare_html", "write_compare_xlsx"]
