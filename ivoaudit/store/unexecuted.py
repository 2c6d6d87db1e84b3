"""Each quarter's list of decisions not executed within three months, kept in the audit store.

The list of a quarter is what was reported to IVO for it: the decisions not executed (or
interruptions not resumed) as of the quarter's last day (``listed``), and the decisions
whose execution date was reported with it (``executed``). The next quarter reads these to
say which decisions were reported before and which have been executed since. Drawing up a
quarter again supersedes its list (``superseded_at``); the earlier versions stay.

Only persistence lives here; :mod:`ivoaudit.tracking.unexecuted` decides what is listed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ivoaudit.store.connection import now_iso
from ivoaudit.store.repository import Store

SECTIONS = ("listed", "executed")


@dataclass(frozen=True)
class StoredEntry:
    """One decision on a recorded quarter list (no person ids: the case id finds the person)."""

    section: str  # listed | executed
    case_id: str
    kind: str  # not_executed | interrupted
    start_date: date | None  # the decision date, or the interruption date
    decision_date: date | None = None
    interruption_date: date | None = None
    deadline: date | None = None
    days_waiting: int | None = None
    waited: str | None = None  # 3-6 | 6-12 | 12+ (months)
    intervention_type: str | None = None
    legal_basis: str | None = None
    legal_basis_code: str | None = None
    sex: str | None = None
    executed_date: date | None = None


_ENTRY_COLUMNS = tuple(f.name for f in fields(StoredEntry))
_DATES = {"start_date", "decision_date", "interruption_date", "deadline", "executed_date"}


@dataclass(frozen=True)
class StoredList:
    """A quarter's list as recorded."""

    id: int
    quarter: str  # 2026-Q3
    as_of: date
    produced_on: date
    recorded_at: str
    extract_fingerprint: str | None
    extract_rows: int | None
    tool_version: str | None
    entries: tuple[StoredEntry, ...]

    def section(self, name: str) -> tuple[StoredEntry, ...]:
        """The entries of one section (``listed`` or ``executed``)."""
        return tuple(e for e in self.entries if e.section == name)


def record_unexecuted_list(store: Store, *, quarter: str, as_of: date, produced_on: date,
                           extract_fingerprint: str | None, extract_rows: int | None,
                           tool_version: str | None, entries: Iterable[StoredEntry]) -> StoredList:
    """Record ``quarter``'s list, superseding any earlier version of it, in one transaction."""
    entries = tuple(entries)
    for entry in entries:
        if entry.section not in SECTIONS:
            raise ValueError(f"unknown section {entry.section!r}")
    stamp = now_iso()
    with store.transaction() as con:
        con.execute("UPDATE unexecuted_lists SET superseded_at = ? WHERE quarter = ? AND superseded_at IS NULL",
                    (stamp, quarter))
        cur = con.execute(
            "INSERT INTO unexecuted_lists (quarter, as_of, produced_on, recorded_at, extract_fingerprint, "
            "extract_rows, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (quarter, as_of.isoformat(), produced_on.isoformat(), stamp, extract_fingerprint, extract_rows,
             tool_version))
        list_id = int(cur.lastrowid or 0)
        placeholders = ", ".join("?" for _ in range(len(_ENTRY_COLUMNS) + 1))
        con.executemany(
            f"INSERT INTO unexecuted_entries (list_id, {', '.join(_ENTRY_COLUMNS)}) VALUES ({placeholders})",
            [(list_id, *(_to_sql(getattr(e, c)) for c in _ENTRY_COLUMNS)) for e in entries])
    found = _load(store.con, "WHERE id = ?", (list_id,))
    return found[0]


def unexecuted_lists(store: Store, *, before: str | None = None) -> list[StoredList]:
    """The current list of every recorded quarter (oldest quarter first); with ``before``
    (``2026-Q3``) only the quarters before it."""
    if before is None:
        return _load(store.con, "WHERE superseded_at IS NULL", ())
    return _load(store.con, "WHERE superseded_at IS NULL AND quarter < ?", (before,))


def unexecuted_list(store: Store, quarter: str) -> StoredList | None:
    """The current list of ``quarter``, or None when none is recorded."""
    found = _load(store.con, "WHERE superseded_at IS NULL AND quarter = ?", (quarter,))
    return found[0] if found else None


def _to_sql(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _entry_values(row: sqlite3.Row) -> dict[str, Any]:
    return {c: (date.fromisoformat(row[c]) if c in _DATES and row[c] else row[c]) for c in _ENTRY_COLUMNS}


def _load(con: sqlite3.Connection, where: str, params: tuple) -> list[StoredList]:
    lists = con.execute(f"SELECT * FROM unexecuted_lists {where} ORDER BY quarter, id", params).fetchall()
    out = []
    for row in lists:
        entries = tuple(
            StoredEntry(**_entry_values(e))
            for e in con.execute(
                "SELECT * FROM unexecuted_entries WHERE list_id = ? ORDER BY section, start_date, case_id, kind",
                (row["id"],)))
        out.append(StoredList(
            id=row["id"], quarter=row["quarter"], as_of=date.fromisoformat(row["as_of"]),
            produced_on=date.fromisoformat(row["produced_on"]), recorded_at=row["recorded_at"],
            extract_fingerprint=row["extract_fingerprint"], extract_rows=row["extract_rows"],
            tool_version=row["tool_version"], entries=entries))
    return out


__all__ = ["SECTIONS", "StoredEntry", "StoredList", "record_unexecuted_list", "unexecuted_list",
           "unexecuted_lists"]
