"""A stored round with automatic results and manual questions, and a helper to fill forms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ivoaudit.review.form import HEADER_ROW
from ivoaudit.sample.draw import SampleSpec, draw_sample
from ivoaudit.store import ManualQuestion, Store

FIRST_ROW = HEADER_ROW + 1  # the first case's row in the review sheet

QUESTIONS = [
    ManualQuestion("MB-BEDOMNING", "Tar bedömningen upp själva missbruket?",
                   "Does the assessment address the substance use itself?",
                   "Läs bedömningen i utredningen.", "Read the assessment."),
    ManualQuestion("AO-INFO", "Fick personen veta vad hen kan ansöka om?",
                   "Was the person told what they can apply for?", "Se journalen.", "See the journal."),
]
FORMULA_TEXTS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


def make_cases(n: int = 12) -> pd.DataFrame:
    return pd.DataFrame({
        "case_id": [f"K{i:03d}" for i in range(n)],
        "person_id": [f"P{i:016x}" for i in range(n)],
        "unit": [FORMULA_TEXTS[i % 4] if i < 4 else f"Enhet {i % 2}" for i in range(n)],
        "caseworker": [f"Handläggare {i % 3}" for i in range(n)],
        "area": ["missbruk"] * n,
        "received_date": pd.date_range("2026-01-05", periods=n, freq="D"),
        "decision_date": [pd.Timestamp("2026-03-01") if i % 2 else pd.NaT for i in range(n)],
    })


def make_results(cases: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, cid in enumerate(cases["case_id"]):
        rows.append((cid, "ALL-DROJSMAL-6M", "fail" if i % 4 == 0 else "pass", 9 if i % 4 == 0 else 0))
        rows.append((cid, "MB-BEDOMNING", "needs_review" if i % 2 else "not_applicable", None))
        rows.append((cid, "AO-INFO", "needs_review", None))
    frame = pd.DataFrame(rows, columns=["case_id", "rule_id", "status", "days_over"])
    for c in ("start_date", "end_date", "deadline", "days", "note"):
        frame[c] = None
    return frame


@pytest.fixture
def store(tmp_path) -> Store:
    with Store(tmp_path / "audit.db") as s:
        yield s


@pytest.fixture
def round_name(store) -> str:
    cases = make_cases()
    results = make_results(cases)
    sample = draw_sample(cases, results, SampleSpec(size=8, seed=11))
    store.create_round("vår-2026", record=sample.record, cases=sample.cases, results=results,
                       questions=QUESTIONS, as_of="2026-04-01", extract_fingerprint="f" * 64,
                       tool_version="0.1.0")
    return "vår-2026"


def fill(form: Path, out: Path, edits: dict[tuple[int, int], object], sheet: str | None = None) -> Path:
    """Copy ``form`` to ``out`` and set cells (row, col) with openpyxl: the reviewer's side."""
    from openpyxl import load_workbook

    shutil.copy(form, out)
    wb = load_workbook(out)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for (r, c), value in edits.items():
        ws.cell(row=r, column=c).value = value
    wb.save(out)
    return out


def header_index(form: Path) -> dict[str, int]:
    """Column number per header prefix (rule id or header text)."""
    from openpyxl import load_workbook

    wb = load_workbook(form, read_only=True)
    header = next(wb.worksheets[0].iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True))
    wb.close()
    out: dict[str, int] = {}
    for j, text in enumerate(header, start=1):
        text = str(text)
        key = text.split(":")[0]
        if text.endswith(("Stämmer med akten?", "Matches the case file?")):
            key += ":check"
        elif text.endswith(("Rätt datum enligt akten", "Correct date in the file")):
            key += ":date"
        out.setdefault(key, j)
    return out
