"""The hostile-input corpus: files a careless export, a damaged disk or a hostile colleague could
hand ivoaudit, each with the outcome documented for it.

Nothing here is committed as data: :func:`write_corpus` writes every file into a folder at
test time (``python tests/hostile/corpus.py FOLDER`` does it by hand). Each :class:`Case` says
what the file is (``role``: an extract, an events table, a mapping, a checklist, a review form,
a results folder, a public summary), the exit code every command must give for it (0: read,
with whatever could not be read quarantined and named; 3: refused with a message), words the
Swedish message must hold (the file, the row or column, the next step), and for an extract
that is read, how many lines it has after the header, counted here without any CSV parser.
``owner`` marks a case that fails today because of a part another engineer owns: the test
expects it to fail (strict), so it turns red the day the part is fixed and the mark must go.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

# Valid-looking identifiers that must never reach a message unmasked (checked by the tests).
PNRS = ("19121212-1212", "19900101-0017", "20010203-0020", "19800229-0004")
NAMES = ("Åsa Öberg", "Örjan Lindqvist", "Ärlig Åkesson")
CASE_IDS = ("ÄR-1001", "ÄR-1002", "ÄR-1003", "ÄR-1004", "ÄR-1005", "ÄR-1006")
HEADERS = ["Ärendenr", "Personnr", "Verksamhetsområde", "Enhet", "Handläggare", "Anmälan inkom",
           "Beslut förhandsbedömning", "Utfall förhandsbedömning", "Utredning inledd", "Utredning avslutad",
           "Barnet informerat"]
ROWS = [
    ["ÄR-1001", PNRS[0], "barn_unga", "Öster", NAMES[0], "2026-01-05", "2026-01-12", "open", "2026-01-12",
     "2026-04-30", "ja"],
    ["ÄR-1002", PNRS[1], "barn_unga", "Väster", NAMES[1], "2026-02-02", "2026-02-20", "not_open", "", "", ""],
    ["ÄR-1003", PNRS[2], "barn_unga", "Öster", NAMES[2], "2026-03-01", "2026-03-10", "open", "2026-03-10", "",
     "nej"],
    ["ÄR-1004", PNRS[3], "barn_unga", "Norr", NAMES[0], "2026-04-01", "", "", "", "", ""],
    ["ÄR-1005", PNRS[0], "barn_unga", "Väster", NAMES[1], "2026-05-04", "2026-05-08", "open", "2026-05-08",
     "2026-09-01", "ja"],
    ["ÄR-1006", PNRS[1], "barn_unga", "Norr", NAMES[2], "2026-06-01", "2026-06-03", "not_open", "", "", ""],
]
AS_OF = "2026-10-31"


@dataclass(frozen=True)
class Case:
    """One hostile file and what every command must do with it."""

    name: str
    role: str  # extract | events | mapping | checklist | form | results | summary
    make: Callable[[Path], Path]
    code: int = 3  # the exit code of every command run on it
    says: tuple[str, ...] = ()  # in the message (code 3), besides the file's name
    lines: int | None = None  # an extract that is read: its non-blank lines after the header
    named: str | None = None  # the name the message must give (default: the file's)
    codes: dict[str, int] = field(default_factory=dict)  # per command, where it differs
    mapping: str | None = None  # an extract read with this mapping (written beside it)
    owner: str | None = None  # fails today because of this engineer's part (see the docstring)
    why: str = ""


CASES: list[Case] = []


def case(name: str, role: str = "extract", **kw: object) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES.append(Case(name, role, make, **kw))  # type: ignore[arg-type]
        return make
    return register


def csv_text(headers: list[str] = HEADERS, rows: list[list[str]] = ROWS, sep: str = ";", end: str = "\r\n") -> str:
    return end.join(sep.join(r) for r in [headers, *rows]) + end


def _write(folder: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def _text_case(name: str, text: str | bytes, *, encoding: str = "utf-8", code: int = 0, lines: int | None = None,
               says: tuple[str, ...] = (), suffix: str = ".csv", **kw: object) -> None:
    def make(folder: Path) -> Path:
        return _write(folder, name + suffix, text, encoding)
    if code == 0 and lines is None and isinstance(text, str):
        lines = sum(1 for line in text.splitlines()[1:] if line)
    CASES.append(Case(name, "extract", make, code=code, says=says, lines=lines, **kw))  # type: ignore[arg-type]


def _rows_with(index: int, column: int, value: str) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows[index][column] = value
    return rows


# --- CSV extracts: quotes, line ends, encodings ---------------------------------------------------

_TEXT = csv_text()
_text_case("00_baseline", _TEXT)
_text_case("01_stray_quote_unterminated", _TEXT.replace("ÄR-1003;", '"ÄR-1003;'), says=("rad 4",))
_text_case("02_two_stray_quotes", _TEXT.replace(";Öster;Åsa", ';"Öster;Åsa', 1).replace("ÄR-1004;", 'ÄR-1004";'))
_text_case("03_quote_open_in_last_field", _TEXT.replace(";ja\r\nÄR-1002", ';"ja\r\nÄR-1002'), codes={"sample": 2})
_text_case("04_multiline_cell_quoted", _TEXT.replace(";Öster;Åsa Öberg;2026-01-05", ';"Öster\r\nhus 2";Åsa Öberg;2026-01-05'))
_text_case("05_doubled_quotes_in_cell", _TEXT.replace(";Väster;Örjan", ';"Väster ""B""";Örjan'))
_text_case("06_quote_inside_unquoted_cell", _TEXT.replace(";Väster;Örjan", ';Väster 5" skärm;Örjan'))
_text_case("07_cr_only_line_ends", csv_text(end="\r"))
_text_case("08_lf_only_line_ends", csv_text(end="\n"))
_text_case("09_mixed_line_ends", _TEXT.replace("\r\n", "\n", 3))
_text_case("10_blank_lines_between_rows", _TEXT.replace("\r\nÄR-1003", "\r\n\r\n\r\nÄR-1003"))
_text_case("11_row_with_too_many_fields", _TEXT.replace(";ja\r\nÄR-1002", ";ja;extra;fält\r\nÄR-1002"))
_text_case("12_row_with_too_few_fields", _TEXT.replace("ÄR-1004;19800229-0004;barn_unga;Norr", "ÄR-1004;19800229-0004"))
_text_case("13_header_only", csv_text(rows=[]), codes={"sample": 2})  # sample: "no cases to draw" (usage)
_text_case("14_every_row_blank", csv_text(rows=[[""] * len(HEADERS)] * 3), codes={"sample": 2})
_text_case("15_empty_file", "", code=3, says=("tom",))
_text_case("16_only_white_space", "  \r\n\t\r\n", code=3, says=("tom",))
_text_case("17_only_a_byte_order_mark", codecs.BOM_UTF8, code=3, says=("tom",))
_text_case("18_utf8_with_bom", "\ufeff" + _TEXT)
_text_case("19_excel_unicode_text_utf16le_tab", "\ufeff" + csv_text(sep="\t"), encoding="utf-16-le",
           lines=len(ROWS))
_text_case("20_utf16_big_endian", "\ufeff" + _TEXT, encoding="utf-16-be", lines=len(ROWS))
_text_case("21_utf32", _TEXT, encoding="utf-32", lines=len(ROWS))
_text_case("22_utf16_without_bom", _TEXT.encode("utf-16-le"), code=3, says=("textfil",))
_text_case("23_cp1252_undefined_byte", _TEXT.encode("cp1252").replace(b"Norr", b"N\x81rr"), code=3,
           says=("teckenkodning", "--encoding"))
_text_case("24_utf8_then_cp1252", _TEXT.encode("utf-8") + "ÄR-1007;;barn_unga;Söder;;2026-07-01;;;;;\r\n".encode(
    "cp1252"), code=3, says=("teckenkodning",))
_text_case("25_ascii_head_then_cp1252", csv_text([h.replace("Ä", "A").replace("ä", "a").replace("å", "a")
                                                  for h in HEADERS],
                                                 [_rows_with(0, 0, f"A-{i}")[0] for i in range(2500)]).encode("ascii",
    "replace") + "A-9;;barn_unga;Söder;;2026-07-01;;;;;\r\n".encode("cp1252"), lines=2501)
_text_case("26_binary_garbage", bytes(range(256)) * 64, code=3, says=("textfil",))
_text_case("27_nul_bytes_in_a_cell", _TEXT.replace("Norr", "No\x00rr"), code=3, says=("textfil",))
_text_case("28_pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", code=3, says=("PDF",))
_text_case("29_old_xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, code=3, says=(".xls",), suffix=".xls")
_text_case("30_semicolons_inside_quotes", _TEXT.replace(";Väster;Örjan", ';"Väster; hus B";Örjan'))
_text_case("31_comma_file", csv_text(sep=","))
_text_case("32_tab_file", csv_text(sep="\t"))
_text_case("33_pipe_file_not_sniffed", csv_text(sep="|"), code=3, says=("--delimiter", "Ärendenummer"))
_text_case("34_duplicate_identical_rows", _TEXT + ";".join(ROWS[1]) + "\r\n")
_text_case("35_duplicate_conflicting_rows", _TEXT + ";".join(_rows_with(1, 3, "Söder")[1]) + "\r\n")
_text_case("36_case_ids_differing_by_zero_width_space", _TEXT + ";".join(_rows_with(1, 0, "ÄR-1002\u200b")[1]) + "\r\n")
_text_case("37_case_id_with_bom_and_soft_hyphen", _TEXT.replace("ÄR-1003", "\ufeffÄR\u00ad-1003"))
_text_case("38_case_id_only_invisible", _TEXT.replace("ÄR-1004", "\u200b\u200b"))
_text_case("39_formula_injection_cells", _TEXT.replace("Öster;Åsa Öberg", '=HYPERLINK("http://x";"y");=cmd|\' /C calc\'!A0')
           .replace("Väster;Örjan", "+SUM(1;2);@SUM(A1)"))
_text_case("40_terminal_escape_sequences", _TEXT.replace("barn_unga;Norr", "\x1b]0;pwned\x07\x1b[2J;Norr\x1b[31m", 1))
_text_case("41_html_and_script_in_cells", _TEXT.replace("Öster;Åsa", "<script>alert(1)</script>;<img src=x onerror=alert(1)>"))
_text_case("42_bidi_override_in_cells", _TEXT.replace("Norr", "\u202eNorr\u202c"))
_text_case("43_dates_in_every_odd_form", _TEXT.replace("2026-01-05", "05/01/2026").replace("2026-02-02", "2026-02-30")
           .replace("2026-03-01", "20260301").replace("2026-04-01", "45000").replace("2026-05-04", "0026-05-04")
           .replace("2026-06-01", "1/6 -26"))
_text_case("44_personnummer_in_odd_forms", _TEXT.replace(PNRS[0], "19121212-1213").replace(PNRS[1], "900101 0017")
           .replace(PNRS[2], "20010203T002").replace(PNRS[3], "19800230-0004"))
_text_case("45_duplicate_header_names", csv_text(HEADERS[:-1] + ["Ärendenr"]))
_text_case("46_blank_header_cells", csv_text(HEADERS[:4] + ["", ""] + HEADERS[6:]))
_text_case("47_control_characters_in_headers", csv_text([h + "\x07" if i == 3 else h for i, h in enumerate(HEADERS)]))
_text_case("48_header_of_10_kb", csv_text(HEADERS + ["X" * 10_000], [r + [""] for r in ROWS]))
_text_case("49_header_over_64_kb", csv_text(HEADERS + [f"Kolumn {i} " + "x" * 60 for i in range(1500)],
                                            [r + [""] * 1500 for r in ROWS]))
_text_case("50_header_of_20000_columns", csv_text(HEADERS + [f"K{i}" for i in range(20_000)]), code=3,
           says=("kolumner", "16384"))
_text_case("51_cell_of_100_kb", _TEXT.replace(NAMES[1], "Ö" * 100_000, 1), code=3,
           says=("rad 3", "Handläggare", "32767"))
_text_case("52_line_of_2_mb", _TEXT.replace(NAMES[1], "x" * 2_000_000, 1), code=3, says=("Rad 3", "MB"))
_text_case("53_quoted_cell_of_many_short_lines", _TEXT.replace(f";{NAMES[2]};", ';"' + "rad\r\n" * 10_000 + '";', 1),
           code=3, says=("Handläggare", "32767"))
_text_case("54_headerless_with_personnummer", csv_text(ROWS[0], ROWS[1:]), code=3, says=("rubrikrad",))
_text_case("55_numbers_as_headers", csv_text([str(i) for i in range(len(HEADERS))]), code=3, says=("rubrikrad",))
_text_case("56_title_rows_above_header", "Uttag ur Lifecare;;;\r\nSkapat 2026-10-31\r\n" + _TEXT,
           lines=len(ROWS))
_text_case("57_title_row_and_blank_line", "Ärendeuttag barn och unga\r\n\r\n" + _TEXT, lines=len(ROWS))
_text_case("58_title_rows_and_no_known_header", "Rapport\r\n" + csv_text(["A", "B", "C"], [["1", "2", "3"]]),
           code=3, says=("Ärendenummer", "--mapping"))
_text_case("59_no_case_id_column", csv_text(HEADERS[1:], [r[1:] for r in ROWS]), code=3,
           says=("Ärendenummer", "mappningsfil"))
_text_case("60_trailing_delimiter_on_every_row", _TEXT.replace("\r\n", ";\r\n"))
_text_case("61_lone_cr_inside_quoted_cell", _TEXT.replace(";Norr;", ';"Nor\rr";', 1))
_text_case("62_unterminated_quote_at_end_of_file", _TEXT + 'ÄR-1007;;barn_unga;"Söder', lines=len(ROWS) + 1)
_text_case("63_many_stray_quotes", _TEXT.replace("ÄR-1002;", 'ÄR-1002;"').replace("ÄR-1004;", 'ÄR-1004;"')
           .replace("ÄR-1005;", '"ÄR-1005;'))
_text_case("64_header_with_personnummer_like_name", csv_text(HEADERS[:-1] + ["19121212-1212"]), code=3,
           says=("rubrikrad",))
_text_case("65_unknown_codes_everywhere", _TEXT.replace("barn_unga", "skola").replace(";ja", ";kanske"))
_text_case("66_thousands_of_rows", csv_text(rows=[_rows_with(0, 0, f"ÄR-{i}")[0] for i in range(5000)]))


# --- Special files and paths -----------------------------------------------------------------------

@case("70_a_folder", code=2, says=("70_a_folder.csv",))
def _folder(folder: Path) -> Path:
    (folder / "70_a_folder.csv").mkdir()
    return folder / "70_a_folder.csv"


@case("71_a_named_pipe", says=("FIFO",))
def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "71_a_named_pipe.csv")
    return folder / "71_a_named_pipe.csv"


@case("72_dev_zero", says=("enhet",))
def _dev_zero(folder: Path) -> Path:
    (folder / "72_dev_zero.csv").symlink_to("/dev/zero")
    return folder / "72_dev_zero.csv"


@case("73_symlink_loop", says=("slinga",))
def _loop(folder: Path) -> Path:
    (folder / "73_symlink_loop.csv").symlink_to(folder / "73_symlink_loop.csv")
    return folder / "73_symlink_loop.csv"


@case("74_does_not_exist", says=("finns inte",))
def _missing(folder: Path) -> Path:
    return folder / "74_does_not_exist.csv"


@case("75_sparse_file_of_5_gb", says=("MB", "Dela upp"))
def _huge(folder: Path) -> Path:
    path = folder / "75_sparse_file_of_5_gb.csv"
    with open(path, "wb") as handle:
        handle.write(_TEXT.encode())
        handle.truncate(5 << 30)
    return path


@case("76_name_too_long", says=("lång",))
def _long_name(folder: Path) -> Path:
    return folder / ("x" * 300 + ".csv")


# --- XLSX extracts ----------------------------------------------------------------------------------

def _workbook(headers: list[str] = HEADERS, rows: list[list[object]] = ROWS, title: str = "Uttag",
              top: list[list[object]] = ()) -> bytes:  # type: ignore[assignment]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in [*top, headers, *rows]:
        ws.append([None if v == "" else v for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The workbook with each part passed through ``change`` (``None`` drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            changed = change(info.filename, src.read(info.filename))
            if changed is not None:
                dst.writestr(info.filename, changed)
    return out.getvalue()


def _xlsx_case(name: str, make_bytes: Callable[[], bytes], **kw: object) -> None:
    def make(folder: Path) -> Path:
        return _write(folder, name + ".xlsx", make_bytes())
    CASES.append(Case(name, "extract", make, **kw))  # type: ignore[arg-type]


def _sheet(edit: Callable[[bytes], bytes]) -> Callable[[], bytes]:
    return lambda: _rezip(_workbook(), lambda n, d: edit(d) if n == "xl/worksheets/sheet1.xml" else d)


def _formatted_rows(count: int) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        rows = "".join(f'<row r="{r}" s="0" customFormat="1"><c r="A{r}" s="0"/><c r="B{r}" s="0"/></row>'
                       for r in range(len(ROWS) + 2, len(ROWS) + 2 + count))
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    return edit


def _lying_zip() -> bytes:
    """A workbook whose central directory claims its sheet unpacks to 4 GB (a zip bomb's header)."""
    data = bytearray(_workbook())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            data[at + 24:at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def _deflate_bomb() -> bytes:
    """A real bomb: 1.2 GB of one repeated row element packed into a few megabytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = b"<row/>" * (1 << 20)
            for _ in range(180):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


_xlsx_case("80_xlsx_baseline", _workbook, code=0)
_xlsx_case("81_xlsx_malformed_sheet_xml", _sheet(lambda x: x.replace(b"</sheetData>", b"<row><c></sheetData>")),
           says=("skadad",))
_xlsx_case("82_xlsx_sheet_xml_cut_in_half",
           lambda: _rezip(_workbook(), lambda n, d: d[: len(d) // 2] if n == "xl/worksheets/sheet1.xml" else d),
           says=("skadad",))
_xlsx_case("83_xlsx_truncated", lambda: _workbook()[:2000], says=("skadad",))
_xlsx_case("84_xlsx_central_directory_claims_4_gb", _lying_zip, says=("MB", "CSV"))
_xlsx_case("85_xlsx_deflate_bomb", _deflate_bomb, says=("MB", "CSV"))
_xlsx_case("86_xlsx_300000_formatted_rows", _sheet(_formatted_rows(300_000)), code=0)
_xlsx_case("87_xlsx_value_beyond_excels_last_row",
           _sheet(lambda x: x.replace(b"</sheetData>", b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t>'
                                      b"</is></c></row></sheetData>")), says=("1048576",))
_xlsx_case("88_xlsx_empty_sheet", lambda: _workbook([], []), says=("tomt", "--sheet"))
_xlsx_case("89_xlsx_title_rows_above_header", lambda: _workbook(top=[["Uttag ur Treserva"], ["Skapat 2026-10-31"]]),
           code=0)
_xlsx_case("90_xlsx_cell_of_40000_characters",  # openpyxl cuts at 32767 when writing: the XML is edited
           _sheet(lambda x: re.sub(rb'(<c r="E4"[^>]*><is><t>)[^<]*', lambda m: m.group(1) + b"A" * 40_000, x)),
           says=("rad 4", "Handläggare", "32767"))
_xlsx_case("91_xlsx_headerless", lambda: _workbook(ROWS[0], ROWS[1:]), says=("rubrikrad",))
LAUGHS = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'.encode() for i in range(10)) + b"]>"
_xlsx_case("92_xlsx_billion_laughs", _sheet(lambda x: LAUGHS + re.sub(rb"^<\?xml[^>]*\?>", b"", x).replace(
    b"<t>&#214;ster</t>", b"<t>&lol9;</t>", 1)), says=("skadad",))
_xlsx_case("93_xlsx_external_entity", _sheet(lambda x: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                                            b'"file:///etc/passwd">]>' + re.sub(rb"^<\?xml[^>]*\?>", b"", x).replace(
                                                b"<t>&#214;ster</t>", b"<t>&xxe;</t>", 1)), says=("skadad",))
_xlsx_case("94_zip_that_is_no_workbook", lambda: _rezip(_workbook(), lambda n, d: d if n == "[Content_Types].xml" else None),
           says=("skadad",))
_xlsx_case("95_xlsx_formula_and_injection_cells", lambda: _workbook(rows=_rows_with(0, 3, '=HYPERLINK("http://x","y")')),
           code=0)


# --- Mapping files (with the baseline extract) -----------------------------------------------------------

def _yaml_case(name: str, text: str | bytes, role: str = "mapping", **kw: object) -> None:
    def make(folder: Path) -> Path:
        return _write(folder, name + ".yaml", text)
    CASES.append(Case(name, role, make, **kw))  # type: ignore[arg-type]


ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(  # 90 aliases, 10**9 values: a billion laughs
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
DEEP_BLOCK = "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "x: 1\n"
DEEP_FLOW = "columns: " + "[" * 5000 + "]" * 5000 + "\n"
_yaml_case("100_mapping_alias_bomb", ALIAS_BOMB, says=("alias",))
_yaml_case("101_mapping_deep_nesting", DEEP_BLOCK, says=("nivåer",))
_yaml_case("102_mapping_deep_flow_nesting", DEEP_FLOW, says=("nivåer",))
_yaml_case("103_mapping_tab_indentation", "columns:\n\tcase_id: Ärendenr\n", says=("rad 2", "tabb"))
_yaml_case("104_mapping_unclosed_quote", 'columns:\n  case_id: "Ärendenr\n  unit: Enhet\n', says=("rad",))
_yaml_case("105_mapping_is_a_list", "- case_id\n- unit\n", says=("lista",))
_yaml_case("106_mapping_unknown_keys", "kolumner:\n  case_id: Ärendenr\n", says=("kolumner", "columns"))
_yaml_case("107_mapping_unknown_field", "columns:\n  arende: Ärendenr\n", says=("columns.arende",))
_yaml_case("108_mapping_header_not_in_file", "columns:\n  case_id: Ärendenummer\n", says=("Ärendenummer", "Ärendenr"))
_yaml_case("109_mapping_python_object_tag", "columns: !!python/object/apply:os.system ['echo pwned']\n", says=("YAML",))
_yaml_case("110_mapping_not_utf8", "columns:\n  unit: Område\n".encode("cp1252"), says=("UTF-8",))
_yaml_case("111_mapping_of_2_mb", "# " + "x" * (2 << 20) + "\ncolumns: {}\n", says=("MB",))
_yaml_case("112_mapping_empty", "", code=0)
_yaml_case("113_mapping_boolean_codes", "values:\n  child_informed:\n    yes: [yes, ja]\n", says=("citattecken",))
_yaml_case("114_mapping_constant_for_a_date", "constants:\n  received_date: 2026-01-01\n", says=("fast värde",))
_text_case("115_headerless_extract_with_mapping", csv_text(ROWS[0], ROWS[1:]), code=3, says=("rubrikrad",),
           mapping="columns:\n  case_id: Ärendenr\n  person_id: Personnr\n  caseworker: Handläggare\n")


@case("116_mapping_a_named_pipe", role="mapping", says=("FIFO",))
def _mapping_fifo(folder: Path) -> Path:
    os.mkfifo(folder / "116_mapping_a_named_pipe.yaml")
    return folder / "116_mapping_a_named_pipe.yaml"


@case("117_mapping_a_folder", role="mapping", code=2, says=("117_mapping_a_folder.yaml",))
def _mapping_dir(folder: Path) -> Path:
    (folder / "117_mapping_a_folder.yaml").mkdir()
    return folder / "117_mapping_a_folder.yaml"


# --- Checklists (ivoaudit check --checklist FILE) ------------------------------------------------------------

_RULE = """name: egen
version: "1"
title: {{sv: "Egen", en: "Own"}}
rules:
  - id: EGEN-1
    kind: deadline
    area: barn_unga
    basis: local
    title: {{sv: "Egen frist", en: "Own deadline"}}
    description: {{sv: "Beslut inom {days} dagar.", en: "Decision within {days} days."}}
    references: {{old: "lokal", new: "lokal"}}
    local_params: [days]
    params: {{start: received_date, end: preliminary_decision_date, days: {days}}}
"""
_yaml_case("120_checklist_baseline", _RULE.format(days=14), role="checklist", code=0)
_yaml_case("121_checklist_alias_bomb", ALIAS_BOMB, role="checklist")
_yaml_case("122_checklist_deep_nesting", DEEP_BLOCK, role="checklist", says=("nivåer",))
_yaml_case("123_checklist_huge_days", _RULE.format(days=10**30), role="checklist", says=("days", "tio år"))
_yaml_case("124_checklist_negative_days", _RULE.format(days=-5), role="checklist", says=("days",))
_yaml_case("125_checklist_unknown_kind", _RULE.format(days=14).replace("kind: deadline", "kind: magic"),
           role="checklist", says=("magic",))
_yaml_case("126_checklist_python_tag", "name: !!python/object/apply:os.system ['echo pwned']\n", role="checklist",
           says=("tagg",))
_yaml_case("127_checklist_tab_indentation", _RULE.format(days=14).replace("    kind:", "\tkind:"), role="checklist",
           says=("rad",))
_yaml_case("128_checklist_not_utf8", _RULE.format(days=14).replace("Egen frist", "Egen frist å").encode("cp1252"),
           role="checklist", says=("UTF-8",))


# --- Events tables (ivoaudit check --events FILE) -------------------------------------------------------------

_EVENTS = "Ärendenr;Händelsedatum;Händelsetyp\r\nÄR-1001;2026-02-01;journal\r\nÄR-1003;2026-04-01;review\r\n"


def _events_case(name: str, text: str | bytes, **kw: object) -> None:
    def make(folder: Path) -> Path:
        return _write(folder, name + ".csv", text)
    CASES.append(Case(name, "events", make, **kw))  # type: ignore[arg-type]


_events_case("130_events_baseline", _EVENTS, code=0)
_events_case("131_events_stray_quote", _EVENTS.replace("ÄR-1003;", '"ÄR-1003;'), code=0)
_events_case("132_events_unknown_cases_and_codes", _EVENTS + "X-9;2026-13-01;telefon\r\n", code=0)
_events_case("133_events_binary", bytes(range(256)) * 8, says=("textfil",))
_events_case("134_events_headerless", "ÄR-1001;2026-02-01;journal\r\n", says=("rubrikrad",))


# --- Results folders (ivoaudit report --results DIR) and public summaries (ivoaudit compare) ------------------

def _results_case(name: str, change: Callable[[Path], None], **kw: object) -> None:
    def make(folder: Path) -> Path:
        target = folder / name
        target.mkdir()
        change(target)
        return target
    CASES.append(Case(name, "results", make, **kw))  # type: ignore[arg-type]


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


_results_case("140_results_empty_folder", lambda d: None, says=("meta.json", "ivoaudit check"))
_results_case("141_results_meta_json_deep", lambda d: _write(d, "meta.json", _deep_json(100_000)),
              says=("meta.json", "skadad"))
_results_case("142_results_binary_files", lambda d: [_write(d, n, bytes(range(256)) * 4) for n in
                                                    ("results.csv", "summary.csv", "meta.json")],
              says=("meta.json", "skadad"))


def _summary_case(name: str, text: str, **kw: object) -> None:
    def make(folder: Path) -> Path:
        return _write(folder, name + ".json", text)
    CASES.append(Case(name, "summary", make, **kw))  # type: ignore[arg-type]


_summary_case("150_summary_deeply_nested", _deep_json(100_000), says=("150_summary_deeply_nested.json",))
_summary_case("151_summary_not_an_object", "[1, 2, 3]", says=("151_summary_not_an_object.json",))
_summary_case("152_summary_truncated", '{"kommun": "X", "rules": [', says=("152_summary_truncated.json", "rad 1", "kolumn"))


# --- Review forms (ivoaudit review import FORM); built from a real form at test time ---------------------------

def _form_case(name: str, edit: Callable[[bytes], bytes], **kw: object) -> None:
    def make(folder: Path) -> Path:
        base = (folder / "_form.xlsx").read_bytes()  # written by the test before the corpus is made
        return _write(folder, name + ".xlsx", edit(base))
    CASES.append(Case(name, "form", make, **kw))  # type: ignore[arg-type]


_form_case("160_form_not_a_workbook", lambda d: _TEXT.encode(), says=("160_form_not_a_workbook.xlsx",))
_form_case("161_form_truncated", lambda d: d[: len(d) // 3], says=("161_form_truncated.xlsx",))
_form_case("162_form_malformed_xml", lambda d: _rezip(d, lambda n, x: x.replace(b"</sheetData>", b"<row><c>")
                                                       if n.startswith("xl/worksheets/") else x),
           says=("162_form_malformed_xml.xlsx", "skadad"))


def _with_extra_sheet(data: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.create_sheet("Mina anteckningar").append(["En granskare lade till ett blad"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_form_case("163_form_with_a_sheet_the_reviewer_added", _with_extra_sheet, code=0)
_form_case("164_form_a_csv_named_xlsx", lambda d: "Ärendenr;Svar\r\nÄR-1001;Ja\r\n".encode(), says=("164_form_a_csv_named_xlsx",))


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every case's file(s) into ``folder``; name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "_form.xlsx").exists():
        (folder / "_form.xlsx").write_bytes(_workbook())  # a stand-in when no real form is given
    return {c.name: c.make(folder) for c in CASES}


if __name__ == "__main__":  # python tests/hostile/corpus.py FOLDER
    written = write_corpus(Path(sys.argv[1]))
    print(json.dumps({name: str(path) for name, path in written.items()}, ensure_ascii=False, indent=1))
