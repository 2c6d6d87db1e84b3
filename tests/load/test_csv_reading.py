"""Reading CSV: cells, row numbers and pseudonyms checked against routes that do not share the
code under test (the standard library's ``csv`` and ``hmac``, cell-by-cell parsing)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.load.files import read_table
from ivoaudit.normalise.dates import parse_date_cells, parse_dates
from ivoaudit.normalise.personnummer import parse_personnummer
from ivoaudit.normalise.pseudonyms import pseudonym_column, pseudonymise
from ivoaudit.normalise.text import strip_array


def _standard(key: bytes, number: str) -> str:
    return "P" + hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:16]


@pytest.mark.parametrize("key", [b"s" * 32, bytes(range(100))])  # longer than a block: hashed first
def test_pseudonyms_equal_the_standard_hmac(key):
    numbers = ["191212121212", None, "19121212T123", "191212121212", "198001010019"]
    out = pseudonym_column(pa.array(numbers, pa.string()), key).to_pylist()
    assert out == [None if n is None else _standard(key, n) for n in numbers]
    assert pseudonymise(pd.Series(numbers, index=range(5, 10)), key).tolist() == out


def test_reserve_prefix_98_99_is_a_reserve_number_not_a_date():
    found = parse_personnummer(pd.Series(["981212121234", "99121212-1234", "98121212+1234"]),
                               reference_date=pd.Timestamp("2026-03-01").date())
    assert found["kind"].tolist() == ["reserve", "reserve", None]
    assert found["canonical"].tolist() == ["981212121234", "991212121234", None]
    assert found["problem"].tolist() == [None, None, "pnr_date"]


def test_strip_array_blanks_become_null():
    assert strip_array(pa.array(["  a ", "   ", None, "\tb", ""])).to_pylist() == ["a", None, None, "b", None]


_CELLS = st.one_of(
    st.dates(min_value=pd.Timestamp("1850-01-01").date(), max_value=pd.Timestamp("2150-12-31").date())
    .map(lambda d: d.isoformat()),
    st.sampled_from(["", "  ", "2024-02-30", "2023-02-29", " 2024-01-05", "2024-01-05\t", "\u00a02024-01-05",
                     "2024-01-05 10:30", "2024-01-05T25:00", "5/1 2024", "20240105", "45000", "05/01/2024",
                     "0026-01-01"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=25))
def test_a_column_parses_as_its_cells_do_one_by_one(cells):
    # Whole columns go through Arrow's cast when they can; one cell alone often cannot take
    # the same route, so this compares the two.
    dates, codes = parse_date_cells(pa.chunked_array([pa.array(cells, pa.string())]))
    for i, cell in enumerate(cells):
        one_date, one_code = parse_dates(pd.Series([cell], dtype=object))
        assert (pd.isna(dates[i]) and pd.isna(one_date[0])) or dates[i] == one_date[0], cell
        assert codes[i] == one_code[0], cell


@pytest.mark.parametrize("malformed", [True, False])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_every_cell_and_row_number_as_the_standard_csv_reader_sees_them(tmp_path, encoding, malformed):
    lines = ["Ärendenr;Enhet;Anteckning"]
    for i in range(3000):
        note = f'"rad ett {i}\nrad två; ""citat"""' if i % 7 == 0 else f"kort {i}"
        lines.append(f"A-{i};Öster {i % 5};{note}")
        if i == 2500 and malformed:
            lines.append("trasig;rad;med;för;många")
    text = "\n".join(lines) + "\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(encoding))
    raw = read_table(path)
    records = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    good = [r for r in records if len(r) == 3]
    assert raw.text[0].to_pylist() == [r[0] for r in good]
    assert raw.text[2].to_pylist() == [r[2] for r in good]
    starts, line = [], 2  # the physical line each record starts on, counted by hand
    for r in records:
        starts.append(line)
        line += 1 + sum(field.count("\n") for field in r)
    assert raw.rows.tolist() == [s for s, r in zip(starts, records, strict=True) if len(r) == 3]
    # Every line accounted for: rows, refused rows and lines continuing a cell.
    assert len(raw.rows) + len(raw.rejected) + len(raw.continued) == text.count("\n") - 1
    if malformed:
        assert [row for row, _ in raw.rejected] == [text[: text.index("trasig")].count("\n") + 1]
    else:
        assert raw.rejected == []


def test_cp1252_refused_rows_keep_their_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("Ärendenr;Enhet\nA-1;Öster\nA-2;Väster;Över;fält\nA-3;Norr\n".encode("cp1252"))
    raw = read_table(path)
    assert raw.encoding == "cp1252"
    assert raw.rows.tolist() == [2, 4] and raw.rejected == [(3, 4)]
    assert raw.text[1].to_pylist() == ["Öster", "Norr"]


def test_rows_numbered_by_line_with_blank_lines_and_cr_only_line_ends(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"Arendenr;Enhet\r\rA-1;X\rA-2;Y\r\r\rA-3;Z")
    raw = read_table(path)
    assert raw.rows.tolist() == [3, 4, 7]
    assert raw.text[0].to_pylist() == ["A-1", "A-2", "A-3"]
    assert isinstance(raw.rows, np.ndarray)
