"""Excel report: Summary, Rules, breakdowns, Deviations (internal only), Data quality.

Written with XlsxWriter in its streaming mode (``constant_memory``: each row goes to disk as
it is written, in order), typed cell by cell: numbers as numbers, dates as dates, text as
text. Every text cell is neutralised (``ivoaudit.report.safe.neutralise``): text from the
extract that would start a formula is stored with a leading apostrophe, so it stays inert
even after "save as CSV". Frozen headers, autofilter, compliance as percentages, landscape
A4 one page wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter  # type: ignore[import-untyped]

from ivoaudit.atomic import atomic_path
from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.legend import legend_lines
from ivoaudit.report.model import Report, Share
from ivoaudit.report.safe import FORMULA_START, NEUTRALISING_PREFIX, neutralise
from ivoaudit.report.sheets import DATE, INT, PCT
from ivoaudit.report.xlsx_rows import write_rows

FORMULA_PATTERN = "[" + "".join("\\" + c if c in "-\\" else c for c in FORMULA_START) + "]"
_CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
LIGHT_FILLS = {"green": "#D7F0E8", "yellow": "#FBECD0", "red": "#F7DCCC"}
# XlsxWriter writes a text that starts with <r> and ends with </r> into the sheet's XML as it
# is (its "rich string"): text from the extract could carry a formula cell in. Such text gets
# the neutralising apostrophe too, and is then escaped like any other.
_RICH = ("<r>", "</r>")


def _inert(text: str) -> str:
    text = neutralise(text)
    return NEUTRALISING_PREFIX + text if text.startswith(_RICH[0]) and text.endswith(_RICH[1]) else text


class _Sheet:
    """One worksheet written top to bottom, with the workbook's formats."""

    def __init__(self, book: _Book, title: str):
        self.book = book
        self.ws = book.wb.add_worksheet(title[:31])
        self.row = 0
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)

    def put(self, row: int, col: int, value: Any, fmt: Any = None) -> None:
        ws = self.ws
        if value is None or (isinstance(value, float) and value != value):
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, labels.yes_no(value), fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, datetime | date):
            ws.write_datetime(row, col, value, fmt or self.book.date)
        else:
            ws.write_string(row, col, _inert(str(value)), fmt)

    def line(self, *values: Any, fmt: Any = None) -> None:
        for c, v in enumerate(values):
            self.put(self.row, c, v, fmt)
        self.row += 1

    def column_table(self, headers: list[str], columns: list[tuple[str, list[Any]]],
                     widths: list[float]) -> None:
        """A big table written column-typed (``text``/``date``/``int``), blanks skipped: the
        deviations of 100 000 cases are about 800 000 cells, and a type test per cell cost
        seconds."""
        book, start, ws = self.book, self.row, self.ws
        for c, h in enumerate(headers):
            self.put(start, c, h, book.header)
        writers = {"text": (ws.write_string, None), "date": (ws.write_number, book.date),
                   "int": (ws.write_number, book.fmt(INT))}
        plan = [(c, *writers[kind], values) for c, (kind, values) in enumerate(columns)]
        n = len(columns[0][1]) if columns else 0
        if not write_rows(ws, start + 1, [(values, fmt) for _, _, fmt, values in plan]):
            for i in range(n):  # what write_rows does at once, cell by cell
                r = start + 1 + i
                for c, write, fmt, values in plan:
                    value = values[i]
                    if value is not None:
                        write(r, c, value, fmt)
        self.row = start + 1 + n
        ws.freeze_panes(start + 1, 1)
        ws.repeat_rows(start)
        ws.autofilter(start, 0, max(start + n, start + 1), len(headers) - 1)
        for c, width in enumerate(widths[:len(headers)]):
            ws.set_column(c, c, width)

    def table(self, headers: list[str], rows: Sequence[Sequence[Any]], formats: list[str | None],
              widths: list[float] | None = None, fills: dict[tuple[int, int], str] | None = None) -> None:
        """A header row, the rows, frozen panes, autofilter and column widths.

        Columns 30 characters or wider wrap their text. Rows are made as tall as their wrapped
        text needs: Excel and LibreOffice do not grow them on open, and on paper the lines ran
        into the next row ("Uppgift saknas" over the first figures, references over each other).
        """
        book, start, ws = self.book, self.row, self.ws
        cols = [(widths[c] if widths and c < len(widths) else None) or min(60, max(10, len(h) + 2))
                for c, h in enumerate(headers)]
        wrapped = [c for c, width in enumerate(cols) if width >= 30]
        for c, width in enumerate(cols):
            ws.set_column(c, c, width, book.wrap if c in wrapped else None)
        _height(ws, start, max(_lines(h, width * 0.9) for h, width in zip(headers, cols, strict=True)))
        for c, h in enumerate(headers):
            self.put(start, c, h, book.header)
        cell_formats = [book.fmt(f) if f else book.wrap if c in wrapped else book.top for c, f in enumerate(formats)]
        put = self.put
        for r, row in enumerate(rows, start=start + 1):
            _height(ws, r, max((_lines(row[c], cols[c]) for c in wrapped if c < len(row)), default=1))
            for c, value in enumerate(row):
                fmt = cell_formats[c]
                if fills and (r - start - 1, c) in fills:
                    fmt = book.fill(fills[(r - start - 1, c)])
                put(r, c, value, fmt)
        self.row = start + 1 + len(rows)
        ws.freeze_panes(start + 1, 1)
        ws.repeat_rows(start)
        ws.autofilter(start, 0, max(start + len(rows), start + 1), len(headers) - 1)


def _lines(text: Any, width: float) -> int:
    """Lines a text takes wrapped by words in a column ``width`` characters wide."""
    if not isinstance(text, str):
        return 1
    per_line, lines, used = max(1, int(width)), 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _height(ws: Any, row: int, lines: int) -> None:
    if lines > 1:
        ws.set_row(row, 15 * lines)


def _text_column(values: pd.Series) -> list[Any]:
    """Neutralised text for a whole column at once (see ``ivoaudit.report.safe``); ``None`` blank."""
    text = values.astype("string").str.replace(_CONTROL_PATTERN, "", regex=True)
    risky = (text.str.match(FORMULA_PATTERN) | (text.str.startswith(_RICH[0]) & text.str.endswith(_RICH[1]))
             ).fillna(False)
    text = text.where(~risky, NEUTRALISING_PREFIX + text)
    return text.mask(text == "").to_numpy(dtype=object, na_value=None).tolist()


def _date_column(values: pd.Series) -> list[Any]:
    """ISO dates as Excel serial numbers (days since 1899-12-30), ``None`` when blank."""
    when = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
    days = (when - pd.Timestamp("1899-12-30")).dt.days
    return days.astype(object).where(days.notna(), None).tolist()


def _int_column(values: pd.Series) -> list[Any]:
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.astype(object).where(numbers.notna(), None).tolist()


class _Book:
    def __init__(self, path: Path, report: Report):
        stamp = _as_of(report)
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                  "strings_to_urls": False, "strings_to_numbers": False})
        self.wb.set_properties({"title": report.title, "subject": t("Egenkontroll", "Self-review"),
                                "author": "ivoaudit", "manager": "", "company": "", "comments": "",
                                "created": stamp})
        self.wb.set_custom_property("lastModifiedBy", "ivoaudit")
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DCE6F0", "text_wrap": True,
                                          "valign": "top"})
        self.bold = self.wb.add_format({"bold": True})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top", "indent": 1})
        # a table's text cells start at the top of a tall row, one space in: a right-aligned
        # figure before them ("X") read as part of the text ("XSkyddad") on paper
        self.top = self.wb.add_format({"valign": "top", "indent": 1})
        self.date = self.wb.add_format({"num_format": DATE, "valign": "top"})
        self._formats: dict[str | None, Any] = {None: None, DATE: self.date}
        self._fills: dict[str, Any] = {}

    def fmt(self, number_format: str | None) -> Any:
        if number_format not in self._formats:
            # right-aligned also when the cell holds a mark (X, Ej granskad): left-aligned, it
            # stood against the number before it ("14 X" read as one cell on paper)
            self._formats[number_format] = self.wb.add_format({"num_format": number_format, "align": "right",
                                                               "valign": "top"})
        return self._formats[number_format]

    def fill(self, colour: str) -> Any:
        if colour not in self._fills:
            self._fills[colour] = self.wb.add_format({"bg_color": colour, "valign": "top", "indent": 1})
        return self._fills[colour]


def _as_of(report: Report) -> datetime:
    try:
        return datetime.fromisoformat(report.as_of) if report.as_of else datetime(2000, 1, 1)
    except ValueError:
        return datetime(2000, 1, 1)


def _n(value: int | None) -> Any:
    return labels.SUPPRESSED_MARK if value is None else value


def _rate(share: Share) -> Any:
    if share.rate is not None:
        return share.rate
    if share.light == "not_reviewed":
        return labels.light_label("not_reviewed")
    return labels.SUPPRESSED_MARK if share.suppressed else None


def _date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _summary_sheet(book: _Book, report: Report) -> None:
    sheet = _Sheet(book, t("Sammanfattning", "Summary"))
    sheet.line(report.title, fmt=book.title)
    sheet.row += 1
    info: list[tuple[str, Any]] = [
        (t("Version", "Version"), t("Offentlig (avidentifierad)", "Public (de-identified)") if report.public
         else t("Intern – sekretess enligt OSL 26 kap.", "Internal – confidential (OSL ch. 26)")),
        (t("Mätdatum", "Measured as of"), _date(report.as_of)),
        (t("Underlag", "Source"), report.source_label),
        (t("Ärenden", "Cases"), _n(report.cases_total)),
        (t("Mål grönt / gult", "Target green / yellow"), f"{labels.pct(report.green)} / {labels.pct(report.yellow)}"),
    ]
    for k, v in info:
        sheet.put(sheet.row, 0, k, book.bold)
        sheet.put(sheet.row, 1, v)
        sheet.row += 1
    for item in report.not_evaluable:
        sheet.put(sheet.row, 0, item.id, book.bold)
        sheet.put(sheet.row, 1, labels.not_evaluable_text(item))
        sheet.row += 1
    sheet.row += 1
    headers = [t("Regel", "Rule"), t("Benämning", "Title"), t("Grund", "Basis"),
               t("Uppfyllda", "Pass"), t("Bedömda", "Assessed"), t("Andel", "Share")]
    formats: list[str | None] = [None, None, None, INT, INT, PCT]
    if report.is_sample:
        headers += [t("KI 95 % nedre", "CI 95% low"), t("KI 95 % övre", "CI 95% high")]
        formats += [PCT, PCT]
    headers += [t("Trafikljus", "Light"), t("Mål grönt", "Green target")]
    formats += [None, PCT]
    rows, fills = [], {}
    for i, rule in enumerate(report.rules):
        s = rule.share
        row = [rule.id, rule.title, labels.basis_label(rule.basis), _n(s.passed), _n(s.denominator), _rate(s)]
        if report.is_sample:
            row += [s.ci[0] if s.ci else None, s.ci[1] if s.ci else None]
        row += [labels.light_label(s.light), rule.green]
        rows.append(row)
        if s.light in LIGHT_FILLS:
            fills[(i, len(row) - 2)] = LIGHT_FILLS[s.light]
    sheet.table(headers, rows, formats, widths=[24, 50, 16, 11, 11, 9], fills=fills)


def _legend_sheet(book: _Book, report: Report) -> None:
    """What the words mean, one wrapped line per row on a sheet of its own (long lines on the
    summary sheet made it print at a third of its size)."""
    sheet = _Sheet(book, t("Förklaring", "Legend"))
    sheet.ws.set_portrait()
    # 70 wide fits a portrait A4 page unscaled, also where LibreOffice draws Calibri with a
    # wider font (at 100 the lines ran off the page's right edge)
    sheet.ws.set_column(0, 0, 70, book.wrap)
    sheet.line(t("Så läser du rapporten", "How to read the report"), fmt=book.title)
    for line in legend_lines(report):
        _height(sheet.ws, sheet.row, _lines(line, 70))
        sheet.line(line, fmt=book.wrap)


def _rules_sheet(book: _Book, report: Report) -> None:
    sheet = _Sheet(book, t("Regler", "Rules"))
    statuses = ["pass", "fail", "overdue", "pending", "missing_data", "needs_review", "applicable"]
    headers = [t("Regel", "Rule"), t("Benämning", "Title"), t("Grund", "Basis"),
               *[labels.status_label(s) for s in statuses], t("Andel", "Share"), t("Lagrum", "References")]
    rows = [[r.id, r.title, labels.basis_label(r.basis), *[_n(r.counts[s]) for s in statuses],
             _rate(r.share), "; ".join(r.references)] for r in report.rules]
    sheet.table(headers, rows, [None, None, None, *[INT] * len(statuses), PCT, None],
                widths=[18, 40, 14, *[11] * len(statuses), 9, 45])


def _breakdown_sheet(book: _Book, report: Report, dim: str) -> None:
    b = report.breakdown(dim)
    if b is None:
        return
    sheet = _Sheet(book, b.title)
    headers = [b.title, t("Regel", "Rule"), t("Uppfyllda", "Pass"), t("Avvikelser", "Deviations"),
               t("Bedömda", "Assessed"), t("Andel", "Share"), t("Trafikljus", "Light")]
    rows = [[g, rid, _n(s.passed), _n(s.noncompliant), _n(s.denominator), _rate(s), labels.light_label(s.light)]
            for g in b.groups for rid in b.rules if (s := b.cells.get((g, rid))) is not None]
    sheet.table(headers, rows, [None, None, INT, INT, INT, PCT, None], widths=[30, 24, 11, 11, 11, 9, 12])


def _deviations_sheet(book: _Book, report: Report) -> None:
    sheet = _Sheet(book, t("Avvikelser", "Deviations"))
    dev = report.deviations
    spec = [("case_id", "text", t("Ärende", "Case"), 16), ("rule_id", "text", t("Regel", "Rule"), 18),
            ("rule_title", "text", t("Benämning", "Title"), 40),
            ("status_label", "text", t("Vad är fel", "What is wrong"), 14), ("unit", "text", t("Enhet", "Unit"), 20),
            ("caseworker", "text", t("Handläggare", "Caseworker"), 22),
            ("start_date", "date", t("Start", "Start"), 12), ("deadline", "date", t("Frist", "Deadline"), 12),
            ("end_date", "date", t("Klart", "Done"), 12), ("days", "int", t("Dagar", "Days"), 8),
            ("days_over", "int", t("Dagar över", "Days over"), 10), ("note", "text", t("Anteckning", "Note"), 50)]
    if dev is not None and "comment" in dev:
        spec.append(("comment", "text", t("Granskarens kommentar", "Reviewer's comment"), 50))
    convert = {"text": _text_column, "date": _date_column, "int": _int_column}
    columns = [(kind, convert[kind](dev[name]) if dev is not None else []) for name, kind, _, _ in spec]
    sheet.column_table([h for _, _, h, _ in spec], columns, [w for _, _, _, w in spec])


def _quality_sheet(book: _Book, report: Report) -> None:
    sheet = _Sheet(book, t("Datakvalitet", "Data quality"))
    dq = report.data_quality
    sheet.put(0, 0, t("Celler som inte kunde läsas", "Cells that could not be read"), book.bold)
    sheet.put(0, 1, _n(dq.problems_total), book.fmt(INT))
    sheet.put(1, 0, t("Rader som inte lästes in", "Rows not loaded"), book.bold)
    sheet.put(1, 1, _n(dq.quarantined), book.fmt(INT))
    sheet.row = 3
    if dq.reviewed:
        sheet.put(2, 0, t("Resultat som inte stämmer med akten", "Results that do not match the case file"),
                  book.bold)
        sheet.put(2, 1, _n(dq.review_flags), book.fmt(INT))
        sheet.row = 4
    if report.public:
        sheet.table([t("Fält", "Field"), t("Antal", "Count")],
                    [[label, _n(n)] for label, _, n in dq.by_field], [None, INT], widths=[40, 10])
    else:
        sheet.table([t("Fält", "Field"), t("Kolumn i uttaget", "Column in the extract"), t("Antal", "Count")],
                    [[label, column, _n(n)] for label, column, n in dq.by_field], [None, None, INT],
                    widths=[32, 32, 10])
    if dq.rows is not None and len(dq.rows):
        sheet.row += 2
        rows = [[r["row"], r["case_id"], r["column"], r["value"], r["problem"], r["kind"]]
                for r in dq.rows.astype(object).where(dq.rows.notna(), None).to_dict("records")]
        rows = [[int(v) if i == 0 and v is not None else v for i, v in enumerate(row)] for row in rows]
        sheet.table([t("Rad", "Row"), t("Ärende", "Case"), t("Kolumn", "Column"), t("Värde", "Value"),
                     t("Problem", "Problem"), t("Typ", "Kind")], rows, [INT, None, None, None, None, None],
                    widths=[32, 16, 24, 24, 50, 24])  # column A also holds the labels above


def _comments_sheet(book: _Book, report: Report) -> None:
    if report.comments is None or not len(report.comments):
        return
    sheet = _Sheet(book, t("Kommentarer", "Comments"))
    rows = report.comments.astype(object).where(report.comments.notna(), None).values.tolist()
    sheet.table([t("Ärende", "Case"), t("Enhet", "Unit"), t("Granskarens kommentar", "Reviewer's comment")],
                rows, [None, None, None], widths=[16, 24, 80])


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the Excel workbook to ``path`` (whole or not at all)."""
    path = Path(path)
    with use_language(report.lang), atomic_path(path) as tmp:
        book = _Book(tmp, report)
        _summary_sheet(book, report)
        _legend_sheet(book, report)
        _rules_sheet(book, report)
        for dim in ("unit", "caseworker", "sex", "age_group"):
            _breakdown_sheet(book, report, dim)
        if not report.public and report.deviations is not None:
            _deviations_sheet(book, report)
        _comments_sheet(book, report)
        _quality_sheet(book, report)
        book.wb.close()
    return path
