"""`ivoaudit review` and `ivoaudit rounds` as a user runs them (store from IVOAUDIT_DB)."""

from __future__ import annotations

import os

import pytest

from ivoaudit.review.answers import write_round_form
from ivoaudit.sample.draw import SampleSpec, draw_sample
from ivoaudit.store import Store

from .conftest import FIRST_ROW, QUESTIONS, fill, header_index, make_cases, make_results


@pytest.fixture
def env_round(tmp_path):
    cases = make_cases()
    results = make_results(cases)
    sample = draw_sample(cases, results, SampleSpec(size=8, seed=11))
    with Store(os.environ["IVOAUDIT_DB"]) as store:
        store.create_round("r1", record=sample.record, cases=sample.cases, results=results,
                           questions=QUESTIONS, as_of="2026-04-01")
        form = write_round_form(store, "r1", tmp_path / "form.xlsx")
        auto = store.auto_results("r1")
        ids = store.sampled_cases("r1")["case_id"].tolist()
    waiting = [(i + FIRST_ROW, c) for i, c in enumerate(ids)
               if ((auto.case_id == c) & (auto.rule_id == "AO-INFO")).any()]
    return form, waiting


def test_rounds_list_and_show_before_and_after_import(run_cli, env_round, tmp_path):
    form, waiting = env_round
    # AO-INFO on all 8 cases, MB-BEDOMNING on the odd-numbered ones
    questions = 8 + sum(int(c[1:]) % 2 for _, c in waiting)
    code, out, err = run_cli("rounds", "list")
    assert code == 0, err
    assert "r1" in out and "8 ärenden" in out and f"0/{questions} frågor" in out
    cols = header_index(form)
    filled = fill(form, tmp_path / "f.xlsx", {(r, cols["AO-INFO"]): "Ja" for r, _ in waiting})
    code, out, err = run_cli("review", "import", filled)
    assert code == 0, err
    assert f"8 av {questions}" in out
    code, out, err = run_cli("rounds", "show", "r1")
    assert code == 0, err
    assert f"8 av {questions} frågor besvarade" in out
    line = next(x for x in out.splitlines() if x.startswith("AO-INFO"))
    # 8 of 8 met: Wilson 95 % interval for 8/8 is 67.6 %–100 %
    assert "100 % (8/8)" in line and "68 %–100 %" in line
    assert "Frö (seed): 11" in out


def test_import_refusal_exit_code_and_numbered_list(run_cli, env_round, tmp_path):
    form, waiting = env_round
    cols = header_index(form)
    bad = fill(form, tmp_path / "bad.xlsx", {(waiting[0][0], cols["AO-INFO"]): "Kanske",
                                             (waiting[1][0], cols["AO-INFO"]): "jo"})
    code, out, err = run_cli("review", "import", bad)
    assert code == 3
    assert "Ingenting har sparats" in err
    assert "  1. " in err and "  2. " in err and "Kanske" in err
    code, out, _ = run_cli("rounds", "list")
    assert " 0/" in out


def test_review_form_command_and_unknown_round(run_cli, env_round, tmp_path):
    code, out, err = run_cli("review", "form", "r1", "--out", tmp_path / "again.xlsx")
    assert code == 0, err and (tmp_path / "again.xlsx").exists()
    code, _, err = run_cli("rounds", "show", "nope")
    assert code == 3 and "r1" in err


def test_rounds_list_empty(run_cli, tmp_path):
    code, out, _ = run_cli("rounds", "list", "--db", tmp_path / "empty.db")
    assert code == 0 and "Inga granskningsomgångar" in out


@pytest.mark.parametrize(("args", "sv", "en"), [
    (("sample",), "Dra ett stickprov", "Draw a sample"),
    (("review", "import"), "Läs in ett ifyllt", "Import a filled-in"),
    (("rounds", "show"), "Visa en omgång", "Show a round"),
])
def test_help_in_both_languages(run_cli, args, sv, en):
    import importlib

    from ivoaudit.i18n import use_language

    # Help texts are chosen when the command module is imported (once per process, after
    # --lang is read); re-import to see each language within one test process.
    modules = [importlib.import_module(f"ivoaudit.cli.cmd_{m}") for m in ("sample", "review", "rounds")]
    for lang, text, other in (("sv", sv, en), ("en", en, sv)):
        with use_language(lang):
            for module in modules:
                importlib.reload(module)
        code, out, _ = run_cli("--lang", lang, *args, "--help")
        assert code == 0 and text in out and other not in out
    for module in modules:
        importlib.reload(module)
