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
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.identity import parse_personnummer, pseudonym_array
from ivoaudit.normalise import strip_array

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


def test_strip_array_blanks_become_null():
    column = strip_array(pa.array(["  a ", "   ", None, "\tb", ""]))
    assert column.to_pylist() == ["a", None, None, "b", None]
    assert strip_array(pa.array(["x", None])).to_pylist() == ["x", None]
