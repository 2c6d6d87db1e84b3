"""Read a CSV extract into a :class:`~ivoaudit.load.raw_table.RawTable` with Arrow.

The parse is Arrow's (``pyarrow.csv``), every column as text, only empty cells null. Every
line is accounted for by :mod:`ivoaudit.load.lines`: records the parser refuses and lines a
stray quote swallowed are kept aside for the quarantine with their line numbers, never
dropped. A file that is not UTF-8 or cp1252-like (UTF-16 or UTF-32, as Excel's "Unicode text"
export writes) is converted to UTF-8 first, so lines and quotes are counted on the same bytes
Arrow reads. A line over :data:`~ivoaudit.load.limits.MAX_LINE_BYTES`, a cell over
:data:`~ivoaudit.load.limits.MAX_CELL_CHARS` characters or more than
:data:`~ivoaudit.load.limits.MAX_COLUMNS` columns refuse the file with the line and column.
"""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.load.headers import looks_like_data
from ivoaudit.load.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    cell_too_long,
    megabytes,
)
from ivoaudit.load.lines import Lines, account, header_last_line, physical_lines
from ivoaudit.load.raw_table import RawTable
from ivoaudit.load.sniff import (
    ADVICE_DELIMITER,
    ADVICE_ENCODING,
    SNIFF_BYTES,
    check_cp1252,
    detect_encoding,
    first_record,
    is_ascii_compatible,
    sniff_delimiter,
    unreadable,
)

TOP_ROWS = 20  # rows looked at for a header below title rows


def read_csv_table(name: str, data: bytes, *, encoding: str | None = None, delimiter: str | None = None,
                   header_row: int | None = None) -> RawTable:
    """Read CSV ``data`` (the file ``name``); ``encoding``/``delimiter`` override sniffing,
    ``header_row`` (1-based line) overrides "the first line that is not empty"."""
    chosen = encoding or detect_encoding(data, name)
    try:
        return _read(name, data, chosen, delimiter, header_row, given=encoding is not None)
    except _NotUtf8:
        # Bytes invalid in UTF-8 past the sniffed head: cp1252, if the head was plain ASCII.
        if not data[:SNIFF_BYTES].isascii():
            raise unreadable(name) from None
        return _read(name, data, check_cp1252(data, name), delimiter, header_row, given=False)


class _NotUtf8(Exception):
    """Arrow found bytes that are not UTF-8 in a file sniffed as UTF-8."""


def _read(name: str, data: bytes, encoding: str, delimiter: str | None, header_row: int | None,
          given: bool) -> RawTable:
    buffer, arrow_encoding = _parser_bytes(name, data, encoding)
    if arrow_encoding == "utf8" and not _is_utf8(buffer):
        if given:
            raise unreadable(name, encoding)
        raise _NotUtf8
    lines = physical_lines(buffer)
    _check_line_lengths(name, lines)
    header_index = _header_index(name, lines, header_row)
    head = _head_text(buffer, lines, header_index, arrow_encoding)
    delimiter = delimiter or sniff_delimiter(head)
    headers = [h.strip() for h in first_record(head, delimiter)]
    _check_headers(name, headers)
    # Arrow skips the header by physical lines: it starts at the header record's last one.
    header_end = header_last_line(buffer, lines, header_index, delimiter, name)
    table, refused = _arrow_parse(name, buffer, lines, header_end, headers, delimiter, arrow_encoding,
                                  given)
    counted = account(buffer, lines, header_index, table.num_rows + len(refused), refused, len(headers),
                      delimiter, name)
    if counted.swallowed:
        keep = np.ones(table.num_rows, dtype=bool)
        keep[counted.swallowed] = False
        table = table.filter(pa.array(keep))
    _check_cells(name, table, headers, counted.record_lines)
    filled = np.flatnonzero(lines.lengths[: header_index + 200] > 0)[:TOP_ROWS]
    top = [(int(i) + 1, first_record(_line_text(buffer, lines, int(i), arrow_encoding), delimiter)) for i in filled]
    return RawTable(headers=headers, text=list(table.columns), rows=counted.record_lines, format="csv",
                    encoding=encoding, delimiter=delimiter, header_row=header_index + 1,
                    rejected=counted.malformed, quote_rows=counted.quote_rows,
                    continued=_header_continued(lines, header_index, header_end) + counted.continued,
                    top_rows=top, header_is_data=looks_like_data(headers))


def _header_continued(lines: Lines, header_index: int, header_end: int) -> list[int]:
    """The header's later lines (1-based, non-blank) when a quoted header cell has line breaks:
    accounted for as lines that continue a cell."""
    return [k + 1 for k in range(header_index + 1, header_end + 1) if lines.lengths[k] > 0]


def _parser_bytes(name: str, data: bytes, encoding: str) -> tuple[bytes | memoryview, str]:
    """The bytes Arrow reads and the encoding it reads them in: the file itself when its
    structure is ASCII (UTF-8 without its byte-order mark, cp1252, latin-1), else the text
    converted to UTF-8."""
    if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") or encoding == "utf-8-sig":
        start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        return memoryview(data)[start:], "utf8"
    if is_ascii_compatible(encoding):
        return data, encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, UnicodeError):
        raise unreadable(name, encoding) from None
    return text.lstrip("\ufeff").encode("utf-8"), "utf8"


def _is_utf8(buffer: bytes | memoryview) -> bool:
    """Whether ``buffer`` is valid UTF-8, checked a piece at a time (Arrow would otherwise hand a
    refused row's broken bytes to its row handler, which cannot decode them)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(0, len(buffer), 1 << 24):
            decoder.decode(buffer[at : at + (1 << 24)], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_line_lengths(name: str, lines: Lines) -> None:
    if not len(lines):
        return
    longest = int(np.argmax(lines.lengths))
    if lines.lengths[longest] > MAX_LINE_BYTES:
        raise InputError(t(
            "Rad {line} i {file} är {size} MB lång; den längsta rad som läses är {limit} MB. Kontrollera att "
            "filen är ett uttag med en rad per ärende och att radbrytningarna finns kvar.",
            "Line {line} of {file} is {size} MB long; the longest line read is {limit} MB. Check that the "
            "file is an extract with one line per case and that its line breaks are there.",
            line=longest + 1, file=name, size=megabytes(int(lines.lengths[longest])),
            limit=megabytes(MAX_LINE_BYTES)))


def _header_index(name: str, lines: Lines, header_row: int | None) -> int:
    if header_row is not None:
        return header_row - 1
    filled = np.flatnonzero(lines.lengths > 0)
    if not len(filled):
        raise InputError(t("Filen {file} är tom.", "The file {file} is empty.", file=name))
    return int(filled[0])


def _head_text(buffer: bytes | memoryview, lines: Lines, header_index: int, encoding: str) -> str:
    """The header line and up to 50 lines after it, as text (for sniffing)."""
    last = min(header_index + 50, len(lines) - 1)
    raw = bytes(buffer[int(lines.starts[header_index]):int(lines.ends[last])])
    return raw.decode("utf-8" if encoding == "utf8" else encoding, errors="replace")


def _line_text(buffer: bytes | memoryview, lines: Lines, index: int, encoding: str) -> str:
    raw = bytes(buffer[int(lines.starts[index]):int(lines.ends[index])])
    return raw.decode("utf-8" if encoding == "utf8" else encoding, errors="replace")


def _check_headers(name: str, headers: list[str]) -> None:
    if not any(headers):
        raise InputError(t(
            "Filen {file} har ingen rubrikrad: första raden är tom. Första raden ska innehålla "
            "kolumnernas namn.",
            "The file {file} has no header row: the first line is empty. The first line should "
            "contain the columns' names.", file=name))
    if len(headers) > MAX_COLUMNS:
        raise InputError(t(
            "Rubrikraden i {file} har {n} kolumner; högst {limit} läses (Excels gräns). Kontrollera "
            "att filen är ett uttag med en rubrikrad.",
            "The header row of {file} has {n} columns; at most {limit} are read (Excel's limit). Check "
            "that the file is an extract with a header row.", file=name, n=len(headers), limit=MAX_COLUMNS)
            + t(*ADVICE_DELIMITER))


def _arrow_parse(name: str, buffer: bytes | memoryview, lines: Lines, header_index: int,
                 headers: list[str], delimiter: str, encoding: str,
                 given: bool) -> tuple[pa.Table, dict[int, int]]:
    """Arrow's parse from the header line on: the table and the refused records (record number,
    the header being 1 → fields found). Arrow numbers refused records only when it parses on
    one thread, so a file with any is parsed again that way."""
    table, refused = _arrow_read(name, buffer, lines, header_index, headers, delimiter, encoding, given,
                                 threads=True)
    if refused:
        table, refused = _arrow_read(name, buffer, lines, header_index, headers, delimiter, encoding,
                                     given, threads=False)
    return table, refused


def _arrow_read(name: str, buffer: bytes | memoryview, lines: Lines, header_index: int,
                headers: list[str], delimiter: str, encoding: str, given: bool,
                threads: bool) -> tuple[pa.Table, dict[int, int]]:
    refused: dict[int, int] = {}

    def on_invalid(row: pa_csv.InvalidRow) -> str:  # without a number when parsed on threads
        refused[-1 - len(refused) if row.number is None else int(row.number)] = int(row.actual_columns)
        return "skip"

    names = [f"c{i}" for i in range(len(headers))]
    source = pa.py_buffer(buffer)[int(lines.starts[header_index]):]
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, encoding=encoding,
                                            use_threads=threads, block_size=4 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                              invalid_row_handler=on_invalid),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                  strings_can_be_null=True, null_values=[""],
                                                  quoted_strings_can_be_null=True))
    except UnicodeDecodeError:  # a byte the encoding leaves undefined
        raise unreadable(name, encoding if given else None) from None
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower() and not given:
            raise _NotUtf8 from None
        if "utf8" in str(exc).lower():
            raise unreadable(name, "utf-8") from None
        raise InputError(t(
            "Filen {file} kan inte läsas som CSV. Kontrollera att den är ett uttag med en rubrikrad och "
            "en rad per ärende.",
            "The file {file} cannot be read as CSV. Check that it is an extract with a header row and "
            "one row per case.", file=name) + t(*ADVICE_DELIMITER) + t(*ADVICE_ENCODING)) from None
    return table, refused


def _check_cells(name: str, table: pa.Table, headers: list[str], rows: np.ndarray) -> None:
    """Refuse a cell longer than Excel allows (a cell may span lines, so lines alone cannot tell)."""
    for position, column in enumerate(table.columns):
        if column.null_count == len(column):
            continue
        if (pc.max(pc.binary_length(column)).as_py() or 0) <= MAX_CELL_CHARS:
            continue  # no more bytes than characters allowed: the usual column
        lengths = pc.utf8_length(column)
        if (pc.max(lengths).as_py() or 0) <= MAX_CELL_CHARS:
            continue
        record = int(pc.index(pc.greater(lengths, MAX_CELL_CHARS), True).as_py())
        raise cell_too_long(name, int(rows[record]), headers[position] or str(position + 1))

