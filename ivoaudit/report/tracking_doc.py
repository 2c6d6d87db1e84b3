"""One simple document shape for the tracking reports, rendered to Word and to HTML.

The action plan, the committee's answer to IVO and the follow-up report are each built once
as a :class:`Doc` (headings, paragraphs, quotes, tables with traffic-light cells, a
letterhead) and written by the same two renderers: :func:`write_doc_docx` (A4, plain styles
an official can paste into a tjänsteskrivelse, table headers repeated across pages) and
:func:`render_doc_html` (one self-contained file with a print stylesheet for A4). Every text
goes through :func:`ivoaudit.report.safe.clean_text`; HTML is autoescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor

from ivoaudit.atomic import atomic_path, write_text
from ivoaudit.i18n import use_language
from ivoaudit.report.docx import LIGHT_RGB, _shade, a4_page
from ivoaudit.report.docx import _table as docx_table
from ivoaudit.report.html import environment
from ivoaudit.report.safe import clean_text

GREY_RGB = "E4E4E4"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and, for a status, its traffic light (green/yellow/red/grey)."""

    text: str
    light: str | None = None


@dataclass(frozen=True)
class Block:
    """One piece of the document.

    ``kind``: ``h1``/``h2``/``h3`` (heading), ``p`` (paragraph), ``lead``, ``note`` (small
    print), ``quote`` (a demand as IVO wrote it), ``bullets`` (``items``), ``table``
    (``headers``, ``rows``, ``widths`` in cm), ``fields`` (label: value pairs in ``rows``),
    ``signature`` (blank lines to sign).
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Doc:
    """A whole document: letterhead (left and right columns), title, blocks."""

    title: str
    lang: str
    blocks: tuple[Block, ...]
    letterhead_left: tuple[str, ...] = ()
    letterhead_right: tuple[str, ...] = ()
    running_head: str = ""
    badge: str = ""  # e.g. "Offentlig version" / "Intern"
    stamp: str | None = None  # ISO date for the document properties
    landscape: bool = False  # wide tables (the action plan, the follow-up)
    meta: dict[str, str] = field(default_factory=dict)


def _cell_text(cell, text: str, *, bold: bool = False, size: float = 9) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    for n, line in enumerate(clean_text(text).split("\n")):
        if n:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)


def _docx_table(doc, block: Block) -> None:
    table = docx_table(doc, list(block.headers), [[c.text for c in row] for row in block.rows],
                       widths=list(block.widths) or None)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for r, row in enumerate(block.rows, start=1):
        for j, cell in enumerate(row):
            target = table.rows[r].cells[j]
            _cell_text(target, cell.text)
            fill = LIGHT_RGB.get(cell.light or "") or (GREY_RGB if cell.light == "grey" else None)
            if fill:
                _shade(target, fill)
    for j, head in enumerate(block.headers):
        _cell_text(table.rows[0].cells[j], head, bold=True)
    for row in table.rows:  # a measure split over two pages read as two measures
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _letterhead(doc, d: Doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    for j, (lines, width) in enumerate(((d.letterhead_left, 10.0), (d.letterhead_right, 7.0))):
        cell = table.rows[0].cells[j]
        cell.width = Cm(width)
        table.columns[j].width = Cm(width)
        cell.text = ""
        for n, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            run = paragraph.add_run(clean_text(line))
            run.bold = n == 0
            run.font.size = Pt(12 if n == 0 else 10)
            if j == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.add_paragraph()


def write_doc_docx(d: Doc, path: str | Path) -> Path:
    """Write ``d`` as a Word document (A4) to ``path``."""
    path = Path(path)
    with use_language(d.lang):
        doc = Document()
        a4_page(doc, clean_text(d.running_head) if d.running_head else None, landscape=d.landscape)
        if d.letterhead_left or d.letterhead_right:
            _letterhead(doc, d)
        if d.badge:
            run = doc.add_paragraph().add_run(clean_text(d.badge))
            run.italic = True
            run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        doc.add_heading(clean_text(d.title), level=1 if d.letterhead_left else 0)
        for block in d.blocks:
            _docx_block(doc, block, letter=bool(d.letterhead_left))
        cp = doc.core_properties
        cp.author = cp.last_modified_by = "ivoaudit"
        cp.title = clean_text(d.title)
        cp.comments = cp.keywords = cp.category = cp.subject = ""
        cp.revision = 1
        try:
            stamp = datetime.fromisoformat(d.stamp) if d.stamp else datetime(2000, 1, 1)
        except ValueError:
            stamp = datetime(2000, 1, 1)
        cp.created = cp.modified = cp.last_printed = stamp
        with atomic_path(path) as tmp:
            doc.save(str(tmp))
    return path


def _docx_block(doc, block: Block, *, letter: bool) -> None:
    text = clean_text(block.text)
    if block.kind in ("h1", "h2", "h3"):
        level = int(block.kind[1]) + (1 if letter else 0)
        doc.add_heading(text, level=min(level, 4))
    elif block.kind in ("p", "lead"):
        doc.add_paragraph(text)
    elif block.kind == "note":
        run = doc.add_paragraph().add_run(text)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    elif block.kind == "quote":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.0)
        run = paragraph.add_run(text)
        run.underline = True  # as committees quote IVO's demands
    elif block.kind == "bullets":
        for item in block.items:
            doc.add_paragraph(clean_text(item), style="List Bullet")
    elif block.kind == "table" and block.rows:
        _docx_table(doc, block)
        doc.add_paragraph()
    elif block.kind == "fields":
        for row in block.rows:
            paragraph = doc.add_paragraph()
            paragraph.add_run(clean_text(row[0].text) + ": ").bold = True
            paragraph.add_run(clean_text(row[1].text))
    elif block.kind == "signature":
        for line in block.items:
            doc.add_paragraph()
            doc.add_paragraph("_" * 32)
            doc.add_paragraph(clean_text(line))


def render_doc_html(d: Doc) -> str:
    """``d`` as one self-contained HTML document (a string)."""
    with use_language(d.lang):
        template = environment().get_template("tracking_doc.html.j2")
        return template.render(d=d)


def write_doc_html(d: Doc, path: str | Path) -> Path:
    """Write ``d`` as HTML to ``path``."""
    path = Path(path)
    write_text(path, render_doc_html(d))
    return path
