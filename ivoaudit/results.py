"""Write what ``ivoaudit check --out DIR`` promises (data-model.md, docs/CONTRACTS.md).

``results.csv`` is written with pyarrow (vectorised, no Python per row): one extract,
checklist and as-of date give byte-identical results.csv and summary.csv.
"""

from __future__ import annotations

import contextlib
import json
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ivoaudit.ages import AGE_GROUPS, age_group_codes
from ivoaudit.check import NO_DAY, CheckResult, ResultRows, run_check
from ivoaudit.checklist import Checklist
from ivoaudit.errors import InputError
from ivoaudit.i18n import t
from ivoaudit.schema import (
    CASE_COLUMNS,
    PROBLEM_COLUMNS,
    QUARANTINE_COLUMNS,
    RESULT_COLUMNS,
    STATUSES,
    LoadedExtract,
)


def write_table(table: pa.Table, path: Path, pool: Executor | None = None) -> None:
    """CSV as pyarrow's writer makes it: plain header line, every string quoted
    (``quoting_style="needed"``), ISO dates, empty cells for nulls, LF line ends.

    The bytes are those of ``pyarrow.csv.write_csv``, made faster: each column's distinct
    values are rendered once (a dictionary's values, a range of days or numbers, or the
    column itself) into one array of texts, each ending in its separator, and the rows are
    one ``take`` of the texts in row order, whose data buffer *is* the file's bytes. Row
    slices are rendered on ``pool`` (Arrow releases the GIL) and written in order as they
    come, so no buffer of the whole file is ever built (fresh memory costs page faults).
    The bytes go to the file in writes of 64 KB, each at a multiple of 64 KB in the file
    (:class:`_BlockWriter`). Larger writes were faster at times and
    far slower at others, on the same VM within the hour: 1 MB writes took `ivoaudit check`
    on a million cases 2.22 s against 2.30 s (12 alternating runs), then 2.66 s against
    2.34 s (12 more; 0.37 s more kernel time). The kernel's cost per byte copied into the
    page cache depends on its state; 64 KB never lost much.
    Column types the renderer does not cover go to ``write_csv`` itself.
    """
    plan = _CsvPlan.of(table, pool)
    with _written_over(path) as fh:
        fh.write((",".join(table.column_names) + "\n").encode("utf-8"))
        if plan is None:
            pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
            return
        _write_rows(fh, plan, pool)


def write_result_rows(rows: ResultRows, path: Path, pool: Executor | None = None) -> None:
    """results.csv straight from the rules' laid-out rows: the bytes of
    ``write_table(rows.table(), path)`` without gathering that table first.

    Each slice of result rows takes its codes from the laid-out columns through
    ``rows.order``; on a million cases that spares gathering a 5.2-million-row table
    (0.12 s on two threads, and 270 MB of fresh memory). A date or day-count column whose
    values span more days than there are rows goes the table's way.
    """
    plan = _rows_plan(rows, pool)
    if plan is None:
        write_table(rows.table(), path, pool)
        return
    with _written_over(path) as fh:
        fh.write((",".join(RESULT_COLUMNS) + "\n").encode("utf-8"))
        _write_rows(fh, plan, pool)


@contextlib.contextmanager
def _written_over(path: Path) -> Iterator[_BlockWriter]:
    """``path`` open for writing from its first byte, as ``open(path, "wb")`` but without
    emptying an existing file first: its pages are written over (in whole blocks, see
    :class:`_BlockWriter`), and whatever the old file held beyond the new end is cut off
    when the writing stops, also when it fails.

    Why: the kernel reuses the old file's pages (see :func:`_clear_old`). The result is the
    same bytes as ``"wb"``; only a process killed outright (or a power cut) mid-write can
    leave old bytes after the new ones, where ``"wb"`` would leave a shorter file.
    """
    try:
        fh = path.open("r+b")
    except FileNotFoundError:
        fh = path.open("wb")
    with fh:
        writer = _BlockWriter(fh)
        try:
            yield writer
            writer.write_rest()
        except BaseException:
            with contextlib.suppress(OSError):  # the failure's own error is the one to report
                writer.write_rest()
            raise
        finally:
            with contextlib.suppress(OSError):
                fh.truncate()


class _BlockWriter:
    """Writes to a file from its start in blocks of ``_WRITE_BYTES``, each at a multiple of
    that in the file; what is left over waits for more, the last of it for
    :meth:`write_rest`.

    Why whole blocks: written over (see :func:`_written_over`), a page of the old file that
    a write covers only in part is first read from the disk unless it is still in memory
    (an earlier day's run). 518 MB written over in 64 KB writes 83 bytes off the block
    boundaries (the header line's length) took 0.59-0.64 s against 0.07 s in whole blocks,
    the old file not cached; removing it and writing anew took 0.17-0.23 s.
    """

    closed = False  # for pyarrow's writer, which may be handed this object as its file

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._pending = bytearray()  # fewer than _WRITE_BYTES, to be written at a block's start

    def write(self, data: bytes | memoryview | pa.Buffer) -> int:
        view = memoryview(data).cast("B")  # bytes, whatever the buffer's item type
        size = len(view)
        if self._pending:
            wanted = _WRITE_BYTES - len(self._pending)
            self._pending += view[:wanted]
            view = view[wanted:]
            if len(self._pending) < _WRITE_BYTES:
                return size
            self._fh.write(self._pending)
            self._pending = bytearray()
        whole = len(view) - len(view) % _WRITE_BYTES
        for at in range(0, whole, _WRITE_BYTES):
            self._fh.write(view[at:at + _WRITE_BYTES])
        self._pending += view[whole:]
        return size

    def write_rest(self) -> None:
        if self._pending:
            self._fh.write(self._pending)
            self._pending = bytearray()


def _write_rows(fh: _BlockWriter, plan: _CsvPlan, pool: Executor | None) -> None:
    for chunk in _in_order(plan.render, range(0, plan.num_rows, plan.step), pool):
        fh.write(chunk)


def _in_order(render: Callable[[int], pa.Buffer], starts: range, pool: Executor | None) -> Iterator[pa.Buffer]:
    """``render`` of each start in order, on ``pool`` with a few slices ahead (not all: when
    the disk is slower than the rendering the slices would pile up in memory)."""
    if pool is None:
        yield from map(render, starts)
        return
    ahead: deque[Future[pa.Buffer]] = deque()
    for start in starts:
        ahead.append(pool.submit(render, start))
        if len(ahead) > _SLICES_AHEAD:
            yield ahead.popleft().result()
    while ahead:
        yield ahead.popleft().result()


_MAX_SLICE_ROWS = 65_536  # rows per rendered slice: a few MB, reused by the allocator
_SLICES_AHEAD = 4  # rendered or rendering slices not yet written, per file
_WRITE_BYTES = 1 << 16  # per write call (see write_table)
_MAX_PAIRS = 1 << 16  # texts of a merged pair of neighbouring columns
_MAX_TEXT = 2**31 - 1  # a string array's offsets are int32


@dataclass(frozen=True)
class _CsvColumn:
    """One column for :class:`_CsvPlan`: the texts of its values and each row's text."""

    texts: pa.StringArray  # rendered values, each followed by "," (the last column: "\n")
    codes: Callable[[int, int], np.ndarray]  # (start, rows) -> index into ``texts`` per row


@dataclass(frozen=True)
class _CsvPlan:
    """Renders slices of a table as CSV bytes with one ``take`` (see :func:`write_table`)."""

    columns: list[_CsvColumn]
    offsets: list[int]  # where each column's texts start in ``texts``
    texts: pa.StringArray
    step: int
    num_rows: int

    @classmethod
    def of(cls, table: pa.Table, pool: Executor | None = None) -> _CsvPlan | None:
        """The plan for ``table``; ``None`` if a column type is not covered (or too big).
        Given a ``pool``, the columns' texts are made on it (Arrow releases the GIL)."""
        if any(c.num_chunks > 1 and pa.types.is_dictionary(c.type) for c in table.columns):
            table = table.unify_dictionaries()  # one dictionary per column for every row
        ends = [","] * (table.num_columns - 1) + ["\n"]
        made = (pool.map(_csv_column, table.columns, ends) if pool is not None
                else map(_csv_column, table.columns, ends))
        return cls.of_columns(made, table.num_rows)

    @classmethod
    def of_columns(cls, made: Iterable[_CsvColumn | None], num_rows: int) -> _CsvPlan | None:
        """The plan for columns already made (``None`` among them: no plan)."""
        columns: list[_CsvColumn] = []
        for col in made:
            if col is None:
                return None
            if columns and len(columns[-1].texts) * len(col.texts) <= _MAX_PAIRS:
                col = _merged(columns.pop(), col)  # fewer, longer pieces for each row
            columns.append(col)
        offsets = np.cumsum([0] + [len(c.texts) for c in columns]).tolist()
        lengths = [pc.binary_length(c.texts) for c in columns]
        if offsets[-1] >= _MAX_TEXT or sum(pc.sum(n).as_py() or 0 for n in lengths) >= _MAX_TEXT:
            return None
        widths = [pc.max(n).as_py() or 0 for n in lengths]  # a slice's text must fit in int32 offsets
        step = max(1, min(_MAX_SLICE_ROWS, _MAX_TEXT // max(1, sum(widths))))
        return cls(columns, offsets, pa.concat_arrays([c.texts for c in columns]), step, num_rows)

    def render(self, start: int) -> pa.Buffer:
        """The CSV bytes of rows ``start`` to ``start + step`` (without header)."""
        rows = min(self.step, self.num_rows - start)
        codes = np.empty((rows, len(self.columns)), dtype=np.int32)
        for k, (col, offset) in enumerate(zip(self.columns, self.offsets, strict=False)):
            np.add(col.codes(start, rows), offset, out=codes[:, k], casting="unsafe")
        lines = self.texts.take(pa.array(codes.reshape(-1)))
        bounds = np.frombuffer(lines.buffers()[1], dtype=np.int32)
        return lines.buffers()[2][int(bounds[lines.offset]):int(bounds[lines.offset + len(lines)])]


def _csv_column(column: pa.ChunkedArray, end: str) -> _CsvColumn | None:
    """``column`` as texts plus codes: a dictionary's values, a range of days or numbers
    (no wider than the column is long), or else each row's own value."""
    typ = column.type
    if pa.types.is_dictionary(typ):
        if column.num_chunks == 0:
            return None
        values = column.chunk(0).dictionary
        texts = _with_null(_csv_texts(values, end), end)
        null = len(values)  # the code of a missing value: the extra text is ``end`` alone
        return None if texts is None else _CsvColumn(
            texts, lambda start, rows: _filled(_slice(column, start, rows).indices, null))
    if (pa.types.is_integer(typ) or pa.types.is_date32(typ)) and column.null_count < len(column):
        numbers = column.cast(pa.int32()) if pa.types.is_date32(typ) else column
        bounds = pc.min_max(numbers).as_py()
        low, high = bounds["min"], bounds["max"]
        if high - low < len(column):
            texts = _range_texts(low, high, typ, end)
            null = high + 1 - low
            shift = pa.scalar(low, numbers.type)
            return None if texts is None else _CsvColumn(
                texts, lambda start, rows: _filled(pc.subtract(_slice(numbers, start, rows), shift), null))
    texts = _csv_texts(column.combine_chunks(), end)
    if texts is None:
        return None
    return _CsvColumn(texts, lambda start, rows: np.arange(start, start + rows, dtype=np.int64))


def _rows_plan(rows: ResultRows, pool: Executor | None) -> _CsvPlan | None:
    """The plan of results.csv from ``rows`` (see :func:`write_result_rows`): the columns'
    texts as ``_csv_column`` makes them from the result table, codes through the order."""
    order, cols = rows.order, rows.cols

    def laid(key: str, shift: int = 0, null: int | None = None) -> Callable[[int, int], np.ndarray]:
        column = cols[key]

        def codes(start: int, count: int) -> np.ndarray:
            values = np.take(column, order[start:start + count])
            if null is None:
                return values
            out = values.astype(np.int64) - shift
            out[values == NO_DAY] = null
            return out

        return codes

    def dictionary(key: str, labels: pa.Array, end: str) -> _CsvColumn | None:
        texts = _with_null(_csv_texts(labels, end), end)
        return None if texts is None else _CsvColumn(texts, laid(key))

    def numbers(key: str, typ: pa.DataType, end: str) -> _CsvColumn | None:
        column = cols[key]
        low = _known_min(column)
        if low is None:  # every cell blank: each row's text is the separator alone
            return _CsvColumn(pa.array([end]), lambda start, count: np.zeros(count, dtype=np.int64))
        high = int(column.max())  # NO_DAY is the smallest int32: it never is the largest
        if high - low >= len(rows):
            return None  # as _csv_column: a range wider than the column is not rendered this way
        texts = _range_texts(low, high, typ, end)
        return None if texts is None else _CsvColumn(texts, laid(key, low, high + 1 - low))

    def rules() -> _CsvColumn | None:
        texts = _with_null(_csv_texts(rows.rule_ids, ","), ",")
        return None if texts is None else _CsvColumn(texts, lambda start, count: rows.rule[start:start + count])

    makers: list[Callable[[], _CsvColumn | None]] = [
        lambda: dictionary("case", rows.case_ids, ","),
        rules,
        lambda: dictionary("status", pa.array(list(STATUSES), type=pa.string()), ","),
        lambda: numbers("start", pa.date32(), ","),
        lambda: numbers("end", pa.date32(), ","),
        lambda: numbers("deadline", pa.date32(), ","),
        lambda: numbers("days", pa.int64(), ","),
        lambda: numbers("days_over", pa.int64(), ","),
        lambda: dictionary("note", rows.notes, ","),
        lambda: dictionary("ref", rows.references, "\n"),
    ]
    made = pool.map(lambda make: make(), makers) if pool is not None else (make() for make in makers)
    return _CsvPlan.of_columns(made, len(rows))


def _with_null(texts: pa.StringArray | None, end: str) -> pa.StringArray | None:
    """``texts`` and, last, the text of a missing value (``end`` alone)."""
    return None if texts is None else pa.concat_arrays([texts, pa.array([end])])


def _range_texts(low: int, high: int, typ: pa.DataType, end: str) -> pa.StringArray | None:
    """The texts of every value from ``low`` to ``high`` of an integer or ``date32`` type
    (given as its day numbers), then that of a missing value."""
    numbers = pa.int32() if pa.types.is_date32(typ) else typ
    values = pa.array(np.arange(low, high + 1, dtype=numbers.to_pandas_dtype()))
    return _with_null(_csv_texts(values.cast(typ), end), end)


def _known_min(values: np.ndarray) -> int | None:
    """The smallest of the int32 ``values`` other than ``NO_DAY`` (None: there is none).

    ``v + 2**31`` as uint32 keeps the order and makes ``NO_DAY`` 0; one less, it wraps to
    the largest uint32, out of the minimum's way. Two plain passes: numpy's ``min`` with a
    ``where`` mask took ten times as long (27 ms on 5.2 million values).
    """
    if not len(values):
        return None
    shifted = values.view(np.uint32) ^ np.uint32(1 << 31)
    shifted -= np.uint32(1)
    smallest = int(shifted.min())
    return None if smallest == 0xFFFFFFFF else smallest + 1 - (1 << 31)


def _merged(left: _CsvColumn, right: _CsvColumn) -> _CsvColumn:
    """Two neighbouring columns as one: each pair of their texts, joined."""
    n = len(right.texts)
    pairs = np.arange(len(left.texts) * n)
    texts = pc.binary_join_element_wise(left.texts.take(pa.array(pairs // n)), right.texts.take(pa.array(pairs % n)), "")
    return _CsvColumn(texts, lambda start, rows: left.codes(start, rows).astype(np.int64) * n + right.codes(start, rows))


def _csv_texts(values: pa.Array, end: str) -> pa.StringArray | None:
    """Each value as Arrow's CSV writer renders it with ``quoting_style="needed"`` (strings
    in double quotes, inner quotes doubled; numbers and dates as cast to text), then
    ``end``; a null is ``end`` alone. ``None`` for a type this does not cover."""
    typ = values.type
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        text = values.cast(pa.string())
        if pc.any(pc.match_substring(text, '"')).as_py():
            text = pc.replace_substring(text, '"', '""')
        text = pc.binary_join_element_wise('"', text, '"' + end, "")
    elif pa.types.is_integer(typ) or pa.types.is_date32(typ):
        text = pc.binary_join_element_wise(values.cast(pa.string()), end, "")
    elif pa.types.is_null(typ):
        text = pa.nulls(len(values), pa.string())
    else:
        return None
    return text.fill_null(end)


def _slice(column: pa.ChunkedArray, start: int, rows: int) -> pa.Array:
    part = column.slice(start, rows)
    return part.chunk(0) if part.num_chunks == 1 else part.combine_chunks()


def _filled(codes: pa.Array, null: int) -> np.ndarray:
    return (codes.fill_null(null) if codes.null_count else codes).to_numpy()


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """A small frame as UTF-8 CSV (pandas; deterministic formatting)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def case_table(extract: LoadedExtract, as_of: date) -> pa.Table:
    """The columns of ``cases.csv`` as Arrow text (missing: null, an unknown age group: "").

    Columns with few distinct values are dictionary arrays, so that the writer renders each
    value once (units, caseworkers, age groups, received dates)."""
    cases = extract.cases
    n = len(cases)

    def text(name: str) -> pa.Array | pa.ChunkedArray:
        return pa.array(cases[name], from_pandas=True).cast(pa.string()) if name in cases else pa.nulls(n, pa.string())

    columns = {"case_id": pa.array(cases["case_id"].astype(str), from_pandas=True).cast(pa.string())}
    for name in ("area", "unit", "caseworker", "sex"):
        columns[name] = text(name).dictionary_encode()
    labels = pa.array([label for _, _, label in AGE_GROUPS] + [""])  # unknown: the last, ""
    codes = (age_group_codes(cases["birth_date"], cases.get("received_date"), as_of) if "birth_date" in cases
             else np.full(n, -1, dtype=np.int8))
    columns["age_group"] = pa.DictionaryArray.from_arrays(np.where(codes < 0, len(labels) - 1, codes).astype(np.int32),
                                                          labels)
    columns["received_date"] = (_iso_date_array(cases["received_date"]) if "received_date" in cases
                                else pa.nulls(n, pa.string()))
    return pa.table(columns)


def _iso_date_array(values: pd.Series) -> pa.Array:
    """Dates as ``YYYY-MM-DD`` text (missing: null); a dictionary array when the dates span
    fewer days than there are values (as received dates do): each day is formatted once."""
    days = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    known = ~np.isnat(days)
    numbers = days.view(np.int64)
    if known.any():
        low, high = numbers.min(where=known, initial=np.iinfo(np.int64).max), numbers.max(where=known, initial=0)
        if high - low < len(days):
            dictionary = pa.array(np.arange(low, high + 1).astype("datetime64[D]"), type=pa.date32()).cast(pa.string())
            return pa.DictionaryArray.from_arrays(pa.array((numbers - low).astype(np.int32), mask=~known), dictionary)
    return pa.array(days, type=pa.date32(), from_pandas=True).cast(pa.string())


def _summary_frame(result: CheckResult) -> pd.DataFrame:
    summary = result.summary.copy()
    summary["compliance"] = summary["compliance"].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    return summary


_FILES = ("results.csv", "summary.csv", "quarantine.csv", "cases.csv", "problems.csv", "meta.json", "report.html")


def _output_paths(out_dir: str | Path) -> dict[str, Path]:
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(t("Kan inte skapa mappen {p}: {e}", "Cannot create the folder {p}: {e}",
                           p=out, e=exc)) from None
    return {name: out / name for name in _FILES}


_WRITTEN_OVER = frozenset({"results.csv", "cases.csv"})  # see _clear_old


def _clear_old(paths: dict[str, Path]) -> None:
    """Make way for this run's files, before anything is written: remove what an earlier
    run left in the folder, except its results.csv and cases.csv, which are written over
    in place (:func:`_written_over`).

    Why remove rather than overwrite the small files: a file that another program holds
    open (Excel, on Windows) is found before anything is written, with a message saying
    what to do; a run that fails half-way leaves no mix of old and new files; and ext4
    flushes a file truncated to nothing when it is closed (``auto_da_alloc``), which cost
    about 0.15 s for a 500 MB results.csv.
    Why write over the two big ones: removing a 500 MB results.csv and writing a new one
    makes the kernel free every page of the old file and zero every page of the new one.
    Written over, the old file's pages are reused (the blocks stay allocated, and a file
    cut to a length other than zero is not flushed). On this machine a 518 MB file took
    0.10 s to remove and 0.10 s to write anew, against 0.04 s to write over; `ivoaudit
    check` on a million cases, run again into the same folder, took 2.23 s against 2.39 s
    (medians of 16 alternating runs; 0.18 s less system time). The old file is first opened
    for writing, so a lock (Excel) still stops the run here. A file that is not a plain file
    of its own (a symbolic link, or one with a second hard link) is removed instead, so
    that writing over it cannot change another file; so is one that may not be written
    (read-only) but may be removed, as before.
    """
    for path in paths.values():
        try:
            if path.name in _WRITTEN_OVER and _own_plain_file(path):
                try:
                    path.open("r+b").close()
                    continue
                except PermissionError:
                    pass  # read-only, or locked: removed below if the folder allows it
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise InputError(
                t(
                    "Filen {p} från en tidigare granskning kan inte ersättas ({e}). Stäng den om den "
                    "är öppen i Excel eller något annat program, eller välj en annan mapp med --out.",
                    "The file {p} from an earlier check cannot be replaced ({e}). Close it if it is "
                    "open in Excel or another program, or choose another folder with --out.",
                    p=path,
                    e=exc.strerror or exc,
                )
            ) from None


@contextlib.contextmanager
def _no_old_file_after_failure(paths: dict[str, Path]) -> Iterator[None]:
    """On any failure, remove results.csv and cases.csv as well (where the system lets us):
    an earlier run's copies are written over rather than removed up front (see
    :func:`_clear_old`), and must not outlive a failed run beside its new files."""
    try:
        yield
    except BaseException:
        for name in sorted(_WRITTEN_OVER):
            with contextlib.suppress(OSError):
                paths[name].unlink(missing_ok=True)
        raise


def _own_plain_file(path: Path) -> bool:
    """A regular file, not a symbolic link, with no other hard link to its contents."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


def check_and_write(extract: LoadedExtract, checklist: Checklist, as_of: date, out_dir: str | Path, *,
                    events: LoadedExtract | None = None, progress: bool = False,
                    report: bool = True) -> tuple[CheckResult, dict[str, Path]]:
    """:func:`~ivoaudit.check.run_check`, then :func:`write_check_outputs`, on both cores.

    The rules run; meanwhile a second thread clears an earlier run's files away
    (:func:`_clear_old`) and writes the files that depend on the extract alone (cases.csv,
    quarantine.csv, problems.csv). The folder is made first, so a folder that cannot be
    made stops the run before the rules start. An old file that cannot be replaced (open in
    Excel) stops the run once the rules are done, before anything else is written: the
    clearing is not waited for up front because it takes the file system a noticeable time
    (0.13 s to remove a 500 MB results.csv). A run that fails leaves no results.csv or
    cases.csv, old or new. The files are the same bytes as those of the two calls one after
    the other.
    """
    paths = _output_paths(out_dir)
    timings: dict[str, float] = {}
    clock = _Clock(timings)

    def replace_extract_files() -> None:
        _clear_old(paths)
        _write_extract_files(extract, as_of, paths, clock)

    with _no_old_file_after_failure(paths), ThreadPoolExecutor(max_workers=1) as side:
        extract_files = side.submit(replace_extract_files)
        try:
            result = run_check(extract, checklist, as_of, events=events, progress=progress)
        finally:
            extract_files.exception()  # let the side thread finish before anything else is written
        extract_files.result()  # an old file that could not be removed: nothing else is written
        result.timings.update(timings)
        written = write_check_outputs(result, extract, out_dir, report=report, extract_files=extract_files)
    return result, written


def write_check_outputs(result: CheckResult, extract: LoadedExtract, out_dir: str | Path,
                        *, report: bool = True, extract_files: Future[None] | None = None) -> dict[str, Path]:
    """Write results, summary, quarantine, cases, problems, meta.json and report.html.

    ``extract_files``: the files that depend on the extract alone are already being written
    (see :func:`check_and_write`); wait for them instead of writing them again. A failure
    leaves no results.csv or cases.csv, old or new.
    """
    paths = _output_paths(out_dir)
    with _no_old_file_after_failure(paths):
        return _write_check_outputs(result, extract, paths, report=report, extract_files=extract_files)


def _write_check_outputs(result: CheckResult, extract: LoadedExtract, paths: dict[str, Path],
                         *, report: bool, extract_files: Future[None] | None) -> dict[str, Path]:
    if extract_files is None:  # otherwise check_and_write's side thread removed them
        _clear_old(paths)
    clock = _Clock(result.timings)

    def write_results(pool: Executor) -> None:
        with clock("write results.csv"):
            write_result_rows(result.rows, paths["results.csv"], pool)

    # The big results.csv is rendered on both cores (Arrow releases the GIL) and written in
    # order by its own thread, while the small files and the report are made here (each file
    # is still written by one writer).
    with ThreadPoolExecutor(max_workers=2) as render, ThreadPoolExecutor(max_workers=1) as writer:
        results_done = writer.submit(write_results, render)
        if extract_files is None:
            _write_extract_files(extract, date.fromisoformat(result.meta["as_of"]), paths, clock)
        _write_result_files(result, paths, clock, report=report)
        results_done.result()  # re-raises a failure of the results writer
        if extract_files is not None:
            extract_files.result()  # likewise
    if not report:
        del paths["report.html"]
    return paths


def _write_extract_files(extract: LoadedExtract, as_of: date, paths: dict[str, Path], clock: _Clock) -> None:
    """quarantine.csv, problems.csv and cases.csv: what depends on the extract alone."""
    with clock("write quarantine, problems"):
        write_frame(_problem_frame(extract.quarantine, QUARANTINE_COLUMNS), paths["quarantine.csv"])
        write_frame(_problem_frame(extract.problems, PROBLEM_COLUMNS), paths["problems.csv"])
    with clock("write cases.csv"):
        write_table(case_table(extract, as_of), paths["cases.csv"])


def _write_result_files(result: CheckResult, paths: dict[str, Path], clock: _Clock, *, report: bool) -> None:
    with clock("write summary"):
        write_frame(_summary_frame(result), paths["summary.csv"])
    paths["meta.json"].write_text(json.dumps(result.meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                  encoding="utf-8")
    if report:
        from ivoaudit.report.check_summary import write_check_summary

        with clock("write report.html"):
            write_check_summary(result, paths["report.html"])


class _Clock:
    """Adds each stage's wall time to ``timings`` (the benchmark reports them; no profiler)."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0


def _problem_frame(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(dtype=object) for c in columns})
    if len(out):
        out = out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return out


__all__ = ["CASE_COLUMNS", "case_table", "check_and_write", "write_check_outputs", "write_table"]
