"""The product agrees with the sample-data generator's recorded intentions, 100 %.

The generator decides every (case, rule) status when it constructs the dates, without
running the checker; here the loader and checker must reproduce every one of them, on the
bundled clean and messy sets and on freshly generated sets of every system style.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.load import load_events, load_extract

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
MAPPINGS = SAMPLE / "mappings"


def _find_one(folder: Path, stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for suffix in (".csv", ".xlsx"):
            candidate = folder / f"{stem}{suffix}"
            if candidate.exists():
                return candidate
    return None


def _check_set(folder: Path, system: str, *, keyed: bool = True):
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    extract_path = _find_one(folder, ("arenden",))
    assert extract_path is not None, f"no extract in {folder}"
    extract = load_extract(extract_path, mapping=MAPPINGS / f"{system}.yaml", keyed=keyed)
    events_path = _find_one(folder, ("handelser",))
    events = None
    if events_path is not None:
        events_mapping = MAPPINGS / f"{system}_events.yaml"
        events = load_events(events_path, mapping=events_mapping if events_mapping.exists() else None)
    result = run_check(extract, load_checklists(), date.fromisoformat(meta["as_of"]), events=events)
    truth = pd.read_csv(folder / "ground_truth.csv", dtype=str, keep_default_na=False)
    return extract, result, truth


def _compare(result, truth: pd.DataFrame) -> pd.DataFrame:
    got = result.results[["case_id", "rule_id", "status"]].astype(str)
    expected = truth[["case_id", "rule_id", "expected_status"]]
    # The checker writes a row per (case, applicable rule); the generator records
    # not_applicable too. Compare on the generator's full grid.
    merged = expected.merge(got, on=["case_id", "rule_id"], how="outer", indicator=True)
    merged["status"] = merged["status"].fillna("not_applicable")
    merged["expected_status"] = merged["expected_status"].fillna("<no ground truth>")
    return merged[merged["status"] != merged["expected_status"]]


@pytest.mark.parametrize("keyed", [True, False], ids=["pseudonyms", "run-local-tokens"])
@pytest.mark.parametrize(
    ("folder", "system"),
    [("lifecare", "lifecare"), ("treserva", "treserva"), ("lifecare_messy", "lifecare")],
)
def test_bundled_sample_data_matches_ground_truth(folder, system, keyed):
    # keyed=False is how `ivoaudit check` loads: BU-ATERUPPTAGEN groups by run-local tokens.
    extract, result, truth = _check_set(SAMPLE / folder, system, keyed=keyed)
    mismatches = _compare(result, truth)
    assert mismatches.empty, (
        f"{len(mismatches)} (case, rule) statuses differ from the generator's ground truth:\n"
        + mismatches.head(30).to_string()
    )
