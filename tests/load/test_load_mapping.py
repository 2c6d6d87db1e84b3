"""Mapping files: every mistake gets a precise message; valid mappings change the load."""

from __future__ import annotations

import pandas as pd
import pytest
from load_helpers import HEADERS, ROWS, write_csv, write_xlsx

from ivoaudit.errors import MappingError
from ivoaudit.load import load_extract, read_mapping

SECRET = b"mapping-test-secret-0123456789ab"


def _yaml(tmp_path, text, name="min_mappning.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(source, **kw) -> str:
    with pytest.raises(MappingError) as info:
        read_mapping(source, **kw)
    return str(info.value)


def test_unknown_field_with_suggestion(tmp_path):
    msg = _error(_yaml(tmp_path, "columns:\n  recieved_date: Inkom\n"))
    assert "min_mappning.yaml" in msg and "columns.recieved_date" in msg
    assert "okänt fält" in msg and "Menade du received_date?" in msg


def test_a_section_that_is_not_key_value_lines(tmp_path):
    # was a TypeError (exit 1): the message's {key} clashed with the helper's own argument
    msg = _error(_yaml(tmp_path, "columns: [case_id, received_date]\n"))
    assert "columns: ska innehålla rader i formen nyckel: värde (indragna under columns:)" in msg


def test_unknown_top_level_key_with_suggestion(tmp_path):
    msg = _error(_yaml(tmp_path, "column:\n  case_id: Nr\n"))
    assert "column: okänd nyckel" in msg and "Menade du columns?" in msg


def test_code_mapped_twice(tmp_path):
    text = (
        'values:\n  preliminary_outcome:\n    open: ["Inleds", "Ja"]\n'
        '    not_open: ["Inleds ej", " inleds "]\n'
    )
    msg = _error(_yaml(tmp_path, text))
    assert "values.preliminary_outcome.not_open" in msg
    assert '" inleds "' in msg and "mappad två gånger" in msg and "open" in msg


def test_code_for_a_canonical_value_that_does_not_exist(tmp_path):
    msg = _error(_yaml(tmp_path, 'values:\n  preliminary_outcome:\n    opened: ["Inleds"]\n'))
    assert "values.preliminary_outcome.opened" in msg
    assert "open, not_open, joined" in msg and "Menade du open?" in msg


def test_values_for_a_text_field(tmp_path):
    msg = _error(_yaml(tmp_path, 'values:\n  unit:\n    a: ["b"]\n'))
    assert "values.unit" in msg and "inga koder" in msg


def test_invalid_yaml_names_the_line(tmp_path):
    text = 'columns:\n  case_id: Ärendenr\n  person_id: "Personnr\n  area: Område\n'
    msg = _error(_yaml(tmp_path, text))
    assert "min_mappning.yaml" in msg and "inte giltig YAML" in msg
    assert "på rad 3" in msg  # where the unclosed quote began


def test_invalid_yaml_tab_indentation_line_number(tmp_path):
    msg = _error(_yaml(tmp_path, "columns:\n  case_id: Nr\n\tarea: Område\n"))
    assert "rad 3" in msg


def test_every_error_is_listed(tmp_path):
    text = "columns:\n  caseid: Nr\nconstants:\n  area: skola\ndates:\n  dayfirst: kanske\n"
    msg = _error(_yaml(tmp_path, text))
    assert "3 fel" in msg
    assert "columns.caseid" in msg and "constants.area" in msg and "dates.dayfirst" in msg


def test_unquoted_yes_no_codes_are_refused_with_advice(tmp_path):
    msg = _error(_yaml(tmp_path, "values:\n  appeal_information:\n    yes: [Ja, on]\n"))
    assert "citattecken" in msg and "values.appeal_information.yes" in msg


def test_constant_for_date_field_refused(tmp_path):
    msg = _error(_yaml(tmp_path, "constants:\n  received_date: 2024-01-01\n"))
    assert "constants.received_date" in msg


def test_header_not_found_suggests_close_headers(tmp_path):
    data = write_csv(tmp_path / "x.csv", HEADERS, ROWS)
    mapping = _yaml(tmp_path, "columns:\n  case_id: Ärende nummer\n  unit: Enheten\n")
    with pytest.raises(MappingError) as info:
        load_extract(data, mapping=mapping, secret=SECRET)
    msg = str(info.value)
    assert "min_mappning.yaml" in msg and "x.csv" in msg
    assert 'columns.case_id: rubriken "Ärende nummer" finns inte' in msg
    assert '"Ärendenr"' in msg.split("columns.unit")[0]  # the closest match for case_id
    assert "columns.unit" in msg and '"Enhet"' in msg


def test_english_messages(tmp_path):
    from ivoaudit.i18n import use_language

    with use_language("en"):
        msg = _error(_yaml(tmp_path, "columns:\n  recieved_date: Inkom\n"))
    assert "unknown field" in msg and "Did you mean received_date?" in msg


def test_mapping_applies_columns_values_constants_and_dayfirst(tmp_path):
    headers = ["Löpnr", "Inkom", "Beslut", "Resultat", "Handläggare"]
    rows = [
        ["1", "03/04/2024", "2024-04-10", "Utredn", "Åsa"],
        ["2", "2024-05-01", "", "Avslutas", ""],
        ["3", "31/12/2023", "", "?", ""],
    ]
    data = write_csv(tmp_path / "sys.csv", headers, rows, delimiter=";")
    mapping = _yaml(
        tmp_path,
        """
columns:
  case_id: Löpnr
  received_date: Inkom
  preliminary_decision_date: Beslut
  preliminary_outcome: Resultat
values:
  preliminary_outcome:
    open: ["utredn"]
    not_open: ["Avslutas"]
constants:
  area: Barn och unga
dates:
  dayfirst: true
""",
    )
    got = load_extract(data, mapping=mapping, secret=SECRET)
    cases = got.cases
    assert cases["case_id"].tolist() == ["1", "2", "3"]
    assert cases["received_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-04-03",
        "2024-05-01",
        "2023-12-31",
    ]
    assert cases["preliminary_outcome"].tolist()[:2] == ["open", "not_open"]
    assert got.invalid["preliminary_outcome"].tolist() == [False, False, True]
    assert cases["area"].tolist() == ["barn_unga"] * 3
    assert got.constants == {"area": "barn_unga"}
    # "Handläggare" is not in the mapping but recognised by its common name
    assert got.columns["caseworker"] == "Handläggare"


def test_without_dayfirst_such_dates_are_refused(tmp_path):
    data = write_csv(tmp_path / "d.csv", ["Ärendenr", "Inkom"], [["1", "03/04/2024"]])
    got = load_extract(data, secret=SECRET)
    assert got.invalid["received_date"].tolist() == [True]
    assert got.problems["code"].tolist() == ["date_ambiguous_dayfirst"]


def test_mapped_column_wins_over_synonym(tmp_path):
    data = write_csv(tmp_path / "w.csv", ["Ärendenr", "Löpnr"], [["X", "7"]])
    got = load_extract(data, mapping={"columns": {"case_id": "Löpnr"}}, secret=SECRET)
    assert got.cases["case_id"].tolist() == ["7"]
    assert got.unrecognised == ("Ärendenr",)


def test_recognise_headers_false(tmp_path):
    data = write_csv(tmp_path / "r.csv", ["Nr", "Enhet"], [["7", "Norr"]])
    on = load_extract(data, mapping={"columns": {"case_id": "Nr"}}, secret=SECRET)
    off = load_extract(
        data, mapping={"columns": {"case_id": "Nr"}, "recognise_headers": False}, secret=SECRET
    )
    assert "unit" in on.cases and "unit" not in off.cases
    assert off.unrecognised == ("Enhet",)


def test_sheet_from_mapping(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", HEADERS, ROWS, sheet="Data", extra_sheets=())
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Försättsblad", 0)
    wb.save(path)
    got = load_extract(path, mapping={"sheet": "Data"}, secret=SECRET)
    assert got.source.sheet == "Data" and len(got.cases) == 4


def test_mapping_header_match_ignores_case_and_spaces(tmp_path):
    data = write_csv(tmp_path / "c.csv", ["ÄRENDE NR", "Inkom"], [["1", "2024-01-01"]])
    got = load_extract(data, mapping={"columns": {"case_id": "ärende-nr"}}, secret=SECRET)
    assert got.columns["case_id"] == "ÄRENDE NR"
    assert pd.Timestamp(got.cases["received_date"].iloc[0]) == pd.Timestamp("2024-01-01")


def test_empty_mapping_file_is_allowed(tmp_path):
    spec = read_mapping(_yaml(tmp_path, "# nothing yet\n"))
    assert spec.columns == {} and spec.recognise_headers
