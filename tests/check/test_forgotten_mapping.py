"""Forgetting --mapping never gives a confident wrong answer (issue 13).

On every bundled set, `check` without --mapping recognises the shipped mapping by the header
fingerprint, says so and gives the same figures as with it. An extract no shipped mapping fits
gets the rules it cannot support listed first under a warning (terminal, meta.json,
summary.csv), and --strict exits 3 on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ivoaudit.fields import header_fingerprint
from ivoaudit.load.detect import choose_mapping, match_mappings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "sample_data"
SETS = [("lifecare", "arenden.csv", "lifecare"), ("lifecare_messy", "arenden.csv", "lifecare"),
        ("treserva", "arenden.xlsx", "treserva")]


def test_fingerprint_ignores_order_case_and_spaces():
    assert header_fingerprint(["Ärendenr", "Beslut "]) == header_fingerprint(["beslut", " ÄRENDENR"])
    assert header_fingerprint(["Ärendenr"]) != header_fingerprint(["Ärendenr", "Beslut"])


@pytest.mark.parametrize(("folder", "name", "system"), SETS)
def test_check_without_mapping_uses_the_shipped_one_and_says_so(run_cli, tmp_path, folder, name, system):
    given, guessed = tmp_path / "given", tmp_path / "guessed"
    mapping = DATA / "mappings" / f"{system}.yaml"
    code, _, err = run_cli("check", DATA / folder / name, "--mapping", mapping, "--as-of", "2026-10-31",
                           "--out", given)
    assert code == 0, err
    code, stdout, err = run_cli("check", DATA / folder / name, "--as-of", "2026-10-31", "--out", guessed)
    assert code == 0, err
    meta = json.loads((guessed / "meta.json").read_text(encoding="utf-8"))
    assert meta["mapping"]["source"] == "detected"
    assert Path(meta["mapping"]["path"]).name == f"{system}.yaml"
    assert f"{system}.yaml" in stdout and "känns igen" in stdout
    # the same figures as with the mapping given
    a = pd.read_csv(given / "summary.csv", dtype=str)
    b = pd.read_csv(guessed / "summary.csv", dtype=str)
    pd.testing.assert_frame_equal(a, b)
    assert meta["not_evaluable"] == json.loads((given / "meta.json").read_text(encoding="utf-8"))["not_evaluable"]


def test_an_extract_no_mapping_fits_lists_what_cannot_be_evaluated(run_cli, tmp_path):
    # The Lifecare export without its "Förhandsbedömning" column: no shipped mapping fits (the
    # nearest is suggested, not used), and the built-in names do not know "Verkställt" either.
    frame = pd.read_csv(DATA / "lifecare" / "arenden.csv", sep=";", encoding="cp1252", dtype=str,
                        nrows=200, keep_default_na=False)
    path = tmp_path / "export.csv"
    frame.drop(columns=["Förhandsbedömning"]).to_csv(path, sep=";", index=False, encoding="utf-8")
    assert match_mappings(list(frame.drop(columns=["Förhandsbedömning"]).columns)) == []
    out = tmp_path / "out"
    code, stdout, err = run_cli("check", path, "--as-of", "2026-10-31", "--out", out)
    assert code == 0, err
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    missing = {item["rule_id"]: item["missing_fields"] for item in meta["not_evaluable"]}
    assert "preliminary_outcome" in missing["BU-FORHAND-14D"]
    assert meta["mapping"]["source"] == "suggested" and meta["mapping"]["path"] is None
    assert meta["mapping"]["missing_headers"] == ["Förhandsbedömning"]
    summary = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
    row = summary.set_index("rule_id").loc["BU-FORHAND-14D"]
    assert (row["evaluable"], row["applicable"], row["pass"]) == ("false", "", "")
    assert "preliminary_outcome" in row["missing_fields"].split(";")
    warning = stdout.index("VARNING")
    assert warning < stdout.index("Regel ") and "BU-FORHAND-14D" in stdout[warning:stdout.index("Regel ")]
    assert "Förhandsbedömning" not in meta.get("unrecognised_columns", [])
    code, _, err = run_cli("check", path, "--as-of", "2026-10-31", "--out", tmp_path / "strict", "--strict")
    assert code == 3 and "BU-FORHAND-14D" in err


def test_several_fitting_mappings_are_named_and_none_used(tmp_path, monkeypatch):
    folder = tmp_path / "mappings"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.yaml").write_text("columns: {case_id: Nr, received_date: Inkom}\n", encoding="utf-8")
    monkeypatch.setattr("ivoaudit.load.detect.shipped_mappings_dir", lambda: folder)
    choice = choose_mapping(["Nr", "Inkom", "Annat"], None)
    assert choice["source"] == "suggested" and choice["path"] is None and len(choice["candidates"]) == 2
    assert choose_mapping(["Nr", "Inkom"], "mine.yaml") == {"source": "given", "path": "mine.yaml"}


def _without(folder: str, name: str, system: str, tmp_path: Path) -> tuple[Path, str]:
    """The bundled extract as a CSV without the column its mapping gives preliminary_outcome."""
    source = DATA / folder / name
    if source.suffix == ".xlsx":
        frame = pd.read_excel(source, sheet_name=0, dtype=str).fillna("")
    else:
        frame = pd.read_csv(source, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    mapping = yaml.safe_load((DATA / "mappings" / f"{system}.yaml").read_text(encoding="utf-8"))
    dropped = mapping["columns"]["preliminary_outcome"]
    path = tmp_path / "export.csv"
    frame.drop(columns=[dropped]).head(300).to_csv(path, sep=";", index=False, encoding="utf-8")
    return path, dropped


@pytest.mark.parametrize(("folder", "name", "system"), SETS)
def test_a_bundled_export_lacking_a_column_warns_lists_and_suggests(run_cli, tmp_path, folder, name, system):
    """Each bundled set's export without one column: no shipped mapping fits, so check warns,
    lists the rules it cannot evaluate first (terminal, meta.json, summary.csv) and names the
    shipped mapping the extract resembles and the header it lacks; --strict exits 3."""
    path, dropped = _without(folder, name, system, tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run_cli("check", path, "--as-of", "2026-10-31", "--out", out)
    assert code == 0, err
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["mapping"]["source"] == "suggested" and meta["mapping"]["path"] is None
    assert [Path(c).name for c in meta["mapping"]["candidates"]] == [f"{system}.yaml"]
    assert meta["mapping"]["missing_headers"] == [dropped]
    assert f"{system}.yaml" in stdout and f'"{dropped}" saknas' in stdout
    missing = {item["rule_id"]: item["missing_fields"] for item in meta["not_evaluable"]}
    assert "preliminary_outcome" in missing["BU-FORHAND-14D"]
    table = stdout.index("Regel ")
    assert stdout.index("VARNING") < table and "BU-FORHAND-14D" in stdout[stdout.index("VARNING"):table]
    summary = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False).set_index("rule_id")
    assert summary.loc["BU-FORHAND-14D", "evaluable"] == "false"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"{system}.yaml" in html and "BU-FORHAND-14D" in html
    code, _, err = run_cli("check", path, "--as-of", "2026-10-31", "--out", tmp_path / "strict", "--strict")
    assert code == 3 and "BU-FORHAND-14D" in err
