"""Calibrated synthetic municipalities keep an exact ground truth and differ for real."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.load import load_events, load_extract
from ivoaudit.synthetic import write_set
from ivoaudit.synthetic.municipalities import REGION, Municipality, generate_municipality


def _checked(gset, folder):
    files = write_set(gset, folder)
    extract = load_extract(files["extract"], mapping=files["mapping"], keyed=False)
    events = load_events(files["events"], mapping=files["events_mapping"])
    return run_check(extract, load_checklists(), date(2026, 10, 31), events=events)


def test_a_calibrated_set_matches_its_ground_truth_and_is_slower(tmp_path):
    plain = Municipality("A", 500, 77)
    slow = Municipality("B", 500, 77, keep_passing=(("BU-FORHAND-14D", 0.4),))
    gset = generate_municipality(slow)
    assert gset.meta["municipality"] == "B" and gset.meta["n_cases"] == len(gset.extract) < 500
    result = _checked(gset, tmp_path / "b")
    got = result.results[["case_id", "rule_id", "status"]].astype(str)
    merged = gset.ground_truth.merge(got, on=["case_id", "rule_id"], how="outer")
    merged["status"] = merged["status"].fillna("not_applicable")
    assert (merged["status"] == merged["expected_status"]).all()
    rate = result.summary.set_index("rule_id")["compliance"]
    plain_rate = _checked(generate_municipality(plain), tmp_path / "a").summary.set_index("rule_id")["compliance"]
    assert rate["BU-FORHAND-14D"] < plain_rate["BU-FORHAND-14D"] - 0.1
    # Only the calibrated rule's passing cases were left out: the others stay near their rate.
    assert abs(rate["ALL-DROJSMAL-6M"] - plain_rate["ALL-DROJSMAL-6M"]) < 0.08


def test_the_region_has_three_different_municipalities():
    assert len({m.name for m in REGION}) == len({m.seed for m in REGION}) == 3
    assert len({m.keep_passing for m in REGION}) == 3 and min(m.cases for m in REGION) < 300
    assert pd.Series([m.cases for m in REGION]).is_unique
