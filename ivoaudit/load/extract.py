"""Load a case extract or an events table: read the file, place its columns, build the frames.

Reading is :mod:`ivoaudit.load.files`; which column is which field :mod:`ivoaudit.load.columns`;
the cells :mod:`ivoaudit.normalise` (text and codes, dates, personnummer, pseudonyms) and the
rows :mod:`ivoaudit.normalise.quarantine`, whose docstring lists the row rules in order.

Title rows above the header (a report title, an export date) are recognised: when the first
row does not hold the columns the mapping or the built-in names need and one of the next rows
does, that row is the header, and a note says which rows were skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ivoaudit.errors import MappingError
from ivoaudit.fields import EVENT_FIELDS, FIELDS, FieldSpec, FieldType
from ivoaudit.i18n import t
from ivoaudit.load.columns import missing_required, missing_required_error, resolve_columns
from ivoaudit.load.files import read_table
from ivoaudit.load.headers import no_header_error
from ivoaudit.load.mapping import MappingSpec, read_mapping
from ivoaudit.load.raw_table import RawTable
from ivoaudit.normalise.codes import normalise_code_array
from ivoaudit.normalise.dates import MAX_YEAR, MIN_YEAR, parse_date_cells
from ivoaudit.normalise.personnummer import (
    PROBLEM_NAMES,
    SEX_NAMES,
    mask_personnummer,
    parse_numbers,
)
from ivoaudit.normalise.pseudonyms import load_or_create_secret, local_tokens, pseudonym_column
from ivoaudit.normalise.quarantine import ProblemLog, quarantine_duplicates, valid_mask
from ivoaudit.normalise.text import clean_case_ids, str_series, strip_array
from ivoaudit.schema import LoadedExtract, SourceInfo
from ivoaudit.wording import number as format_number

MappingArg = str | Path | Mapping[str, Any] | MappingSpec | None


def load_extract(path: str | Path, mapping: MappingArg = None, sheet: str | None = None,
                 secret: bytes | None = None, *, keyed: bool = True, encoding: str | None = None,
                 delimiter: str | None = None) -> LoadedExtract:
    """Load a case extract (CSV or XLSX) into canonical fields.

    ``mapping``: a mapping file (path), an already parsed dict, or None for recognising
    headers by their common names. ``sheet``: the XLSX sheet (default: the mapping's
    ``sheet:``, else the first). ``encoding``/``delimiter``: for a CSV whose encoding or
    delimiter is sniffed wrong. ``secret``: the pseudonymisation key (default: the local
    store's, created on first use; only read when the extract has personnummer).
    ``keyed=False``: run-local person tokens instead of pseudonyms (``"L"`` + the person's rank
    in the file), for a load whose outputs hold no person ids (``check``, ``inspect``): equal
    numbers get equal tokens, nothing links them to another run, and no key file is read.

    Raises :class:`~ivoaudit.errors.InputError` when the file cannot be read at all and
    :class:`~ivoaudit.errors.MappingError` for a bad mapping; problems in single cells or
    rows are recorded in the result, never raised.
    """
    return _load(path, mapping, sheet, secret, FIELDS, dedupe=True, keyed=keyed, encoding=encoding,
                 delimiter=delimiter)


def load_events(path: str | Path, mapping: MappingArg = None, sheet: str | None = None,
                secret: bytes | None = None, *, encoding: str | None = None,
                delimiter: str | None = None) -> LoadedExtract:
    """Load an events table (``ivoaudit.fields.EVENT_FIELDS``) the way :func:`load_extract` does.

    Several rows per case are normal here, so rows are not checked for duplicates.
    """
    return _load(path, mapping, sheet, secret, EVENT_FIELDS, dedupe=False, keyed=True, encoding=encoding,
                 delimiter=delimiter)


@dataclass(frozen=True)
class Placed:
    """An extract's mapping, raw cells, column placement (field → position) and notes."""

    spec: MappingSpec
    raw: RawTable
    columns: dict[str, int]
    notes: tuple[str, ...] = ()


def _load(path: str | Path, mapping: MappingArg, sheet: str | None, secret: bytes | None,
          fields: Sequence[FieldSpec], *, dedupe: bool, keyed: bool, encoding: str | None,
          delimiter: str | None) -> LoadedExtract:
    found = read_placed(path, mapping, sheet, fields, encoding=encoding, delimiter=delimiter)
    return build_frames(found, fields, secret, keyed, str(path), dedupe)


def read_placed(path: str | Path, mapping: MappingArg = None, sheet: str | None = None,
                fields: Sequence[FieldSpec] = FIELDS, *, encoding: str | None = None,
                delimiter: str | None = None) -> Placed:
    """Read the mapping and the file and place the columns, finding a header row below title
    rows when the first row lacks what is needed.

    Raises :class:`~ivoaudit.errors.MappingError` for a bad mapping or a mapped header the
    file lacks, and :class:`~ivoaudit.errors.InputError` for an unreadable file or a required
    field with no column.
    """
    spec = read_mapping(mapping, fields)
    name = Path(path).name

    def read(header_row: int | None = None) -> RawTable:
        return read_table(path, sheet if sheet is not None else spec.sheet, encoding=encoding,
                          delimiter=delimiter, header_row=header_row)

    raw = read()
    if raw.header_is_data:  # data in the first row: a header further down, or none at all
        if (below := _header_below(raw, spec, fields, name)) is None:
            raise no_header_error(name)
        return _below_titles(read, raw.header_row, below, spec, fields, name)
    try:
        placed = resolve_columns(raw.headers, spec, fields, name)
        missing = missing_required(spec, fields, placed)
    except MappingError:
        placed, missing = {}, []
        if (below := _header_below(raw, spec, fields, name)) is None:
            raise
    else:
        below = _header_below(raw, spec, fields, name) if missing else None
    if below is None and missing:
        raise missing_required_error(missing, raw.headers, name)
    if below is None:
        return Placed(spec, raw, placed)
    return _below_titles(read, raw.header_row, below, spec, fields, name)


def _below_titles(read: Callable[[int | None], RawTable], skipped: int, below: int, spec: MappingSpec,
                  fields: Sequence[FieldSpec], name: str) -> Placed:
    """The file read again with its header at row ``below``, and a note on the rows above it."""
    raw = read(below)
    rows = str(skipped) if skipped == below - 1 else f"{skipped}–{below - 1}"
    note = t("Rad {rows} ovanför rubrikraden (rad {h}) ser ut som en rubrik eller titel och lästes inte "
             "som ärenden.",
             "Row {rows} above the header row (row {h}) looks like a heading or title and was not read "
             "as cases.", rows=rows, h=below)
    return Placed(spec, raw, resolve_columns(raw.headers, spec, fields, name), (note,))


def _header_below(raw: RawTable, spec: MappingSpec, fields: Sequence[FieldSpec], name: str) -> int | None:
    """The first of the file's top rows below its header that places every required field."""
    for number, cells in raw.top_rows:
        if number <= raw.header_row:
            continue
        headers = [c.strip() for c in cells]
        try:
            placed = resolve_columns(headers, spec, fields, name)
        except MappingError:
            continue
        if placed and not missing_required(spec, fields, placed):
            return number
    return None


def build_frames(found: Placed, fields: Sequence[FieldSpec], secret: bytes | None, keyed: bool,
                 path: str, dedupe: bool) -> LoadedExtract:
    """Row-level quarantine, then the cells of the rows kept, normalised field by field."""
    raw, spec, placed = found.raw, found.spec, found.columns
    quarantine, problems = ProblemLog(), ProblemLog()
    notes = list(found.notes)
    _refused_rows(raw, quarantine)
    stripped, keep, case_ids, changed = _strip_columns(raw, placed)
    quarantine.add("row_blank", raw.rows[~keep])
    if "case_id" in placed:
        keep, dup_notes = _case_rows(raw, placed["case_id"], stripped, case_ids, keep, dedupe, quarantine)
        notes.extend(dup_notes)
    index = np.flatnonzero(keep)
    rows = raw.rows[index]
    ids = np.asarray(case_ids.filter(pa.array(keep)).to_pylist(), dtype=object) if case_ids is not None \
        else np.full(len(index), None, dtype=object)
    cells = _Cells(raw, spec, placed, keep, rows, ids, problems)
    if changed is not None:
        invisible = changed.filter(pa.array(keep)).to_numpy(zero_copy_only=False)
        problems.add("case_id_invisible", rows[invisible], column=raw.headers[placed["case_id"]],
                     field_name="case_id", case_ids=ids[invisible], order=placed["case_id"])
    by_name = {f.name: f for f in fields}
    for field_name, position in placed.items():
        cells.convert(by_name[field_name], position, stripped.pop(position), secret, keyed)
    for field_name, value in spec.constants.items():
        if field_name in by_name:
            cells.put(field_name, pd.Series(value, index=pd.RangeIndex(len(index)), dtype="str"))
    if cells.derived is not None:
        notes.extend(cells.apply_derived())
    return _extract(cells, fields, raw, placed, spec, problems, quarantine, path, notes)


def _refused_rows(raw: RawTable, quarantine: ProblemLog) -> None:
    """Quarantine the lines the CSV reader could not read as rows."""
    for row, actual in raw.rejected:
        quarantine.add("row_malformed", [row], params={"actual": actual, "expected": len(raw.headers)})
    for first, lines in raw.quote_rows:
        quarantine.add("row_quote", lines, params={"line": first, "lines": _line_list(lines)})


def _line_list(lines: list[int]) -> str:
    """``"12–14"`` for consecutive lines, else ``"12, 14, 15"``."""
    if lines == list(range(lines[0], lines[-1] + 1)) and len(lines) > 2:
        return f"{lines[0]}–{lines[-1]}"
    return ", ".join(str(n) for n in lines)


def _strip_columns(raw: RawTable, placed: dict[str, int]) -> tuple[
        dict[int, pa.ChunkedArray], np.ndarray, pa.ChunkedArray | None, pa.ChunkedArray | None]:
    """Every column stripped (each raw column released as soon as it is), the rows with any
    cell filled, and the cleaned case ids with the cells cleaning changed."""
    used = set(placed.values())
    case_pos = placed.get("case_id")
    stripped: dict[int, pa.ChunkedArray] = {}
    filled = np.zeros(len(raw.rows), dtype=bool)
    case_ids = changed = None
    for pos in range(len(raw.headers)):
        column = strip_array(raw.text[pos])
        raw.text[pos] = None  # free the raw column now
        filled |= valid_mask(column)
        if pos == case_pos:
            case_ids, changed = clean_case_ids(column)
            column = case_ids
        if pos in used:
            stripped[pos] = column
    return stripped, filled, case_ids, changed


def _case_rows(raw: RawTable, case_pos: int, stripped: dict[int, pa.ChunkedArray], case_ids: pa.ChunkedArray,
               keep: np.ndarray, dedupe: bool, quarantine: ProblemLog) -> tuple[np.ndarray, list[str]]:
    """Quarantine rows without a case id and (for case extracts) duplicated case ids."""
    header = raw.headers[case_pos]
    no_id = keep & ~valid_mask(case_ids)
    quarantine.add("case_id_missing", raw.rows[no_id], column=header, field_name="case_id")
    keep = keep & ~no_id
    if not dedupe:
        return keep, []
    content = dict(stripped)
    content[case_pos] = case_ids
    return quarantine_duplicates(case_ids, content, keep, raw.rows, header, quarantine)


class _Cells:
    """The loaded rows' canonical columns and invalid flags, filled field by field."""

    def __init__(self, raw: RawTable, spec: MappingSpec, placed: dict[str, int], keep: np.ndarray,
                 rows: np.ndarray, ids: np.ndarray, problems: ProblemLog):
        self.raw, self.spec, self.placed = raw, spec, placed
        self.index, self.rows, self.ids, self.problems = np.flatnonzero(keep), rows, ids, problems
        self.mask = None if keep.all() else pa.array(keep)
        self.cases: dict[str, pd.Series] = {}
        self.invalid: dict[str, np.ndarray] = {}
        self.derived: dict[str, pd.Series] | None = None

    def put(self, name: str, values: pd.Series, bad: np.ndarray | None = None) -> None:
        self.cases[name] = values
        self.invalid[name] = np.zeros(len(self.index), dtype=bool) if bad is None else bad

    def convert(self, spec: FieldSpec, position: int, column: pa.ChunkedArray, secret: bytes | None,
                keyed: bool) -> None:
        """One field's cells: checked, converted, and every bad cell recorded."""
        text = column if self.mask is None else column.filter(self.mask)
        header = self.raw.headers[position]
        if spec.type is FieldType.TEXT:
            self.put(spec.name, str_series(text))
        elif spec.type is FieldType.CODE:
            codes, bad = normalise_code_array(text, spec, self.spec.values.get(spec.name))
            self._problems("code_unknown", bad, text, header, spec.name, position,
                           {"field": spec.sv, "allowed": ", ".join(spec.codes)})
            blank = codes.isna().to_numpy(dtype=bool) & ~bad
            if spec.name == "area" and not blank.all():  # every case has one: blank is unknown to the rules
                self._problems("area_blank", blank, text, header, spec.name, position, {"field": spec.sv})
            self.put(spec.name, codes, bad)
        elif spec.type is FieldType.DATE:
            self._dates(spec.name, text, position, header)
        else:
            self._persons(spec.name, text, position, header, secret, keyed)

    def _problems(self, code: str, bad: np.ndarray, text: pa.ChunkedArray | Sequence[object], header: str,
                  field_name: str, position: int, params: dict[str, object] | None = None) -> None:
        if not bad.any():
            return
        values = _pick(text, bad) if isinstance(text, pa.ChunkedArray) else list(text)
        self.problems.add(code, self.rows[bad], column=header, field_name=field_name, values=values,
                          case_ids=self.ids[bad], order=position, params=params)

    def _dates(self, name: str, text: pa.ChunkedArray, position: int, header: str) -> None:
        if self.raw.values is not None:  # a workbook: its cells' own values (real dates, numbers)
            source: Any = self.raw.values[position].iloc[self.index].reset_index(drop=True)
        else:
            source = text
        dates, codes = parse_date_cells(source, dayfirst=self.spec.dayfirst)
        bad = pd.notna(codes)
        self.put(name, pd.Series(dates, copy=False), bad)
        for code in sorted(set(codes[bad])):
            these = bad & (codes == code)
            self._problems(code, these, text, header, name, position, {"lo": MIN_YEAR, "hi": MAX_YEAR})

    def _persons(self, name: str, text: pa.ChunkedArray, position: int, header: str, secret: bytes | None,
                 keyed: bool) -> None:
        found = parse_numbers(text, dt.date.today())
        bad = found.problem != 0
        if not keyed:
            ids = local_tokens(found.canonical)
        else:
            if secret is None and text.null_count < len(text):
                secret = load_or_create_secret()
            ids = pseudonym_column(found.canonical, secret or b"")
        self.put(name, str_series(ids), bad)
        masked = [mask_personnummer(v) for v in _pick(text, bad)]
        codes = np.array(PROBLEM_NAMES, dtype=object)[found.problem]
        for code in sorted({c for c in codes[bad]}):
            these = bad & (codes == code)
            self._problems(code, these, [m for m, b in zip(masked, these[bad], strict=True) if b], header,
                           name, position)
        self.derived = {
            "sex": str_series(pa.array(list(SEX_NAMES), type=pa.string()).take(found.sex.astype(np.int64))),
            "birth_date": pd.Series(found.birth.astype("datetime64[ns]"), dtype="datetime64[ns]"),
        }

    def apply_derived(self) -> list[str]:
        """Sex and birth date from the personnummer: fill absent columns and blank cells; report clashes."""
        assert self.derived is not None
        notes = []
        for name, code in (("sex", "sex_mismatch"), ("birth_date", "birth_date_mismatch")):
            value = self.derived[name]
            if name not in self.cases:
                self.put(name, value)
                label = t("Kön", "Sex") if name == "sex" else t("Födelsedatum", "Birth date")
                notes.append(t("{label} härleddes ur personnumret.",
                               "{label} was derived from the personal identity number.", label=label))
            elif name in self.placed:  # a constant is kept as the user said
                self._clash(name, code, value)
        return notes

    def _clash(self, name: str, code: str, value: pd.Series) -> None:
        own = self.cases[name]
        clash = (own.notna() & value.notna() & (own != value)).to_numpy()
        shown = own[clash].dt.strftime("%Y-%m-%d").tolist() if name == "birth_date" else own[clash].tolist()
        self._problems(code, clash, shown, self.raw.headers[self.placed[name]], name, self.placed[name])
        fill = own.isna() & ~self.invalid[name]
        self.cases[name] = own.where(~fill, value)


def _pick(column: pa.ChunkedArray, mask: np.ndarray) -> list[object]:
    """The cells of ``column`` where ``mask`` is True, as Python values."""
    if not mask.any():
        return []
    return column.take(pa.array(np.flatnonzero(mask))).to_pylist()


def _extract(cells: _Cells, fields: Sequence[FieldSpec], raw: RawTable, placed: dict[str, int],
             spec: MappingSpec, problems: ProblemLog, quarantine: ProblemLog, path: str,
             notes: list[str]) -> LoadedExtract:
    order = [f.name for f in fields if f.name in cells.cases]
    order += [extra for extra in ("sex", "birth_date") if extra in cells.cases and extra not in order]
    n = len(cells.index)
    frame = pd.DataFrame({name: cells.cases.pop(name) for name in order}, index=pd.RangeIndex(n), copy=False)
    frame["_row"] = pd.Series(cells.rows, dtype="int64")
    invalid = pd.DataFrame({name: np.asarray(cells.invalid[name], dtype=bool) for name in order},
                           index=pd.RangeIndex(n), copy=False)
    used = set(placed.values())
    unrecognised = tuple(h if h else t("(kolumn {n} utan rubrik)", "(column {n} without header)", n=i + 1)
                         for i, h in enumerate(raw.headers) if i not in used)
    records = len(raw.rows) + len(raw.rejected) + sum(len(lines) for _, lines in raw.quote_rows)
    source = SourceInfo(path=path, format=raw.format, rows=records, fingerprint=raw.fingerprint,
                        encoding=raw.encoding, delimiter=raw.delimiter, sheet=raw.sheet,
                        header_row=raw.header_row, continued=tuple(raw.continued))
    notes.extend(_continued_notes(list(raw.continued), raw.header_row))
    return LoadedExtract(cases=frame, invalid=invalid, problems=problems.frame(), quarantine=quarantine.frame(),
                         source=source, columns={name: raw.headers[pos] for name, pos in placed.items()},
                         constants=dict(spec.constants), unrecognised=unrecognised, notes=tuple(notes))


def _continued_notes(continued: list[int], header_row: int) -> list[str]:
    """Notes on lines that continue a cell with a line break: the header's own (a header cell
    written over two lines, as Excel may), then the cases'."""
    in_header: list[int] = []
    while continued[len(in_header):] and continued[len(in_header)] == header_row + 1 + len(in_header):
        in_header.append(continued[len(in_header)])
    in_cases = continued[len(in_header):]
    notes = []
    if in_header:
        notes.append(t("Rubrikraden fortsätter på rad {lines}: en rubrik har en radbrytning.",
                       "The header row continues on line {lines}: a header has a line break.",
                       lines=_line_list(in_header)))
    if len(in_cases) == 1:
        notes.append(t("1 rad fortsätter en cell med radbrytning på raden före (rad {lines}); den hör till det "
                       "ärendet.",
                       "1 line continues a cell with a line break on the line before (line {lines}); it "
                       "belongs to that case.", lines=_line_list(in_cases)))
    elif in_cases:
        notes.append(t("{n} rader fortsätter en cell med radbrytning på raden före (rad {lines}); de hör till "
                       "det ärendet.",
                       "{n} lines continue a cell with a line break on the line before (line {lines}); they "
                       "belong to that case.", n=format_number(len(in_cases)), lines=_line_list(in_cases)))
    return notes
