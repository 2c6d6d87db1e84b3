"""Re-read outputs: every format shows the same figures, Excel is safe and usable."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from conftest import FORMULA_NOTE, NOTE_SECRET, write_results_dir
from docx import Document

from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports


def _generate(results_dir, tmp_path, audience, lang="sv"):
    out = tmp_path / f"out-{audience}-{lang}"
    return generate_reports(ResultsDirSource(results_dir), ReportOptions(audience=audience, lang=lang),
                            ["html", "xlsx", "docx", "json"], out)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The four formats of the fixture's reports, each (audience, language) built once for the
    module: the tests below only read them. A test that changes the results folder first
    (``results_dir``) builds its own."""
    folder = tmp_path_factory.mktemp("report-outputs")
    write_results_dir(folder / "check-out")
    built = {}

    def get(audience, lang="sv"):
        if (audience, lang) not in built:
            built[audience, lang] = _generate(folder / "check-out", folder, audience, lang)
        return built[audience, lang]

    return get


def _docx_rule_rows(path):
    doc = Document(str(path))
    rows = {}
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:4] in (["Regel", "Uppfyllda", "Bedömda", "Andel"], ["Rule", "Pass", "Assessed", "Share"]):
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                rows[cells[0].split("\n")[0]] = cells[1:4]
    return rows


def _xlsx_rule_rows(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows, header_row = {}, None
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if values and values[0] in ("Regel", "Rule"):
            header_row = row[0].row
            continue
        if header_row and values[0]:
            rows[values[0]] = (values[3], values[4], values[5], row[5].number_format)
    return rows


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_same_figures_in_html_excel_word_and_json(reports, audience):
    result = reports(audience)
    files = result.files
    html = files["html"].read_text(encoding="utf-8")
    xlsx = _xlsx_rule_rows(files["xlsx"])
    docx = _docx_rule_rows(files["docx"])
    summary = json.loads(files["json"].read_text(encoding="utf-8"))
    js = {r["id"]: r for r in summary["rules"]}
    # Ground truth written by hand for the fixture (public: see test_suppression).
    expected = {"BU-FORHAND-14D": (33, 40, 0.825, "82 %"), "BU-UTR-4M": (18, 30, 0.6, "60 %"),
                "BU-BARN-ASIKT": (29, 30, 29 / 30, "97 %")}
    if audience == "public":
        expected["BU-BARN-ASIKT"] = (None, 30, None, "X")
    for rid, (p, d, rate, shown) in expected.items():
        xp, xd, xr, fmt = xlsx[rid]
        assert xp == (p if p is not None else "X") and xd == d
        assert (xr == pytest.approx(rate)) if rate is not None else xr == "X"
        assert fmt == "0.0%"
        assert docx[rid] == [str(p) if p is not None else "X", str(d), shown]
        # JSON is always the public summary
        jp = js[rid]
        if rid != "BU-BARN-ASIKT":
            assert (jp["pass"], jp["denominator"]) == (p, d) and jp["compliance"] == pytest.approx(rate, abs=1e-4)
        else:
            assert jp["pass"] is None and jp["compliance"] is None and jp["denominator"] == 30
        row = re.search(rf'<strong class="rid">{rid}</strong>.*?</tr>', html, re.S).group(0)
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert cells[:3] == [str(p) if p is not None else "X", str(d), shown]


def test_excel_sheets_headers_and_formats(reports):
    files = reports("internal").files
    wb = openpyxl.load_workbook(files["xlsx"])
    assert wb.sheetnames == ["Sammanfattning", "Förklaring", "Regler", "Per enhet", "Per handläggare", "Efter kön",
                             "Efter åldersgrupp", "Avvikelser", "Datakvalitet"]
    dev = wb["Avvikelser"]
    assert dev.freeze_panes == "B2" and dev.auto_filter.ref.startswith("A1:L")
    assert dev.max_row == 1 + 20
    assert dev["G2"].number_format == "yyyy-mm-dd" and dev["G2"].is_date
    rules = wb["Regler"]
    assert rules["K1"].value == "Andel" and rules["K2"].number_format == "0.0%"
    assert wb.properties.creator == "ivoaudit" and wb.properties.lastModifiedBy == "ivoaudit"


def test_excel_never_writes_extract_text_as_formula(reports):
    files = reports("internal").files
    wb = openpyxl.load_workbook(files["xlsx"])
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"
                if cell.value in ("'" + FORMULA_NOTE, "'=SUM(A1:A9)"):
                    found.append(cell)
    # the texts are there, as text with the neutralising apostrophe in the value itself, so
    # they stay inert when the sheet is saved as CSV (the quotePrefix style would not)
    assert len(found) == 2
    assert all(c.data_type == "s" for c in found)
    # and in the raw XML there is no <f> element at all
    import zipfile

    with zipfile.ZipFile(files["xlsx"]) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")


def test_public_excel_has_no_deviation_or_caseworker_sheet(reports):
    files = reports("public").files
    wb = openpyxl.load_workbook(files["xlsx"])
    assert "Avvikelser" not in wb.sheetnames and "Per handläggare" not in wb.sheetnames
    assert {"Sammanfattning", "Regler", "Datakvalitet"} <= set(wb.sheetnames)


def test_word_document_sections_and_properties(reports):
    files = reports("public").files
    doc = Document(str(files["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    for wanted in ("Sammanfattning", "Lagkrav", "Metod och underlag", "Stickprov", "Regler och lagrum",
                   "Datakvalitet"):
        assert wanted in headings
    assert len(doc.inline_shapes) >= 2  # charts
    cp = doc.core_properties
    assert cp.author == "ivoaudit" and cp.last_modified_by == "ivoaudit"
    assert doc.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)


def test_english_outputs_are_english_throughout(reports):
    files = reports("internal", lang="en").files
    html = files["html"].read_text(encoding="utf-8")
    assert 'lang="en"' in html and "Summary" in html and "Sammanfattning" not in html
    for swedish in ("Uppfyllda", "Avvikelser", "Datakvalitet", "Handläggare", "frist "):
        assert swedish not in html
    wb = openpyxl.load_workbook(files["xlsx"])
    assert wb.sheetnames[0] == "Summary" and "Deviations" in wb.sheetnames
    text = "\n".join(p.text for p in Document(str(files["docx"])).paragraphs)
    assert "Summary" in text and "Sammanfattning" not in text


def test_internal_html_caps_rows_and_shows_deviations(reports):
    html = reports("internal").files["html"].read_text(encoding="utf-8")
    assert "ÄR-00028-QZ" in html and NOTE_SECRET in html
    assert "Olle Zetterlund" in html
    assert "Det finns bara en jämförbar mätning" in html  # one trend point, said so


def test_html_is_self_contained(reports):
    html = reports("public").files["html"].read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@page" in html and 'scope="col"' in html and 'scope="row"' in html
    imgs = re.findall(r"<img [^>]*>", html)
    assert imgs and all('src="data:image/png;base64,' in i and 'alt="' in i for i in imgs)


def test_user_template_overrides_the_builtin(results_dir, tmp_path):
    from ivoaudit.report import build_report
    from ivoaudit.report.html import render_html

    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "report.html.j2").write_text("<p>{{ r.title }} {{ '<b>' }}</p>", encoding="utf-8")
    out = render_html(build_report(ResultsDirSource(results_dir)), charts=[], template_dir=custom)
    assert out == "<p>Egenkontroll av ärendehandläggning &lt;b&gt;</p>"  # autoescape on


def test_a_run_that_stops_half_way_leaves_no_earlier_file_beside_new_ones(results_dir, tmp_path, monkeypatch):
    """The Word writer fails after the HTML and Excel files are written: the earlier run's
    Word and JSON files are gone too, so no folder mixes two runs."""
    import ivoaudit.report.docx as docx_writer

    out = tmp_path / "out"
    out.mkdir()
    for name in ("report-internal-sv.html", "report-internal-sv.docx", "public-summary.json"):
        (out / name).write_text("an earlier run")

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx_writer, "write_docx", failing)
    with pytest.raises(OSError):
        generate_reports(ResultsDirSource(results_dir), ReportOptions(audience="internal"),
                         ["html", "xlsx", "docx", "json"], out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["report-internal-sv.html", "report-internal-sv.xlsx"]
    assert "an earlier run" not in (out / "report-internal-sv.html").read_text(encoding="utf-8")


RICH_INJECTION = '<r><t>a</t></r></is></c><c r="Z9"><f>1+1</f></c><c r="Z10" t="inlineStr"><is><r><t>b</t></r>'


def test_excel_escapes_text_that_looks_like_xlsxwriters_rich_string(results_dir, tmp_path):
    """XlsxWriter copies a text between <r> and </r> into the sheet's XML unescaped: from the
    extract (a note, a problem's value) it could carry a formula cell in. Both ways of writing
    a sheet (cell by cell, and the deviations table at once) store it as inert text."""
    import csv
    import zipfile

    for name, column, old in (("results.csv", "note", FORMULA_NOTE), ("problems.csv", "value", "=SUM(A1:A9)")):
        path = results_dir / name
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            if row[column] == old:
                row[column] = RICH_INJECTION
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    files = _generate(results_dir, tmp_path, "internal").files
    with zipfile.ZipFile(files["xlsx"]) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s for s in sheets)
    wb = openpyxl.load_workbook(files["xlsx"])
    found = [(ws.title, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and RICH_INJECTION in c.value]
    assert sorted(found) == [("Avvikelser", "'" + RICH_INJECTION), ("Datakvalitet", "'" + RICH_INJECTION)]


def test_excel_prints_without_text_running_into_the_next_row(reports):
    """LibreOffice and Excel do not grow rows for wrapped text on open: a header that wraps in
    its column ("Uppgift saknas" in 11 characters) and long references get rows tall enough;
    marks in number columns stand right like the numbers; the legend fits a portrait page."""
    files = reports("public").files
    wb = openpyxl.load_workbook(files["xlsx"])
    rules = wb["Regler"]
    header = [c.value for c in rules[1]]
    missing = header.index("Uppgift saknas") + 1
    assert rules.column_dimensions[openpyxl.utils.get_column_letter(missing)].width < len("Uppgift saknas")
    assert rules.row_dimensions[1].height >= 30
    refs = header.index("Lagrum") + 1
    width = rules.column_dimensions[openpyxl.utils.get_column_letter(refs)].width
    for row in range(2, rules.max_row + 1):
        text = rules.cell(row=row, column=refs).value or ""
        if len(text) > width * 1.5:  # certainly two lines or more
            assert (rules.row_dimensions[row].height or 15) >= 30, text
    share = header.index("Andel") + 1
    marks = [rules.cell(row=r, column=share) for r in range(2, rules.max_row + 1)
             if rules.cell(row=r, column=share).value == "X"]
    assert marks and all(c.alignment.horizontal == "right" for c in marks)
    legend = wb["Förklaring"]
    assert legend.page_setup.orientation == "portrait" and legend.column_dimensions["A"].width <= 72


def test_a_breakdown_chart_caption_does_not_repeat_its_heading(reports):
    """'Efterlevnad efter kön' stood twice in a row (the section's heading and the chart's
    caption) in HTML and Word."""
    files = reports("internal").files
    html = files["html"].read_text(encoding="utf-8")
    section = re.search(r'<section id="by-sex">.*?</section>', html, re.S).group(0)
    visible = re.sub(r'alt="[^"]*"', "", section)  # the chart's alt text may name it again
    assert visible.count("Efterlevnad efter kön") == 1
    assert "<figcaption>Andel uppfyllda per regel och grupp</figcaption>" in section
    texts = [p.text for p in Document(str(files["docx"])).paragraphs]
    at = texts.index("Efterlevnad efter kön")
    assert texts[at + 1] == "Andel uppfyllda per regel och grupp"
