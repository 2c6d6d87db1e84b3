"""An IVO decision entered in the Excel template: the round trip and every refusal."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from ivoaudit.errors import ImportRefusedError
from ivoaudit.store.ivo import get_decision, list_decisions
from ivoaudit.tracking.ivo import record_decision
from ivoaudit.tracking.ivo_xlsx import import_decision, write_decision_template

DNR = "8.5-25231/2017-1"


def _fill(path, decision=None, demands=None):
    wb = openpyxl.load_workbook(path)
    ws, dem = wb["Beslut"], wb["Krav"]
    values = {2: DNR, 3: datetime(2017, 12, 20), 4: datetime(2017, 12, 22), 5: datetime(2018, 2, 28),
              6: None, 7: None, 8: "Socialnämnden", 9: "SN 2018/12", 10: "Barn och unga", 11: "IVO har granskat …"}
    values.update(decision or {})
    for row, value in values.items():
        ws.cell(row=row, column=2).value = value
    rows = demands if demands is not None else [
        (None, "Att beslut om att inleda eller inte inleda utredning fattas utan dröjsmål och inom fjorton dagar.",
         "BU-FORHAND-14D", None, None, 3, 10),
        (None, "Att barnets åsikter och inställning framgår av utredningen.", "BU-BARN-ASIKT", "BU-SAMTAL",
         None, 2, 7),
        (None, "Att nämnden säkerställer en stabil personalsituation.", None, None, None, None, None)]
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            dem.cell(row=i, column=j).value = value
    wb.save(path)
    return path


@pytest.fixture
def template(tmp_path):
    return write_decision_template(tmp_path / "ivo.xlsx", lang="sv")


def test_template_has_dropdowns_and_a_rule_list(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Beslut", "Krav", "Regler", "_ivoaudit"]
    assert wb["Beslut"]["A2"].value == "IVO:s diarienummer"
    rules = [wb["Regler"].cell(row=i, column=1).value for i in range(2, wb["Regler"].max_row + 1)]
    assert "BU-FORHAND-14D" in rules
    assert any(dv.type == "list" and "Regler" in dv.formula1 for dv in wb["Krav"].data_validations.dataValidation)


def test_round_trip_stores_the_decision_with_its_demands(store, template):
    decision = import_decision(store, _fill(template), by="Eva")
    assert (decision.dnr, decision.decision_date, decision.answer_due, decision.committee) == (
        DNR, date(2017, 12, 20), date(2018, 2, 28), "Socialnämnden")
    assert [(d.number, d.rules, d.ivo_deviations, d.ivo_assessed) for d in decision.demands] == [
        (1, ("BU-FORHAND-14D",), 3, 10), (2, ("BU-BARN-ASIKT", "BU-SAMTAL"), 2, 7), (3, (), None, None)]
    assert decision.demands[0].text.startswith("Att beslut om att inleda")
    assert get_decision(store, DNR) == decision


REFUSALS = {
    "no diarienummer": ({2: None}, None, "Beslut, rad 2, kolumn B (IVO:s diarienummer): måste fyllas i"),
    "date that is no date": ({3: "i december"}, None, "Beslut, rad 3, kolumn B (Beslutsdatum): \"i december\" är inget datum"),
    "answer due before the decision": ({5: datetime(2017, 12, 1)}, None, "före beslutsdagen"),
    "extension without its reason": ({6: datetime(2018, 3, 31)}, None, "skälet till anståndet"),
    "demand without text": (None, [(None, None, "BU-SAMTAL", None, None, None, None)],
                            "Krav, rad 2, kolumn B: kravets text saknas"),
    "unknown rule": (None, [(None, "Krav", "BU-PÅHITTAD", None, None, None, None)], "regeln BU-PÅHITTAD finns inte"),
    "figure that does not add up": (None, [(None, "Krav", None, None, None, 11, 10)], "kolumn F–G"),
    "half a figure": (None, [(None, "Krav", None, None, None, 3, None)], "kolumn F–G"),
    "number twice": (None, [(1, "Krav", None, None, None, None, None), (1, "Krav", None, None, None, None, None)],
                     "Krav, rad 3, kolumn A: kravnummer 1 förekommer redan"),
    "no demands": (None, [], "Krav: inga krav ifyllda"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_every_refusal_stores_nothing(store, template, case):
    decision, demands, expected = REFUSALS[case]
    _fill(template, decision, demands)
    with pytest.raises(ImportRefusedError) as refused:
        import_decision(store, template)
    assert any(expected in p for p in refused.value.problems), refused.value.problems
    assert list_decisions(store) == []


def test_an_existing_decision_or_a_moved_row_is_refused(store, template):
    record_decision(store, DNR, decision_date=date(2017, 12, 20), answer_due=date(2018, 2, 28))
    with pytest.raises(ImportRefusedError) as refused:
        import_decision(store, _fill(template))
    assert any("finns redan" in p for p in refused.value.problems)
    wb = openpyxl.load_workbook(template)
    wb["Beslut"]["A3"].value = "Något annat"
    wb.save(template)
    with pytest.raises(ImportRefusedError) as refused:
        import_decision(store, template)
    assert any("raden \"Beslutsdatum\" är ändrad eller flyttad" in p for p in refused.value.problems)
    assert len(list_decisions(store)) == 1
