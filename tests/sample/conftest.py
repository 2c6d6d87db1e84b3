"""Synthetic case and result frames shaped like LoadedExtract.cases and the checker's results."""

from __future__ import annotations

import pandas as pd
import pytest


def make_cases(n: int = 60) -> pd.DataFrame:
    rows = []
    for i in range(n):
        not_open = i % 3 == 0
        rows.append({
            "case_id": f"C{i:04d}",
            "person_id": f"P{i:016x}",
            "area": "barn_unga" if i % 4 else "missbruk",
            "unit": f"Enhet {i % 3 + 1}" if i % 7 else None,
            "caseworker": f"Handläggare {i % 5}",
            "received_date": pd.Timestamp("2026-01-01") + pd.Timedelta(days=i),
            "preliminary_decision_date": pd.Timestamp("2026-01-10") + pd.Timedelta(days=i)
            if i % 10 != 9 else pd.NaT,
            "preliminary_outcome": "not_open" if not_open else "open",
            "investigation_end": pd.Timestamp("2026-04-01") + pd.Timedelta(days=i)
            if (not not_open and i % 2 == 0) else pd.NaT,
        })
    return pd.DataFrame(rows)


def make_results(cases: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, cid in enumerate(cases["case_id"]):
        rows.append((cid, "BU-FORHAND-14D", "fail" if i % 6 == 0 else "pass", 0 if i % 6 else 5))
        rows.append((cid, "BU-UTR-4M", "overdue" if i % 8 == 1 else "pending", 3 if i % 8 == 1 else None))
    frame = pd.DataFrame(rows, columns=["case_id", "rule_id", "status", "days_over"])
    for c in ("start_date", "end_date", "deadline", "days", "note"):
        frame[c] = None
    return frame


@pytest.fixture
def cases() -> pd.DataFrame:
    return make_cases()


@pytest.fixture
def results(cases) -> pd.DataFrame:
    return make_results(cases)
