"""`ivoaudit demo`: the README's first command runs the whole cycle on the sample data."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ivoaudit.store import open_store

REPO = Path(__file__).resolve().parents[2]


def _extract_rows() -> dict[str, dict[str, str]]:
    with open(REPO / "sample_data/lifecare/arenden.csv", encoding="cp1252", newline="") as handle:
        return {row["Ärendenr"]: row for row in csv.DictReader(handle, delimiter=";")}


@pytest.mark.slow
def test_demo_runs_the_whole_cycle(run_cli, tmp_path):
    out = tmp_path / "demo"
    code, stdout, stderr = run_cli("demo", "--out", out)
    assert code == 0, stderr
    for part in ("results.csv", "summary.csv", "quarantine.csv", "report.html"):
        assert (out / "1-kontroll" / part).is_file()
    assert "ivoaudit review import" in stdout

    # The round holds an IVO-style sample, judged against the raw extract (not the loader):
    # 10 reports not leading to an investigation, 7 completed investigations.
    store = open_store(out / "demo.db")
    cases = store.sampled_cases("demo-barn-unga")
    raw = _extract_rows()
    outcomes = [raw[c]["Förhandsbedömning"] for c in cases["case_id"]]
    completed = [bool(raw[c]["Utredning avslutad"].strip()) for c in cases["case_id"]]
    assert len(cases) == 17
    assert sum(o == "Ej inleda" for o in outcomes) == 10
    assert sum(completed) == 7

    # The form lists exactly those cases.
    form = openpyxl.load_workbook(out / "2-granskning/granskningsformular.xlsx", read_only=True)
    form_ids = [r[0] for r in form["Granskning"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert sorted(form_ids) == sorted(cases["case_id"])

    # Public outputs carry no case id and no caseworker name from the extract.
    reports = out / "3-rapporter"
    public_text = (reports / "report-public-sv.html").read_text("utf-8")
    public_text += json.dumps(json.loads((reports / "public-summary.json").read_text("utf-8")))
    for name in ("report-public-sv.docx", "report-public-sv.xlsx"):
        with zipfile.ZipFile(reports / name) as archive:
            public_text += "".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()
                                   if n.endswith(".xml"))
    caseworkers = {row["Handläggare"].strip() for row in raw.values()}
    leaked = [c for c in list(raw)[:3000] if c in public_text] + [w for w in caseworkers if w in public_text]
    assert not leaked, leaked[:5]
    assert (reports / "report-internal-sv.html").is_file()

    # Step 4: the quarter's list (2026-Q2 recorded first, then 2026-Q3) and the council report.
    quarter = out / "4-ej-verkstallda"
    with open(quarter / "unexecuted-2026-Q3-list.csv", encoding="utf-8", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert any(r["section"] == "report" and r["earlier_quarters"] == "2026-Q2" for r in listed)
    assert any(r["section"] == "executed" and r["earlier_quarters"] == "2026-Q2" for r in listed)
    assert {r["case_id"] for r in listed} <= set(raw)
    council = (quarter / "unexecuted-2026-Q3-council-sv.html").read_text("utf-8")
    assert "2026-Q2" in council and not [c for c in raw if c in council]
    assert "4. Ej verkställda beslut 2026-Q3" in stdout and "öppen" in stdout
    # Step 5: three made-up municipalities compared from their public summaries.
    comparison = (out / "5-jamforelse" / "comparison-sv.html").read_text("utf-8")
    assert all(name in comparison for name in ("Norrby", "Söderås", "Västvik"))
    assert len(list((out / "5-jamforelse" / "kommuner").glob("*/public-summary.json"))) == 3
    # Step 6: an IVO decision with demands, actions against them, the check as the later
    # measurement; the action plan, the answer to IVO and the follow-up written.
    from ivoaudit.store.actions import list_actions
    from ivoaudit.store.ivo import list_decisions
    from ivoaudit.store.measurements import list_measurements

    tracked = out / "6-atgarder"
    for name in ("handlingsplan.docx", "handlingsplan-offentlig.html", "handlingsplan.xlsx", "uppfoljning.docx",
                 "svar-till-ivo-8.5-12345-2026-1.docx", "svar-till-ivo-8.5-12345-2026-1.html"):
        assert (tracked / name).is_file(), name
    assert [len(d.demands) for d in list_decisions(store)] == [4]
    assert {a.status for a in list_actions(store)} == {"done", "planned"}
    assert "egenkontroll-2026-10-31" in [m.name for m in list_measurements(store)]
    answer = (tracked / "svar-till-ivo-8.5-12345-2026-1.html").read_text("utf-8")
    # BU-FORHAND-14D's passes, as the sample-data generator recorded them (868 of 1 047).
    with open(REPO / "sample_data/lifecare/ground_truth.csv", encoding="utf-8", newline="") as handle:
        passes = sum(r["rule_id"] == "BU-FORHAND-14D" and r["expected_status"] == "pass" for r in csv.DictReader(handle))
    assert "Förslag till beslut" in answer and f"{passes} av 1" in answer
    assert not [w for w in caseworkers if w in answer] and "Kim Lind" not in answer
    assert "6. IVO-beslut 8.5-12345/2026-1" in stdout
