"""A case whose area is blank or unreadable: every rule of an area says missing data, never
nothing (the area decides which duties apply). Expected statuses written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

HEADER = "Ärendenr;Verksamhetsområde;Aktualiseringsdatum;Beslut om utredning;Förhandsbedömning utfall\n"


def _check(run_cli, tmp_path: Path, body: str, *extra: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    tmp_path.mkdir(exist_ok=True)
    extract = tmp_path / "x.csv"
    extract.write_text(HEADER + body, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("check", extract, "--as-of", "2026-10-31", "--out", out, *extra)
    assert code == 0, err
    read = lambda name: pd.read_csv(out / name, dtype=str, keep_default_na=False)  # noqa: E731
    return read("results.csv"), read("problems.csv"), json.loads((out / "meta.json").read_text(encoding="utf-8"))


def _status(results: pd.DataFrame, case: str, rule: str) -> str:
    hit = results[(results["case_id"] == case) & (results["rule_id"] == rule)]
    return "-" if hit.empty else str(hit["status"].iloc[0])


def test_blank_and_unreadable_area_are_missing_data_in_every_area_rule(run_cli, tmp_path):
    results, problems, _ = _check(run_cli, tmp_path, (
        "A1;Barn och unga;2026-01-05;2026-01-30;Inleds\n"  # day 25: late
        "A2;;2026-01-05;2026-01-30;Inleds\n"  # area blank: a child's report, or an application?
        "A3;Barn o unga;2026-01-05;2026-01-30;Inleds\n"  # area unreadable
        "A4;Äldreomsorg;2026-01-05;2026-01-30;\n"))  # another area: not the children's rule
    assert _status(results, "A1", "BU-FORHAND-14D") == "fail"
    for case in ("A2", "A3"):
        assert _status(results, case, "BU-FORHAND-14D") == "missing_data"
        # the rule for applications tests the area too ("not children"): undecided as well
        assert _status(results, case, "ALL-DROJSMAL-6M") == "missing_data"
        note = results[(results["case_id"] == case) & (results["rule_id"] == "BU-FORHAND-14D")]["note"].iloc[0]
        assert "Verksamhetsområde" in note
    assert _status(results, "A4", "BU-FORHAND-14D") == "-"
    listed = problems[problems["field"] == "area"].set_index("case_id")["code"].to_dict()
    assert listed == {"A2": "area_blank", "A3": "code_unknown"}


def test_an_area_column_without_any_value_is_no_area_column(run_cli, tmp_path):
    """Not every case "area unknown" in every area's rules: the rules of an area are not
    evaluable (the extract lacks the area), as when the column is absent."""
    body = "A1;;2026-01-05;2026-01-30;Inleds\nA2;;2026-01-05;2026-01-12;Inleds\n"
    results, problems, meta = _check(run_cli, tmp_path, body)
    assert not (problems["code"] == "area_blank").any()
    unsupported = {r["rule_id"]: r["missing_fields"] for r in meta["not_evaluable"]}
    assert "area" in unsupported["BU-FORHAND-14D"]
    assert _status(results, "A1", "BU-FORHAND-14D") == "-"
    chosen, _, _ = _check(run_cli, tmp_path / "chosen", body, "--checklist", "barn_unga")
    assert (_status(chosen, "A1", "BU-FORHAND-14D"), _status(chosen, "A2", "BU-FORHAND-14D")) == ("fail", "pass")
