"""Public outputs hold no case ids, pseudonyms, caseworker names or free text from the extract.

Every public format is generated; xlsx and docx are unzipped and every XML part scanned
(text, tables, chart alt texts, document properties), as are the HTML and JSON files.
"""

from __future__ import annotations

import zipfile

import pytest

from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports


def _texts(path):
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return {f"{path.name}:{n}": z.read(n).decode("utf-8", "replace")
                    for n in z.namelist() if n.endswith((".xml", ".rels"))}
    return {path.name: path.read_text(encoding="utf-8")}


def _needles(ids):
    needles = set(ids["case_ids"]) | set(ids["pseudonyms"]) | set(ids["caseworkers"]) | set(ids["notes"])
    # also parts that survive escaping or splitting: surnames, distinctive words of the notes
    needles |= {"Qvarnström", "Zetterlund", "XYZZY", "evil.example", "Pfeedc0ffee", "-QZ"}
    return needles


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_public_outputs_leak_nothing(identifiers, tmp_path, lang):
    folder, ids = identifiers
    result = generate_reports(ResultsDirSource(folder), ReportOptions(audience="public", lang=lang),
                              ["html", "xlsx", "docx", "json"], tmp_path / "pub")
    assert set(result.files) == {"html", "xlsx", "docx", "json"}
    parts = {}
    for path in result.files.values():
        parts.update(_texts(path))
    assert len(parts) > 10  # the office files were really unzipped
    needles = _needles(ids)
    hits = [(name, n) for name, text in parts.items() for n in needles if n in text]
    assert hits == []


def test_the_scan_would_find_a_leak(identifiers, tmp_path):
    """The same scan on the internal outputs finds the identifiers (so the scan works)."""
    folder, ids = identifiers
    result = generate_reports(ResultsDirSource(folder), ReportOptions(audience="internal"),
                              ["html", "xlsx", "docx"], tmp_path / "int")
    parts = {}
    for path in result.files.values():
        parts.update(_texts(path))
    joined = "\n".join(parts.values())
    assert "Zetterlund" in joined and "ÄR-00028-QZ" in joined and "XYZZY" in joined


def test_json_summary_is_versioned_and_public_even_for_internal_runs(identifiers, tmp_path):
    import json

    folder, ids = identifiers
    result = generate_reports(ResultsDirSource(folder), ReportOptions(audience="internal"),
                              ["json"], tmp_path / "j")
    text = result.files["json"].read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["schema"] == "ivoaudit.public-summary/1"
    assert doc["min_count"] == 5
    assert not [n for n in _needles(ids) if n in text]
    assert {b for b in doc["breakdowns"]} == {"unit", "sex", "age_group"}
    assert {i["group"] for i in doc["breakdowns"]["sex"]} == {"F", "M"}
