"""Header names case-system exports commonly use are recognised without a mapping (issue 13)."""

from __future__ import annotations

import pytest

from ivoaudit.fields import FIELDS
from ivoaudit.load import load_extract
from ivoaudit.load.headers import recognise

# The header, the field a user means by it.
EXPORT_HEADERS = {
    "Ärende-ID": "case_id",
    "Aktualiserings-ID": "case_id",
    "Datum aktualisering": "received_date",
    "Beslut": "decision_outcome",  # the decision itself (Bifall/Avslag): see fields.py
    "Förhandsbedömning utfall": "preliminary_outcome",
    "Beslutsdatum": "decision_date",
    "Verkställighetsdatum": "execution_date",
    "Insatstyp": "intervention_type",
    "Lagrum": "legal_basis",
}


@pytest.mark.parametrize(("header", "field"), EXPORT_HEADERS.items())
def test_each_export_header_is_recognised(header, field):
    assert recognise([header], FIELDS) == {field: 0}


@pytest.mark.parametrize("case_header", ["Ärende-ID", "Aktualiserings-ID"])
def test_a_header_only_extract_with_export_names_is_recognised(tmp_path, case_header):
    headers = [case_header] + [h for h, f in EXPORT_HEADERS.items() if f != "case_id"]
    path = tmp_path / "uttag.csv"
    path.write_text(";".join(headers) + "\n", encoding="utf-8")
    got = load_extract(path, keyed=False)
    assert len(got.cases) == 0
    assert got.columns == {f: h for h, f in EXPORT_HEADERS.items() if f != "case_id"} | {"case_id": case_header}
    assert got.unrecognised == ()


def test_a_bare_beslut_reads_the_decision_and_says_so_when_it_holds_something_else(tmp_path):
    path = tmp_path / "uttag.csv"
    path.write_text("Ärende-ID;Datum aktualisering;Beslut\nA1;2026-01-05;Bifall\nA2;2026-01-06;Avslag\n"
                    "A3;2026-01-07;2026-02-01\n", encoding="utf-8")
    got = load_extract(path, keyed=False)
    assert got.cases["decision_outcome"].tolist()[:2] == ["granted", "rejected"]
    # A date under "Beslut" is not read as an outcome in silence: the cell is listed.
    listed = got.problems[got.problems["field"] == "decision_outcome"]
    assert listed["case_id"].tolist() == ["A3"] and listed["code"].tolist() == ["code_unknown"]


def test_shipped_mappings_place_beslut_as_before():
    from pathlib import Path

    from ivoaudit.load.mapping import read_mapping

    root = Path(__file__).resolve().parents[2] / "sample_data" / "mappings"
    spec = read_mapping(root / "lifecare.yaml", FIELDS)
    assert spec.columns["decision_outcome"] == "Beslut"
    assert "Beslut" not in {v for k, v in spec.columns.items() if k != "decision_outcome"}
