"""Every row of the events table accounted for: used by the rules, or listed with its problem.

A row of the events table (``--events``) is *used* when it was loaded, has a readable date, a
known event type and the case id of a case loaded from the case extract. Every other row is
listed in problems.csv (level ``event`` in :mod:`ivoaudit.problems`) with its row number, the
case id, the events file's name, what is wrong and what to do, so that nothing is dropped in
silence: ``rows_read == rows_used + rows_listed`` (meta.json ``events``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.i18n import t
from ivoaudit.normalise.quarantine import ProblemLog
from ivoaudit.problems import problem_title
from ivoaudit.schema import LoadedExtract, empty_problems
from ivoaudit.wording import counted, number


@dataclass(frozen=True)
class EventAccount:
    """The events table's rows: how many were read, used and listed, and the listed problems."""

    file: str
    rows_read: int
    rows_used: int
    rows_listed: int
    problems: pd.DataFrame  # PROBLEM_FRAME_COLUMNS, codes of level "event", by row

    def meta(self) -> dict[str, Any]:
        """meta.json's ``events``."""
        return {"file": self.file, "rows_read": self.rows_read, "rows_used": self.rows_used,
                "rows_listed": self.rows_listed}


def events_sentence(events: dict[str, Any] | None) -> str:
    """What the terminal and report.html say of the events table (meta.json ``events``):
    ``Händelsetabellen handelser.csv: 1 234 rader lästa, 1 229 används, 5 används inte …``."""
    if not events:
        return ""
    read, listed = int(events["rows_read"]), int(events["rows_listed"])
    head = t("Händelsetabellen {f}: {n} lästa, ", "Events table {f}: {n} read, ",
             f=events["file"], n=counted(read, "row"))
    if not listed:
        return head + t("alla används av reglerna.", "all used by the rules.")
    return head + t("{u} används, {x} används inte: de står i problems.csv med radnummer, ärendenummer "
                    "och vad som är fel.",
                    "{u} used, {x} not used: problems.csv lists them with row number, case id and what "
                    "is wrong.", u=number(int(events["rows_used"])), x=number(listed))


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def account_events(events: LoadedExtract, case_ids: pd.Series,
                   quarantined_ids: Iterable[object] = ()) -> EventAccount:
    """List every event row the rules cannot use (see the module docstring).

    ``case_ids``: the ids of the cases loaded from the case extract; ``quarantined_ids``: the
    ids of its rows that were not loaded (the message then points to quarantine.csv).
    """
    file = Path(events.source.path).name
    log = ProblemLog()
    _not_loaded(events, file, log)
    frame = events.cases
    rows = frame["_row"].to_numpy(dtype=np.int64)
    ids = frame["case_id"].to_numpy(dtype=object)
    _dates(events, file, rows, ids, log)
    _types(events, file, rows, ids, log)
    _unknown_cases(events, file, rows, ids, case_ids, set(map(str, quarantined_ids)), log)
    problems = log.frame() if log.pieces else empty_problems()
    listed = int(problems["row"].nunique()) if len(problems) else 0
    read = int(events.source.rows)
    return EventAccount(file=file, rows_read=read, rows_used=read - listed, rows_listed=listed,
                        problems=problems)


def _not_loaded(events: LoadedExtract, file: str, log: ProblemLog) -> None:
    """The events table's quarantined rows (blank, no case id, malformed), one entry a row."""
    quarantine = events.quarantine
    if not len(quarantine):
        return
    first = quarantine.drop_duplicates("row", keep="first")
    for code, group in first.groupby("code", sort=True):
        log.add("event_not_loaded", group["row"].to_numpy(), column=_column(group), field_name="",
                values=group["value"].tolist(), case_ids=group["case_id"].tolist(),
                params={"file": file, "detail": _first_lower(problem_title(str(code)))})


def _column(group: pd.DataFrame) -> str:
    columns = group["column"].dropna().astype(str).unique()
    return str(columns[0]) if len(columns) == 1 else ""


def _cell_values(events: LoadedExtract, field: str, rows: np.ndarray) -> dict[int, object]:
    """The cell as written for the rows with a problem in ``field`` (row → value)."""
    problems = events.problems
    if not len(problems):
        return {}
    mine = problems[(problems["field"] == field) & problems["row"].isin(rows)]
    return dict(zip(mine["row"].astype(int), mine["value"], strict=True))


def _dates(events: LoadedExtract, file: str, rows: np.ndarray, ids: np.ndarray, log: ProblemLog) -> None:
    """Events with a blank or unreadable date."""
    if "event_date" not in events.cases:
        return
    blank = np.flatnonzero(events.cases["event_date"].isna().to_numpy(dtype=bool))  # unreadable is blank too
    if not len(blank):
        return
    invalid = events.invalid["event_date"].to_numpy(dtype=bool)[blank]
    problems = events.problems
    dated = problems[problems["field"] == "event_date"] if len(problems) else problems
    codes = dict(zip(dated["row"].astype(int), dated["code"], strict=True))
    values = _cell_values(events, "event_date", rows[blank][invalid])
    details = [_first_lower(problem_title(str(codes.get(int(r), "date_unparseable")))) if bad
               else t("tomt", "blank") for r, bad in zip(rows[blank], invalid, strict=True)]
    _add_by_detail(log, "event_date", blank, rows, ids, details, file, events.columns.get("event_date", ""),
                   "event_date", [values.get(int(r)) for r in rows[blank]])


def _types(events: LoadedExtract, file: str, rows: np.ndarray, ids: np.ndarray, log: ProblemLog) -> None:
    """Events with a blank or unknown type."""
    if "event_type" not in events.cases:
        return
    blank = np.flatnonzero(events.cases["event_type"].isna().to_numpy(dtype=bool))
    if not len(blank):
        return
    invalid = events.invalid["event_type"].to_numpy(dtype=bool)[blank]
    values = _cell_values(events, "event_type", rows[blank][invalid])
    details = [t("okänd", "unknown") if bad else t("tom", "blank") for bad in invalid]
    _add_by_detail(log, "event_type", blank, rows, ids, details, file, events.columns.get("event_type", ""),
                   "event_type", [values.get(int(r)) for r in rows[blank]])


def _unknown_cases(events: LoadedExtract, file: str, rows: np.ndarray, ids: np.ndarray,
                   case_ids: pd.Series, quarantined: set[str], log: ProblemLog) -> None:
    """Events whose case was not loaded from the case extract."""
    text = pa.array(ids.astype(str), type=pa.string())
    known = pa.array(case_ids, from_pandas=True).cast(pa.string())
    unknown = np.flatnonzero(~pc.is_in(text, value_set=known).to_numpy(zero_copy_only=False))
    if not len(unknown):
        return
    details = [t("ärendets rad står i quarantine.csv", "the case's row is in quarantine.csv")
               if str(i) in quarantined else t("det saknas i ärendeuttaget", "it is not in the case extract")
               for i in ids[unknown]]
    _add_by_detail(log, "event_case_unknown", unknown, rows, ids, details, file,
                   events.columns.get("case_id", ""), "case_id", list(ids[unknown]))


def _add_by_detail(log: ProblemLog, code: str, picked: np.ndarray, rows: np.ndarray, ids: np.ndarray,
                   details: list[str], file: str, header: str, field: str, values: list[object]) -> None:
    """One log entry per detail for the ``picked`` rows (``details`` and ``values``: one per
    picked row)."""
    detail_of = np.array(details, dtype=object)
    for detail in sorted(set(details)):
        mine = np.flatnonzero(detail_of == detail)
        these = picked[mine]
        log.add(code, rows[these], column=header, field_name=field, values=[values[i] for i in mine],
                case_ids=ids[these].tolist(), params={"file": file, "detail": detail})


__all__ = ["EventAccount", "account_events", "events_sentence"]
