"""Every line of a CSV extract is accounted for, whatever happens to its quotes, delimiters and line
ends: loaded rows + quarantined rows + lines continuing a cell = the file's non-blank lines after the
header, counted here by splitting on line ends (no CSV parser). The longer mutation fuzz run is
``tests/hostile/fuzz.py`` (a step of ``.ci/run``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ivoaudit.errors import UserError
from ivoaudit.load import load_extract

HEADER = "Ärendenr;Personnr;Enhet;Handläggare;Anmälan inkom;Beslut förhandsbedömning;Utfall förhandsbedömning"
ROW = "ÄR-{i};19121212-1212;Öster;Åsa Öberg;2026-01-05;2026-01-12;open"
BASE = "\r\n".join([HEADER, *(ROW.format(i=i) for i in range(12))]) + "\r\n"
PIECES = ['"', '""', ";", "\n", "\r", "\r\n", '"\r\n', ';"', '"x";', "\u200b", " ", "é"]


def independent_count(text: str, header_row: int) -> int:
    """Non-blank lines after the header row, by line ends alone."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return sum(1 for line in lines[header_row:] if line)


def accounted(extract) -> int:
    return len(extract.cases) + extract.quarantine["row"].nunique() + len(extract.source.continued)


mutation = st.tuples(st.integers(0, len(BASE)), st.integers(0, 3), st.sampled_from(PIECES))


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutation, min_size=1, max_size=8))
@example([(100, 0, '"'), (103, 0, '"'), (6, 0, ';"')])  # a quoted header cell running onto line 2 (CI, 2026-12-06)
def test_loaded_plus_quarantined_is_the_line_count(tmp_path, mutations):
    text = BASE
    for at, cut, piece in mutations:
        at = min(at, len(text))
        text = text[:at] + piece + text[at + cut:]
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        extract = load_extract(path, keyed=False)
    except UserError:
        return  # refused with a message (the header itself broken): nothing loaded, nothing lost
    assert accounted(extract) == independent_count(text, extract.source.header_row), text


def test_a_stray_quote_quarantines_the_lines_it_swallowed_with_their_numbers(tmp_path):
    text = BASE.replace("ÄR-3;", '"ÄR-3;')
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    extract = load_extract(path, keyed=False)
    quoted = extract.quarantine[extract.quarantine["code"] == "row_quote"]
    assert quoted["row"].tolist() == list(range(5, 14))  # line 5 (ÄR-3) to the end of the file
    assert "ett citattecken saknas eller är för mycket på rad 5" in quoted["problem"].iloc[0].lower()
    assert "5–13" in quoted["problem"].iloc[0]
    assert extract.cases["_row"].tolist() == [2, 3, 4]
    assert accounted(extract) == independent_count(text, 1)


def test_a_cell_with_line_breaks_is_one_row_and_its_lines_are_named(tmp_path):
    text = BASE.replace(";Öster;Åsa Öberg;2026-01-05;2026-01-12;open\r\nÄR-2", ';"Öster\r\n\r\nhus 2";Åsa Öberg;'
                        "2026-01-05;2026-01-12;open\r\nÄR-2", 1)
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    extract = load_extract(path, keyed=False)
    assert extract.cases["unit"].iloc[1] == "Öster\r\n\r\nhus 2"
    assert extract.source.continued == (5,)  # line 4 is blank: not a row, not counted
    assert extract.cases["_row"].tolist()[:3] == [2, 3, 6]
    assert accounted(extract) == independent_count(text, 1)


def test_a_header_cell_with_a_line_break_is_one_header(tmp_path):
    """Excel writes a header typed with Alt+Enter as a quoted cell over two lines: that is the
    header, not a malformed row; a case cell with a line break after it still belongs to its case."""
    text = BASE.replace("Anmälan inkom", '"Anmälan\r\ninkom"').replace(
        "ÄR-3;19121212-1212;Öster;Åsa Öberg", 'ÄR-3;19121212-1212;Öster;"Åsa\nÖberg"')
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("utf-8"))
    extract = load_extract(path, keyed=False)
    assert extract.quarantine.empty and len(extract.cases) == 12
    assert extract.columns["received_date"] == "Anmälan\r\ninkom"
    assert extract.cases["_row"].tolist()[:5] == [3, 4, 5, 6, 8]  # ÄR-3 on lines 6-7
    assert extract.source.continued == (2, 7)
    assert "Rubrikraden fortsätter på rad 2: en rubrik har en radbrytning." in extract.notes
    assert any(n.startswith("1 rad fortsätter en cell") and "rad 7" in n for n in extract.notes)
    assert accounted(extract) == independent_count(text, extract.source.header_row)


def test_a_header_quote_that_swallows_rows_is_refused(tmp_path):
    text = BASE.replace("Handläggare;", '"Handläggare;', 1).replace("ÄR-4;", 'ÄR-4";', 1)
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(UserError) as info:
        load_extract(path, keyed=False)
    assert "Rubrikraden i x.csv (rad 1)" in str(info.value)
