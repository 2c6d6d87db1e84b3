"""Row-level quarantine, cell-level problems and privacy of personnummer."""

from __future__ import annotations

import json
import re

import pandas as pd
from load_helpers import PNR_A, PNR_B, PNR_MAN, write_csv

from ivoaudit.load import load_events, load_extract
from ivoaudit.load.inspection import inspect_extract, render_text

SECRET = b"rows-test-secret-0123456789abcde"
H = ["Ärendenr", "Personnr", "Enhet", "Anmälan inkom", "Verksamhetsområde", "Kön"]


def _load(tmp_path, rows, headers=H, **kw):
    return load_extract(
        write_csv(tmp_path / "r.csv", headers, rows, delimiter=";"), secret=SECRET, **kw
    )


def test_identical_duplicates_collapse_to_the_first(tmp_path):
    rows = [
        ["A", PNR_A, "Norr", "2024-01-01", "aldre", ""],
        ["B", "", "Söder", "2024-01-02", "aldre", ""],
        [" A ", PNR_A, "Norr ", "2024-01-01", "aldre", ""],  # equal after stripping
        ["A", PNR_A, "Norr", "2024-01-01", "aldre", ""],
    ]
    got = _load(tmp_path, rows)
    assert got.cases["case_id"].tolist() == ["A", "B"]
    assert got.cases["_row"].tolist() == [2, 3]
    q = got.quarantine
    assert q[["row", "code"]].values.tolist() == [
        [4, "duplicate_identical"],
        [5, "duplicate_identical"],
    ]
    assert all("rad 2" in p for p in q["problem"])
    assert any("2 identiska" in n for n in got.notes)


def test_conflicting_duplicates_are_all_quarantined(tmp_path):
    rows = [
        ["A", "", "Norr", "2024-01-01", "aldre", ""],
        ["A", "", "Norr", "2024-01-05", "aldre", ""],
        ["B", "", "Söder", "2024-01-02", "aldre", ""],
        ["A", "", "Norr", "2024-01-01", "aldre", ""],
    ]
    got = _load(tmp_path, rows)
    assert got.cases["case_id"].tolist() == ["B"]
    q = got.quarantine.set_index("row")
    assert sorted(q.index) == [2, 3, 5]
    assert set(q["code"]) == {"duplicate_conflict"}
    assert "3, 5" in q.loc[2, "problem"] and "2, 5" in q.loc[3, "problem"]
    assert "2, 3" in q.loc[5, "problem"]


def test_blank_case_id_and_blank_rows_are_quarantined(tmp_path):
    rows = [
        ["", PNR_A, "Norr", "2024-01-01", "aldre", ""],
        ["", "", "", "", "", ""],
        ["  ", "", " ", "", "", ""],
        ["C", "", "", "", "", ""],
    ]
    got = _load(tmp_path, rows)
    assert got.cases["_row"].tolist() == [5]
    assert got.quarantine[["row", "code"]].values.tolist() == [
        [2, "case_id_missing"],
        [3, "row_blank"],
        [4, "row_blank"],
    ]
    assert got.source.rows == 4


def test_malformed_line_is_quarantined_with_its_line_number(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "Ärendenr;Enhet;Inkom\nA;N;2024-01-01\nB;N\nC;N;2024-01-03;extra\nD;N;\n", encoding="utf-8"
    )
    got = load_extract(path, secret=SECRET)
    assert got.cases["case_id"].tolist() == ["A", "D"]
    assert got.cases["_row"].tolist() == [2, 5]
    assert got.quarantine[["row", "code"]].values.tolist() == [
        [3, "row_malformed"],
        [4, "row_malformed"],
    ]
    assert "2 fält" in got.quarantine["problem"].iloc[0]


def test_cell_problems_keep_the_rest_of_the_row(tmp_path):
    rows = [
        ["A", "19121212-1213", "Norr", "2024-13-01", "skola", "X"],
        ["B", PNR_MAN, "Söder", "2024-01-02", "aldre", "M"],
    ]
    got = _load(tmp_path, rows)
    cases, invalid = got.cases, got.invalid
    assert cases["case_id"].tolist() == ["A", "B"]
    assert cases["unit"].tolist() == ["Norr", "Söder"]
    assert pd.isna(cases.loc[0, "received_date"]) and pd.isna(cases.loc[0, "area"])
    assert pd.isna(cases.loc[0, "person_id"]) and pd.isna(cases.loc[0, "sex"])
    assert invalid.loc[0, ["person_id", "received_date", "area", "sex"]].tolist() == [True] * 4
    assert not invalid.loc[1].any()
    assert invalid.loc[0, "unit"] == False  # noqa: E712
    p = got.problems
    assert p["row"].tolist() == [2, 2, 2, 2]
    assert set(p["field"]) == {"person_id", "received_date", "area", "sex"}
    assert p.set_index("field").loc["area", "code"] == "code_unknown"
    assert p.set_index("field").loc["area", "column"] == "Verksamhetsområde"
    assert len(got.quarantine) == 0


def test_sex_column_kept_blank_filled_mismatch_reported(tmp_path):
    rows = [
        ["A", PNR_MAN, "", "", "", "K"],  # number says man: mismatch, kept
        ["B", PNR_B, "", "", "", ""],  # blank: filled from the number (F)
        ["C", "", "", "", "", "kvinna"],
    ]
    got = _load(tmp_path, rows)
    assert got.cases["sex"].tolist() == ["F", "F", "F"]
    assert got.problems[["row", "code"]].values.tolist() == [[2, "sex_mismatch"]]
    assert got.cases["birth_date"].dt.strftime("%Y-%m-%d").tolist()[:2] == [
        "1912-12-12",
        "2001-02-03",
    ]


def test_raw_personnummer_never_appear_in_any_output(tmp_path):
    bad = "19121212-1213"  # wrong check digit
    ten = "900101-0017"
    rows = [
        ["A", PNR_MAN, "", "2024-01-01", "", ""],
        ["B", bad, "", "", "", ""],
        ["C", ten, "", "", "", ""],
        ["A", PNR_MAN, "", "2024-01-01", "", ""],  # identical duplicate
        ["D", PNR_A, "", "", "", ""],
        ["D", PNR_B, "", "", "", ""],  # conflict
        ["", PNR_A, "", "", "", ""],
    ]  # no case id
    got = _load(tmp_path, rows)
    digits = [re.sub(r"\D", "", p) for p in (PNR_MAN, bad, ten, PNR_A, PNR_B)]
    report = inspect_extract(got, examples=50)
    blobs = [
        got.cases.to_csv(),
        got.problems.to_csv(),
        got.quarantine.to_csv(),
        got.invalid.to_csv(),
        " ".join(got.notes),
        json.dumps(report, ensure_ascii=False),
        render_text(report),
    ]
    for blob in blobs:
        flat = re.sub(r"[-+ ]", "", blob)
        for d in digits:
            assert d not in flat and d[2:] not in flat
    assert "19121212-****" in got.problems["value"].tolist()


def test_events_table(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        ["Ärendenr", "Datum", "Typ"],
        [
            ["A", "2024-01-01", "journal"],
            ["A", "2024-02-01", "Review"],
            ["A", "2024-02-01", "Review"],
            ["B", "2024-13-01", "möte"],
        ],
    )
    got = load_events(path, secret=SECRET)
    assert got.cases["case_id"].tolist() == ["A", "A", "A", "B"]  # no duplicate handling
    assert got.cases["event_type"].tolist()[:3] == ["journal", "review", "review"]
    assert got.invalid["event_type"].tolist() == [False, False, False, True]
    assert got.invalid["event_date"].tolist() == [False, False, False, True]
