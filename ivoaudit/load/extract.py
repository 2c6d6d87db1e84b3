"""Assemble a :class:`~ivoaudit.schema.LoadedExtract` from a raw table.

Reading is :mod:`ivoaudit.load.readers`; recognising headers :mod:`ivoaudit.load.headers`;
cell and row rules :mod:`ivoaudit.normalise.text` (its docstring lists the quarantine codes and
the order they are applied in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.background import in_background
from ivoaudit.fields import EVENT_FIELDS, FIELDS, FieldSpec, FieldType
from ivoaudit.i18n import t
from ivoaudit.load.mapping import MappingSpec
from ivoaudit.load.readers import RawTable
from ivoaudit.load.reading import MappingArg, Reading, read_extract
from ivoaudit.normalise.dates import date_problem_text, iso_date_column, parse_dates
from ivoaudit.normalise.personnummer import ParsedNumbers
from ivoaudit.normalise.text import (
    ProblemLog,
    normalise_code_array,
    problem_text,
    str_series,
    strip_array,
)
from ivoaudit.schema import LoadedExtract, SourceInfo


def load_extract(
    path: str | Path,
    mapping: MappingArg = None,
    sheet: str | None = None,
    secret: bytes | None = None,
    *,
    keyed: bool = True,
    reading: Callable[[], Reading] | None = None,
) -> LoadedExtract:
    """Load a case extract (CSV or XLSX) into canonical fields.

    ``mapping``: a mapping file (path), an already parsed dict, or None for recognising
    headers by their common names. ``sheet``: the XLSX sheet (default: the mapping's
    ``sheet:``, else the first). ``secret``: the pseudonymisation key (default: the local
    store's, created on first use; only read when the extract has personnummer).

    ``keyed=False``: ``person_id`` holds run-local tokens instead of keyed pseudonyms
    (see :func:`ivoaudit.normalise.personnummer.start_local_tokens`): equal numbers get equal tokens in
    this load, which is all the rules need, and nothing links them to another run or to
    the secret. For ``ivoaudit check``, whose files contain no person ids: it spares one
    HMAC per distinct number (on a million cases 1.1 s of processor time, 0.4 s of wall
    time). Anything that keeps person ids (the store) needs keyed pseudonyms and refuses
    tokens.

    ``reading``: the file already being read, from
    :func:`ivoaudit.load.reading.start_reading` with the same path, mapping and sheet
    (``ivoaudit check`` starts it before importing pandas).

    Raises :class:`~ivoaudit.errors.InputError` when the file cannot be read at all and
    :class:`~ivoaudit.errors.MappingError` for a bad mapping; problems in single cells or
    rows are recorded in the result, never raised.
    """
    return _load(path, mapping, sheet, secret, FIELDS, dedupe=True, keyed=keyed, reading=reading)


def load_events(
    path: str | Path,
    mapping: MappingArg = None,
    sheet: str | None = None,
    secret: bytes | None = None,
) -> LoadedExtract:
    """Load an events table (``ivoaudit.fields.EVENT_FIELDS``) the way :func:`load_extract` does.

    Several rows per case are normal here, so rows are not checked for duplicates.
    """
    return _load(path, mapping, sheet, secret, EVENT_FIELDS, dedupe=False)


def _load(
    path: str | Path,
    mapping: MappingArg,
    sheet: str | None,
    secret: bytes | None,
    fields: Sequence[FieldSpec],
    dedupe: bool,
    keyed: bool = True,
    reading: Callable[[], Reading] | None = None,
) -> LoadedExtract:
    done = reading() if reading is not None else read_extract(path, mapping, sheet, fields)
    return build_extract(done.raw, done.placed, done.spec, fields, secret, str(path), dedupe, keyed=keyed)


# --- building the frames --------------------------------------------------------------


def build_extract(
    raw: RawTable,
    placed: dict[str, int],
    spec: MappingSpec,
    fields: Sequence[FieldSpec],
    secret: bytes | None,
    path: str,
    dedupe: bool,
    *,
    keyed: bool = True,
) -> LoadedExtract:
    """Row-level quarantine, then cell-level normalising of the rows kept.

    Works on Arrow columns and releases each raw column of ``raw.text`` (set to None) as
    soon as it has been stripped, so a large extract is not held twice.
    """
    headers = raw.headers
    n = len(raw.rows)
    rows = raw.rows
    quarantine = ProblemLog()
    problems = ProblemLog()
    notes: list[str] = []

    for row, actual in raw.rejected:
        quarantine.add(
            [row],
            "",
            "",
            [None],
            "row_malformed",
            problem_text("row_malformed", actual=actual, expected=len(headers)),
        )

    # Every column counts for "row blank"; only the placed ones are kept after stripping.
    used = set(placed.values())
    by_name = {f.name: f for f in fields}
    # Date columns of a CSV are tried as plain ISO first: read as dates by Arrow already, or
    # else cast here if every cell allows (see iso_date_column); such a column needs no
    # trimming. A date column read as dates but with an implausible year goes back to text
    # for parse_dates to name the cells.
    date_positions = (
        {pos for name, pos in placed.items() if by_name[name].type is FieldType.DATE}
        if raw.values is None
        else set()
    )
    # The personnummer of every row are parsed on a side thread while the other columns
    # are stripped and normalised (numpy and Arrow release the GIL); the rows kept are
    # picked from the result afterwards. 0.28 s of a million cases' load, off the path.
    person_pos = {pos for name, pos in placed.items() if by_name[name].type is FieldType.PERSON}
    # A cp1252 column with bytes outside ASCII comes as a dictionary (few distinct values):
    # stripped value by value, and a code column stays one for normalise_code_array. Other
    # columns the frame keeps become plain text after stripping; dates and personnummer
    # are read as text from the start.
    code_pos = {pos for name, pos in placed.items() if by_name[name].type is FieldType.CODE}
    numbers: dict[int, Callable[[], ParsedNumbers]] = {}
    iso_dates: dict[int, pd.Series] = {}
    stripped: dict[int, pa.ChunkedArray] = {}
    filled = np.zeros(n, dtype=bool)
    for pos in range(len(headers)):
        if pa.types.is_dictionary(raw.text[pos].type) and (pos in date_positions or pos in person_pos):
            raw.text[pos] = raw.text[pos].cast(pa.string())
        parsed = iso_date_column(raw.text[pos]) if pos in date_positions else None
        if parsed is not None:
            iso_dates[pos] = parsed
            column = raw.text[pos]
        elif pa.types.is_date32(raw.text[pos].type):
            column = raw.text[pos].cast(pa.string())  # ISO text again, already trimmed
        else:
            column = strip_array(raw.text[pos])
            if pa.types.is_dictionary(column.type) and pos in used and pos not in code_pos:
                column = column.cast(pa.string())
        raw.text[pos] = None  # free the raw column now
        if pos in person_pos:
            numbers[pos] = in_background(_parse_numbers, column, name="persons")
        filled |= _valid(column)
        if pos in used:
            stripped[pos] = column
    keep = filled.copy()
    quarantine.add(
        rows[~filled], "", "", [None] * int((~filled).sum()), "row_blank", problem_text("row_blank")
    )

    if "case_id" in placed:
        case_pos = placed["case_id"]
        no_id = keep & ~_valid(stripped[case_pos])
        quarantine.add(
            rows[no_id],
            headers[case_pos],
            "case_id",
            [None] * int(no_id.sum()),
            "case_id_missing",
            problem_text("case_id_missing"),
        )
        keep &= ~no_id
        if dedupe:
            keep = _duplicates(stripped, placed, case_pos, keep, rows, headers, quarantine, notes)

    index = np.flatnonzero(keep)
    row_numbers = rows[index]
    kept_all = len(index) == n  # the common case: no row taken out, no copy needed
    keep_mask = pa.array(keep)
    cases: dict[str, pd.Series] = {}
    invalid: dict[str, np.ndarray] = {}
    person_derived: dict[str, pd.Series] | None = None

    pending: dict[str, Callable[[], pa.StringArray]] = {}  # field → its pseudonyms, when ready
    # Personnummer first: their pseudonyms are computed in the background meanwhile.
    first_persons = sorted(placed.items(), key=lambda item: by_name[item[0]].type is not FieldType.PERSON)
    for field_name, position in first_persons:
        fspec = by_name[field_name]
        header = headers[position]
        column = stripped.pop(position)
        text = column if kept_all else column.filter(keep_mask)
        del column
        if fspec.type is FieldType.TEXT:
            cases[field_name] = str_series(text)
            invalid[field_name] = np.zeros(len(index), dtype=bool)
        elif fspec.type is FieldType.CODE:
            codes, bad = normalise_code_array(text, fspec, spec.values.get(field_name))
            cases[field_name] = codes
            invalid[field_name] = bad
            problems.add(
                row_numbers[bad],
                header,
                field_name,
                _pick(text, bad),
                "code_unknown",
                problem_text("code_unknown", field=fspec.sv, allowed=", ".join(fspec.codes)),
                order=position,
            )
        elif fspec.type is FieldType.DATE:
            fast = iso_dates.pop(position, None)
            if fast is not None:
                cases[field_name] = fast if kept_all else fast.iloc[index].reset_index(drop=True)
                invalid[field_name] = np.zeros(len(index), dtype=bool)
                continue
            if raw.values is not None:
                source = raw.values[position].iloc[index].reset_index(drop=True)
            else:
                source = str_series(text)
            dates, date_codes = parse_dates(source, dayfirst=spec.dayfirst)
            del source
            cases[field_name] = dates.astype("datetime64[ns]")
            bad = date_codes.notna().to_numpy()
            invalid[field_name] = bad
            _add_coded(
                problems,
                row_numbers[bad],
                header,
                field_name,
                _pick(text, bad),
                date_codes[bad].tolist(),
                date_problem_text,
                position,
            )
        elif fspec.type is FieldType.PERSON:
            found = numbers.pop(position)()
            found = found if kept_all else found.take(index)
            pending[field_name], bad, derived, masked, pcodes = _persons(text, found, secret, keyed)
            invalid[field_name] = bad
            from ivoaudit.normalise.personnummer import pnr_problem_text

            _add_coded(
                problems,
                row_numbers[bad],
                header,
                field_name,
                masked,
                pcodes,
                pnr_problem_text,
                position,
            )
            person_derived = derived

    for field_name, value in spec.constants.items():
        if field_name in by_name:
            cases[field_name] = pd.Series(value, index=pd.RangeIndex(len(index)), dtype="str")
            invalid[field_name] = np.zeros(len(index), dtype=bool)

    if person_derived is not None:
        _apply_derived(
            cases, invalid, person_derived, placed, headers, row_numbers, problems, notes
        )

    for field_name, finish in pending.items():
        cases[field_name] = str_series(finish())
    order = [f.name for f in fields if f.name in cases]
    for extra in ("sex", "birth_date"):  # derived fields of an events table, if ever
        if extra in cases and extra not in order:
            order.append(extra)
    # copy=False: the columns are fresh and owned here; pandas would otherwise stack all
    # date columns into one block, a copy of them at the moment memory is highest.
    frame = pd.DataFrame(
        {name: cases.pop(name) for name in order}, index=pd.RangeIndex(len(index)), copy=False
    )
    frame["_row"] = pd.Series(row_numbers, dtype="int64")
    invalid_frame = pd.DataFrame(
        {name: np.asarray(invalid[name], dtype=bool) for name in order},
        index=pd.RangeIndex(len(index)),
        copy=False,
    )

    unrecognised = tuple(
        h if h else t("(kolumn {n} utan rubrik)", "(column {n} without header)", n=i + 1)
        for i, h in enumerate(headers)
        if i not in used
    )
    source_info = SourceInfo(
        path=path,
        format=raw.format,
        rows=n + len(raw.rejected),
        fingerprint=raw.fingerprint,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
    )
    return LoadedExtract(
        cases=frame,
        invalid=invalid_frame,
        problems=problems.frame(),
        quarantine=quarantine.frame(),
        source=source_info,
        columns={name: headers[pos] for name, pos in placed.items()},
        constants=dict(spec.constants),
        unrecognised=unrecognised,
        notes=tuple(notes),
    )


def _valid(column: pa.ChunkedArray) -> np.ndarray:
    """Non-null mask of an Arrow column as numpy bools."""
    return column.is_valid().to_numpy(zero_copy_only=False)


def _pick(column: pa.ChunkedArray, mask: np.ndarray) -> list[object]:
    """The cells of ``column`` where ``mask`` is True, as Python values."""
    if not mask.any():
        return []
    return column.take(pa.array(np.flatnonzero(mask))).to_pylist()


def _add_coded(
    log: ProblemLog,
    rows: np.ndarray,
    header: str,
    field_name: str,
    values: Sequence[object],
    codes: Sequence[object],
    text_of: Any,
    order: int,
) -> None:
    """Add problems whose text depends on a per-cell problem code."""
    if not len(rows):
        return
    texts = {c: text_of(c) for c in set(codes)}
    for code in texts:
        pick = np.array([c == code for c in codes])
        log.add(
            rows[pick],
            header,
            field_name,
            [v for v, p in zip(values, pick, strict=True) if p],
            str(code),
            texts[code],
            order=order,
        )


def _duplicates(
    stripped: dict[int, pa.ChunkedArray],
    placed: dict[str, int],
    case_pos: int,
    keep: np.ndarray,
    rows: np.ndarray,
    headers: Sequence[str],
    log: ProblemLog,
    notes: list[str],
) -> np.ndarray:
    """Collapse identical duplicates; quarantine every row of a conflicting case id."""
    kept_ids = stripped[case_pos] if keep.all() else stripped[case_pos].filter(pa.array(keep))
    if _all_distinct(kept_ids):  # the common case; no pandas needed
        return keep
    case_id = str_series(stripped[case_pos]).where(pd.Series(keep))
    dup = (case_id.duplicated(keep=False) & case_id.notna()).to_numpy()
    if not dup.any():
        return keep
    positions = sorted(set(placed.values()))
    where = np.flatnonzero(dup)
    take = pa.array(where)
    content = pd.DataFrame(
        {p: _text(stripped[p].take(take)).fillna("").to_numpy(dtype=object) for p in positions}
    )
    groups: dict[str, list[tuple[int, tuple[object, ...]]]] = {}
    for i, values in zip(where.tolist(), content.itertuples(index=False, name=None), strict=True):
        groups.setdefault(str(case_id.iloc[i]), []).append((int(i), values))
    keep = keep.copy()
    header = headers[case_pos]
    identical = conflict = 0
    for cid, members in groups.items():
        if len({values for _, values in members}) == 1:
            first = int(rows[members[0][0]])
            for i, _ in members[1:]:
                keep[i] = False
                identical += 1
                log.add(
                    [rows[i]],
                    header,
                    "case_id",
                    [cid],
                    "duplicate_identical",
                    problem_text("duplicate_identical", first=first),
                )
        else:
            member_rows = [int(rows[i]) for i, _ in members]
            for i, _ in members:
                keep[i] = False
                conflict += 1
                others = ", ".join(str(r) for r in member_rows if r != int(rows[i]))
                log.add(
                    [rows[i]],
                    header,
                    "case_id",
                    [cid],
                    "duplicate_conflict",
                    problem_text("duplicate_conflict", others=others),
                )
    if identical:
        notes.append(
            t(
                "{n} identiska dubblettrader slogs ihop med den första förekomsten.",
                "{n} identical duplicate rows were collapsed into their first occurrence.",
                n=identical,
            )
        )
    if conflict:
        notes.append(
            t(
                "{n} rader har samma ärendenummer som en annan rad men annat innehåll och "
                "lästes inte in.",
                "{n} rows share their case id with another row but differ "
                "in content and were not loaded.",
                n=conflict,
            )
        )
    return keep


def _text(column: pa.ChunkedArray) -> pd.Series:
    """A column as text: date columns read as dates give their ISO form, as in the file;
    dictionary columns their values."""
    return str_series(column if pa.types.is_string(column.type) else column.cast(pa.string()))


def _all_distinct(ids: pa.ChunkedArray) -> bool:
    """True when no case id (nulls aside) occurs twice.

    Extracts are usually sorted by case id: a strictly increasing column is checked in
    one pass with no hashing (a tenth of the cost); any other column is hashed.
    """
    present = ids.drop_null() if ids.null_count else ids
    if len(present) < 2:
        return True
    if pc.all(pc.greater(present.slice(1), present.slice(0, len(present) - 1))).as_py():
        return True
    return pc.count_distinct(present, mode="only_valid").as_py() == len(present)


def _parse_numbers(column: pa.ChunkedArray) -> ParsedNumbers:
    """Every row's personnummer, validated (see :func:`ivoaudit.normalise.personnummer.parse_number_array`)."""
    import datetime as dt

    from ivoaudit.normalise.personnummer import parse_number_array

    return parse_number_array(column, dt.date.today())


def _persons(
    text: pa.ChunkedArray, parsed: ParsedNumbers, secret: bytes | None, keyed: bool
) -> tuple[Callable[[], pa.StringArray], np.ndarray, dict[str, pd.Series], list[str], list[object]]:
    """Pseudonyms (a function that waits for them), invalid mask, derived sex/birth date,
    masked bad values and their codes, from the kept rows' ``text`` and ``parsed`` numbers.

    Parsing is vectorised per row (cheaper than finding distinct strings first); the
    HMAC, the one per-value Python step, runs once per distinct number.
    """
    from ivoaudit.normalise.personnummer import (
        PROBLEM_NAMES,
        SEX_NAMES,
        load_or_create_secret,
        mask_personnummer,
        start_local_tokens,
        start_pseudonyms,
    )

    bad = parsed.problem != 0  # a row with a problem has every other part empty
    if not keyed:
        pseudonyms = start_local_tokens(parsed.canonical)
    else:
        if secret is None and text.null_count < len(text):
            secret = load_or_create_secret()
        pseudonyms = start_pseudonyms(parsed.canonical, secret or b"")
    sex = str_series(pa.array(list(SEX_NAMES), type=pa.string()).take(parsed.sex.astype(np.int64)))
    birth = pd.Series(parsed.birth.astype("datetime64[ns]"), dtype="datetime64[ns]")
    masked = [mask_personnummer(v) for v in _pick(text, bad)]
    codes = list(np.array(PROBLEM_NAMES, dtype=object)[parsed.problem[bad]])
    return pseudonyms, bad, {"sex": sex, "birth_date": birth}, masked, codes


def _apply_derived(
    cases: dict[str, pd.Series],
    invalid: dict[str, pd.Series],
    derived: dict[str, pd.Series],
    placed: dict[str, int],
    headers: Sequence[str],
    rows: np.ndarray,
    problems: ProblemLog,
    notes: list[str],
) -> None:
    """Sex and birth date from the personnummer: fill absent columns and blank cells; report clashes."""
    for field_name, code in (("sex", "sex_mismatch"), ("birth_date", "birth_date_mismatch")):
        value = derived[field_name]
        if field_name not in cases:
            cases[field_name] = value
            invalid[field_name] = pd.Series(False, index=value.index)
            notes.append(
                t(
                    "{label} härleddes ur personnumret.",
                    "{label} was derived from the personal identity number.",
                    label=t("Kön", "Sex")
                    if field_name == "sex"
                    else t("Födelsedatum", "Birth date"),
                )
            )
            continue
        if field_name not in placed:  # a constant: keep it as the user said
            continue
        own = cases[field_name]
        clash = (own.notna() & value.notna() & (own != value)).to_numpy()
        header = headers[placed[field_name]]
        shown = (
            own[clash].dt.strftime("%Y-%m-%d").tolist()
            if field_name == "birth_date"
            else own[clash].tolist()
        )
        problems.add(
            rows[clash],
            header,
            field_name,
            shown,
            code,
            problem_text(code),
            order=placed[field_name],
        )
        fill = own.isna() & ~invalid[field_name]
        cases[field_name] = own.where(~fill, value)
