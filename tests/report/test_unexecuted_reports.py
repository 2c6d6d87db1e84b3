"""The quarter's outputs: the internal list re-read, the public council report scanned for leaks,
its suppression worked out by hand, and formula safety."""

from __future__ import annotations

import csv
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from ivoaudit.load.frames import build_extract
from ivoaudit.report.unexecuted_council import build_council
from ivoaudit.report.unexecuted_files import write_quarter_files
from ivoaudit.tracking.unexecuted import quarter_report

SECRET_REASON = "Brukaren Agnes Qvist vill vänta XYZZY"
RARE_TYPE = "Kontaktperson Agnes Qvist"
FORMULA = '=HYPERLINK("http://evil.example","klicka")'


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A synthetic municipality with a reason column, a rare intervention type and a formula."""
    from ivoaudit.load import load_extract
    from ivoaudit.synthetic import generate, write_mappings

    folder = tmp_path_factory.mktemp("kommun")
    gset = generate(400, 4711, "lifecare")
    cells = gset.extract.copy()
    granted = cells["Beslut"].isin(["Bifall", "Delvis bifall"]).to_numpy()
    cells["Orsak till dröjsmål"] = ""
    cells.loc[granted, "Orsak till dröjsmål"] = [f"{SECRET_REASON} {i}" for i in range(int(granted.sum()))]
    unexecuted = granted & (cells["Verkställt"] == "").to_numpy()
    first, second = cells.index[unexecuted][:2]
    cells.loc[first, "Insats"] = RARE_TYPE
    cells.loc[second, "Orsak till dröjsmål"] = FORMULA
    path = folder / "arenden.csv"
    cells.to_csv(path, sep=";", index=False, encoding="utf-8")
    mapping, _ = write_mappings(gset.system, folder)
    extract = load_extract(path, mapping=mapping, keyed=False)
    report = quarter_report(extract, "2026-Q3", produced_on=date(2026, 10, 15))
    needles = set(cells["Ärendenr"]) | set(cells["Personnr"]) | {p.replace("-", "") for p in cells["Personnr"]}
    needles |= {p.replace("-", "")[2:] for p in cells["Personnr"]}  # 10-digit forms
    needles |= set(cells["Handläggare"]) | set(cells["Enhet"]) | {RARE_TYPE, "XYZZY", "Qvist", "evil.example"}
    return report, needles, folder


def _parts(path):
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return {f"{path.name}:{n}": z.read(n).decode("utf-8", "replace") for n in z.namelist()
                    if n.endswith((".xml", ".rels"))}
    return {path.name: path.read_text(encoding="utf-8")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_council_report_leaks_no_identifier(generated, tmp_path, lang):
    report, needles, _ = generated
    assert len(report.listed) >= 10 and any(d.reason for d in report.listed)
    _, files = write_quarter_files(report, tmp_path, lang=lang)
    parts = {}
    for key in ("council-html", "council-docx", "council-xlsx"):
        parts.update(_parts(files[key]))
    assert len(parts) > 10
    hits = sorted({(name.split(":")[0], n) for name, text in parts.items() for n in needles if n and n in text})
    assert hits == []


def test_the_scan_finds_the_identifiers_in_the_internal_list(generated, tmp_path):
    report, needles, _ = generated
    _, files = write_quarter_files(report, tmp_path)
    joined = "\n".join({**_parts(files["list-xlsx"]), **_parts(files["list-csv"])}.values())
    assert report.listed[0].case_id in joined and "XYZZY" in joined and RARE_TYPE in joined
    # … and yet no personnummer, caseworker or unit: the list holds case ids only.
    people = {n for n in needles if n[:2] in ("19", "20") and len(n.replace("-", "")) == 12}
    assert people and not [n for n in people if n in joined]


def test_formula_text_from_the_extract_stays_text(generated, tmp_path):
    report, _, _ = generated
    _, files = write_quarter_files(report, tmp_path)
    ws = load_workbook(files["list-xlsx"]).worksheets[0]
    # the apostrophe is part of the value, so the text stays inert after "save as CSV" too
    cells = [c for row in ws.iter_rows() for c in row if c.value == "'" + FORMULA]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    with open(files["list-csv"], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert "'" + FORMULA in {r["reason"] for r in rows} and FORMULA not in {r["reason"] for r in rows}


def test_the_list_files_hold_every_section(generated, tmp_path):
    report, _, _ = generated
    _, files = write_quarter_files(report, tmp_path)
    with open(files["list-csv"], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_section = {s: [r for r in rows if r["section"] == s] for s in ("report", "executed")}
    assert [r["case_id"] for r in by_section["report"]] == [d.case_id for d in report.listed]
    assert [r["executed_date"] for r in by_section["executed"]] == [e.executed_date.isoformat()
                                                                     for e in report.executed]
    wb = load_workbook(files["list-xlsx"])
    assert wb.sheetnames[:2] == ["Att rapportera", "Verkställda"] and wb.sheetnames[-1] == "Om listan"
    ws = wb["Att rapportera"]
    ids = [c.value for c in ws["A"] if c.value in {d.case_id for d in report.listed}]
    assert ids == [d.case_id for d in report.listed]


# --- suppression worked out by hand -----------------------------------------------------

def _small():
    """Seven decisions not executed on 2026-09-30: 5 SoL women, 2 LSS men."""
    rows = [(f"K{i}", "granted", "SoL", "2026-03-02", "F", "Hemtjänst") for i in range(5)]
    rows += [(f"L{i}", "granted", "LSS", "2026-03-02", "M", "Ledsagarservice") for i in range(2)]
    cols = ("case_id", "decision_outcome", "legal_basis", "decision_date", "sex", "intervention_type")
    extract = build_extract({c: [r[i] for r in rows] for i, c in enumerate(cols)} | {"execution_date": [None] * 7})
    return quarter_report(extract, "2026-Q3", produced_on=date(2026, 10, 5))


def test_small_counts_and_their_complements_are_suppressed():
    c = build_council(_small())
    assert c.total.current == 7  # shown: 7 ≥ 5
    tables = {t.dimension: {r.label: r.current for r in t.rows} for t in c.tables}
    # LSS 2 < 5 is hidden; SoL 5 would give it away (7 − 5), so it is hidden too.
    assert tables["legal_basis"] == {"SoL": None, "LSS": None}
    assert tables["sex"] == {"Kvinnor och flickor": None, "Män och pojkar": None}
    # Hemtjänst (5) is named, Ledsagarservice (2) is not: it is "other", hidden, and so is Hemtjänst.
    assert tables["intervention_type"] == {"Hemtjänst": None, "Övriga insatser": None}
    assert "Ledsagarservice" not in str(c)
    # A zero is shown (issue 16: counts 1–4 are hidden, zeros are not): 0 interruptions, 7 decisions.
    assert tables["kind"] == {"Ej verkställt beslut": 7, "Avbrott i verkställighet": 0}
    # 2026-03-02 → 2026-09-30 is more than six months for all seven: the zeros are shown.
    assert tables["waited"] == {"3–6 månader": 0, "6–12 månader": 7, "mer än 12 månader": 0}
    assert c.any_suppressed
    for table in c.tables:  # shown figures never let a hidden one be worked out by subtraction
        shown = [r.current for r in table.rows if r.current is not None]
        hidden = [r for r in table.rows if r.current is None]
        assert len(hidden) != 1, (table.dimension, shown)


def test_the_change_is_shown_only_where_both_quarters_are():
    report = _small()
    c = build_council(report)
    assert c.total.previous == report.previous.total
    for table in c.tables:
        for row in table.rows:
            if row.change is not None:
                assert row.current is not None and row.previous is not None
                assert row.change == row.current - row.previous
