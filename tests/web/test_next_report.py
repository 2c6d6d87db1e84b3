"""The start page's reporting window: the quarter whose report is due next (hand-worked)."""

from datetime import date

import pytest


@pytest.mark.parametrize("day,quarter", [
    ("2026-12-05", "2026-Q4"), ("2026-10-31", "2026-Q3"), ("2026-11-01", "2026-Q4"),
    ("2027-01-31", "2026-Q4"), ("2027-02-01", "2027-Q1"), ("2026-06-30", "2026-Q2"),
    ("2026-08-31", "2026-Q2"), ("2026-09-01", "2026-Q3"), ("2026-04-30", "2026-Q1"),
])
def test_next_report(day, quarter):
    from ivoaudit.tracking.quarters import next_report

    assert str(next_report(date.fromisoformat(day))) == quarter
