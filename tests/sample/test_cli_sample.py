"""`ivoaudit sample` end to end on the library side; the extract loader and the checker are
replaced by fixed frames here (their own tests cover them; see test_sample_real_extract)."""

from __future__ import annotations

import os

import pytest

from ivoaudit.review.answers import Population
from ivoaudit.store import ManualQuestion, Store

from .conftest import make_cases, make_results


@pytest.fixture
def extract(tmp_path, monkeypatch):
    path = tmp_path / "uttag.csv"
    path.write_text("placeholder\n", encoding="utf-8")
    cases = make_cases()
    results = make_results(cases)
    calls = []

    def fake_load(p, mapping, as_of, *, events=None, events_mapping=None, sheet=None, checklists=None,
                  read_options=None):
        calls.append((p, mapping, as_of, sheet, tuple(checklists or ()), dict(read_options or {})))
        return Population(cases.sample(frac=1, random_state=len(calls)), results,
                          [ManualQuestion("X", "Fråga?", "Question?")], "ab" * 32,
                          {"BU-FORHAND-14D": ("Beslut inom 14 dagar", "Decision within 14 days")})

    monkeypatch.setattr("ivoaudit.review.answers.load_population", fake_load)
    return path


def _selection(name):
    with Store(os.environ["IVOAUDIT_DB"]) as store:
        return store.sampled_cases(name)["case_id"].tolist(), store.get_round(name)


def test_sample_is_stored_printed_and_repeatable(run_cli, extract, tmp_path):
    code, out, err = run_cli("sample", extract, "--size", "10", "--seed", "7", "--round", "a",
                             "--as-of", "2026-05-01", "--out", tmp_path / "a.xlsx")
    assert code == 0, err
    assert "Frö (seed): 7" in out and "Population: 60 ärenden" in out and "Omgång: a" in out
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "a.xlsx").worksheets[0]
    header = {c.value: c for c in ws[2]}  # row 1 says what Ja and Nej mean
    assert header["BU-FORHAND-14D"].comment.text == "Beslut inom 14 dagar"
    code, _, err = run_cli("sample", extract, "--size", "10", "--seed", "7", "--round", "b",
                           "--as-of", "2026-05-01", "--out", tmp_path / "b.xlsx")
    assert code == 0, err
    first, info = _selection("a")
    second, _ = _selection("b")
    assert first == second and len(first) == 10
    assert info.as_of == "2026-05-01" and info.extract_fingerprint == "ab" * 32
    assert info.records[0]["seed"] == 7


def test_size_auto_shows_the_calculation(run_cli, extract, tmp_path):
    code, out, err = run_cli("sample", extract, "--size", "auto", "--tolerable", "0.10", "--seed", "1",
                             "--out", tmp_path / "f.xlsx")
    assert code == 0, err
    assert "n = 29" in out and "Dragna: 29" in out


def test_ivo_strategy(run_cli, extract, tmp_path):
    code, out, err = run_cli("sample", extract, "--strategy", "ivo", "--not-opened", "10",
                             "--completed", "7", "--seed", "2", "--round", "ivo",
                             "--out", tmp_path / "f.xlsx")
    assert code == 0, err
    assert "skikt förhandsbedömningar utan utredning: 10" in out and "skikt avslutade utredningar: 7" in out
    assert len(_selection("ivo")[0]) == 17


def test_extend_keeps_earlier_cases_and_exclude_reviewed(run_cli, extract, tmp_path):
    assert run_cli("sample", extract, "--size", "5", "--seed", "3", "--round", "r",
                   "--out", tmp_path / "r.xlsx")[0] == 0
    before, _ = _selection("r")
    code, out, err = run_cli("sample", extract, "--extend", "r", "--size", "4", "--seed", "3",
                             "--out", tmp_path / "r2.xlsx")
    assert code == 0, err and "utökad med 4" in out
    after, info = _selection("r")
    assert after[:5] == before and len(set(after)) == 9
    assert len(info.records) == 2 and info.records[1]["extends"] == "r"
    code, _, err = run_cli("sample", extract, "--size", "100", "--exclude-reviewed", "--seed", "1",
                           "--round", "rest", "--out", tmp_path / "rest.xlsx")
    assert code == 0, err
    rest, _ = _selection("rest")
    assert len(rest) == 51 and not set(rest) & set(after)


@pytest.mark.parametrize("args", [
    ("--size", "x"),
    ("--strategy", "ivo", "--not-opened", "3"),
    ("--strategy", "random"),
    ("--size", "auto", "--tolerable", "0.02", "--expected", "0.05"),
    ("--size", "5", "--from", "2030-01-01"),
])
def test_usage_errors(run_cli, extract, tmp_path, args):
    code, _, err = run_cli("sample", extract, *args, "--out", tmp_path / "f.xlsx")
    assert code == 2, err
    assert not (tmp_path / "f.xlsx").exists()


def test_an_empty_ivo_draw_says_which_groups_are_empty(run_cli, extract, tmp_path):
    """The fixture's one case received on 2026-01-02 (C0001) was investigated and the
    investigation is still open: neither IVO group. The refusal names both groups' sizes
    instead of "no cases to draw: the population has 1 cases" (which read as a contradiction)."""
    code, _, err = run_cli("sample", extract, "--strategy", "ivo", "--not-opened", "2", "--completed", "2",
                           "--from", "2026-01-02", "--to", "2026-01-02", "--seed", "1",
                           "--out", tmp_path / "f.xlsx")
    assert code == 2
    assert "0 förhandsbedömningar som inte ledde till utredning och 0 avslutade utredningar" in err
    assert "--strategy ivo" in err and not (tmp_path / "f.xlsx").exists()


def test_filters_are_printed_in_words(run_cli, extract, tmp_path):
    """The sampling record's filters in the reader's words (terminal and form), never as keys."""
    assert run_cli("sample", extract, "--size", "3", "--seed", "3", "--round", "m", "--area", "missbruk",
                   "--out", tmp_path / "m.xlsx")[0] == 0
    code, out, err = run_cli("sample", extract, "--extend", "m", "--size", "2", "--seed", "4",
                             "--out", tmp_path / "m2.xlsx")
    assert code == 0, err
    assert "Urvalsvillkor: område missbruk, 3 ärenden redan dragna och uteslutna" in out
    assert "area=" not in out and "excluded_cases" not in out


def test_an_ivo_round_is_extended_within_its_two_groups(run_cli, extract, tmp_path):
    """An IVO round's population is its two groups: a plain --size extension is refused with
    what to give instead; --strategy ivo adds cases of those groups only (the fixture's
    not-opened cases are those with i % 3 == 0, completed ones even i otherwise)."""
    assert run_cli("sample", extract, "--strategy", "ivo", "--not-opened", "3", "--completed", "2", "--seed", "2",
                   "--round", "ivo", "--out", tmp_path / "a.xlsx")[0] == 0
    code, _, err = run_cli("sample", extract, "--extend", "ivo", "--size", "2", "--seed", "3",
                           "--out", tmp_path / "b.xlsx")
    assert code == 2 and "--strategy ivo --not-opened N --completed M" in err
    code, _, err = run_cli("sample", extract, "--extend", "ivo", "--strategy", "ivo", "--not-opened", "1",
                           "--completed", "1", "--seed", "3", "--out", tmp_path / "c.xlsx")
    assert code == 0, err
    ids, _ = _selection("ivo")
    assert len(ids) == 7
    numbers = [int(c[1:]) for c in ids]
    assert all(i % 3 == 0 or i % 2 == 0 for i in numbers)
