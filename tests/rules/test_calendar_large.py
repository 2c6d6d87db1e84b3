"""Calendar-month addition on large arrays (the lookup-table path used for big extracts).

Expected dates are written by hand from lag (1930:173) 1 §; each is repeated inside a large
array so the table path is taken, and mixed with dates far apart so the direct path is too.
"""

from __future__ import annotations

import numpy as np
import pytest

from ivoaudit.rules.calendar import add_months

CASES = [
    ("2025-10-31", 4, "2026-02-28"),
    ("2023-10-31", 4, "2024-02-29"),
    ("2026-01-31", 3, "2026-04-30"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2023-01-31", 1, "2023-02-28"),
    ("2025-12-31", 6, "2026-06-30"),
    ("2026-01-05", 4, "2026-05-05"),
]


@pytest.mark.parametrize("start,months,expected", CASES)
@pytest.mark.parametrize("far", [False, True])
def test_large_array_same_as_law(start, months, expected, far):
    filler = np.array(["2024-06-15"] * 50_000 + ["NaT"] * 10, dtype="datetime64[D]")
    if far:  # a wide span of dates: computed element by element instead of via a table
        filler[:2] = np.array(["0100-01-31", "9000-12-31"], dtype="datetime64[D]")
    dates = np.concatenate([filler, np.array([start, "NaT"], dtype="datetime64[D]")])
    out = add_months(dates, months)
    assert out[-2] == np.datetime64(expected)
    assert np.isnat(out[-1]) and np.isnat(out[-3])
    filler_expected = {4: "2024-10-15", 3: "2024-09-15", 1: "2024-07-15", 6: "2024-12-15"}[months]
    assert out[5] == np.datetime64(filler_expected)
