"""ivoaudit.normalise.dates.parse_dates: every accepted and refused form, with literal expectations."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivoaudit.i18n import use_language
from ivoaudit.normalise.dates import DATE_PROBLEM_CODES, MAX_YEAR, MIN_YEAR, parse_dates
from ivoaudit.problems import problem_message

ACCEPTED = [
    ("2026-01-05", "2026-01-05"),
    ("2026-1-5", "2026-01-05"),
    ("2026/01/05", "2026-01-05"),
    ("2026.01.05", "2026-01-05"),
    ("20260105", "2026-01-05"),
    ("  2026-01-05\t", "2026-01-05"),
    ("2026-01-05 14:30", "2026-01-05"),
    ("2026-01-05T14:30:00", "2026-01-05"),
    ("2026-01-05 14:30:00.000", "2026-01-05"),
    ("2026-01-05 23:59:59.999999", "2026-01-05"),
    ("2026-1-5 8:05", "2026-01-05"),
    ("20260105 14:30", "2026-01-05"),
    ("2024-02-29", "2024-02-29"),
    ("2000-02-29", "2000-02-29"),
    ("1900-01-01", "1900-01-01"),
    ("2100-12-31", "2100-12-31"),
    ("45000", "2023-03-15"),  # Excel serial: 44927 is 2023-01-01, + 73 days
    ("45000.75", "2023-03-15"),
    ("45000,5", "2023-03-15"),
    ("46027", "2026-01-05"),
]

REFUSED = [
    ("2026-02-30", "date_impossible"),
    ("2025-02-29", "date_impossible"),
    ("1900-02-29", "date_impossible"),
    ("2026-13-01", "date_impossible"),
    ("2026-00-10", "date_impossible"),
    ("2026-01-32", "date_impossible"),
    ("2026-04-31", "date_impossible"),
    ("20260230", "date_impossible"),
    ("05/01/2026", "date_ambiguous_dayfirst"),
    ("05.01.2026", "date_ambiguous_dayfirst"),
    ("05-01-2026", "date_ambiguous_dayfirst"),
    ("25/12/2026", "date_ambiguous_dayfirst"),  # unambiguous to a human, still a rule
    ("05-01-26", "date_two_digit_year"),
    ("26-01-05", "date_two_digit_year"),
    ("05/01/26", "date_two_digit_year"),
    ("050126", "date_two_digit_year"),
    ("260105", "date_two_digit_year"),
    ("1899-12-31", "date_implausible"),
    ("0026-01-05", "date_implausible"),
    ("2101-01-01", "date_implausible"),
    ("2206-01-05", "date_implausible"),
    ("99999", "date_implausible"),  # serial in 2173
    ("2026-01-05x", "date_unparseable"),
    ("x2026-01-05", "date_unparseable"),
    ("2026-01-05 kl 14", "date_unparseable"),
    ("2026-01-05T14:30:00Z", "date_unparseable"),
    ("2026-01-05 24:00", "date_unparseable"),
    ("2026-01-05 14:60", "date_unparseable"),
    ("2026-01", "date_unparseable"),
    ("2026", "date_unparseable"),  # a bare year, not serial 2026
    ("60", "date_unparseable"),  # short digit strings are not serials
    ("5 januari 2026", "date_unparseable"),
    ("2026-01/05", "date_unparseable"),
    ("١٢٣٤-01-05", "date_unparseable"),  # non-ASCII digits
    ("ok", "date_unparseable"),
    ("2026--01-05", "date_unparseable"),
    ("202601055", "date_unparseable"),
]

BLANK = ["", "   ", None, "\t"]


def _one(value, **kw):
    dates, problems = parse_dates(pd.Series([value], dtype=object), **kw)
    return dates.iloc[0], problems.iloc[0]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_forms(text, expected):
    date, problem = _one(text)
    assert problem is None
    assert date == pd.Timestamp(expected)


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_refused_forms(text, code):
    date, problem = _one(text)
    assert pd.isna(date)
    assert problem == code


@pytest.mark.parametrize("text", BLANK)
def test_blank_is_missing_without_problem(text):
    date, problem = _one(text)
    assert pd.isna(date)
    assert problem is None


def test_forms_inside_one_large_column_match_single_cells():
    # The fast path and the slow path must agree whichever one a cell lands in.
    cases = ACCEPTED + REFUSED + [(b, None) for b in BLANK]
    texts = [c[0] for c in cases] * 50
    dates, problems = parse_dates(pd.Series(texts, dtype="str"))
    for i, text in enumerate(texts):
        single_date, single_problem = _one(text)
        assert problems.iloc[i] == single_problem, text
        assert (pd.isna(dates.iloc[i]) and pd.isna(single_date)) or dates.iloc[i] == single_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2026", "2026-01-05"),
        ("5.1.2026", "2026-01-05"),
        ("31-12-2025", "2025-12-31"),
        ("29/02/2024", "2024-02-29"),
        ("05/01/2026 14:30", "2026-01-05"),
        ("2026-01-05", "2026-01-05"),  # ISO is still ISO
        ("20260105", "2026-01-05"),
    ],
)
def test_dayfirst_reads_day_month_year(text, expected):
    date, problem = _one(text, dayfirst=True)
    assert problem is None
    assert date == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("29/02/2025", "date_impossible"),
        ("13/13/2026", "date_impossible"),
        ("05/01/26", "date_two_digit_year"),
        ("05/01/1850", "date_implausible"),
    ],
)
def test_dayfirst_still_refuses(text, code):
    date, problem = _one(text, dayfirst=True)
    assert pd.isna(date)
    assert problem == code


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (1, "1900-01-01", None),
        (59, "1900-02-28", None),
        (60, None, "date_excel_1900_leap_bug"),
        (61, "1900-03-01", None),
        (60.5, None, "date_excel_1900_leap_bug"),
        (44927, "2023-01-01", None),
        (46027.99, "2026-01-05", None),
        (0, None, "date_unparseable"),
        (-5, None, "date_unparseable"),
        (3_000_000, None, "date_implausible"),
        (20260105, "2026-01-05", None),  # a number cell holding YYYYMMDD
        (20260230, None, "date_impossible"),
        (260105, None, "date_two_digit_year"),
    ],
)
def test_excel_numbers(value, expected, code):
    for series in (pd.Series([value], dtype=object), pd.Series([value])):
        dates, problems = parse_dates(series)
        assert problems.iloc[0] == code
        if expected is None:
            assert pd.isna(dates.iloc[0])
        else:
            assert dates.iloc[0] == pd.Timestamp(expected)


def test_numeric_column_with_blanks():
    dates, problems = parse_dates(pd.Series([45000.0, np.nan, 61.0]))
    assert list(problems) == [None, None, None]
    assert dates.iloc[0] == pd.Timestamp("2023-03-15")
    assert pd.isna(dates.iloc[1])
    assert dates.iloc[2] == pd.Timestamp("1900-03-01")


def test_mixed_xlsx_cells():
    cells = [
        dt.datetime(2026, 1, 5, 14, 30),
        dt.date(2024, 2, 29),
        pd.Timestamp("2026-03-01 23:59"),
        np.datetime64("2026-04-01T10:00"),
        "2026-01-05",
        " 05/01/2026 ",
        45000,
        60,
        None,
        float("nan"),
        True,
        dt.time(14, 30),
        dt.date(1850, 1, 1),
    ]
    dates, problems = parse_dates(pd.Series(cells, dtype=object, index=range(100, 113)))
    assert list(dates.index) == list(range(100, 113))
    expected = [
        "2026-01-05",
        "2024-02-29",
        "2026-03-01",
        "2026-04-01",
        "2026-01-05",
        None,
        "2023-03-15",
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    codes = [
        None,
        None,
        None,
        None,
        None,
        "date_ambiguous_dayfirst",
        None,
        "date_excel_1900_leap_bug",
        None,
        None,
        "date_unparseable",
        "date_unparseable",
        "date_implausible",
    ]
    assert list(problems) == codes
    for got, want in zip(dates, expected, strict=True):
        assert (pd.isna(got) and want is None) or got == pd.Timestamp(want)


def test_result_types_index_and_midnight():
    values = pd.Series(["2026-01-05 23:59", None, "bad"], index=["a", "b", "c"], name="inkom")
    dates, problems = parse_dates(values)
    assert dates.dtype == "datetime64[ns]"
    assert problems.dtype == object
    assert list(dates.index) == ["a", "b", "c"] and list(problems.index) == ["a", "b", "c"]
    assert dates["a"] == pd.Timestamp("2026-01-05")  # normalised to midnight
    assert problems["b"] is None and problems["c"] == "date_unparseable"


def test_arrow_typed_columns_pass_through():
    date32 = pd.Series(pd.array([dt.date(2026, 1, 5), None], dtype=pd.ArrowDtype(pa.date32())))
    stamps = pd.Series(
        pd.array([dt.datetime(2026, 1, 5, 22, 0), None], dtype=pd.ArrowDtype(pa.timestamp("us")))
    )
    numpy_dt = pd.Series(pd.to_datetime(["2026-01-05 13:00", None]))
    for series in (date32, stamps, numpy_dt):
        dates, problems = parse_dates(series)
        assert dates.dtype == "datetime64[ns]"
        assert dates.iloc[0] == pd.Timestamp("2026-01-05")
        assert pd.isna(dates.iloc[1])
        assert list(problems) == [None, None]


def test_typed_column_out_of_range_is_implausible():
    series = pd.Series(
        pd.array([dt.date(1, 1, 1), dt.date(2026, 1, 5)], dtype=pd.ArrowDtype(pa.date32()))
    )
    dates, problems = parse_dates(series)
    assert list(problems) == ["date_implausible", None]
    assert pd.isna(dates.iloc[0]) and dates.iloc[1] == pd.Timestamp("2026-01-05")


def test_empty_and_all_blank_columns():
    for series in (
        pd.Series([], dtype=object),
        pd.Series([None, None]),
        pd.Series(["", " "], dtype="str"),
    ):
        dates, problems = parse_dates(series)
        assert len(dates) == len(series) and dates.isna().all()
        assert problems.isna().all()


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["%Y-%m-%d", "%Y%m%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]),
)
def test_any_real_date_round_trips(day, fmt):
    text = dt.datetime.combine(day, dt.time(13, 45, 10)).strftime(fmt)
    date, problem = _one(text)
    assert problem is None
    assert date == pd.Timestamp(day)


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31))
def test_impossible_iff_calendar_says_so(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}"
    date, problem = _one(text)
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    if real is None:
        assert problem == "date_impossible" and pd.isna(date)
    else:
        assert problem is None and date == pd.Timestamp(real)


@pytest.mark.parametrize("code", DATE_PROBLEM_CODES)
def test_problem_texts_in_both_languages(code):
    swedish = problem_message(code, lo=MIN_YEAR, hi=MAX_YEAR)
    with use_language("en"):
        english = problem_message(code, lo=MIN_YEAR, hi=MAX_YEAR)
    assert swedish and english and swedish != english
    if code in ("date_unparseable", "date_two_digit_year", "date_ambiguous_dayfirst"):
        assert "ÅÅÅÅ-MM-DD" in swedish and "YYYY-MM-DD" in english
    if code == "date_ambiguous_dayfirst":
        assert "dayfirst" in swedish and "dayfirst" in english
    with pytest.raises(KeyError):
        problem_message("no_such_code")
