"""Messy mode, the written files, the CLI and the shipped sample data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ivoaudit.synthetic import SYSTEMS, generate, write_mappings, write_set
from tests.conftest import SAMPLE_DATA

FAULT_KINDS = ("other date form", "invalid date", "blank cell", "trailing spaces", "unknown code",
               "invalid personnummer", "identical duplicate", "conflicting duplicate")


@pytest.fixture(scope="module")
def messy_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy")
    gset = generate(3000, 21, messy=True)
    write_set(gset, out)
    return gset, out


def _read_raw(path: Path) -> list[list[str]]:
    with path.open(encoding="cp1252", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_every_fault_is_in_the_written_file_at_its_row_and_column(messy_dir):
    gset, out = messy_dir
    rows = _read_raw(out / "arenden.csv")
    header = rows[0]
    faults = list(csv.DictReader((out / "faults.csv").open(encoding="utf-8")))
    assert {k for k in FAULT_KINDS if any(f["fault"].startswith(k) for f in faults)} == set(FAULT_KINDS)
    for f in faults:
        cell = rows[int(f["row"]) - 1][header.index(f["column"])]
        assert cell == f["value"], f
        if f["fault"] == "trailing spaces":
            assert cell.endswith("  ") and cell.strip()
        if f["fault"] == "invalid date":
            y, m, d = (int(x) for x in cell.split("-"))
            assert d > 28 and (m == 2 or d >= 31)
        if f["fault"].startswith("identical duplicate of row"):
            original = int(f["fault"].rsplit(" ", 1)[1])
            assert rows[int(f["row"]) - 1] == rows[original - 1]
    assert len(rows) - 1 == gset.meta["extract_rows"]


def test_messy_ground_truth_follows_the_faults(messy_dir):
    gset, out = messy_dir
    faults = list(csv.DictReader((out / "faults.csv").open(encoding="utf-8")))
    truth = list(csv.DictReader((out / "ground_truth.csv").open(encoding="utf-8")))
    rows = _read_raw(out / "arenden.csv")
    by_case: dict[str, dict[str, str]] = {}
    for t in truth:
        by_case.setdefault(t["case_id"], {})[t["rule_id"]] = t["expected_status"]
    conflicting = {f["value"] for f in faults if f["fault"].startswith("conflicting duplicate")}
    assert conflicting and not conflicting & set(by_case)
    needs = {"Anmälan inkom": ("BU-SKYDD", "FH-SKYNDSAM"), "Expedierat": ("ALL-BESLUT-UNDERRATTAD",),
             "Uppföljning": ("AO-UPPFOLJNING",), "Skyddsbedömning": ("BU-SKYDD",)}
    checked = 0
    for f in faults:
        if f["fault"] not in ("invalid date", "blank cell") or f["column"] not in needs:
            continue
        case = rows[int(f["row"]) - 1][0]
        for rule in needs[f["column"]]:
            if rule in by_case[case]:
                assert by_case[case][rule] == "missing_data", (f, rule)
                checked += 1
    assert checked > 10
    # faults that change nothing: the case's statuses equal the clean intention
    clean = generate(3000, 21).ground_truth.astype(str)
    forms = {rows[int(f["row"]) - 1][0] for f in faults if f["fault"].startswith("other date form")}
    only_forms = forms - {rows[int(f["row"]) - 1][0] for f in faults if not f["fault"].startswith("other date form")}
    only_forms -= {f["case_id"] for f in csv.DictReader((out / "event_faults.csv").open(encoding="utf-8"))}
    sub = clean[clean["case_id"].isin(only_forms)]
    assert len(sub) > 50
    for _, t in sub.iterrows():
        assert by_case[t["case_id"]][t["rule_id"]] == t["expected_status"]


def test_treserva_workbook_has_a_named_sheet_and_real_dates(tmp_path):
    files = write_set(generate(200, 3, system="treserva"), tmp_path)
    wb = load_workbook(files["extract"], read_only=True)
    assert wb.sheetnames == ["Ärenden"]
    ws = wb["Ärenden"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    col = header.index("Aktualiseringsdatum")
    values = [r[col].value for r in ws.iter_rows(min_row=2)]
    assert len(values) == 200 and all(hasattr(v, "year") for v in values)
    events = load_workbook(files["events"], read_only=True)
    assert events.sheetnames == ["Händelser"]


def test_cli_writes_the_set_and_refuses_bad_dates(run_cli, tmp_path):
    code, out, err = run_cli("generate", "--cases", "150", "--seed", "3", "--messy", "--out", tmp_path / "s")
    assert code == 0, err
    names = {p.name for p in (tmp_path / "s").iterdir()}
    assert names == {"arenden.csv", "handelser.csv", "ground_truth.csv", "faults.csv", "event_faults.csv", "meta.json",
                     "lifecare.yaml", "lifecare_events.yaml"}
    meta = json.loads((tmp_path / "s" / "meta.json").read_text(encoding="utf-8"))
    assert (meta["seed"], meta["n_cases"], meta["messy"], meta["as_of"]) == (3, 150, True, "2026-10-31")
    code, out, err = run_cli("generate", "--cases", "5", "--seed", "1", "--as-of", "31/10/2026", "--out", tmp_path)
    assert code == 2 and "ÅÅÅÅ-MM-DD" in err
    code, out, err = run_cli("--lang", "en", "generate", "--help")
    assert code == 0 and "synthetic" in out


@pytest.mark.parametrize("folder", ["lifecare", "lifecare_messy", "treserva"])
def test_shipped_sample_data_is_reproducible(run_cli, tmp_path, folder):
    shipped = SAMPLE_DATA / folder
    meta = json.loads((shipped / "meta.json").read_text(encoding="utf-8"))
    args = ["generate", "--cases", str(meta["n_cases"]), "--seed", str(meta["seed"]), "--system", meta["system"],
            "--as-of", meta["as_of"], "--out", tmp_path]
    if meta["messy"]:
        args.append("--messy")
    for area in meta["areas"]:
        args += ["--area", area]
    code, _, err = run_cli(*args)
    assert code == 0, err
    for name in meta["files"].values():
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


def test_shipped_mapping_files_match_the_system_styles(tmp_path):
    for system in SYSTEMS.values():
        for path in write_mappings(system, tmp_path):
            assert path.read_bytes() == (SAMPLE_DATA / "mappings" / path.name).read_bytes()
