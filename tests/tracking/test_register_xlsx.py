"""The action register in Excel: the round trip, and every refusal storing nothing."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import openpyxl
import pytest

from ivoaudit.errors import ImportRefusedError
from ivoaudit.store import Store
from ivoaudit.store.actions import get_action, list_actions
from ivoaudit.store.history import history
from ivoaudit.tracking.actions import create_action, edit_action
from ivoaudit.tracking.findings import record_finding
from ivoaudit.tracking.ivo import record_decision, record_demand
from ivoaudit.tracking.measure import record_check_folder
from ivoaudit.tracking.register_xlsx import NEW_ROWS, export_register, import_register
from tests.tracking.conftest import write_check

DNR = "8.5-1/2026-1"
AS_OF = date(2026, 10, 31)
COL = {"id": 1, "measure": 2, "role": 3, "person": 4, "start": 5, "deadline": 6, "followup": 7, "how": 8,
       "status": 9, "done_on": 10, "evidence": 11, "rules": 12, "demands": 13, "findings": 14}


@pytest.fixture
def filled(store, tmp_path):
    record_decision(store, DNR, decision_date=date(2026, 1, 15), answer_due=date(2026, 3, 15))
    record_demand(store, DNR, "Att beslut om att inleda utredning fattas inom 14 dagar.",
                  rules=["BU-FORHAND-14D"], ivo_figure="3/10")
    finding = record_finding(store, "Barnets åsikter saknas", found_on=date(2026, 2, 1), rules=["BU-BARN-ASIKT"])
    record_check_folder(store, "feb", write_check(tmp_path / "a", "2026-02-28", {"BU-FORHAND-14D": (20, 20, 0)}))
    record_check_folder(store, "okt", write_check(tmp_path / "b", "2026-10-15", {"BU-FORHAND-14D": (34, 6, 0)}))
    a1 = create_action(store, "Bevakningslista", "Gruppledare", responsible_person="Kim Lind",
                       start=date(2026, 3, 1), deadline=date(2026, 4, 30), demands=[f"{DNR}:1"])
    edit_action(store, a1.id, {"status": "done", "done_on": date(2026, 4, 20)}, by="Eva")
    create_action(store, "=HYPERLINK(\"http://evil.example\",\"x\")", "Enhetschef", start=date(2026, 3, 1),
                  deadline=date(2026, 9, 30), findings=[finding.id])
    path = tmp_path / "register.xlsx"
    export_register(store, path, as_of=AS_OF)
    return path


def _edit(path, edits):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for (row, column), value in edits.items():
        ws.cell(row=row, column=COL[column]).value = value
    wb.save(path)


def _state(store):
    """Everything an import could change: actions, links, history."""
    con = store.con
    return [tuple(r) for t in ("actions", "action_rules", "action_demands", "action_findings", "history")
            for r in con.execute(f"SELECT * FROM {t} ORDER BY rowid")]


def test_the_register_is_written_with_dropdowns_locked_ids_and_safe_text(filled):
    wb = openpyxl.load_workbook(filled)
    ws = wb.worksheets[0]
    assert ws.protection.sheet
    assert [ws.cell(row=1, column=j).value for j in (1, 2, 9)] == ["Id", "Åtgärd", "Status"]
    assert ws.cell(row=2, column=1).protection.locked and not ws.cell(row=2, column=2).protection.locked
    assert ws.cell(row=2, column=COL["status"]).value == "Genomförd"
    assert ws.cell(row=2, column=COL["done_on"]).value == datetime(2026, 4, 20)
    # formula-like text stays text, with the visible apostrophe, never a formula
    cell = ws.cell(row=3, column=COL["measure"])
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    kinds = {(dv.type, str(dv.sqref)) for dv in ws.data_validations.dataValidation}
    last = 3 + NEW_ROWS
    assert ("list", f"I2:I{last}") in kinds and ("date", f"E2:E{last}") in kinds
    assert "_ivoaudit" in wb.sheetnames and wb["_ivoaudit"].sheet_state == "hidden"


def test_the_register_prints_on_a4_landscape_with_only_its_rows(store, tmp_path):
    """Printed before this, the register ran over several portrait pages with its wrapped
    lines overlapping and 40 empty rows shaded."""
    create_action(store, "En lång åtgärd " * 12, "Enhetschef", start=date(2026, 3, 1), deadline=date(2026, 9, 30))
    path = export_register(store, tmp_path / "r.xlsx", as_of=AS_OF)
    ws = openpyxl.load_workbook(path).worksheets[0]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert str(ws.print_area).endswith("$2")  # the header and the one action, not the empty rows
    assert ws.row_dimensions[2].height > 15  # 180 characters in a 40-wide column: several lines
    assert ws.cell(row=2, column=1).alignment.vertical == "top"


def test_round_trip_changes_and_new_rows_with_history_and_proposal(store, filled):
    _edit(filled, {(2, "status"): "Har gett effekt", (3, "deadline"): datetime(2026, 11, 30),
                   (3, "evidence"): "Rutin beslutad 2026-05-02",
                   (4, "measure"): "Ny åtgärd från Excel", (4, "role"): "Socialchef", (4, "start"): "2026-11-01",
                   (4, "deadline"): datetime(2026, 12, 31), (4, "status"): "Pågår", (4, "rules"): "bu-utr-4m",
                   (4, "demands"): f"{DNR}:1"})
    result = import_register(store, filled, by="Kvalitetssamordnaren", as_of=AS_OF)
    assert (result.changed, result.unchanged, len(result.added)) == ([1, 2], 0, 1)
    assert get_action(store, 1).status == "effective"
    verdict = history(store, "action", 1)[-1]
    assert (verdict.field, verdict.new_value, verdict.changed_by) == ("status", "effective", "Kvalitetssamordnaren")
    # baseline feb 20/40 = 50 % [0.352, 0.648], after okt 34/40 = 85 % [0.709, 0.929]: improved
    assert verdict.proposal["verdict"] == "improved"
    second = get_action(store, 2)
    assert second.deadline == date(2026, 11, 30) and second.evidence == "Rutin beslutad 2026-05-02"
    assert second.measure.startswith("=HYPERLINK")  # our apostrophe is taken off again
    new = get_action(store, result.added[0])
    assert (new.measure, new.status, new.rules, new.demands) == (
        "Ny åtgärd från Excel", "in_progress", ("BU-UTR-4M",), (f"{DNR}:1",))
    # the same file again: refused, the actions changed since it was exported
    with pytest.raises(ImportRefusedError) as refused:
        import_register(store, filled, by="x", as_of=AS_OF)
    assert any("ändrats i databasen" in p for p in refused.value.problems)


def test_an_untouched_register_changes_nothing(store, filled):
    before = _state(store)
    result = import_register(store, filled, by="x", as_of=AS_OF)
    assert (result.added, result.changed, result.unchanged) == ([], [], 2)
    assert _state(store) == before


REFUSALS = {
    "status not in the list": ({(2, "status"): "Klar typ"}, "Rad 2, kolumn I (Status): \"Klar typ\" finns inte i listan"),
    "date that is no date": ({(2, "deadline"): "snart"}, "Rad 2, kolumn F (Klart senast): \"snart\" är inget datum"),
    "unknown rule": ({(3, "rules"): "BU-PÅHITTAD"}, "Rad 3, kolumn L (Regler): regeln BU-PÅHITTAD finns inte"),
    "unknown demand": ({(3, "demands"): "8.5-9/2026-1:4"}, "IVO-kravet 8.5-9/2026-1:4 finns inte"),
    "unknown finding": ({(3, "findings"): "99"}, "Rad 3, kolumn N (Brister (id)): bristen 99 finns inte"),
    "unknown id": ({(2, "id"): 77}, "Rad 2, kolumn A: id 77 fanns inte i exporten"),
    "repeated id": ({(3, "id"): 1}, "Rad 3: åtgärd 1 förekommer mer än en gång"),
    "required cell empty": ({(4, "measure"): "Ny", (4, "start"): "2026-11-01"},
                            "Rad 4, kolumn C (Ansvarig roll): måste fyllas i"),
    "deadline before start": ({(3, "deadline"): datetime(2026, 2, 1)}, "Rad 3: klart senast (2026-02-01) ligger före start"),
    "verdict without a done day": ({(3, "status"): "Har inte gett effekt"},
                                   "Rad 3: en åtgärd som bedömts (Har inte gett effekt) behöver dagen"),
    "header changed": ({(1, "measure"): "Vad"}, "Rad 1: rubrikerna är ändrade"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_every_refusal_lists_the_problem_and_stores_nothing(store, filled, case):
    edits, expected = REFUSALS[case]
    _edit(filled, {**edits, (2, "measure"): "En giltig ändring som inte får sparas"})
    before = _state(store)
    with pytest.raises(ImportRefusedError) as refused:
        import_register(store, filled, by="x", as_of=AS_OF)
    assert any(expected in p for p in refused.value.problems), refused.value.problems
    assert "Ingenting har sparats" in str(refused.value)
    assert _state(store) == before


def test_a_change_in_the_store_after_export_is_refused(store, filled):
    edit_action(store, 2, {"evidence": "ändrad i databasen"}, by="Eva")
    _edit(filled, {(2, "measure"): "Ny text"})
    before = _state(store)
    with pytest.raises(ImportRefusedError, match="1 problem") as refused:
        import_register(store, filled, by="x", as_of=AS_OF)
    assert refused.value.problems == [
        "Rad 3: åtgärd 2 har ändrats i databasen efter exporten. Exportera registret på nytt och för in dina "
        "ändringar där."]
    assert _state(store) == before


def test_a_register_from_another_store_or_no_register_is_refused(filled, tmp_path):
    with Store(tmp_path / "other.db") as other:
        with pytest.raises(ImportRefusedError) as refused:
            import_register(other, filled, by="x", as_of=AS_OF)
        assert "annan granskningsdatabas" in refused.value.problems[0]
        assert list_actions(other) == []
        not_excel = tmp_path / "register.xlsx.txt"
        not_excel.write_text("id;åtgärd\n", encoding="utf-8")
        with pytest.raises(ImportRefusedError, match="lästes inte in") as refused:
            import_register(other, not_excel, by="x", as_of=AS_OF)
        assert "Excel" in refused.value.problems[0]
        plain = tmp_path / "plain.xlsx"
        openpyxl.Workbook().save(plain)
        with pytest.raises(ImportRefusedError) as refused:
            import_register(other, plain, by="x", as_of=AS_OF)
        assert "_ivoaudit" in refused.value.problems[0]


def test_an_import_is_one_transaction(store, filled, monkeypatch):
    """A failure while storing the second row leaves the first row's change undone too."""
    from ivoaudit.tracking import register_xlsx

    _edit(filled, {(2, "evidence"): "ny", (3, "evidence"): "också ny"})
    real = register_xlsx.apply_changes
    calls = []

    def failing(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(register_xlsx, "apply_changes", failing)
    before = _state(store)
    with pytest.raises(sqlite3.OperationalError):
        import_register(store, filled, by="x", as_of=AS_OF)
    assert _state(store) == before
