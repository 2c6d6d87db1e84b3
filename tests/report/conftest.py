"""A hand-built check output folder with known figures (no dependency on the checker).

``SPEC`` lists groups of identical results: (rule, unit, caseworker, sex, age group,
status, how many). Every figure the tests expect is written out by hand below it, so the
ground truth does not come from the code under test.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

# Identifiers that must never reach a public output.
CASEWORKERS = ("Ingrid Qvarnström", "Olle Zetterlund")
NOTE_SECRET = "Mamman berättade om våld hemma XYZZY"
PSEUDONYM_PREFIX = "Pfeedc0ffee"
FORMULA_NOTE = "=HYPERLINK(\"http://evil.example\",\"klicka\")"

SPEC = [
    # BU-FORHAND-14D (14 days): 33 pass, 5 fail, 2 overdue, 3 pending, 1 missing_data
    ("BU-FORHAND-14D", "Enhet Nord", CASEWORKERS[0], "F", "0–12", "pass", 20),
    ("BU-FORHAND-14D", "Enhet Nord", CASEWORKERS[1], "M", "13–17", "pass", 7),
    ("BU-FORHAND-14D", "Enhet Nord", CASEWORKERS[1], "M", "13–17", "fail", 3),
    ("BU-FORHAND-14D", "Enhet Syd", CASEWORKERS[0], "F", "0–12", "pass", 6),
    ("BU-FORHAND-14D", "Enhet Syd", CASEWORKERS[0], "F", "13–17", "fail", 2),
    ("BU-FORHAND-14D", "Enhet Syd", CASEWORKERS[1], "M", "0–12", "overdue", 2),
    ("BU-FORHAND-14D", "Enhet Syd", CASEWORKERS[1], "M", "0–12", "pending", 3),
    ("BU-FORHAND-14D", "Enhet Nord", CASEWORKERS[1], "F", "0–12", "missing_data", 1),
    # BU-UTR-4M (4 months): 18 pass, 12 fail → 60 %
    ("BU-UTR-4M", "Enhet Nord", CASEWORKERS[0], "F", "0–12", "pass", 10),
    ("BU-UTR-4M", "Enhet Nord", CASEWORKERS[1], "M", "13–17", "fail", 6),
    ("BU-UTR-4M", "Enhet Syd", CASEWORKERS[0], "F", "13–17", "pass", 8),
    ("BU-UTR-4M", "Enhet Syd", CASEWORKERS[1], "M", "0–12", "fail", 6),
    # BU-BARN-ASIKT (documented): 29 pass, 1 fail → 96.7 %
    ("BU-BARN-ASIKT", "Enhet Nord", CASEWORKERS[0], "F", "0–12", "pass", 19),
    ("BU-BARN-ASIKT", "Enhet Syd", CASEWORKERS[1], "M", "13–17", "pass", 10),
    ("BU-BARN-ASIKT", "Enhet Syd", CASEWORKERS[1], "M", "13–17", "fail", 1),
]
EXPECTED = {  # rule: (applicable, pass, fail, overdue, pending, missing, needs_review, compliance)
    "BU-FORHAND-14D": (44, 33, 5, 2, 3, 1, 0, 33 / 40),
    "BU-UTR-4M": (30, 18, 12, 0, 0, 0, 0, 18 / 30),
    "BU-BARN-ASIKT": (30, 29, 1, 0, 0, 0, 0, 29 / 30),
}
DEADLINE_DAYS = {"BU-FORHAND-14D": 14, "BU-UTR-4M": None, "BU-BARN-ASIKT": None}


def _add_months(d: date, months: int) -> date:
    # Calendar-month rule (lag 1930:173): same day number, else the month's last day.
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def write_results_dir(folder: Path, spec=SPEC, as_of: date = date(2026, 3, 31)) -> dict:
    """Write results.csv, summary.csv, cases.csv, problems.csv, quarantine.csv, meta.json.

    Returns the identifiers written (case ids, pseudonyms) for leak scans.
    """
    folder.mkdir(parents=True, exist_ok=True)
    results, cases = [], {}
    n = 0
    for rule, unit, worker, sex, age, status, count in spec:
        for _ in range(count):
            n += 1
            case_id = f"ÄR-{n:05d}-QZ"
            start = date(2025, 10, 1) + timedelta(days=n % 40)
            if rule == "BU-UTR-4M":
                deadline = _add_months(start, 4)
            elif rule == "BU-FORHAND-14D":
                deadline = start + timedelta(days=14)
            else:
                deadline = None
            if status == "pass":
                days = 3 + n % 10 if deadline else None
            elif status == "fail":
                days = ((deadline - start).days + 5 + n % 7) if deadline else None
            elif status in ("overdue", "pending"):
                days = (as_of - start).days if status == "overdue" else 2
            else:
                days = None
            end = start + timedelta(days=days) if (days is not None and status in ("pass", "fail")) else None
            over = (days - (deadline - start).days) if (deadline and days is not None
                                                         and status in ("fail", "overdue")) else None
            note = NOTE_SECRET if n == 29 else (FORMULA_NOTE if n == 28 else "")
            results.append({
                "case_id": case_id, "rule_id": rule, "status": status,
                "start_date": start.isoformat(), "end_date": end.isoformat() if end else "",
                "deadline": deadline.isoformat() if deadline else "",
                "days": "" if days is None else str(days), "days_over": "" if over is None else str(over),
                "note": note, "person_id": f"{PSEUDONYM_PREFIX}{n:05d}",
            })
            cases[case_id] = {"case_id": case_id, "area": "barn_unga", "unit": unit,
                              "caseworker": worker, "sex": sex, "age_group": age,
                              "received_date": start.isoformat()}
        # one not_applicable row per group, which reports must ignore
    results.append({"case_id": "ÄR-00001-QZ", "rule_id": "ALL-OVERKLAGANDE", "status": "not_applicable",
                    "start_date": "", "end_date": "", "deadline": "", "days": "", "days_over": "",
                    "note": "", "person_id": f"{PSEUDONYM_PREFIX}00001"})
    _write_csv(folder / "results.csv", results)
    _write_csv(folder / "cases.csv", list(cases.values()))
    summary = []
    for rule, (app, p, f, o, pe, m, r, comp) in EXPECTED.items():
        summary.append({"rule_id": rule, "applicable": app, "pass": p, "fail": f, "overdue": o,
                        "pending": pe, "missing_data": m, "needs_review": r, "compliance": f"{comp:.4f}"})
    _write_csv(folder / "summary.csv", summary)
    _write_csv(folder / "problems.csv", [
        {"row": 3, "column": "Beslut förhandsbedömning", "field": "preliminary_decision_date",
         "value": "=SUM(A1:A9)", "problem": "Ogiltigt datum"},
        {"row": 9, "column": "Personnr", "field": "person_id", "value": "19850101-****",
         "problem": "Felaktig kontrollsiffra"},
    ])
    _write_csv(folder / "quarantine.csv", [
        {"row": 12, "column": "Ärendenr", "value": "", "problem": "Ärendenummer saknas"},
    ])
    (folder / "meta.json").write_text(json.dumps({
        "as_of": as_of.isoformat(), "tool_version": "0.1.0", "checklists": {"barn_unga": "1"},
        "extract_fingerprint": "sha256:" + "ab" * 32, "extract_rows": len(cases) + 1, "language": "sv",
    }), encoding="utf-8")
    return {"case_ids": list(cases), "pseudonyms": [r["person_id"] for r in results],
            "caseworkers": list(CASEWORKERS), "notes": [NOTE_SECRET, FORMULA_NOTE]}


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def results_dir(tmp_path) -> Path:
    folder = tmp_path / "check-out"
    write_results_dir(folder)
    return folder


@pytest.fixture
def identifiers(tmp_path) -> tuple[Path, dict]:
    folder = tmp_path / "check-out-ids"
    return folder, write_results_dir(folder)
