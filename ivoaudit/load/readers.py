"""Read an extract file (CSV or XLSX) into a raw table of text cells.

What is detected, and how:

* **Format** from the file's first bytes, not its name: ``PK`` (a zip) is a workbook;
  PDF, old binary Excel (``.xls``), UTF-16 text and other binary files are refused.
* **Encoding** (CSV): a UTF-8 byte-order mark → ``utf-8-sig``; else the first 64 KB are
  tried as UTF-8; else cp1252 (which covers latin-1 text in practice). A file whose bytes
  are neither UTF-8 nor cp1252 text — cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D
  undefined, and control characters do not occur in text — is refused as unreadable.
  Should bytes invalid in UTF-8 appear only after the first 64 KB, the file is re-read
  as cp1252 if everything before was plain ASCII, else refused as mixing encodings.
* **Delimiter** (CSV): ``,``, ``;`` or tab, whichever splits the first lines into the
  most columns consistently.
* **Rows**: numbered as the user sees them: header = row 1, first data row = 2. For CSV
  the number is the physical line on which the record starts (a quoted field spanning
  lines does not shift later numbers). Lines with no characters at all and entirely
  empty sheet rows are not data rows. CSV lines with the wrong number of fields are kept
  aside as rejected rows (quarantined as ``row_malformed``).

The CSV parse is Arrow's (``pyarrow.csv``), all columns as strings, only empty cells
null; nothing loops over rows in Python. A caller may ask for some columns as dates
(``date_columns``): Arrow then parses them while reading, as ``date32``, which costs
almost nothing beside the parse and spares the text of every date. That only succeeds
when every cell of those columns is blank or a plain ``YYYY-MM-DD`` date (white space
around it allowed); otherwise the whole file is read again as text and the loader's
date parser reads and names every cell. A column with another form of date in the file's
first lines is read as text from the start; a file whose odd date comes later pays for
one extra parse, never for a guessed date.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from ivoaudit.errors import InputError
from ivoaudit.i18n import t

if TYPE_CHECKING:
    import pandas as pd  # for RawTable.values (workbooks only): reading a CSV needs no pandas

SNIFF_BYTES = 65_536
DELIMITERS = (",", ";", "\t")
_UTF8_BOM = b"\xef\xbb\xbf"
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_PNR_LIKE = re.compile(r"\d{6}(?:\d{2})?\s*[-+]?\s*[0-9A-Za-z]\d{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_DATE = re.compile(r"[ \t]*\d{4}-\d{2}-\d{2}[ \t]*")  # what Arrow may read as a date
_DATE_CONVERSION = "CSV conversion error to date32"  # Arrow's message for a cell it cannot read
# Arrow parses blocks of this many bytes in parallel, and each becomes a chunk of every
# column. Its default, 1 MB, gave 174 chunks per column on a million cases, and every later
# per-chunk step paid for them: `ivoaudit check` took 2.37-2.40 s with 4 MB blocks against
# 2.46-2.47 s (median of 6 and 8 alternating runs; 16 MB: 2.42 s).
_BLOCK_BYTES = 4 << 20


@dataclass
class RawTable:
    """An extract's cells before normalising."""

    headers: list[str]  # as written ("" for a blank header cell)
    # One Arrow string column per header position, null = empty cell (a ``date32`` column
    # where ``date_columns`` asked for one and every cell was a plain date; a dictionary of
    # strings for a cp1252 column with bytes outside ASCII). Arrow, not pandas: the loader
    # strips and converts column by column and lets each raw column go.
    text: list[pa.ChunkedArray]
    rows: np.ndarray  # row number of each data row (int64)
    format: str  # "csv" | "xlsx"
    fingerprint: str
    values: pd.DataFrame | None = None  # XLSX: the cells' own Python values (dates as datetime)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    rejected: list[tuple[int, int]] = field(default_factory=list)  # (row, fields found)


DateColumns = Callable[[Sequence[str]], Collection[int]]


def read_table(
    path: str | Path, sheet: str | None = None, date_columns: DateColumns | None = None
) -> RawTable:
    """Read ``path`` (CSV or XLSX, by content) into a :class:`RawTable`.

    ``date_columns``: given the headers, the positions of the columns to read as dates
    when every cell allows it (CSV only; see the module's docstring). It may raise (a
    mapping naming a header the file lacks): then nothing is parsed.

    Raises :class:`~ivoaudit.errors.InputError` for a missing, empty, unreadable or
    unsupported file, a missing sheet or a missing header row.
    """
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            t(
                "Filen {file} finns inte. Kontrollera sökvägen och filnamnet.",
                "The file {file} does not exist. Check the path and file name.",
                file=path,
            )
        ) from None
    except IsADirectoryError:
        raise InputError(
            t(
                "{file} är en mapp, inte en fil. Ange uttagsfilen (CSV eller XLSX).",
                "{file} is a folder, not a file. Give the extract file (CSV or XLSX).",
                file=path,
            )
        ) from None
    except OSError as exc:
        raise InputError(
            t(
                "Filen {file} kan inte läsas ({err}). Stäng den i Excel och försök igen.",
                "The file {file} cannot be read ({err}). Close it in Excel and try again.",
                file=name,
                err=exc.strerror,
            )
        ) from None
    kind = sniff_format(data, name)
    # hashlib releases the GIL on large inputs, so the fingerprint is computed on a
    # second thread while the file is parsed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        read = (
            _read_xlsx(path, data, "", sheet)
            if kind == "xlsx"
            else _read_csv(name, data, "", date_columns)
        )
        read.fingerprint = digest.result()
    return read


def sniff_format(data: bytes, name: str) -> str:
    """``"csv"`` or ``"xlsx"`` from the file's first bytes; refuse anything else."""
    blank = _UTF8_BOM + b" \t\r\n"
    # The head decides for any real file; only an all-blank head needs the whole
    # (copying) strip.
    if not data[:SNIFF_BYTES].strip(blank) and not data.strip(blank):
        raise InputError(
            t(
                "Filen {file} är tom. Gör ett nytt uttag ur verksamhetssystemet och kontrollera att "
                "det innehåller en rubrikrad och ärenden.",
                "The file {file} is empty. Make a new extract from the case system and check that it "
                "contains a header row and cases.",
                file=name,
            )
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"%PDF"):
        raise InputError(
            t(
                "Filen {file} är en PDF, inte ett uttag i CSV- eller Excelformat. Gör uttaget som "
                "CSV eller Excel (.xlsx) ur verksamhetssystemet.",
                "The file {file} is a PDF, not a CSV or Excel extract. Export the extract as CSV or "
                "Excel (.xlsx) from the case system.",
                file=name,
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            t(
                "Filen {file} är i det gamla Excelformatet (.xls) eller ett annat Office-format. "
                "Öppna den i Excel och spara som Excel-arbetsbok (.xlsx) eller CSV.",
                "The file {file} is in the old Excel format (.xls) or another Office format. Open it "
                "in Excel and save it as an Excel workbook (.xlsx) or CSV.",
                file=name,
            )
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(
            t(
                'Filen {file} är sparad som UTF-16 ("Unicode-text"). Spara den i stället som '
                '"CSV UTF-8 (kommaavgränsad)" i Excel.',
                'The file {file} is saved as UTF-16 ("Unicode text"). Save it as "CSV UTF-8 '
                '(comma delimited)" in Excel instead.',
                file=name,
            )
        )
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(
            t(
                "Filen {file} är inte en textfil (CSV) eller Excel-arbetsbok (.xlsx). Gör uttaget "
                "som CSV eller .xlsx.",
                "The file {file} is neither a text file (CSV) nor an Excel workbook (.xlsx). Export "
                "the extract as CSV or .xlsx.",
                file=name,
            )
        )
    return "csv"


# --- CSV ------------------------------------------------------------------------------


def _unreadable(name: str) -> InputError:
    return InputError(
        t(
            "Filen {file} har en teckenkodning som inte kan läsas (varken UTF-8 eller Windows-1252), "
            'eller så är den inte en textfil. Öppna den i Excel och spara som "CSV UTF-8 '
            '(kommaavgränsad)".',
            "The file {file} has a character encoding that cannot be read (neither UTF-8 nor "
            'Windows-1252), or it is not a text file. Open it in Excel and save it as "CSV UTF-8 '
            '(comma delimited)".',
            file=name,
        )
    )


def detect_encoding(data: bytes, name: str) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252`` (see the module docstring)."""
    if data.startswith(_UTF8_BOM):
        return "utf-8-sig"
    head = data[:SNIFF_BYTES]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _check_cp1252(data, name)


def _check_cp1252(data: bytes, name: str) -> str:
    # The head only: past it, Arrow decodes with Python's cp1252 codec, which refuses the
    # same undefined bytes (see _read_csv). Scanning the whole file here cost up to 0.17 s
    # per million rows.
    head = data[:SNIFF_BYTES]
    if any(b in head for b in _CP1252_UNDEFINED) or _CONTROL.search(head.decode("cp1252")):
        raise _unreadable(name)
    return "cp1252"


def _head_text(data: bytes, encoding: str) -> str:
    head = data[:SNIFF_BYTES]
    text = head.decode(encoding, errors="replace")
    if len(data) > SNIFF_BYTES:  # drop the last, probably cut, line
        cut = text.rfind("\n")
        if cut > 0:
            text = text[:cut]
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns consistently."""
    lines = text.splitlines()[:50]
    best, best_score = ",", (0, 0.0)
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = (1 if consistent >= 0.8 else 0, counts[0] * consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(
    name: str, data: bytes, fingerprint: str, date_columns: DateColumns | None = None
) -> RawTable:
    encoding = detect_encoding(data, name)
    head = _head_text(data, encoding)
    delimiter = sniff_delimiter(head)
    header = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
    headers = [h.strip() for h in header]
    if not any(headers):
        raise InputError(
            t(
                "Filen {file} har ingen rubrikrad: första raden är tom. Första raden ska innehålla "
                "kolumnernas namn.",
                "The file {file} has no header row: the first line is empty. The "
                "first line should contain the columns' names.",
                file=name,
            )
        )
    if _looks_like_data(headers):
        raise _no_header(name, headers)
    has_quotes = b'"' in data
    dates = frozenset(date_columns(headers)) if date_columns is not None else frozenset()
    dates = _plain_in_head(head, delimiter, dates)
    try:
        table, rejected_texts = _arrow_read(data, encoding, delimiter, len(headers), has_quotes, dates)
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined, past the head
        raise _unreadable(name) from None
    except pa.ArrowInvalid as exc:
        if "UTF8" not in str(exc) and "utf8" not in str(exc).lower():
            raise InputError(
                t(
                    "Filen {file} kan inte läsas som CSV ({err}). Kontrollera att den är ett uttag "
                    "med en rubrikrad och en rad per ärende.",
                    "The file {file} cannot be read as CSV ({err}). Check that it is an extract with "
                    "a header row and one row per case.",
                    file=name,
                    err=exc,
                )
            ) from None
        # Bytes invalid in UTF-8 after the sniffed head: cp1252, if the head was plain ASCII.
        if not data[:SNIFF_BYTES].isascii():
            raise _unreadable(name) from None
        encoding = _check_cp1252(data, name)
        try:
            table, rejected_texts = _arrow_read(data, encoding, delimiter, len(headers), has_quotes, dates)
        except UnicodeDecodeError:
            raise _unreadable(name) from None
    nrows = table.num_rows
    text = list(table.columns)
    del table
    rows, rejected = _row_numbers(data, encoding, nrows, rejected_texts, has_quotes, len(headers))
    return RawTable(
        headers=headers,
        text=text,
        rows=rows,
        format="csv",
        fingerprint=fingerprint,
        encoding=encoding,
        delimiter=delimiter,
        rejected=rejected,
    )


def _arrow_read(
    data: bytes,
    encoding: str,
    delimiter: str,
    ncols: int,
    has_quotes: bool,
    dates: frozenset[int] = frozenset(),
) -> tuple[pa.Table, list[tuple[str, int]]]:
    """Arrow's parse: columns in ``dates`` as ``date32`` if every cell allows, all else text."""
    if dates:
        try:
            return _arrow_parse(data, encoding, delimiter, ncols, has_quotes, dates)
        except pa.ArrowInvalid as exc:
            if _DATE_CONVERSION not in str(exc):
                raise
        # A cell that is not blank or a plain date: all as text, the date parser decides.
    return _arrow_parse(data, encoding, delimiter, ncols, has_quotes, frozenset())


def _plain_in_head(head: str, delimiter: str, dates: frozenset[int]) -> frozenset[int]:
    """The columns of ``dates`` whose cells in the file's first lines are all blank or plain
    ``YYYY-MM-DD``: only those are asked of Arrow as dates. A column that is odd already
    there (a time of day after every date, Swedish day-first dates) would make Arrow's
    typed read fail and the whole file be read twice."""
    keep = set(dates)
    try:
        for row in itertools.islice(csv.reader(io.StringIO(head), delimiter=delimiter), 1, None):
            for pos in [p for p in keep if p < len(row) and row[p] and not _PLAIN_DATE.fullmatch(row[p])]:
                keep.discard(pos)
            if not keep:
                break
    except csv.Error:  # a quoted field cut at the end of the head: the typed read decides
        pass
    return frozenset(keep)


def _arrow_parse(
    data: bytes,
    encoding: str,
    delimiter: str,
    ncols: int,
    has_quotes: bool,
    dates: frozenset[int],
) -> tuple[pa.Table, list[tuple[str, int]]]:
    names = [f"c{i}" for i in range(ncols)]
    rejected: list[tuple[str, int]] = []

    def on_invalid(row: pa_csv.InvalidRow) -> str:
        rejected.append((row.text, row.actual_columns))
        return "skip"

    # An Arrow buffer over the bytes, not a file object: Arrow's threads then read it
    # without going through Python (about 0.15 s less per million rows).
    view = memoryview(data)
    source = pa.py_buffer(view[len(_UTF8_BOM) :] if encoding == "utf-8-sig" else view)
    if encoding == "cp1252":
        try:
            return _cp1252_parse(source, names, delimiter, has_quotes, dates)
        except (UnicodeDecodeError, _NotPlain):
            pass  # rare (a bad row, an undefined byte): Arrow's transcoding below decides
    table = pa_csv.read_csv(
        source,
        read_options=pa_csv.ReadOptions(
            column_names=names,
            skip_rows=1,
            encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
            block_size=_BLOCK_BYTES,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter, newlines_in_values=has_quotes, invalid_row_handler=on_invalid
        ),
        convert_options=_convert_options(names, dates, pa.string()),
    )
    return table, rejected


def _convert_options(names: list[str], dates: frozenset[int], text: pa.DataType) -> pa_csv.ConvertOptions:
    return pa_csv.ConvertOptions(
        column_types={n: pa.date32() if i in dates else text for i, n in enumerate(names)},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )


class _NotPlain(Exception):
    """A cp1252 file the byte-level parse leaves to Arrow's transcoding."""


def _cp1252_parse(
    source: pa.Buffer, names: list[str], delimiter: str, has_quotes: bool, dates: frozenset[int]
) -> tuple[pa.Table, list[tuple[str, int]]]:
    """A cp1252 CSV parsed as bytes, then each column with bytes outside ASCII decoded.

    Why: Arrow transcodes a non-UTF-8 file through Python's codec on a single thread that
    holds the GIL, before its parallel parse: on a million cases 0.43 s of the 0.45 s parse
    (py-spy). But the CSV structure (delimiters, quotes, line ends) is ASCII in cp1252, and
    most columns of an extract (ids, numbers, dates) are ASCII through and through: those
    are used as they are, and the few others (units, names, code texts) are decoded value
    by distinct value with the same codec. Parse with decoding: 0.29 s against 0.42 s
    (4 alternating runs, the 1M benchmark extract). The columns are equal to those of
    Arrow's transcoding; an undefined byte raises the codec's ``UnicodeDecodeError``.

    Raises :class:`_NotPlain` for a row with the wrong number of fields: its text must be
    reported decoded, and pyarrow decodes it as UTF-8 before any handler of ours sees it
    (failing on cp1252 bytes with a message on stderr), so such files take the
    transcoding path, as all cp1252 files did before.
    """
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, encoding="utf8", block_size=_BLOCK_BYTES
            ),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=has_quotes),
            convert_options=_convert_options(names, dates, pa.binary()),
        )
    except pa.ArrowInvalid as exc:
        if _DATE_CONVERSION in str(exc):
            raise  # the caller reads the dates as text then (see _arrow_read)
        raise _NotPlain from None
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's kernels release the GIL
        columns = list(pool.map(_cp1252_column, table.columns))
    return pa.table(columns, names=names), []


def _cp1252_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A binary column of cp1252 bytes as text: a string column when every byte is ASCII,
    else a dictionary of strings (a date32 column as it is)."""
    if not pa.types.is_binary(column.type):
        return column
    if not any(_has_high_byte(chunk) for chunk in column.chunks):  # ASCII is UTF-8 as it is
        return pa.chunked_array([chunk.view(pa.string()) for chunk in column.chunks], pa.string())
    if sum(chunk.nbytes for chunk in column.chunks) > _MAX_DECODED:
        raise _NotPlain  # its text might not fit one string array (int32 offsets)
    encoded = column.combine_chunks().dictionary_encode()
    # Built from buffers, not with pa.array(list): that makes pyarrow import pandas, which
    # this module must not need (ivoaudit.load.reading).
    utf8 = [value.decode("cp1252").encode("utf-8") for value in encoded.dictionary.to_pylist()]
    bounds = np.zeros(len(utf8) + 1, dtype=np.int32)
    np.cumsum([len(value) for value in utf8], out=bounds[1:])
    texts = pa.Array.from_buffers(pa.string(), len(utf8), [None, pa.py_buffer(bounds), pa.py_buffer(b"".join(utf8))])
    # Kept a dictionary: such columns (units, names, code texts) have few distinct values,
    # and the loader trims and normalises each value once (see build_extract).
    return pa.chunked_array([pa.DictionaryArray.from_arrays(encoded.indices, texts)])


_MAX_DECODED = (2**31 - 1) // 3  # bytes of a column whose UTF-8 surely fits: 3 bytes per byte at most


def _has_high_byte(chunk: pa.BinaryArray) -> bool:
    """True when a value of ``chunk`` has a byte of 0x80 or more (checked on its buffer)."""
    _, offsets, data = chunk.buffers()
    if data is None or len(chunk) == 0:
        return False
    bounds = np.frombuffer(offsets, dtype=np.int32)
    values = np.frombuffer(data, dtype=np.uint8)[bounds[chunk.offset] : bounds[chunk.offset + len(chunk)]]
    return bool((values >= 0x80).any())


def _row_numbers(
    data: bytes,
    encoding: str,
    nrows: int,
    rejected_texts: list[tuple[str, int]],
    has_quotes: bool,
    ncols: int,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Physical start line of each parsed record, and of each rejected one.

    Fast path: one line per record and nothing skipped → rows 2, 3, …. Otherwise the
    record boundaries are found with numpy: newlines outside quotes (an even number of
    ``"`` before them) end a record; records with no characters are skipped, as Arrow does.
    """
    newline = ord("\n") if b"\n" in data else ord("\r")
    line_count = _count_byte(data, newline) + (0 if data.endswith(bytes([newline])) else 1)
    if not rejected_texts and line_count == nrows + 1:
        return np.arange(2, nrows + 2, dtype=np.int64), []

    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == newline)
    if has_quotes:
        quotes = np.flatnonzero(buf == ord('"'))
        bounds = nl[np.searchsorted(quotes, nl) % 2 == 0]
    else:
        bounds = nl
    starts = np.concatenate(([0], bounds + 1))
    ends = np.concatenate((bounds, [len(buf)]))
    length = ends - starts
    safe = np.minimum(starts, len(buf) - 1)
    empty = (length == 0) | ((length == 1) & (buf[safe] == ord("\r")))
    starts, ends = starts[~empty], ends[~empty]
    lines = np.searchsorted(nl, starts, side="left") + 1  # newlines before the start, + 1
    if len(starts) == 0:
        return np.arange(2, nrows + 2, dtype=np.int64), []
    starts, ends, lines = starts[1:], ends[1:], lines[1:]  # drop the header record

    bad_index: list[int] = []
    used: set[int] = set()
    codec = "utf-8" if encoding.startswith("utf-8") else encoding
    for text, _ in rejected_texts:
        target = text.rstrip("\r").encode(codec, errors="replace")
        position = 0
        while True:
            found = data.find(target, position)
            if found < 0:
                break
            index = int(np.searchsorted(starts, found))
            if index < len(starts) and starts[index] == found and index not in used:
                used.add(index)
                bad_index.append(index)
                break
            position = found + 1
    keep = np.ones(len(starts), dtype=bool)
    keep[bad_index] = False
    good_lines = lines[keep]
    if len(good_lines) != nrows:  # should not happen; fall back to record order
        good_lines = np.arange(2, nrows + 2, dtype=np.int64)
    rejected = [
        (int(lines[i]), actual) for i, (_, actual) in zip(bad_index, rejected_texts, strict=False)
    ]
    return good_lines.astype(np.int64), rejected


def _count_byte(data: bytes, byte: int) -> int:
    """How many times ``byte`` occurs in ``data``: numpy over 1 MB pieces, about four times
    faster than ``bytes.count`` on a large file, and no big temporary array."""
    buf = np.frombuffer(data, dtype=np.uint8)
    piece = 1 << 20
    return sum(int(np.count_nonzero(buf[at : at + piece] == byte)) for at in range(0, len(buf), piece))


# --- header checks --------------------------------------------------------------------


def _looks_like_data(headers: Sequence[object]) -> bool:
    from ivoaudit.load.headers import looks_like_data

    return looks_like_data(headers)


def _no_header(name: str, headers: Sequence[object]) -> InputError:
    from ivoaudit.normalise.personnummer import mask_personnummer

    def safe(cell: object) -> str:
        text = str(cell).strip()
        return mask_personnummer(text) if _PNR_LIKE.search(text) else text

    shown = ", ".join(f'"{safe(h)}"' for h in headers[:6] if h is not None and str(h).strip())
    return InputError(
        t(
            "Filen {file} verkar sakna rubrikrad: första raden ({cells}) ser ut som data (datum, "
            "nummer eller personnummer), inte som kolumnnamn. Lägg till en rubrikrad överst med "
            "kolumnernas namn, till exempel Ärendenr;Personnr;Anmälan inkom.",
            "The file {file} seems to lack a header row: the first row ({cells}) looks like data "
            "(dates, numbers or personal identity numbers), not column names. Add a header row at "
            "the top with the columns' names, for example Case no,Person no,Received.",
            file=name,
            cells=shown,
        )
    )


# --- XLSX -----------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
    """A workbook cell as the text a CSV export would hold (``None`` for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, data: bytes, fingerprint: str, sheet: str | None) -> RawTable:
    import zipfile

    import openpyxl
    import pandas as pd

    name = path.name
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            t(
                "Filen {file} är ingen Excel-arbetsbok som kan läsas (.xlsx) ({err}). Öppna den i Excel "
                "och spara som Excel-arbetsbok (.xlsx) eller CSV.",
                "The file {file} is not a readable Excel workbook (.xlsx) ({err}). Open it in Excel "
                "and save it as an Excel workbook (.xlsx) or CSV.",
                file=name,
                err=exc,
            )
        ) from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException and others
        raise InputError(
            t(
                "Filen {file} är ingen Excel-arbetsbok som kan läsas (.xlsx) ({err}). Spara den som "
                ".xlsx eller CSV.",
                "The file {file} is not a readable Excel workbook (.xlsx) "
                "({err}). Save it as .xlsx or CSV.",
                file=name,
                err=type(exc).__name__,
            )
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            chosen = names[0]
        else:
            matches = [n for n in names if n == sheet] or [
                n for n in names if n.strip().casefold() == sheet.strip().casefold()
            ]
            if not matches:
                raise InputError(
                    t(
                        'Arbetsboken {file} har inget blad som heter "{sheet}". Bladen är: {sheets}. '
                        "Ange ett av dem med --sheet (eller sheet: i mappningsfilen).",
                        'The workbook {file} has no sheet called "{sheet}". Its sheets are: {sheets}. '
                        "Give one of them with --sheet (or sheet: in the mapping file).",
                        file=name,
                        sheet=sheet,
                        sheets=", ".join(f'"{n}"' for n in names),
                    )
                )
            chosen = matches[0]
        worksheet = workbook[chosen]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # trust the cells, not a stale <dimension> element
        header: list[object] | None = None
        header_row = 1
        records: list[tuple[object, ...]] = []
        rows: list[int] = []
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and v == "") for v in row):
                continue  # an empty sheet row is not a data row
            if header is None:
                header, header_row = list(row), number
                continue
            records.append(row)
            rows.append(number)
    finally:
        workbook.close()

    if header is None:
        raise InputError(
            t(
                'Bladet "{sheet}" i {file} är tomt. Välj bladet med uttaget med --sheet.',
                'The sheet "{sheet}" in {file} is empty. Choose the sheet with the extract with '
                "--sheet.",
                sheet=chosen,
                file=name,
            )
        )
    if _looks_like_data(header):
        raise _no_header(name, header)
    width = max([len(header), *(len(r) for r in records)])

    def column_empty(i: int) -> bool:
        in_header = i < len(header) and header[i] is not None
        return not in_header and all(len(r) <= i or r[i] is None for r in records)

    while width > 0 and column_empty(width - 1):  # formatting-only columns at the right
        width -= 1
    headers = [(cell_text(h) or "").strip() for h in header[:width]] + [""] * (width - len(header))
    padded = [tuple(r[:width]) + (None,) * (width - len(r)) for r in records]
    values = pd.DataFrame(padded, columns=list(range(width)), dtype=object)
    if values.empty:
        values = pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    text = [
        pa.chunked_array([pa.array([cell_text(v) for v in values[i]], type=pa.string())])
        for i in range(width)
    ]
    return RawTable(
        headers=headers,
        text=text,
        rows=np.asarray(rows, dtype=np.int64),
        format="xlsx",
        fingerprint=fingerprint,
        values=values,
        sheet=chosen,
        header_row=header_row,
    )
