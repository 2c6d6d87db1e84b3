"""The loader's vectorised shortcuts agree with its general paths.

``identity.parse_number_array`` reads plain digit shapes straight from Arrow's buffer and
sends everything else through regular expressions; ``identity.pseudonym_array`` builds
pseudonyms from fixed-width bytes. Each is compared here with a route that cannot take
the shortcut (white space forces the regex path; the standard library's ``hmac`` is the
reference for pseudonyms), so a divergence in either direction fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.normalise.personnummer import parse_personnummer, pseudonym_array, start_pseudonyms
from ivoaudit.normalise.text import strip_array

REF = dt.date(2026, 3, 1)

shapes = st.one_of(
    st.tuples(
        st.text("0123456789", min_size=8, max_size=8),
        st.sampled_from(["-", "+", ""]),
        st.text("0123456789", min_size=4, max_size=4),
    ),
    st.tuples(
        st.text("0123456789", min_size=6, max_size=6),
        st.sampled_from(["-", "+", ""]),
        st.text("0123456789", min_size=4, max_size=4),
    ),
)


def _valid_number(draw_date: dt.date, serial: int, century: bool, sep: str) -> str:
    nine = f"{draw_date:%y%m%d}{serial:03d}"
    total = 0
    for i, ch in enumerate(nine):  # Luhn written out independently of the code under test
        v = int(ch) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    number = nine + str((10 - total % 10) % 10)
    head = f"{draw_date.year // 100}{number[:6]}" if century else number[:6]
    return f"{head}{sep}{number[6:]}"


valid_numbers = st.builds(
    _valid_number,
    st.dates(dt.date(1890, 1, 1), dt.date(2026, 12, 31)),
    st.integers(0, 999),
    st.booleans(),
    st.sampled_from(["-", "+", ""]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(shapes.map("".join), valid_numbers), min_size=1, max_size=40))
def test_digit_shapes_agree_with_the_regex_path(values):
    # A space inside the number is removed by normalising, but keeps the value off the
    # byte-level path: both routes must give the same row.
    spaced = [v[:3] + " " + v[3:] for v in values]
    fast = parse_personnummer(pd.Series(values, dtype="str"), reference_date=REF)
    slow = parse_personnummer(pd.Series(spaced, dtype="str"), reference_date=REF)
    pd.testing.assert_frame_equal(fast, slow)


def test_reserve_prefix_98_99_is_not_taken_by_the_byte_path():
    found = parse_personnummer(
        pd.Series(["981212121234", "99121212-1234", "98121212+1234"], dtype="str"),
        reference_date=REF,
    )
    assert found["kind"].tolist() == ["reserve", "reserve", None]
    assert found["canonical"].tolist() == ["981212121234", "991212121234", None]
    assert found["problem"].tolist() == [None, None, "pnr_date"]


def test_pseudonym_array_matches_the_standard_hmac():
    key = b"s" * 32
    canonical = np.array([b"191212121212", b"", b"19121212T123", b"191212121212"], dtype="S12")
    out = pseudonym_array(canonical, key).to_pylist()
    expected = "P" + hmac.new(key, b"191212121212", hashlib.sha256).hexdigest()[:16]
    reserve = "P" + hmac.new(key, b"19121212T123", hashlib.sha256).hexdigest()[:16]
    assert out == [expected, None, reserve, expected]


def _standard_pseudonym(key: bytes, number: bytes) -> str:
    return "P" + hmac.new(key, number, hashlib.sha256).hexdigest()[:16]


def _numbers(count: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    values = [f"19{n:010d}".encode() for n in rng.integers(0, 10**10, count)]
    values[5] = b""  # blank
    values[7] = b"19121212T123"  # reserve number with a letter
    values[9] = values[2]  # the same person twice
    return np.array(values, dtype="S12")


def test_pseudonyms_from_child_processes_equal_the_standard_hmac():
    key = b"k" * 40
    canonical = _numbers(3000)
    out = start_pseudonyms(canonical, key, worker_from=1)().to_pylist()
    expected = [_standard_pseudonym(key, v) if v else None for v in canonical.tolist()]
    assert out == expected
    assert out[9] == out[2] and out[5] is None


def test_pseudonyms_fall_back_to_this_process_when_no_child_can_start(monkeypatch):
    import sys

    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    key = b"x" * 70  # longer than a block: hashed first, as RFC 2104 says
    canonical = _numbers(500)
    out = start_pseudonyms(canonical, key, worker_from=1)().to_pylist()
    assert out == [_standard_pseudonym(key, v) if v else None for v in canonical.tolist()]


def test_strip_array_blanks_become_null():
    column = strip_array(pa.array(["  a ", "   ", None, "\tb", ""]))
    assert column.to_pylist() == ["a", None, None, "b", None]
    assert strip_array(pa.array(["x", None])).to_pylist() == ["x", None]


def test_hmac_worker_children_compute_every_part(monkeypatch):
    from ivoaudit import hmac_worker

    key = b"secret"
    canonical = _numbers(1001)
    packed = canonical.tobytes()
    expected = hmac_worker.truncated_digests(canonical.tolist(), key)

    def not_here(*args, **kwargs):
        raise AssertionError("computed in the parent process, not in a child")

    monkeypatch.setattr(hmac_worker, "truncated_digests", not_here)
    assert hmac_worker.start(packed, 12, key, parts=3)() == expected


def test_strip_array_skips_only_columns_arrow_would_leave_unchanged():
    import pyarrow.compute as pc

    from ivoaudit.normalise.text import _may_need_trim

    # The oracle: every code point Arrow's own trim removes at either end of a cell.
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = pa.array([chr(c) + "x" for c in points] + ["x" + chr(c) for c in points])
    trimmed = pc.binary_length(pc.utf8_trim_whitespace(cells)).to_numpy() == 1
    removed = sorted({points[i % len(points)] for i in np.flatnonzero(trimmed)})
    assert 0x20 in removed and 0xA0 in removed and 0x3000 in removed
    for c in removed:
        for cell in (chr(c) + "x", "x" + chr(c), chr(c)):
            column = pa.chunked_array([pa.array(["a", None, cell, "b"])])
            assert _may_need_trim(column), hex(c)
            assert strip_array(column).to_pylist() == ["a", None, cell.strip() or None, "b"]
    clean = pa.chunked_array([pa.array(["Åsa", None, "Öst", "2024-01-01"])])
    assert strip_array(clean).to_pylist() == ["Åsa", None, "Öst", "2024-01-01"]
    assert _may_need_trim(pa.chunked_array([pa.array(["a", ""])]))  # empty → null
    assert strip_array(pa.chunked_array([pa.array(["a", ""])])).to_pylist() == ["a", None]


@pytest.mark.parametrize(
    ("ids", "distinct"),
    [
        (["A1", "A2", "B1"], True),  # sorted: the one-pass check
        (["A1", "A1", "B1"], False),  # sorted with a repeat: not strictly increasing
        (["B1", "A1", "A2"], True),  # unsorted: hashed
        (["B1", "A1", "B1"], False),
        (["A1", None, None, "A2"], True),  # missing ids are not duplicates of each other
        ([None, "A1", "A1"], False),
    ],
)
def test_all_distinct_case_ids(ids, distinct):
    from ivoaudit.load.extract import _all_distinct

    assert _all_distinct(pa.chunked_array([pa.array(ids, type=pa.string())])) is distinct


def test_iso_date_column_reads_only_columns_parse_dates_would_read_alike():
    from ivoaudit.normalise.dates import iso_date_column, parse_dates

    good = pa.chunked_array([pa.array(["2024-02-29", None, "1900-01-01", "2100-12-31"])])
    fast = iso_date_column(good)
    slow, problems = parse_dates(pd.Series(good.to_pylist(), dtype="str"))
    assert fast is not None and fast.equals(slow.astype("datetime64[ns]"))
    assert problems.isna().all()
    for odd in ("2023-02-29", "2024-2-3", "20240101", "2024-01-01 10:00", "0000-01-01", "1899-12-31"):
        assert iso_date_column(pa.chunked_array([pa.array(["2024-01-01", odd])])) is None, odd
    assert iso_date_column(pa.chunked_array([pa.array([None, None], type=pa.string())])).isna().all()


def test_a_child_that_fails_is_replaced_by_the_same_computation_here(monkeypatch):
    import shutil
    import sys

    from ivoaudit import hmac_worker

    failing = shutil.which("false")
    if failing is None:
        pytest.skip("no 'false' program on this system")
    monkeypatch.setattr(sys, "executable", failing)  # starts, reads nothing, exits 1
    canonical = _numbers(300)
    expected = hmac_worker.truncated_digests(canonical.tolist(), b"k")
    assert hmac_worker.start(canonical.tobytes(), 12, b"k", parts=2)() == expected


# Date columns read as dates by Arrow's CSV reader (``read_table(date_columns=...)``) must
# load exactly as the text route does: the cells below are each put into one date column
# of an otherwise clean extract, which is loaded both ways and compared whole.
_DATE_CELLS = [  # (cell, whether Arrow reads the column as dates)
    ("2024-01-05", True),  # plain
    (" 2024-01-05", True),  # Arrow trims spaces and tabs itself
    ("2024-01-05\t", True),
    ("", True),  # blank
    ("1850-01-01", True),  # a real date, implausible year: handed back to the text route
    ("   ", False),  # white space only: Arrow refuses it, the text route makes it blank
    ("2024-02-30", False),  # no such day
    ("5/1 2024", False),  # another form
    ("\u00a02024-01-05", False),  # no-break space: Arrow refuses, the text route trims
]


def _count_parses(monkeypatch) -> list[frozenset[int]]:
    """Record the date columns asked of each Arrow parse."""
    import ivoaudit.load.readers as readers

    asked: list[frozenset[int]] = []
    parse = readers._arrow_parse

    def spy(*args):
        asked.append(args[-1])
        return parse(*args)

    monkeypatch.setattr(readers, "_arrow_parse", spy)
    return asked


def test_a_date_column_odd_in_the_first_lines_is_read_as_text_from_the_start(tmp_path, monkeypatch):
    from load_helpers import HEADERS, ROWS, write_csv

    rows = [list(r) for r in ROWS]
    for row in rows:
        row[6] = row[6] + " 00:00:00" if row[6] else ""  # decision dates with a time of day
    path = write_csv(tmp_path / "x.csv", HEADERS, rows, delimiter=";")
    asked = _count_parses(monkeypatch)
    typed, text, types = _load_both_ways(path, monkeypatch)
    assert asked[0] == frozenset({5})  # one parse, received dates only
    assert types[5] == "date32[day]" and types[6] == "string"
    _assert_same_load(typed, text)


def test_an_odd_date_after_the_first_lines_reads_the_file_again_as_text(tmp_path, monkeypatch):
    from load_helpers import HEADERS, ROWS, write_csv

    # Far more than the 64 KB the reader looks at first, then one impossible date.
    rows = [[f"Ä-{i}", *ROWS[i % len(ROWS)][1:]] for i in range(3000)]
    rows[-1][5] = "2024-02-30"
    path = write_csv(tmp_path / "x.csv", HEADERS, rows, delimiter=";")
    asked = _count_parses(monkeypatch)
    typed, text, types = _load_both_ways(path, monkeypatch)
    assert asked[:2] == [frozenset({5, 6}), frozenset()]  # dates tried, then all as text
    assert types[5] == types[6] == "string"
    _assert_same_load(typed, text)
    assert typed.problems["row"].tolist() == [3001]


def _load_both_ways(path, monkeypatch):
    import ivoaudit.load.reading as reading_module
    from ivoaudit.load import load_extract
    from ivoaudit.load.readers import read_table

    seen: list[list[str]] = []

    def spy(path, sheet=None, date_columns=None):
        raw = read_table(path, sheet, date_columns)
        seen.append([str(c.type) for c in raw.text])
        return raw

    monkeypatch.setattr(reading_module, "read_table", spy)
    typed = load_extract(path, secret=b"k")
    monkeypatch.setattr(reading_module, "read_table", lambda path, sheet=None, date_columns=None: read_table(path, sheet))
    text = load_extract(path, secret=b"k")
    return typed, text, seen[0]


def _assert_same_load(a, b):
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.invalid, b.invalid)
    pd.testing.assert_frame_equal(a.problems, b.problems)
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine)
    assert a.notes == b.notes


@pytest.mark.parametrize(("cell", "read_as_dates"), _DATE_CELLS)
def test_dates_read_by_arrow_load_as_the_text_route_does(tmp_path, monkeypatch, cell, read_as_dates):
    from load_helpers import HEADERS, ROWS, write_csv

    rows = [list(r) for r in ROWS]
    rows[2][5] = cell  # "Anmälan inkom" of the third case
    path = write_csv(tmp_path / "x.csv", HEADERS, rows, delimiter=";")
    typed, text, types = _load_both_ways(path, monkeypatch)
    _assert_same_load(typed, text)
    assert (types[5] == "date32[day]") is read_as_dates
    assert types[0] == "string"


def test_duplicate_rows_compare_dates_read_by_arrow(tmp_path, monkeypatch):
    from load_helpers import HEADERS, ROWS, write_csv

    same = list(ROWS[0])  # identical to the first row: collapsed into it
    other = list(ROWS[1])
    other[6] = "2024-02-01"  # ROWS[1]'s case id with another decision date: a conflict
    path = write_csv(tmp_path / "x.csv", HEADERS, [*ROWS, same, other], delimiter=";")
    typed, text, types = _load_both_ways(path, monkeypatch)
    assert types[5] == types[6] == "date32[day]"
    _assert_same_load(typed, text)
    assert list(typed.cases["case_id"]) == [ROWS[0][0], ROWS[2][0], ROWS[3][0]]


def test_date32_columns_become_nanoseconds_with_nulls_as_nat():
    from ivoaudit.normalise.dates import iso_date_column

    rng = np.random.default_rng(7)
    days = rng.integers(-20_000, 40_000, 5000)  # 1915-2079: years the loader accepts
    nulls = rng.random(5000) < 0.2
    column = pa.array(np.ma.masked_array(days, nulls).astype(np.int32), type=pa.int32()).cast(pa.date32())
    # Chunks with offsets (slices) and a chunk of nulls only, as Arrow's reader may give.
    chunked = pa.chunked_array(
        [column.slice(0, 1234), column.slice(1234, 3), pa.nulls(7, pa.date32()), column.slice(1237)]
    )
    got = iso_date_column(chunked)
    expected = [None if v is None else np.datetime64(v, "ns") for v in chunked.to_pylist()]
    assert [None if pd.isna(v) else v.to_datetime64() for v in got] == expected
    assert got.dtype == "datetime64[ns]"


@pytest.mark.parametrize("size", [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17])
def test_count_byte_equals_bytes_count(size):
    from ivoaudit.load.readers import _count_byte

    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    assert _count_byte(data, 10) == data.count(b"\n")
    assert _count_byte(data, 13) == data.count(b"\r")


def _cp1252_file() -> bytes:
    lines = ["Ärendenr;Enhet;Handläggare;Inkom;Anteckning"]
    for i in range(3000):
        unit = ("Öster", "Väster", "Norr", "")[i % 4]  # few values with bytes past ASCII
        worker = f"Åsa Ängström-{i}" if i % 3 else f"Kim {i}"  # many distinct values
        note = ('"pris 5 €; ''ÿ''\nny rad"' if i % 97 == 0 else "plain")
        lines.append(f"A-{i};{unit};{worker};2024-0{1 + i % 9}-1{i % 10};{note}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _as_text(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded to plain strings."""
    return pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
                    names=table.column_names)


def test_cp1252_parsed_as_bytes_equals_arrow_transcoding(monkeypatch):
    from ivoaudit.load import readers

    data = _cp1252_file()
    fast, fast_rejected = readers._arrow_parse(data, "cp1252", ";", 5, True, frozenset({3}))

    def refuse(*args, **kwargs):
        raise readers._NotPlain

    monkeypatch.setattr(readers, "_cp1252_parse", refuse)
    slow, slow_rejected = readers._arrow_parse(data, "cp1252", ";", 5, True, frozenset({3}))
    # Columns with bytes past ASCII come as dictionaries of the same texts.
    assert [pa.types.is_dictionary(c.type) for c in fast.columns] == [False, True, True, False, True]
    text = _as_text(fast)
    assert text.schema == slow.schema
    assert text.combine_chunks().equals(slow.combine_chunks())
    assert fast_rejected == slow_rejected == []
    assert fast.column(2)[1].as_py() == "Åsa Ängström-1" and fast.column(4)[0].as_py() == "pris 5 €; ÿ\nny rad"


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("extra", ["x;y", "Över;fält"])
def test_cp1252_rejected_rows_keep_their_text_and_row(monkeypatch, tmp_path, extra):
    # A row with too many fields is quarantined at its line, its text decoded as cp1252.
    # pyarrow cannot hand such a row of cp1252 bytes to a handler, so these files take
    # Arrow's transcoding path; nothing may reach stderr on the way.
    from ivoaudit.load import readers
    from ivoaudit.load.readers import read_table

    used = []
    real = readers._cp1252_parse

    def spy(*args, **kwargs):
        try:
            result = real(*args, **kwargs)
        except readers._NotPlain:
            used.append("transcoding")
            raise
        used.append("bytes")
        return result

    monkeypatch.setattr(readers, "_cp1252_parse", spy)
    path = tmp_path / "x.csv"
    path.write_bytes(("Ärendenr;Enhet\nA-1;Öster\nA-2;Väster;" + extra + "\nA-3;Norr\n").encode("cp1252"))
    raw = read_table(path)
    assert used == ["transcoding"]
    assert raw.rows.tolist() == [2, 4]
    assert raw.rejected == [(3, 4)]
    assert raw.text[1].to_pylist() == ["Öster", "Norr"]
    path.write_bytes("Ärendenr;Enhet\nA-1;Öster\nA-3;Norr\n".encode("cp1252"))
    assert read_table(path).text[1].to_pylist() == ["Öster", "Norr"]
    assert used == ["transcoding", "bytes"]


def test_cp1252_column_too_big_for_one_string_array_takes_the_transcoding_path(monkeypatch):
    from ivoaudit.load import readers

    data = _cp1252_file()
    expected, _ = readers._arrow_parse(data, "cp1252", ";", 5, True, frozenset({3}))
    monkeypatch.setattr(readers, "_MAX_DECODED", 10)  # every column with bytes past ASCII is "too big"
    calls = []
    real = readers._cp1252_parse

    def spy(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        except readers._NotPlain:
            calls.append("fell back")
            raise

    monkeypatch.setattr(readers, "_cp1252_parse", spy)
    got, _ = readers._arrow_parse(data, "cp1252", ";", 5, True, frozenset({3}))
    assert calls == ["fell back"]
    assert got.combine_chunks().equals(_as_text(expected).combine_chunks())


@pytest.mark.parametrize("malformed", [True, False])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_many_small_blocks_give_every_cell_and_row_number(monkeypatch, tmp_path, encoding, malformed):
    # Arrow parses in blocks (readers._BLOCK_BYTES); records with quoted line breaks and a
    # malformed line must come out the same however the file is cut into blocks.
    import csv
    import io

    from ivoaudit.load import readers

    lines = ["Ärendenr;Enhet;Anteckning"]
    for i in range(4000):
        note = f'"rad ett {i}\nrad två; ""citat"""' if i % 7 == 0 else f"kort {i}"
        lines.append(f"A-{i};Öster {i % 5};{note}")
        if i == 2500 and malformed:
            lines.append("trasig;rad;med;för;många")
    text = "\n".join(lines) + "\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(encoding))
    monkeypatch.setattr(readers, "_BLOCK_BYTES", 1 << 14)  # about 16 blocks
    raw = readers.read_table(path)
    records = [r for r in csv.reader(io.StringIO(text), delimiter=";")][1:]
    good = [r for r in records if len(r) == 3]
    assert [c.as_py() for c in raw.text[0].combine_chunks()] == [r[0] for r in good]
    assert [c.as_py() for c in raw.text[2].combine_chunks()] == [r[2] for r in good]
    assert raw.text[0].num_chunks > 4
    assert raw.rows[0] == 2 and len(raw.rows) == len(good)
    if malformed:
        bad_line = text[: text.index("trasig")].count("\n") + 1
        assert [row for row, _ in raw.rejected] == [bad_line]
    else:
        assert raw.rejected == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text("0123456789", min_size=12, max_size=12),
                          st.sampled_from(["19121212T123", "191212124123", "20000101A000", "200001011000",
                                           "000000000000", "999999999999"])),
                min_size=1, max_size=40))
def test_distinct_keys_are_equal_exactly_for_equal_numbers(numbers):
    """``identity._distinct`` packs digits into integers: its keys must still tell every
    pair of different numbers apart (reserve numbers with letters included) and name
    each number's first row."""
    from ivoaudit.normalise.personnummer import _distinct

    values = np.array([n.encode() for n in numbers], dtype="S12")
    keys, first = _distinct(values)
    for i, a in enumerate(numbers):
        for j, b in enumerate(numbers):
            assert (keys[i] == keys[j]) == (a == b)
    assert [numbers.index(numbers[f]) for f in first] == sorted(first.tolist())
    assert sorted(first.tolist()) == sorted({numbers.index(n) for n in numbers})
