"""What kind of file an extract is: format, text encoding and CSV delimiter.

Sniffing is a default the user can override (``--encoding``, ``--delimiter``); every message
that may come from a wrong guess says so.

* **Format** from the file's first bytes, not its name: ``PK`` (a zip) is a workbook;
  PDF, old binary Excel (``.xls``) and other binary files are refused.
* **Encoding** (CSV): a byte-order mark decides (UTF-8, UTF-16 as Excel's "Unicode text"
  export writes it, UTF-32, each named as what it is); else the first 64 KB are tried as UTF-8;
  else cp1252 (which covers latin-1 text in practice). A file whose bytes are neither UTF-8
  nor cp1252 text (cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, and control
  characters do not occur in text) is refused as unreadable.
* **Delimiter** (CSV): ``,``, ``;`` or tab, whichever splits the first lines into the most
  columns consistently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from ivoaudit.errors import InputError
from ivoaudit.i18n import t

SNIFF_BYTES = 65_536
DELIMITERS = (",", ";", "\t")
BOMS = (  # longest first: a UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ADVICE_ENCODING = (
    " Om teckenkodningen gissats fel kan du ange den med --encoding (t.ex. --encoding cp1252 eller "
    "--encoding utf-8).",
    " If the encoding was guessed wrong, give it with --encoding (e.g. --encoding cp1252 or "
    "--encoding utf-8).",
)
ADVICE_DELIMITER = (
    " Om avgränsaren gissats fel kan du ange den med --delimiter (t.ex. --delimiter \";\" eller "
    "--delimiter tab).",
    " If the delimiter was guessed wrong, give it with --delimiter (e.g. --delimiter \";\" or "
    "--delimiter tab).",
)


def sniff_format(data: bytes, name: str) -> str:
    """``"csv"`` or ``"xlsx"`` from the file's first bytes; refuse anything else."""
    if not data[:SNIFF_BYTES].strip(codecs.BOM_UTF8 + b" \t\r\n") and not data.strip(codecs.BOM_UTF8 + b" \t\r\n"):
        raise InputError(t(
            "Filen {file} är tom. Gör ett nytt uttag ur verksamhetssystemet och kontrollera att det "
            "innehåller en rubrikrad och ärenden.",
            "The file {file} is empty. Make a new extract from the case system and check that it "
            "contains a header row and cases.", file=name))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"%PDF"):
        raise InputError(t(
            "Filen {file} är en PDF, inte ett uttag i CSV- eller Excelformat. Gör uttaget som CSV eller "
            "Excel (.xlsx) ur verksamhetssystemet.",
            "The file {file} is a PDF, not a CSV or Excel extract. Export the extract as CSV or Excel "
            "(.xlsx) from the case system.", file=name))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(t(
            "Filen {file} är i det gamla Excelformatet (.xls) eller ett annat Office-format. Öppna den "
            "i Excel och spara som Excel-arbetsbok (.xlsx) eller CSV.",
            "The file {file} is in the old Excel format (.xls) or another Office format. Open it in "
            "Excel and save it as an Excel workbook (.xlsx) or CSV.", file=name))
    if bom_encoding(data) is None and b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(t(
            "Filen {file} är inte en textfil (CSV) eller Excel-arbetsbok (.xlsx). Gör uttaget som CSV "
            "eller .xlsx.",
            "The file {file} is neither a text file (CSV) nor an Excel workbook (.xlsx). Export the "
            "extract as CSV or .xlsx.", file=name))
    return "csv"


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, if any."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def detect_encoding(data: bytes, name: str) -> str:
    """``utf-32``, ``utf-8-sig``, ``utf-16``, ``utf-8`` or ``cp1252`` (see the module docstring)."""
    marked = bom_encoding(data)
    if marked is not None:
        return marked
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:SNIFF_BYTES], final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not data[: exc.start].isascii():  # UTF-8 letters, then bytes that are not: two encodings
            raise unreadable(name) from None
        return check_cp1252(data[:SNIFF_BYTES], name)


def check_cp1252(head: bytes, name: str) -> str:
    """``"cp1252"`` when ``head`` can be Windows-1252 text, else refuse the file."""
    if _CP1252_UNDEFINED.search(head) or _CONTROL.search(head.decode("cp1252", errors="replace")):
        raise unreadable(name)
    return "cp1252"


def unreadable(name: str, encoding: str | None = None) -> InputError:
    """The file's bytes are not text in the encoding sniffed (or given)."""
    if encoding:
        return InputError(t(
            "Filen {file} går inte att läsa som {enc}. Ange rätt teckenkodning med --encoding (vanliga "
            "är utf-8 och cp1252), eller öppna den i Excel och spara som \"CSV UTF-8 (kommaavgränsad)\".",
            "The file {file} cannot be read as {enc}. Give the right encoding with --encoding (common "
            "ones are utf-8 and cp1252), or open it in Excel and save it as \"CSV UTF-8 (comma "
            "delimited)\".", file=name, enc=encoding))
    return InputError(t(
        "Filen {file} har en teckenkodning som inte kan läsas (varken UTF-8 eller Windows-1252), eller "
        "så är den inte en textfil. Öppna den i Excel och spara som \"CSV UTF-8 (kommaavgränsad)\".",
        "The file {file} has a character encoding that cannot be read (neither UTF-8 nor "
        "Windows-1252), or it is not a text file. Open it in Excel and save it as \"CSV UTF-8 (comma "
        "delimited)\".", file=name) + t(*ADVICE_ENCODING))


def is_ascii_compatible(encoding: str) -> bool:
    """True when the CSV's structure (delimiters, quotes, line ends) is the same bytes in
    ``encoding`` as in ASCII, so lines can be counted on the raw bytes and Arrow can read it."""
    probe = ",;\t\"\r\n0aZ"
    try:
        return codecs.lookup(encoding).name not in ("utf-16", "utf-32", "utf-7") and \
            probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the first lines into the most columns consistently (judged by the
    most common number of fields, so a title line above the header does not decide)."""
    lines = [line for line in head.splitlines() if line][:50]
    best, best_score = ",", (0, 0.0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in _records("\n".join(lines), delimiter)]
        except csv.Error:
            continue
        usual = max(set(counts), key=lambda c: (counts.count(c), c)) if counts else 0
        if usual < 2:
            continue
        consistent = counts.count(usual) / len(counts)
        score = (1 if consistent >= 0.8 else 0, usual * consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def first_record(text: str, delimiter: str) -> list[str]:
    """The first CSV record of ``text`` (any line ends), its fields as written."""
    try:
        return next(iter(_records(text, delimiter)), [])
    except csv.Error:
        return text.splitlines()[0].split(delimiter) if text else []


def _records(text: str, delimiter: str) -> list[list[str]]:
    """``text`` split by the standard library's CSV reader (for sniffing only: the first lines)."""
    limit = csv.field_size_limit(len(text) + 1)  # a long line is a limit of its own (limits.py)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)
