"""The append-only history of tracked things (actions, findings, IVO decisions, demands).

Rows are only ever inserted (triggers in the schema refuse UPDATE and DELETE); every change
made through the store's tracking functions writes its entries inside the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import HistoryEntry

ENTITIES = ("action", "finding", "decision", "demand")


def append(con: sqlite3.Connection, entity: str, entity_id: int, field: str, old: Any, new: Any, *,
           stamp: str, by: str | None = None, note: str | None = None,
           proposal: dict[str, Any] | None = None) -> None:
    """Add one entry (call inside the transaction that makes the change)."""
    con.execute(
        "INSERT INTO history (entity, entity_id, field, old_value, new_value, changed_at, changed_by, "
        "note, proposal_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entity, entity_id, field, _text(old), _text(new), stamp, by or None, note or None,
         json.dumps(proposal, ensure_ascii=False, sort_keys=True) if proposal is not None else None))


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made."""
    if cursor.lastrowid is None:
        raise RuntimeError("the INSERT made no row")
    return int(cursor.lastrowid)


def history(store: Store, entity: str, entity_id: int) -> list[HistoryEntry]:
    """Every change to one thing, oldest first."""
    rows = store.con.execute("SELECT * FROM history WHERE entity = ? AND entity_id = ? ORDER BY id",
                             (entity, entity_id)).fetchall()
    return [HistoryEntry.from_row(r) for r in rows]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
