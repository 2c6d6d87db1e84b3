"""Read tests/rules/cases/*.yaml and run them through the engine (grouped into extracts)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.fields import DATE_FIELDS, EVENT_FIELDS, FIELDS
from ivoaudit.load.frames import build_extract
from ivoaudit.schema import LoadedExtract, SourceInfo, empty_problems

CASES = Path(__file__).parent / "cases"


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


@cache
def load_file(name: str) -> dict:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def all_cases() -> list[tuple[str, str]]:
    """(file name, case id) for every case."""
    return [(p.name, c["id"]) for p in case_files() for c in load_file(p.name)["cases"]]


def _iso(v):
    return v.isoformat() if isinstance(v, date) else v


def _events(cases: list[dict]) -> LoadedExtract:
    rows = [(c["id"], _iso(d), kind) for c in cases for d, kind in c.get("events", [])]
    frame = pd.DataFrame(rows, columns=[f.name for f in EVENT_FIELDS])
    frame["event_date"] = pd.to_datetime(frame["event_date"]).astype("datetime64[ns]")
    frame["_row"] = range(2, len(frame) + 2)
    src = SourceInfo(path="<events>", format="csv", rows=len(frame), fingerprint="events")
    return LoadedExtract(cases=frame, invalid=pd.DataFrame(False, index=frame.index, columns=frame.columns[:-1]),
                         problems=empty_problems(), quarantine=empty_problems(), source=src, columns={})


@cache
def results_for(name: str) -> pd.DataFrame:
    """Run every case of the file; one extract per (as-of date, absent columns) group."""
    doc = load_file(name)
    checklist = load_checklists()
    groups: dict[tuple, list[dict]] = {}
    for case in doc["cases"]:
        key = (_iso(case.get("as_of", doc["as_of"])), tuple(sorted(case.get("absent", []))))
        groups.setdefault(key, []).append(case)
    frames = []
    for (as_of, absent), cases in groups.items():
        columns = {"case_id": [c["id"] for c in cases]}
        invalid = {}
        for spec in FIELDS:
            if spec.name == "case_id" or spec.name in absent:
                continue
            values = [_iso(c.get("fields", {}).get(spec.name)) for c in cases]
            columns[spec.name] = values
            invalid[spec.name] = [spec.name in c.get("invalid", []) for c in cases]
        extract = build_extract(columns, invalid)
        for name_ in DATE_FIELDS:
            assert name_ in absent or name_ in extract.cases
        events = _events(cases) if doc.get("events_table") else None
        result = run_check(extract, checklist, date.fromisoformat(as_of), events=events)
        frames.append(result.results)
    return pd.concat(frames, ignore_index=True)
