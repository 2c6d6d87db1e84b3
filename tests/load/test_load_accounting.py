"""Property: every input row is either a case or exactly one quarantine row."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from load_helpers import write_csv

from ivoaudit.load import load_extract

ROW_CODES = {
    "row_blank",
    "row_malformed",
    "case_id_missing",
    "duplicate_identical",
    "duplicate_conflict",
}
HEADERS = ["Ärendenr", "Enhet", "Anmälan inkom", "Område"]

case_ids = st.sampled_from(["A", "B", "C", "Å1", " A ", "", "  "])
units = st.sampled_from(["", "Norr", "Söd;er", "x,y", "två\nrader", '"citat"', " "])
dates = st.sampled_from(["", "2024-01-01", "2024-02-30", "skräp", "05/01/2024", "2024-1-5"])
areas = st.sampled_from(["", "aldre", "Barn och unga", "okänt"])
rows_strategy = st.lists(
    st.tuples(case_ids, units, dates, areas).map(list), min_size=0, max_size=12
)


def _expected(rows):
    """Independent oracle: which rows load, and the row-level code of the others."""
    start, line = [], 2
    for row in rows:
        start.append(line)
        line += 1 + sum(v.count("\n") for v in row)
    outcome: dict[int, str] = {}
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if all(not v.strip() for v in row):
            outcome[i] = "row_blank"
        elif not row[0].strip():
            outcome[i] = "case_id_missing"
        else:
            groups.setdefault(row[0].strip(), []).append(i)
    for members in groups.values():
        contents = {tuple(v.strip() for v in rows[i]) for i in members}
        if len(contents) == 1:
            outcome[members[0]] = "loaded"
            for i in members[1:]:
                outcome[i] = "duplicate_identical"
        else:
            for i in members:
                outcome[i] = "duplicate_conflict"
    return start, outcome


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=rows_strategy,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_loaded_plus_quarantined_is_every_row(rows, delimiter, encoding):
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(
            Path(folder) / "p.csv", HEADERS, rows, delimiter=delimiter, encoding=encoding
        )
        got = load_extract(path, secret=b"property-secret-0123456789abcdef")
    start, outcome = _expected(rows)
    q = got.quarantine
    assert got.source.rows == len(rows)
    assert len(got.cases) + len(q) == len(rows)
    seen = sorted(got.cases["_row"].tolist() + q["row"].tolist())
    assert seen == sorted(start)
    assert set(q["code"]) <= ROW_CODES
    assert not got.cases["case_id"].duplicated().any()
    by_row = dict(zip(q["row"], q["code"], strict=True))
    for i, line in enumerate(start):
        expected = outcome[i]
        actual = "loaded" if line in set(got.cases["_row"]) else by_row[line]
        assert actual == expected, (i, rows[i], expected, actual)
    # cell problems only concern loaded rows
    assert set(got.problems["row"]) <= set(got.cases["_row"])
