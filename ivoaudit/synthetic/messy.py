"""Messy mode: realistic faults injected into the written cells, with the ground truth adjusted.

Every fault is listed in ``faults.csv`` as ``row, column, fault, value`` (row as the user
sees it: header = 1, first data row = 2; column = the header in the extract; value = the
cell text as written). Faults are put only on cases of persons with a single case, so they
never interfere with the reopened-investigation flag.

Effects on the ground truth:
* a date made invalid (2026-02-30) or a received date left blank: every applicable rule
  that needs that date becomes ``missing_data``;
* an unknown code in a yes/no field: the documented rule on it becomes ``missing_data``;
* an invalid personnummer (bad check digit): the person is unknown, so ``BU-ATERUPPTAGEN`` (when the case has an investigation) is ``missing_data``
  (rules.md: never a silent ``not_applicable``); nothing else changes;
* other date forms of the same date, trailing spaces, blank unit/caseworker cells and
  identical duplicate rows change nothing;
* conflicting duplicates (same case id, different content, appended at the end): both rows
  are quarantined, and the case gets no ground-truth rows at all.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ivoaudit.synthetic.calendar import excel_serial
from ivoaudit.synthetic.cases import DATE_COLUMNS, DECIDED
from ivoaudit.synthetic.systems import System
from ivoaudit.synthetic.truth import S, Truth

# field -> rules that need it (made missing_data when the field is invalid or blank)
NEEDED_BY = {
    "received_date": ("BU-SKYDD", "BU-FORHAND-14D", "ALL-DROJSMAL-6M", "FH-SKYNDSAM"),
    "protection_assessment_date": ("BU-SKYDD",),
    "preliminary_decision_date": ("BU-FORHAND-14D",),
    "decision_date": ("ALL-EJ-VERKST-3M", "ALL-BESLUT-UNDERRATTAD", "ALL-DROJSMAL-6M", "FH-SKYNDSAM"),
    "decision_communicated_date": ("ALL-BESLUT-UNDERRATTAD",),
    "followup_date": ("AO-UPPFOLJNING",),
    "child_informed": ("BU-BARN-INFO",),
    "child_views": ("BU-BARN-ASIKT",),
    "appeal_information": ("ALL-OVERKLAGANDE",),
    "own_view_documented": ("MB-EGEN-SYN",),
}
RATES = {  # share of cases per fault kind
    "date_form": 0.03, "invalid_date": 0.012, "blank_received": 0.004, "blank_text": 0.004,
    "trailing_space": 0.01, "unknown_code": 0.006, "bad_personnummer": 0.004,
    "identical_duplicate": 0.004, "conflicting_duplicate": 0.003,
}


class _Faults:
    def __init__(self, rng: np.random.Generator, cells: dict[str, np.ndarray], cols: dict[str, np.ndarray],
                 truth: Truth, sysdef: System):
        self.rng, self.cells, self.cols, self.truth, self.sys = rng, cells, cols, truth, sysdef
        self.n = len(cols["case_id"])
        self.eligible = ~cols["_linked"]
        self.touched = {h: np.zeros(self.n, bool) for h in cells}
        self.row_faulted = np.zeros(self.n, bool)
        self.records: list[tuple[int, str, str, str]] = []

    def count(self, kind: str) -> int:
        return max(1, int(round(RATES[kind] * self.n)))

    def pick(self, mask: np.ndarray, k: int, header: str | None = None) -> np.ndarray:
        cand = mask & self.eligible
        if header is not None:
            cand &= ~self.touched[header]
        rows = np.flatnonzero(cand)
        if len(rows) == 0:
            return rows
        return np.sort(self.rng.choice(rows, size=min(k, len(rows)), replace=False))

    def put(self, row: int, fld: str, value: object, fault: str) -> None:
        header = self.sys.columns[fld]
        self.cells[header][row] = value
        self.touched[header][row] = True
        self.row_faulted[row] = True
        self.records.append((row + 2, header, fault, "" if value is None else str(value)))

    def missing(self, row: int, fld: str) -> None:
        header = self.sys.columns[fld]
        for rule in NEEDED_BY[fld]:
            st = self.truth.status[rule][row]
            if st >= 0 and st != S["not_applicable"]:
                mask = np.zeros(self.n, bool)
                mask[row] = True
                self.truth.set(rule, mask, "missing_data", f"fault injected in column {header}")

    def has_value(self, fld: str) -> np.ndarray:
        values = self.cols[fld]
        if fld in DATE_COLUMNS:
            return ~np.isnat(values)
        return ~pd.isna(values)


def _py(day: np.datetime64) -> date:
    return date.fromisoformat(str(day))


def _invalid_text(day: date) -> str:
    if day.month == 2:
        return f"{day.year}-02-30"
    if day.month in (4, 6, 9, 11):
        return f"{day.year}-{day.month:02d}-31"
    return f"{day.year}-{day.month:02d}-32"


def inject_faults(rng: np.random.Generator, extract: pd.DataFrame, cols: dict[str, np.ndarray], truth: Truth,
                  sysdef: System) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Inject faults; returns (extract with faults and duplicates, faults frame, quarantined mask).

    The kinds run in a fixed order on ``rng``: moving one changes every messy set."""
    cells: dict[str, np.ndarray] = {}
    for fld, header in sysdef.columns.items():
        col = extract[header].to_numpy()
        if fld in DATE_COLUMNS and sysdef.format == "xlsx":
            col = np.array([None if pd.isna(v) else pd.Timestamp(v).date() for v in col], dtype=object)
        cells[header] = col.astype(object).copy()
    f = _Faults(rng, cells, cols, truth, sysdef)
    _date_forms(f)
    _invalid_dates(f)
    _blanks_and_spaces(f)
    _unknown_codes(f)
    _bad_personnummer(f)
    extra_rows, quarantined = _duplicates(f)
    out = pd.DataFrame({h: pd.Series(v, dtype=object) for h, v in cells.items()})
    if extra_rows:
        out = pd.concat([out, pd.DataFrame(extra_rows, columns=list(cells), dtype=object)], ignore_index=True)
    faults = pd.DataFrame(f.records, columns=["row", "column", "fault", "value"])
    faults = faults.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return out, faults, quarantined


def _date_forms(f: _Faults) -> None:
    """Other forms of the same date (meaning unchanged)."""
    rng, cols, sysdef = f.rng, f.cols, f.sys
    present = [fld for fld in DATE_COLUMNS if fld in sysdef.columns]
    per_field = max(1, f.count("date_form") // len(present))
    for fld in present:
        for row in f.pick(f.has_value(fld), per_field, sysdef.columns[fld]):
            day = _py(cols[fld][row])
            form = int(rng.integers(0, 4))
            if form == 0:
                value: object = day.strftime("%Y%m%d")
            elif form == 1:
                value = day.strftime("%Y-%m-%d 00:00")
            elif form == 2:
                serial = int(excel_serial(np.array([cols[fld][row]]))[0])
                value = serial if sysdef.format == "xlsx" else str(serial)
            else:
                value = day.strftime("%d/%m/%Y")  # the mappings declare dayfirst
            f.put(row, fld, value, "other date form, same date " + day.isoformat())


def _invalid_dates(f: _Faults) -> None:
    """Invalid dates in fields whose effect is unambiguous."""
    cols, sysdef = f.cols, f.sys
    open_without_start = (cols["preliminary_outcome"] == "open") & np.isnat(cols["investigation_start"])
    conditions = {
        "received_date": np.ones(f.n, bool),
        "protection_assessment_date": np.ones(f.n, bool),
        "preliminary_decision_date": ~open_without_start,  # no start fallback involved
        "decision_date": np.isin(cols["decision_outcome"], DECIDED),  # a decision still exists
        "decision_communicated_date": np.ones(f.n, bool),
        "followup_date": np.ones(f.n, bool),
    }
    per_field = max(1, f.count("invalid_date") // len(conditions))
    for fld, cond in conditions.items():
        for row in f.pick(f.has_value(fld) & cond, per_field, sysdef.columns[fld]):
            text = _invalid_text(_py(cols[fld][row]))
            f.put(row, fld, text, "invalid date")
            f.missing(row, fld)


def _blanks_and_spaces(f: _Faults) -> None:
    """Blank cells; trailing spaces on text and codes (matched ignoring surrounding white space)."""
    sysdef, cells = f.sys, f.cells
    for row in f.pick(f.has_value("received_date"), f.count("blank_received"), sysdef.columns["received_date"]):
        f.put(row, "received_date", None, "blank cell")
        f.missing(row, "received_date")
    for fld in ("unit", "caseworker"):
        for row in f.pick(f.has_value(fld), f.count("blank_text"), sysdef.columns[fld]):
            f.put(row, fld, None, "blank cell")
    for fld in ("unit", "caseworker", "area", "decision_outcome", "preliminary_outcome"):
        header = sysdef.columns[fld]
        for row in f.pick(f.has_value(fld), max(1, f.count("trailing_space") // 5), header):
            f.put(row, fld, f"{cells[header][row]}  ", "trailing spaces")


def _unknown_codes(f: _Faults) -> None:
    """Unknown codes in documented yes/no fields where the rule applies."""
    rng, sysdef = f.rng, f.sys
    for fld in ("child_informed", "child_views", "appeal_information", "own_view_documented"):
        if fld not in sysdef.columns:
            continue
        st = f.truth.status[NEEDED_BY[fld][0]]
        applicable = (st >= 0) & (st != S["not_applicable"])
        for row in f.pick(applicable, max(1, f.count("unknown_code") // 4), sysdef.columns[fld]):
            code = sysdef.unknown_codes[int(rng.integers(0, len(sysdef.unknown_codes)))]
            f.put(row, fld, code, "unknown code")
            f.missing(row, fld)


def _bad_personnummer(f: _Faults) -> None:
    """Personnummer with a wrong check digit."""
    rng, cols, cells = f.rng, f.cols, f.cells
    header = f.sys.columns["person_id"]
    for row in f.pick(np.ones(f.n, bool), f.count("bad_personnummer"), header):
        raw = str(cells[header][row])
        bad = raw[:-1] + str((int(raw[-1]) + int(rng.integers(1, 10))) % 10)
        f.put(row, "person_id", bad, "invalid personnummer (check digit)")
        if cols["area"][row] == "barn_unga":
            mask = np.zeros(f.n, bool)
            mask[row] = True
            investigated = ~np.isnat(cols["investigation_start"][row]) or cols["preliminary_outcome"][row] == "open"
            if investigated:  # rules.md: an invalid identity number is missing data, never not applicable
                f.truth.set("BU-ATERUPPTAGEN", mask, "missing_data", "personnummer invalid: person unknown")


def _duplicates(f: _Faults) -> tuple[list[dict[str, object]], np.ndarray]:
    """Duplicate rows appended at the end (an export run twice, a row edited in between):
    (the rows to append, the cases quarantined)."""
    rng, cols, cells, sysdef = f.rng, f.cols, f.cells, f.sys
    id_header = sysdef.columns["case_id"]
    received_header = sysdef.columns["received_date"]
    clean = ~f.row_faulted
    identical = f.pick(clean, f.count("identical_duplicate"))
    f.eligible = f.eligible & ~np.isin(np.arange(f.n), identical)
    conflicting = f.pick(clean & f.has_value("received_date"), f.count("conflicting_duplicate"))
    extra_rows: list[dict[str, object]] = []
    next_row = f.n + 2
    for row in identical:
        extra_rows.append({h: cells[h][row] for h in cells})
        f.records.append((next_row, id_header, f"identical duplicate of row {row + 2}", str(cells[id_header][row])))
        next_row += 1
    quarantined = np.zeros(f.n, bool)
    for row in conflicting:
        copy = {h: cells[h][row] for h in cells}
        day = cols["received_date"][row] + np.timedelta64(int(rng.integers(1, 6)), "D")
        copy[received_header] = _py(day) if sysdef.format == "xlsx" else str(day)
        extra_rows.append(copy)
        case = str(cells[id_header][row])
        f.records.append((row + 2, id_header, f"conflicting duplicate: case id also in row {next_row}", case))
        f.records.append((next_row, id_header, f"conflicting duplicate: case id also in row {row + 2}", case))
        quarantined[row] = True
        next_row += 1
    return extra_rows, quarantined
