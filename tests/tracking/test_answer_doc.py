"""What a committee secretary reads in the answer to IVO, fixed after looking at it on A4:
the original due date and the extension each said once, IVO's figure beside the self-audit's
in the same terms, a demand no rule measures said in words, and no table row split over two
pages (a measure cut in half read as two measures)."""

from __future__ import annotations

import re
import zipfile
from datetime import date

from ivoaudit.report.ivo_answer import write_answer
from ivoaudit.tracking.actions import create_action
from ivoaudit.tracking.answer import build_answer
from ivoaudit.tracking.data import load_tracking
from ivoaudit.tracking.ivo import record_decision, record_demand
from ivoaudit.tracking.measure import record_check_folder
from tests.tracking.conftest import write_check

DNR = "8.5-4711/2026-1"


def _answer(store, tmp_path, **decision):
    record_check_folder(store, "okt", write_check(tmp_path / "c", "2026-10-31", {"BU-FORHAND-14D": (30, 10, 0)}))
    record_decision(store, DNR, decision_date=date(2026, 8, 14), committee="Socialnämnden", **decision)
    record_demand(store, DNR, "Att beslut fattas inom fjorton dagar.", rules=["BU-FORHAND-14D"], ivo_figure="3/10")
    record_demand(store, DNR, "Att nämnden säkerställer bemanningen.")
    for n in (1, 2):
        create_action(store, f"Åtgärd {n}", "Enhetschef", start=date(2026, 9, 1), deadline=date(2026, 12, 1),
                      demands=[f"{DNR}:{n}"])
    return write_answer(build_answer(load_tracking(store), DNR, date(2026, 11, 10)), tmp_path / "a",
                        ("docx", "html"))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_due_date_and_extension_each_said_once(store, tmp_path):
    _, html = _answer(store, tmp_path, answer_due=date(2026, 10, 28), extended_due=date(2026, 11, 27),
                      extension_reason="nämndens sammanträdesplan")
    text = _text(html.read_text(encoding="utf-8"))
    assert "senast 2026-10-28; IVO har medgett anstånd till 2026-11-27 (nämndens sammanträdesplan)" in text
    assert text.count("2026-11-27") == 1
    assert "ställt 2 krav på nämnden" in text and "tagit fram 2 åtgärder" in text


def test_without_extension_the_due_date_alone(store, tmp_path):
    _, html = _answer(store, tmp_path, answer_due=date(2026, 10, 28))
    text = _text(html.read_text(encoding="utf-8"))
    assert "senast 2026-10-28. " in text and "anstånd" not in text


def test_overview_compares_like_with_like_and_names_the_unmeasured_demand(store, tmp_path):
    _, html = _answer(store, tmp_path, answer_due=date(2026, 10, 28))
    text = _text(html.read_text(encoding="utf-8"))
    # IVO: 3 faults in 10, so 7 of 10 (70 %) without; the self-audit 30 of 40 (75 %) without
    assert "brist i 3 av 10 (70 % utan brist)" in text and "75 % (30 av 40)" in text
    assert "Mäts inte i egenkontrollen" in text


def test_no_table_row_breaks_across_pages(store, tmp_path):
    docx, _ = _answer(store, tmp_path, answer_due=date(2026, 10, 28))
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
    data_tables = body.split("<w:tbl>")[2:]  # the first table is the letterhead
    rows = sum(t.count("<w:tr>") + t.count("<w:tr ") for t in data_tables)
    assert rows >= 4 and sum(t.count("<w:cantSplit/>") for t in data_tables) == rows
