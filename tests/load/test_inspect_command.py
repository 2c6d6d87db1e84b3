"""`ivoaudit inspect` on a small extract whose figures were counted by hand."""

from __future__ import annotations

import json
import os
import re

import pytest

from ivoaudit.load.inspection import inspect_file

TEXT = (
    "Ärendenr;Personnr;Anmälan inkom;Verksamhetsområde;Kommentar\n"
    "A;19121212-1212;2024-01-05;aldre;x\n"  # row 2
    "B;19121212-1213;2024-02-30;skola;\n"  # row 3: bad check digit, impossible date, bad code
    "C;;2024-03-10;;\n"  # row 4
    ";;2024-01-01;aldre;\n"  # row 5: no case id -> quarantine
    "A;19121212-1212;2024-01-05;aldre;x\n"  # row 6: identical duplicate of row 2
    "D;;junk;barn;\n"  # row 7: unreadable date; 'barn' is barn_unga
)


@pytest.fixture
def extract(tmp_path):
    path = tmp_path / "liten.csv"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _field(report, name):
    return next(f for f in report["fields"] if f["field"] == name)


def test_report_figures(extract):
    report = inspect_file(extract)
    assert (report["rows"], report["loaded"], report["quarantined"]) == (6, 4, 2)
    assert (report["format"], report["encoding"], report["delimiter"]) == ("csv", "utf-8", ";")
    expected = {  # field: (filled, invalid)
        "case_id": (4, 0),
        "person_id": (2, 1),
        "received_date": (4, 2),
        "area": (3, 1),
        "sex": (1, 0),
        "birth_date": (1, 0),
    }
    assert {f["field"]: (f["filled"], f["invalid"]) for f in report["fields"]} == expected
    assert _field(report, "sex")["source"] == "derived"
    assert _field(report, "area")["header"] == "Verksamhetsområde"
    assert (_field(report, "received_date")["min"], _field(report, "received_date")["max"]) == (
        "2024-01-05",
        "2024-03-10",
    )
    assert report["date_range"] == {"min": "2024-01-05", "max": "2024-03-10"}
    assert report["unrecognised"] == ["Kommentar"]
    assert "unit" in report["absent"] and "case_id" not in report["absent"]
    codes = {g["code"]: g["count"] for g in report["problems"]["groups"]}
    assert codes == {
        "pnr_checksum": 1,
        "date_impossible": 1,
        "code_unknown": 1,
        "area_blank": 1,  # row 4: the rules cannot tell which area's duties apply
        "date_unparseable": 1,
    }
    assert report["problems"]["total"] == 5
    q = {g["code"]: [e["row"] for e in g["examples"]] for g in report["quarantine"]["groups"]}
    assert q == {"case_id_missing": [5], "duplicate_identical": [6]}


def test_cli_text_in_swedish(run_cli, extract):
    code, out, err = run_cli("inspect", str(extract))
    assert code == 0, err
    assert "Uttag: liten.csv" in out
    assert "avgränsare semikolon (;)" in out
    assert "Rader: 6 datarader, 4 inlästa, 2 ej inlästa (karantän)" in out
    assert re.search(
        r"Anmälan/ansökan inkom \(received_date\)\s+Anmälan inkom\s+4\s+2\s+"
        r"2024-01-05 – 2024-03-10",
        out,
    )
    assert re.search(r"Verksamhetsområde \(area\)\s+Verksamhetsområde\s+3\s+1", out)
    assert re.search(r"Personnummer \(person_id\)\s+Personnr\s+2\s+1", out)
    assert "Kolumner som inte känns igen (används inte): Kommentar" in out
    assert "Okänd kod (code_unknown): 1" in out
    assert 'rad 3 (ärende B), Verksamhetsområde: "skola"' in out  # the case id beside the row (issue 13)
    assert "19121212-1213" not in out and "19121212-****" in out
    assert "Ärendenummer saknas (case_id_missing): 1" in out


def test_cli_text_in_english_and_example_limit(run_cli, extract):
    code, out, _ = run_cli("inspect", str(extract), "--lang", "en", "--examples", "0")
    assert code == 0
    assert "Rows: 6 data rows, 4 loaded, 2 not loaded (quarantine)" in out
    assert "Unknown code (code_unknown): 1" in out
    assert "… and 1 more" in out
    assert "Fält" not in out


def test_cli_json_is_the_library_report(run_cli, extract):
    code, out, _ = run_cli("inspect", str(extract), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == json.loads(json.dumps(inspect_file(extract), ensure_ascii=False))
    assert _field(data, "received_date")["invalid"] == 2


def test_inspect_writes_no_secret(run_cli, extract):
    code, _, _ = run_cli("inspect", str(extract))
    assert code == 0
    assert not os.path.exists(os.environ["IVOAUDIT_SECRET_FILE"])


def test_cli_sheet_and_events(run_cli, tmp_path):
    from load_helpers import write_xlsx

    path = write_xlsx(
        tmp_path / "h.xlsx",
        ["Ärendenr", "Datum", "Typ"],
        [["A", "2024-01-01", "journal"], ["A", "2024-02-01", "okänd"]],
        sheet="Händelser",
    )
    code, out, err = run_cli(
        "inspect", str(path), "--kind", "events", "--sheet", "Händelser", "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["sheet"] == "Händelser" and data["loaded"] == 2
    assert _field(data, "event_type")["invalid"] == 1
    assert _field(data, "event_date")["min"] == "2024-01-01"


def test_the_cli_default_number_of_examples_is_the_library_s():
    from ivoaudit.cli import cmd_inspect
    from ivoaudit.load.inspection import DEFAULT_EXAMPLES

    assert cmd_inspect.DEFAULT_EXAMPLES == DEFAULT_EXAMPLES

