"""``load_extract(keyed=False)``: run-local person tokens, as ``ivoaudit check`` loads.

The check's files hold no person ids, so it reads no key file; the rules must still see
exactly the same persons, and nothing else may change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ivoaudit.load import load_extract

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
EXTRACT = SAMPLE / "lifecare_messy" / "arenden.csv"
MAPPING = SAMPLE / "mappings" / "lifecare.yaml"


def test_throwaway_pseudonyms_group_cases_as_the_keyed_ones_and_nothing_else_changes():
    keyed = load_extract(EXTRACT, mapping=MAPPING)
    local = load_extract(EXTRACT, mapping=MAPPING, keyed=False)
    pseudonyms, tokens = keyed.cases["person_id"], local.cases["person_id"]
    assert pseudonyms.dropna().str.fullmatch(r"P[0-9a-f]{16}").all()
    assert tokens.dropna().str.fullmatch(r"L\d+").all()  # "L": the store refuses them
    assert (pseudonyms.isna() == tokens.isna()).all()
    # The same partition into persons: each pseudonym maps to one token and back.
    pairs = pd.DataFrame({"p": pseudonyms, "t": tokens}).dropna().drop_duplicates()
    assert pairs["p"].is_unique and pairs["t"].is_unique
    assert len(pairs) < tokens.notna().sum()  # some person has more than one case
    rest = [c for c in keyed.cases.columns if c != "person_id"]
    pd.testing.assert_frame_equal(keyed.cases[rest], local.cases[rest])
    pd.testing.assert_frame_equal(keyed.invalid, local.invalid)
    pd.testing.assert_frame_equal(keyed.problems, local.problems)
    pd.testing.assert_frame_equal(keyed.quarantine, local.quarantine)


def test_throwaway_pseudonyms_need_no_key_file():
    load_extract(EXTRACT, mapping=MAPPING, keyed=False)
    assert not Path(os.environ["IVOAUDIT_SECRET_FILE"]).exists()
    load_extract(EXTRACT, mapping=MAPPING)
    assert Path(os.environ["IVOAUDIT_SECRET_FILE"]).exists()  # the default path does read it
