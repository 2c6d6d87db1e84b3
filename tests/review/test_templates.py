"""Review templates, the IVO-style round's questions, date checks, comments, big rounds,
added sheets, extensions within the round's filters, one-transaction sampling and deletion."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ivoaudit.checklist import load_checklists
from ivoaudit.errors import ReviewFormError, StoreError, UsageError
from ivoaudit.review.answers import import_review_form, mask_identity_numbers, write_round_form
from ivoaudit.review.overview import combined_results, round_overview
from ivoaudit.review.questions import load_templates
from ivoaudit.review.rounds import Population, sample_round
from ivoaudit.sample.draw import SampleSpec
from ivoaudit.store import Store
from ivoaudit.store.review_checks import delete_round, deletions

from .conftest import FIRST_ROW, fill, header_index, make_cases, make_results

DATA = Path(__file__).resolve().parents[2] / "sample_data"


def test_every_shipped_question_is_complete_and_feeds_one_rule():
    questions = load_templates()
    rules = {r.id: r for r in load_checklists().rules}
    assert len(questions) >= 12
    assert len({q.rule for q in questions}) == len(questions)
    for q in questions:
        m = q.model
        assert m.text.sv.strip().endswith("?") and m.text.en.strip().endswith("?")
        assert m.guidance.sv and m.guidance.en and m.references
        # a review-only rule carries its own title and basis; a checklist rule has them there
        assert (m.rule in rules) or (m.title is not None and m.basis is not None), m.rule
    # every shipped manual question and flag has a template question, so none is asked with
    # the generic "Granska i akten: <title>" wording whose Ja meant "yes, it happened"
    for rule in rules.values():
        if rule.kind in ("manual", "flag"):
            assert rule.id in {q.rule for q in questions}, rule.id


def test_the_flag_question_is_phrased_so_that_ja_means_met():
    flag = next(q for q in load_templates() if q.rule == "BU-ATERUPPTAGEN")
    assert flag.model.only_status == ("needs_review",)  # asked only where the checker flagged
    assert "sakliga skäl" in flag.model.text.sv  # Ja = a justified new investigation = pass
    assert "Nej om utredningen avslutades och öppnades igen" in flag.model.guidance.sv


@pytest.fixture(scope="module")
def bundled():
    from ivoaudit.review.rounds import load_population

    return load_population(DATA / "lifecare" / "arenden.csv", DATA / "mappings" / "lifecare.yaml",
                           pd.Timestamp("2026-10-31").date())


def _ivo(store, population, tmp_path, name="ivo"):
    spec = SampleSpec(strategy="ivo", not_opened=10, completed=7, area="barn_unga", seed=3)
    return sample_round(store, population, spec, out=tmp_path / f"{name}.xlsx",
                        as_of=pd.Timestamp("2026-10-31").date(), name=name, lang="sv")


def test_an_ivo_round_asks_the_not_opened_assessments_real_questions(bundled, tmp_path):
    with Store(tmp_path / "s.db") as store:
        started = _ivo(store, bundled, tmp_path)
        cases = store.sampled_cases("ivo")
        auto = store.auto_results("ivo")
        not_opened = set(cases.loc[cases["stratum"] == "not_opened", "case_id"])
        completed = set(cases.loc[cases["stratum"] == "completed", "case_id"])
        asked = auto[auto["status"] == "needs_review"]
        for rule in ("BU-FORHAND-SKAL", "BU-FORHAND-RAM"):
            assert set(asked.loc[asked.rule_id == rule, "case_id"]) == not_opened
        for rule in ("BU-BARN-ASIKT", "BU-BARN-INFO", "BU-UTR-KONTINUITET", "BU-UTR-UNDERLAG"):
            assert set(asked.loc[asked.rule_id == rule, "case_id"]) == completed
        # the extract's own status is kept in the note, so nothing is lost
        asikt = auto[(auto.rule_id == "BU-BARN-ASIKT") & auto.case_id.isin(completed)]
        assert asikt["note"].str.contains("uttaget:").any()
        questions = {q.rule_id: q for q in store.questions("ivo")}
        assert questions["BU-FORHAND-SKAL"].question_sv.startswith("Framgår det av beslutet varför")
        ws = load_workbook(started.form).worksheets[0]
        assert ws.cell(row=1, column=1).value.startswith("Ja = kravet är uppfyllt enligt akten")
        assert started.record["checklists"]  # trends compare like with like


def test_date_check_nej_becomes_a_flagged_data_quality_finding(bundled, tmp_path):
    from ivoaudit.report import ReportOptions, build_report
    from ivoaudit.report.round_source import StoreRoundSource

    with Store(tmp_path / "s.db") as store:
        started = _ivo(store, bundled, tmp_path)
        cols = header_index(started.form)
        ids = store.sampled_cases("ivo")["case_id"].tolist()
        auto = store.auto_results("ivo").set_index(["case_id", "rule_id"])["status"]
        cid = next(c for c in ids if auto.get((c, "BU-FORHAND-14D")) in ("pass", "fail"))
        row = FIRST_ROW + ids.index(cid)
        path = fill(started.form, tmp_path / "f.xlsx", {
            (row, cols["BU-FORHAND-14D:check"]): "Nej", (row, cols["BU-FORHAND-14D:date"]): "2026-03-04",
            (row, cols["BU-SKYDD:check"]): "Ja", (row, cols["Kommentar"]): "Ring 19121212-1212 om akten"})
        result = import_review_form(store, path)
        assert (result.checks, result.wrong, result.masked) == (2, 1, 1)
        merged = combined_results(store, "ivo").set_index(["case_id", "rule_id"])
        assert merged.loc[(cid, "BU-FORHAND-14D"), "status"] == "missing_data"
        assert "2026-03-04" in merged.loc[(cid, "BU-FORHAND-14D"), "note"]
        assert merged.loc[(cid, "BU-SKYDD"), "status"] == auto[(cid, "BU-SKYDD")]
        assert store.current_comments("ivo") == {cid: "Ring 19121212-**** om akten"}
        # rounds show and the round report read the same merge
        summary = round_overview(store, "ivo").summary.set_index("rule_id")
        internal = build_report(StoreRoundSource("ivo", db=tmp_path / "s.db"), ReportOptions())
        rule = next(r for r in internal.rules if r.id == "BU-FORHAND-14D")
        assert rule.counts["missing_data"] == summary.loc["BU-FORHAND-14D", "missing_data"] >= 1
        assert internal.data_quality.review_flags == 1
        flagged = internal.data_quality.rows
        assert cid in set(flagged["case_id"]) and "2026-03-04" in set(flagged["value"])
        # the comment stands beside its case in the internal report, never in the public one
        assert internal.comments.set_index("case_id").loc[cid, "comment"] == "Ring 19121212-**** om akten"
        public = build_report(StoreRoundSource("ivo", db=tmp_path / "s.db"), ReportOptions(audience="public"))
        assert public.comments is None and public.data_quality.rows is None


def test_a_date_without_nej_or_a_non_date_is_refused(bundled, tmp_path):
    with Store(tmp_path / "s.db") as store:
        started = _ivo(store, bundled, tmp_path)
        cols = header_index(started.form)
        edits = {(FIRST_ROW, cols["BU-SKYDD:check"]): "Ja", (FIRST_ROW, cols["BU-SKYDD:date"]): "2026-01-01",
                 (FIRST_ROW + 1, cols["BU-SKYDD:check"]): "Nej",
                 (FIRST_ROW + 1, cols["BU-SKYDD:date"]): "igår"}
        with pytest.raises(ReviewFormError) as info:
            import_review_form(store, fill(started.form, tmp_path / "f.xlsx", edits))
        problems = info.value.problems
        assert any("inte Nej" in p for p in problems) and any("igår" in p for p in problems)


def test_masking_finds_every_form_of_identity_number():
    text, n = mask_identity_numbers("A 191212121212, B 121212-1212, C 20121212+1212, år 2026, dnr 2026/45")
    assert n == 3 and "1212121212" not in text and "121212-****" in text and "år 2026, dnr 2026/45" in text
    # ten digits that only look like a number are masked too: safer than a leak
    assert mask_identity_numbers("tel 0701234567") == ("tel 070123-****", 1)


def _small_round(store, n, ids=None):
    cases = make_cases(n)
    if ids is not None:
        cases["case_id"] = ids
    results = make_results(cases)
    from ivoaudit.sample.draw import draw_sample

    sample = draw_sample(cases, results, SampleSpec(size=n, seed=1))
    store.create_round("stor", record=sample.record, cases=sample.cases, results=results)
    return sample


def test_a_round_over_the_excel_cell_limit_round_trips(store, tmp_path):
    # 600 long composite ids (59 characters, as some systems write them): the list as one
    # text is over the 32 767 characters an Excel cell holds, as 1 800 ids of 24 characters are
    ids = [f"IFO-BARN-UNGA/ÄRENDE-2026-{i:010d}/AKTUALISERING-{i:06d}-X" for i in range(600)]
    _small_round(store, 600, ids)
    form = write_round_form(store, "stor", tmp_path / "stor.xlsx")
    assert len(json.dumps(ids, ensure_ascii=False)) > 32767
    cols = header_index(form)
    result = import_review_form(store, fill(form, tmp_path / "f.xlsx", {(FIRST_ROW, cols["AO-INFO"]): "Ja"}))
    assert result.answered == 1
    # … and the hidden case list is checked
    from ivoaudit.review.form import CASES_SHEET

    tampered = fill(form, tmp_path / "t.xlsx", {(5, 1): ids[6]}, sheet=CASES_SHEET)
    with pytest.raises(ReviewFormError) as info:
        import_review_form(store, tampered)
    assert any("ärendelista" in p for p in info.value.problems)


def test_a_sheet_added_in_front_is_no_problem(store, round_name, tmp_path):
    form = write_round_form(store, round_name, tmp_path / "form.xlsx")
    cols = header_index(form)
    path = fill(form, tmp_path / "f.xlsx", {(FIRST_ROW, cols["Kommentar"]): "ok"})
    wb = load_workbook(path)
    notes = wb.create_sheet("Mina anteckningar", 0)
    notes["A1"] = "egen lista"
    wb.save(path)
    assert import_review_form(store, path).round_name == round_name


def test_an_extension_stays_within_the_rounds_filter(bundled, tmp_path):
    with Store(tmp_path / "s.db") as store:
        spec = SampleSpec(size=5, area="missbruk", seed=1)
        sample_round(store, bundled, spec, out=tmp_path / "a.xlsx", as_of=pd.Timestamp("2026-10-31").date(),
                     name="mb")
        sample_round(store, bundled, SampleSpec(size=20, seed=2), out=tmp_path / "b.xlsx",
                     as_of=pd.Timestamp("2026-10-31").date(), extend="mb")
        cases = store.sampled_cases("mb")
        assert len(cases) == 25 and set(cases["area"]) == {"missbruk"}
        with pytest.raises(UsageError, match="samma population"):
            sample_round(store, bundled, SampleSpec(size=2, area="aldre", seed=3), out=tmp_path / "c.xlsx",
                         as_of=pd.Timestamp("2026-10-31").date(), extend="mb")


def test_sampling_is_one_transaction_with_its_form(bundled, tmp_path):
    day = pd.Timestamp("2026-10-31").date()
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(UsageError, match=".xlsx"):
            sample_round(store, bundled, SampleSpec(size=5, seed=1), out=tmp_path / "x.csv", as_of=day, name="a")
        # the form's folder is a file: the round is stored, then the form cannot be written
        (tmp_path / "afile").write_text("x")
        with pytest.raises(OSError):
            sample_round(store, bundled, SampleSpec(size=5, seed=1), out=tmp_path / "afile" / "f.xlsx",
                         as_of=day, name="a")
        assert store.list_rounds() == []  # nothing left behind
        started = sample_round(store, bundled, SampleSpec(size=5, seed=1), out=tmp_path / "ok.xlsx",
                               as_of=day, name="a")
        assert started.name == "a"  # the name was never taken


def test_a_commit_that_fails_leaves_no_form_of_a_round_not_stored(bundled, tmp_path):
    """The store's disk fills at the COMMIT, after the form took its name (found by
    benchmarks/output_trials.py on a full tmpfs): the form is removed too."""
    import sqlite3

    class FullAtCommit:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, *args):
            if sql == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            return self.con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.con, name)

    day = pd.Timestamp("2026-10-31").date()
    with Store(tmp_path / "s.db") as store:
        real = store.con
        store.con = FullAtCommit(real)
        with pytest.raises(sqlite3.OperationalError):
            sample_round(store, bundled, SampleSpec(size=5, seed=1), out=tmp_path / "f.xlsx", as_of=day, name="a")
        store.con = real
        assert store.list_rounds() == [] and not (tmp_path / "f.xlsx").exists()


def test_rounds_delete_refuses_answers_unless_forced_and_records_it(store, round_name, tmp_path):
    form = write_round_form(store, round_name, tmp_path / "form.xlsx")
    cols = header_index(form)
    rows = [FIRST_ROW + i for i in range(8)]
    import_review_form(store, fill(form, tmp_path / "f.xlsx", {(r, cols["AO-INFO"]): "Ja" for r in rows}))
    with pytest.raises(StoreError, match="--force"):
        delete_round(store, round_name)
    assert store.has_round(round_name)
    done = delete_round(store, round_name, force=True)
    assert (done.cases, done.answers, done.forced) == (8, 8, True)
    assert not store.has_round(round_name)
    log = deletions(store)
    assert log["name"].tolist() == [round_name] and log["forced"].tolist() == [1]
    assert store.sampled_case_ids() == set()


def test_population_record_names_checklists(bundled):
    assert isinstance(bundled, Population) and bundled.checklists and "barn_unga" in bundled.checklists
