"""Every line of a CSV file accounted for, counted without the CSV parser.

The parser (Arrow) says how many records it read and which it refused; this module counts the
file's *physical lines* on its own (a line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``; a
line with no characters at all is not a row) and ties each record to the lines it covers.
When every record is one line, line k of the data is record k. When some record covers
several lines, the lines are tied to records by where quoted fields begin and end: a quoted
field starts with a ``"`` at the start of a field and ends at the next ``"`` that is not
doubled, as in RFC 4180 and Arrow; a ``"`` that opens a field and never closes runs to the end
of the file, as Arrow reads it.

A record over several lines is either

* a cell with line breaks, as Excel writes them (the record has the header's width and no
  line after its first could be a row of its own): one row, whose later lines are listed as
  ``continued`` so that every line is still accounted for; or
* rows swallowed by a missing or extra quote (a later line of the record holds a whole row's
  worth of delimiters, or the parser refused the record): every line of it is quarantined as
  ``row_quote``, with the line numbers, and none of it is loaded.

If the parser's count of records and this count ever disagree, the file is refused: a row
is never dropped or merged without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ivoaudit.errors import InputError
from ivoaudit.i18n import t

_PIECE = 1 << 24  # bytes compared at a time: no temporary the size of the file


@dataclass(frozen=True)
class Lines:
    """The physical lines of a buffer: byte offsets where each starts and where its text ends
    (before the line break). Line ``k`` (1-based) is index ``k - 1``."""

    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def lengths(self) -> np.ndarray:
        return self.ends - self.starts


def physical_lines(data: bytes | memoryview) -> Lines:
    """Where every line of ``data`` starts and ends (a final line break opens no new line)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    lf, cr = [], []
    for at in range(0, len(buf), _PIECE):
        piece = buf[at : at + _PIECE]
        lf.append(np.flatnonzero(piece == 10) + at)
        cr.append(np.flatnonzero(piece == 13) + at)
    newlines = np.concatenate(lf) if lf else np.zeros(0, np.int64)
    returns = np.concatenate(cr) if cr else np.zeros(0, np.int64)
    breaks = newlines.astype(np.int64)
    ends = breaks.copy()
    if len(returns):
        # A CR ends a line unless a LF follows it (then the pair does, at the LF).
        followed = buf[np.minimum(returns + 1, len(buf) - 1)] == 10
        followed[returns + 1 >= len(buf)] = False
        breaks = np.sort(np.concatenate((newlines, returns[~followed]))).astype(np.int64)
        ends = breaks.copy()
        ends[(buf[breaks] == 10) & (breaks > 0) & (buf[np.maximum(breaks - 1, 0)] == 13)] -= 1
    starts = np.concatenate(([0], breaks + 1)).astype(np.int64)
    ends = np.concatenate((ends, [len(buf)])).astype(np.int64)
    if starts[-1] >= len(buf):  # the file ends with a line break: no line after it
        starts, ends = starts[:-1], ends[:-1]
    return Lines(starts, ends)


HEADER_LINES = 50  # the most physical lines a header record may run over (cells with line breaks)


def header_last_line(data: bytes | memoryview, lines: Lines, header_index: int, delimiter: str,
                     file: str) -> int:
    """The index of the header record's last physical line: the header's own, or a later one
    when a quoted header cell has line breaks (Excel writes "Anmälan⏎inkom" so). A header
    whose quotes run on over a line that holds a whole row's worth of delimiters, or over more
    than :data:`HEADER_LINES` lines, has swallowed rows: refused, naming its first line."""
    last = min(header_index + HEADER_LINES, len(lines) - 1)
    begin = int(lines.starts[header_index])
    head = bytes(data[begin:int(lines.ends[last])])
    quoted = _quoted_spans(head, delimiter)
    ends = lines.ends[header_index:last + 1] - begin
    free = np.flatnonzero(~_inside(quoted, ends))
    sep = ord(delimiter)
    if len(free):
        end = header_index + int(free[0])
        following = next((k for k in range(end + 2, len(lines) + 1) if lines.lengths[k - 1] > 0), None)
        row_width = _count(data, lines, following, sep) if following else 0
        if not any(row_width and _count(data, lines, k, sep) >= row_width
                   for k in range(header_index + 2, end + 2)):
            return end
    raise InputError(t(
        "Rubrikraden i {file} (rad {line}) har ett citattecken (\") som inte avslutas där: det tar med sig "
        "raderna efter den. Kontrollera citattecknen på rad {line}, eller gör ett nytt uttag.",
        "The header row of {file} (line {line}) has a double quote that is not closed there: it takes the "
        "lines after it along. Check the double quotes on line {line}, or make a new extract.",
        file=file, line=header_index + 1))


@dataclass
class Accounting:
    """Which line each record starts on, and what was not loaded.

    ``record_lines``: the first line of each accepted record, in order; ``quote_rows``:
    (first line, all lines) per group of lines swallowed by a quote; ``malformed``: (line,
    fields found) per refused one-line record; ``continued``: lines that continue a cell
    with line breaks of the row before; ``swallowed``: indexes of *accepted* records that
    are part of a quote problem and must not be loaded.
    """

    record_lines: np.ndarray
    malformed: list[tuple[int, int]] = field(default_factory=list)
    quote_rows: list[tuple[int, list[int]]] = field(default_factory=list)
    continued: list[int] = field(default_factory=list)
    swallowed: list[int] = field(default_factory=list)


def account(data: bytes | memoryview, lines: Lines, header_index: int, records: int,
            refused: dict[int, int], ncols: int, delimiter: str, file: str) -> Accounting:
    """Tie the parser's ``records`` (accepted and ``refused``: record number → fields found,
    the header being record 1) to the lines after ``header_index`` (0-based)."""
    data_lines = np.flatnonzero(lines.lengths[header_index + 1:] > 0) + header_index + 2  # 1-based
    if len(data_lines) == records:  # the usual case: every record is one line
        accepted = np.ones(records, dtype=bool)
        malformed = []
        for number, found in refused.items():
            accepted[number - 2] = False
            malformed.append((int(data_lines[number - 2]), found))
        return Accounting(data_lines[accepted], malformed=sorted(malformed))
    spans = _record_spans(data, lines, header_index, delimiter)
    if len(spans) != records:
        raise _disagree(file, spans, records)
    return _classify(data, lines, spans, refused, ncols, delimiter)


def _record_spans(data: bytes | memoryview, lines: Lines, header_index: int,
                  delimiter: str) -> list[tuple[int, int]]:
    """(first line, last line) of each data record, 1-based, by where quoted fields run."""
    begin = int(lines.starts[header_index])
    quoted = _quoted_spans(bytes(data[begin:]), delimiter)
    ends = lines.ends[header_index:] - begin
    inside = _inside(quoted, ends)  # the line's break lies within a quoted field
    new_record = np.concatenate(([True], ~inside[:-1]))
    record = np.cumsum(new_record) - 1
    first = np.flatnonzero(new_record)
    last = np.concatenate((first[1:] - 1, [len(record) - 1]))
    empty = (first == last) & (lines.lengths[header_index:][first] == 0)
    keep = ~empty
    keep[0] = False  # the header
    offset = header_index + 1
    return [(int(a) + offset, int(b) + offset) for a, b in zip(first[keep], last[keep], strict=True)]


def _quoted_spans(text: bytes, delimiter: str) -> np.ndarray:
    """(start, end) byte offsets of every quoted field, as an (n, 2) array."""
    field_start = rb"(?<![^" + re.escape(delimiter.encode()) + rb"\r\n])"
    pattern = re.compile(field_start + rb'"[^"]*(?:""[^"]*)*"')
    spans = np.array([m.span() for m in pattern.finditer(text)], dtype=np.int64).reshape(-1, 2)
    # The first quote that opens a field and is not closed runs to the end of the file.
    openings = np.array([m.start() for m in re.finditer(field_start + rb'"', text)], dtype=np.int64)
    loose = openings[~_inside(spans, openings) & ~np.isin(openings, spans[:, 0])]
    if len(loose):  # and whatever looked like quoted fields after it is inside it
        spans = np.vstack([spans[spans[:, 0] < loose[0]], [[loose[0], len(text) + 1]]])
    return spans


def _inside(spans: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """For each offset: does it lie inside a quoted field (after its opening quote)?"""
    if not len(spans):
        return np.zeros(len(offsets), dtype=bool)
    i = np.searchsorted(spans[:, 0], offsets, side="right") - 1
    safe = np.maximum(i, 0)
    return (i >= 0) & (spans[safe, 0] < offsets) & (offsets < spans[safe, 1])


def _classify(data: bytes | memoryview, lines: Lines, spans: list[tuple[int, int]], refused: dict[int, int],
              ncols: int, delimiter: str) -> Accounting:
    out = Accounting(np.zeros(0, dtype=np.int64))
    starts: list[int] = []
    accepted_index = 0
    sep = ord(delimiter)
    for number, (first, last) in enumerate(spans, start=2):
        is_refused = number in refused
        if first == last:
            if is_refused:
                out.malformed.append((first, refused[number]))
            else:
                starts.append(first)
                accepted_index += 1
            continue
        body = range(first + 1, last + 1)
        row_like = any(_count(data, lines, k, sep) >= ncols - 1 for k in body)
        if is_refused or row_like:
            out.quote_rows.append((first, [k for k in range(first, last + 1) if lines.ends[k - 1] > lines.starts[k - 1]]))
            if not is_refused:
                out.swallowed.append(accepted_index)
                accepted_index += 1
            continue
        starts.append(first)
        out.continued.extend(k for k in body if lines.ends[k - 1] > lines.starts[k - 1])
        accepted_index += 1
    out.record_lines = np.asarray(starts, dtype=np.int64)
    return out


def _count(data: bytes | memoryview, lines: Lines, line: int, byte: int) -> int:
    return bytes(data[int(lines.starts[line - 1]):int(lines.ends[line - 1])]).count(bytes([byte]))


def _disagree(file: str, spans: list[tuple[int, int]], records: int) -> InputError:
    first = next((a for a, b in spans if b > a), spans[0][0] if spans else 2)
    return InputError(t(
        "Raderna i {file} kan inte räknas säkert: citattecknen från rad {line} och framåt kan läsas på "
        "mer än ett sätt, och ingen rad får försvinna. Kontrollera citattecknen (\") på rad {line}, "
        "eller gör ett nytt uttag.",
        "The rows of {file} cannot be counted safely: the quotes from line {line} on can be read in "
        "more than one way, and no row may disappear. Check the double quotes on line {line}, or "
        "make a new extract.", file=file, line=first))
