"""Case ids: named beside the row in every problem list (issue 13), and ids that differ only by
invisible characters are one case (issue 15; normalised, and each cleaned cell reported)."""

from __future__ import annotations

import pandas as pd

from ivoaudit.load import load_extract

SECRET = b"k" * 32
HEADER = "Ärendenr;Personnr;Verksamhet;Anmälan inkom\n"


def _load(tmp_path, body: str):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return load_extract(path, secret=SECRET)


def test_problems_and_quarantine_name_the_case_id_beside_the_row(tmp_path):
    got = _load(tmp_path, "A-1;19121212-1213;barn_unga;2024-02-30\n"  # bad check digit, impossible date
                          "A-2;;skola;2024-01-05\n"  # unknown code
                          ";;aldre;2024-01-05\n"  # no case id
                          "A-3;;aldre;2024-01-05\nA-3;;aldre;2024-01-06\n")  # conflicting duplicates
    problems = got.problems[["row", "case_id", "code"]].values.tolist()
    assert problems == [[2, "A-1", "pnr_checksum"], [2, "A-1", "date_impossible"], [3, "A-2", "code_unknown"]]
    quarantine = got.quarantine[["row", "case_id", "code"]].values.tolist()
    assert quarantine[0][0] == 4 and pd.isna(quarantine[0][1]) and quarantine[0][2] == "case_id_missing"
    assert quarantine[1:] == [[5, "A-3", "duplicate_conflict"], [6, "A-3", "duplicate_conflict"]]


def test_ids_that_differ_only_by_invisible_characters_are_one_case(tmp_path):
    got = _load(tmp_path, "B-1;;aldre;2024-01-05\n"
                          "B-1\u200b;;aldre;2024-01-05\n"  # zero-width space: an identical duplicate
                          "\ufeffB-2;;aldre;2024-01-05\n"  # a byte-order mark pasted in front
                          "B\u00ad-3;;aldre;2024-01-05\n"  # soft hyphen
                          "Ä-4;;aldre;2024-01-05\n"
                          "A\u0308-4;;aldre;2024-01-07\n")  # the same letter decomposed: NFC makes it Ä
    assert got.cases["case_id"].tolist() == ["B-1", "B-2", "B-3"]
    assert got.quarantine[["row", "case_id", "code"]].values.tolist() == [
        [3, "B-1", "duplicate_identical"], [6, "Ä-4", "duplicate_conflict"], [7, "Ä-4", "duplicate_conflict"]]
    invisible = got.problems[got.problems["code"] == "case_id_invisible"]
    assert invisible["row"].tolist() == [4, 5] and invisible["case_id"].tolist() == ["B-2", "B-3"]
