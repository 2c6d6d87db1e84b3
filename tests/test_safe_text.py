"""Nothing executed: formula-like text from an extract is neutralised in every CSV the tool
writes, and escape sequences never reach the terminal."""

from __future__ import annotations

import csv
import re

import pyarrow as pa
import pytest

from ivoaudit.safe_text import (
    PREFIX,
    is_formula_like,
    neutralise,
    neutralise_array,
    terminal_text,
)

FORMULAS = ['=HYPERLINK("http://x.example","klicka")', "=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
            "@SUM(1+1)", "-2+3", "\t=1+1", "\r=1+1"]
# ESC/OSC/CSI and other controls a cell may carry into a terminal
ESCAPES = ["\x1b[2J\x1b[31mRÖD", "\x1b]0;titel\x07", "\x1b]8;;http://x.example\x1b\\länk\x1b]8;;\x1b\\",
           "\x9b31m", "a\x08\x08b", "\x07klocka"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_the_prefix(text):
    assert is_formula_like(text)
    assert neutralise(text) == PREFIX + text


@pytest.mark.parametrize("text", ["-12", "+46", "-3,5", "2026-01-05", "Enhet 1", "", "e=mc2", "'=x"])
def test_numbers_dates_and_plain_text_are_untouched(text):
    assert neutralise(text) == text


def test_arrow_columns_strings_dictionaries_and_others():
    strings = pa.array(["=1+1", "ok", None, "-5", "-x"])
    assert neutralise_array(strings).to_pylist() == ["'=1+1", "ok", None, "-5", "'-x"]
    coded = pa.array(["@a", "b", "@a"]).dictionary_encode()
    assert neutralise_array(coded).to_pylist() == ["'@a", "b", "'@a"]
    numbers = pa.array([-1, 2])
    assert neutralise_array(numbers) is numbers


@pytest.mark.parametrize("text", ESCAPES)
def test_terminal_text_has_no_control_sequences(text):
    cleaned = terminal_text(text)
    assert not CONTROL.search(cleaned), repr(cleaned)
    assert "\x1b" not in cleaned


def test_terminal_text_keeps_tabs_newlines_and_swedish():
    assert terminal_text("Åsa\tÖrjan\nÄrende") == "Åsa\tÖrjan\nÄrende"


def _extract(tmp_path):
    header = "Ärendenr;Verksamhet;Enhet;Handläggare;Anmälan inkom;Beslut förhandsbedömning"
    rows = []
    hostile = FORMULAS[:5] + ESCAPES
    for i, text in enumerate(hostile):
        case_id = text if i % 2 == 0 else f"K-{i}"
        rows.append(f"{case_id};Barn och unga;{text};{ESCAPES[i % len(ESCAPES)]};2026-01-0{1 + i % 9};"
                    f"{'2026-02-30' if i % 3 == 0 else ''}")
    path = tmp_path / "fientlig.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _cells(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def test_check_writes_no_active_formula_and_prints_no_escape(run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("check", _extract(tmp_path), "--as-of", "2026-10-31", "--out", out)
    assert code == 0, stderr
    written = sorted(p.name for p in out.glob("*.csv"))
    assert written == ["cases.csv", "problems.csv", "quarantine.csv", "results.csv", "summary.csv"]
    active, neutralised = [], 0
    for name in written:
        for cell in _cells(out / name):
            if is_formula_like(cell):
                active.append((name, cell))
            neutralised += cell.startswith(PREFIX) and is_formula_like(cell[1:])
    assert active == []
    assert neutralised >= 5  # case ids and unit names came through, prefixed
    assert not CONTROL.search(stdout + stderr.replace("\r", ""))


def test_inspect_prints_no_escape(run_cli, tmp_path):
    code, stdout, stderr = run_cli("inspect", _extract(tmp_path), "--examples", "50")
    assert code == 0, stderr
    assert not CONTROL.search(stdout + stderr)
    assert "2026-02-30" in stdout  # the values are still shown, only the controls are gone
