"""Review form: writing, formula safety, round trip, and every refusal (nothing imported)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from ivoaudit.errors import ReviewFormError
from ivoaudit.review.answers import import_review_form, write_round_form
from ivoaudit.review.form import META_SHEET
from ivoaudit.review.overview import round_overview
from ivoaudit.store import Store

from .conftest import FIRST_ROW, FORMULA_TEXTS, fill, header_index


@pytest.fixture
def form(store, round_name, tmp_path):
    return write_round_form(store, round_name, tmp_path / "form.xlsx", lang="sv")


def _question_rows(store, round_name, rule):
    auto = store.auto_results(round_name)
    ids = store.sampled_cases(round_name)["case_id"].tolist()
    waiting = set(auto.loc[(auto.rule_id == rule) & (auto.status == "needs_review"), "case_id"])
    return [(i + FIRST_ROW, cid) for i, cid in enumerate(ids) if cid in waiting]


def test_form_layout_locks_and_dropdowns(form, store, round_name):
    wb = load_workbook(form)
    ws = wb.worksheets[0]
    assert ws.title == "Granskning" and ws.protection.sheet
    cols = header_index(form)
    assert {"Ärendenummer", "Enhet", "ALL-DROJSMAL-6M", "MB-BEDOMNING", "AO-INFO", "Kommentar"} <= set(cols)
    ids = store.sampled_cases(round_name)["case_id"].tolist()
    assert [ws.cell(row=r, column=1).value for r in range(FIRST_ROW, FIRST_ROW + 8)] == ids
    # case facts and automatic results locked, answers and comment unlocked
    assert ws.cell(row=FIRST_ROW, column=cols["ALL-DROJSMAL-6M"]).protection.locked
    r, _ = _question_rows(store, round_name, "AO-INFO")[0]
    assert not ws.cell(row=r, column=cols["AO-INFO"]).protection.locked
    assert not ws.cell(row=FIRST_ROW, column=cols["Kommentar"]).protection.locked
    # MB-BEDOMNING does not apply to even cases: a locked "–"-like status, not an answer cell
    na = [i + FIRST_ROW for i, c in enumerate(ids) if int(c[1:]) % 2 == 0][0]
    assert ws.cell(row=na, column=cols["MB-BEDOMNING"]).protection.locked
    assert ws.cell(row=na, column=cols["MB-BEDOMNING"]).value == "Ej tillämplig"
    validations = {v.formula1: v for v in ws.data_validations.dataValidation}
    assert '"Ja,Nej,Ej aktuellt"' in validations and '"Ja,Nej"' in validations
    assert f"{_col(cols['AO-INFO'])}{r}" in validations['"Ja,Nej,Ej aktuellt"'].sqref
    # beside each automatic result: "Stämmer med akten?" (Ja/Nej) and the correct date, open
    check, when = cols["ALL-DROJSMAL-6M:check"], cols["ALL-DROJSMAL-6M:date"]
    assert not ws.cell(row=FIRST_ROW, column=check).protection.locked
    assert not ws.cell(row=FIRST_ROW, column=when).protection.locked
    assert f"{_col(check)}{FIRST_ROW}" in validations['"Ja,Nej"'].sqref
    # row 1 says what Ja and Nej mean
    assert ws.cell(row=1, column=1).value.startswith("Ja = kravet är uppfyllt")
    header = ws.cell(row=FIRST_ROW - 1, column=cols["AO-INFO"])
    assert "Fick personen veta" in header.value and header.comment.text == "Se journalen."
    assert wb[META_SHEET].sheet_state == "hidden"
    assert "Instruktioner" in wb.sheetnames
    # fail results carry the days over
    fails = [ws.cell(row=i, column=cols["ALL-DROJSMAL-6M"]).value for i in range(FIRST_ROW, FIRST_ROW + 8)]
    assert any(str(v).startswith("Ej uppfyllt (+9 d)") for v in fails)


def _col(j):
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def test_formula_like_extract_text_is_plain_text(store, tmp_path):
    from ivoaudit.sample.draw import SampleSpec, draw_sample

    from .conftest import QUESTIONS, make_cases, make_results

    cases = make_cases(4)
    sample = draw_sample(cases, make_results(cases), SampleSpec(size=4, seed=1))
    store.create_round("f", record=sample.record, cases=sample.cases, results=make_results(cases),
                       questions=QUESTIONS)
    path = write_round_form(store, "f", tmp_path / "f.xlsx")
    ws = load_workbook(path).worksheets[0]
    col = header_index(path)["Enhet"]
    seen = {}
    for r in range(FIRST_ROW, FIRST_ROW + 4):
        cell = ws.cell(row=r, column=col)
        assert cell.data_type == "s"
        assert isinstance(cell.value, str) and not cell.value.startswith(("=", "+", "-", "@"))
        seen[cell.value[1:]] = cell.value
    assert set(seen) == set(FORMULA_TEXTS)
    # No formula anywhere in the workbook.
    wb = load_workbook(path)
    assert not [c.coordinate for s in wb.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_round_trip(form, store, round_name, tmp_path):
    cols = header_index(form)
    edits = {}
    ao = _question_rows(store, round_name, "AO-INFO")
    mb = _question_rows(store, round_name, "MB-BEDOMNING")
    for k, (r, _) in enumerate(ao):
        edits[(r, cols["AO-INFO"])] = ["Ja", "Nej"][k % 2]
    for r, _ in mb:
        edits[(r, cols["MB-BEDOMNING"])] = "Ej aktuellt"
    edits[(FIRST_ROW, cols["Kommentar"])] = "Bra ärende; se journal 3/2"
    filled = fill(form, tmp_path / "filled.xlsx", edits)
    before = filled.read_bytes()
    result = import_review_form(store, filled, require_complete=True)
    assert filled.read_bytes() == before  # the reviewer's file is never re-saved
    assert result.answered == len(ao) + len(mb) == result.total
    answers = store.current_answers(round_name)
    expected = {(cid, "AO-INFO", ["yes", "no"][k % 2]) for k, (_, cid) in enumerate(ao)}
    expected |= {(cid, "MB-BEDOMNING", "not_applicable") for _, cid in mb}
    assert set(map(tuple, answers.values.tolist())) == expected
    first_case = store.sampled_cases(round_name)["case_id"].iloc[0]
    assert store.current_comments(round_name) == {first_case: "Bra ärende; se journal 3/2"}

    overview = round_overview(store, round_name)
    assert (overview.answered, overview.questions) == (len(ao) + len(mb), len(ao) + len(mb))
    row = overview.summary.set_index("rule_id").loc["AO-INFO"]
    yes = sum(1 for k in range(len(ao)) if k % 2 == 0)
    assert (row["pass"], row["fail"], row["needs_review"]) == (yes, len(ao) - yes, 0)
    assert row["ci_low"] < row["compliance"] < row["ci_high"]
    mb_row = overview.summary.set_index("rule_id").loc["MB-BEDOMNING"]
    assert mb_row["not_applicable"] == 8 and mb_row["denominator"] == 0

    # A corrected second import replaces the answers and keeps the first in history.
    r0, c0 = ao[0]
    again = fill(filled, tmp_path / "filled2.xlsx", {(r0, cols["AO-INFO"]): "Nej"})
    import_review_form(store, again)
    now = store.current_answers(round_name).set_index(["case_id", "rule_id"])["answer"]
    assert now[(c0, "AO-INFO")] == "no"
    history = store.answer_history(round_name)
    old = history[(history.case_id == c0) & (history.rule_id == "AO-INFO")]
    assert old["answer"].tolist() == ["yes", "no"] and old["superseded_at"].notna().tolist() == [True, False]

    # A regenerated form carries the current answers.
    regenerated = write_round_form(store, round_name, tmp_path / "again.xlsx")
    ws = load_workbook(regenerated).worksheets[0]
    assert ws.cell(row=r0, column=cols["AO-INFO"]).value == "Nej"


def _refused(store, round_name, path, **kwargs):
    with pytest.raises(ReviewFormError) as info:
        import_review_form(store, path, **kwargs)
    assert store.current_answers(round_name).empty
    assert store.imports(round_name) == []
    return info.value.problems


def test_refuses_answer_not_in_list(form, store, round_name, tmp_path):
    cols = header_index(form)
    (r1, _), (r2, c2) = _question_rows(store, round_name, "AO-INFO")[:2]
    path = fill(form, tmp_path / "x.xlsx", {(r1, cols["AO-INFO"]): "Ja", (r2, cols["AO-INFO"]): "Kanske"})
    problems = _refused(store, round_name, path)
    assert len(problems) == 1 and "Kanske" in problems[0] and f"Rad {r2}" in problems[0] and c2 in problems[0]


def test_refuses_unknown_case(form, store, round_name, tmp_path):
    path = fill(form, tmp_path / "x.xlsx", {(20, 1): "K999"})
    problems = _refused(store, round_name, path)
    assert any("K999" in p and "ingår inte" in p for p in problems)


def test_a_comment_below_the_cases_is_refused_as_a_row_without_a_case(form, store, round_name, tmp_path):
    cols = header_index(form)
    path = fill(form, tmp_path / "x.xlsx", {(20, cols["Kommentar"]): "glömd kommentar"})
    problems = _refused(store, round_name, path)
    assert len(problems) == 1 and problems[0].startswith("Rad 20: raden har inget ärende")
    assert "ingår inte" not in problems[0]


def test_refuses_changed_locked_cell(form, store, round_name, tmp_path):
    cols = header_index(form)
    path = fill(form, tmp_path / "x.xlsx", {(FIRST_ROW + 1, cols["ALL-DROJSMAL-6M"]): "Uppfyllt!",
                                              (_question_rows(store, round_name, "AO-INFO")[0][0],
                                               cols["AO-INFO"]): "Ja"})
    problems = _refused(store, round_name, path)
    assert len(problems) == 1 and "låst cell" in problems[0] and f"Rad {FIRST_ROW + 1}" in problems[0]


def test_refuses_other_rounds_form(form, store, round_name, tmp_path):
    from .conftest import QUESTIONS, make_cases, make_results

    cases = make_cases(3)
    store.create_round("höst-2026", record={}, cases=cases, results=make_results(cases), questions=QUESTIONS)
    problems = _refused(store, round_name, form, expected_round="höst-2026")
    assert "vår-2026" in problems[0] and "höst-2026" in problems[0]
    # ... and a form from another store altogether
    with Store(tmp_path / "other.db") as other:
        other.create_round("vår-2026", record={}, cases=cases, results=make_results(cases))
        with pytest.raises(ReviewFormError, match="lästes inte in"):
            import_review_form(other, form)


def test_refuses_altered_round_id(form, store, round_name, tmp_path):
    from ivoaudit.store.records import RoundInfo  # noqa: F401

    # Point the form at another existing round's id: the signature no longer matches.
    from .conftest import QUESTIONS, make_cases, make_results

    cases = make_cases(12)
    other = store.create_round("annan", record={}, cases=store.sampled_cases(round_name),
                               results=make_results(cases), questions=QUESTIONS)
    path = fill(form, tmp_path / "x.xlsx", {(3, 2): other.uid}, sheet=META_SHEET)
    problems = _refused(store, round_name, path)
    assert any("kontrollsumma" in p for p in problems)
    assert store.current_answers("annan").empty
    # An id that no round has is refused too.
    path = fill(form, tmp_path / "y.xlsx", {(3, 2): "0" * 32}, sheet=META_SHEET)
    assert "ändrats" in _refused(store, round_name, path)[0]


def test_require_complete(form, store, round_name, tmp_path):
    cols = header_index(form)
    (r1, _), *rest = _question_rows(store, round_name, "AO-INFO")
    path = fill(form, tmp_path / "x.xlsx", {(r1, cols["AO-INFO"]): "Ja"})
    problems = _refused(store, round_name, path, require_complete=True)
    assert sum("svar saknas" in p for p in problems) == len(rest) + len(
        _question_rows(store, round_name, "MB-BEDOMNING"))
    # Without the flag the partial form is fine.
    assert import_review_form(store, path).answered == 1


def test_english_form_and_english_answers(store, round_name, tmp_path):
    from ivoaudit.i18n import use_language

    path = write_round_form(store, round_name, tmp_path / "en.xlsx", lang="en")
    wb = load_workbook(path)
    assert wb.worksheets[0].title == "Review" and "Instructions" in wb.sheetnames
    cols = header_index(path)
    r, cid = _question_rows(store, round_name, "AO-INFO")[0]
    filled = fill(path, tmp_path / "en2.xlsx", {(r, cols["AO-INFO"]): "Not applicable"})
    with use_language("en"):
        import_review_form(store, filled)
    assert store.current_answers(round_name).values.tolist() == [[cid, "AO-INFO", "not_applicable"]]


def test_long_case_facts_wrap_in_tall_enough_rows(store, tmp_path):
    """A unit name longer than its column (here 31 characters in a 16-wide column) wraps
    inside the cell and its row is at least two lines tall; on paper it was cut at the next
    column ("Barn och unga utred")."""
    from ivoaudit.sample.draw import SampleSpec, draw_sample

    from .conftest import QUESTIONS, make_cases, make_results

    cases = make_cases(6)
    cases["unit"] = "Barn och unga utredningsenhet 2"
    cases["caseworker"] = "Familjehemsenheten"  # one long word: the column widens, never breaks it
    results = make_results(cases)
    sample = draw_sample(cases, results, SampleSpec(size=6, seed=3))
    store.create_round("lång", record=sample.record, cases=sample.cases, results=results, questions=QUESTIONS,
                       as_of="2026-04-01", extract_fingerprint="f" * 64, tool_version="0.1.0")
    form = write_round_form(store, "lång", tmp_path / "form.xlsx", lang="sv")
    ws = load_workbook(form).worksheets[0]
    unit = header_index(form)["Enhet"]
    assert ws.column_dimensions[_col(unit)].width < len("Barn och unga utredningsenhet 2")
    worker = header_index(form)["Handläggare"]
    assert ws.column_dimensions[_col(worker)].width >= len("Familjehemsenheten") * 1.15
    for r in range(FIRST_ROW, FIRST_ROW + 6):
        assert ws.cell(row=r, column=unit).alignment.wrap_text
        assert (ws.row_dimensions[r].height or 15) >= 30
