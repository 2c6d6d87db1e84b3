"""Findings (brister) in the store: faults to act on, with the rules they concern.

A finding comes from a measurement (a check or a review round), from an IVO demand, or is
entered by hand (a lex Sarah report, a complaint). Changes write history entries in the
same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.schema import FINDING_SOURCES, FINDING_STATUSES
from ivoaudit.store.connection import now_iso
from ivoaudit.store.history import append, new_id
from ivoaudit.store.ivo import demand_id, demand_refs
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Finding, day_text, parse_day

FINDING_FIELDS = ("title", "origin", "found_on", "note", "status")


def add_finding(store: Store, title: str, *, source: str, found_on: date, rules: Iterable[str] = (),
                origin: str = "", measurement: str | None = None, round_name: str | None = None,
                demand: str | None = None, passed: int | None = None, denominator: int | None = None,
                note: str | None = None, status: str = "open", by: str | None = None) -> Finding:
    """Record a finding. ``measurement``/``round_name`` name what showed it, ``demand`` is ``DNR:N``."""
    title = title.strip()
    if not title:
        raise StoreError(t("Bristen behöver en beskrivning (--text).", "The finding needs a description (--text)."))
    if source not in FINDING_SOURCES:
        raise StoreError(t("Okänd källa {s}. Tillåtna: {a}.", "Unknown source {s}. Allowed: {a}.",
                           s=source, a=", ".join(FINDING_SOURCES)))
    _check_status(status)
    measurement_id = _measurement_id(store, measurement) if measurement else None
    round_id = store.get_round(round_name).id if round_name else None
    demand_key = demand_id(store, demand) if demand else None
    stamp = now_iso()
    with store.transaction() as con:
        cur = con.execute(
            "INSERT INTO findings (title, source, origin, found_on, measurement_id, round_id, demand_id, "
            "passed, denominator, note, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (title, source, origin.strip(), day_text(found_on), measurement_id, round_id, demand_key,
             passed, denominator, (note or "").strip() or None, status, stamp, stamp))
        finding_id = new_id(cur)
        con.executemany("INSERT INTO finding_rules VALUES (?, ?)",
                        [(finding_id, r) for r in dict.fromkeys(rules)])
        append(con, "finding", finding_id, "created", None, status, stamp=stamp, by=by)
    return get_finding(store, finding_id)


def _check_status(status: str) -> None:
    if status not in FINDING_STATUSES:
        raise StoreError(t("Okänd status {s} för en brist. Tillåtna: {a}.",
                           "Unknown status {s} for a finding. Allowed: {a}.",
                           s=status, a=", ".join(FINDING_STATUSES)))


def _measurement_id(store: Store, name: str) -> int:
    row = store.con.execute("SELECT id FROM measurements WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(t("Mätningen {n} finns inte. Se `ivoaudit measurements list`.",
                           "The measurement {n} does not exist. See `ivoaudit measurements list`.", n=name))
    return int(row[0])


def update_finding(store: Store, finding_id: int, changes: Mapping[str, Any], *, by: str | None = None,
                   note: str | None = None) -> Finding:
    """Change fields of a finding (title, origin, found_on, note, status) with history."""
    unknown = set(changes) - set(FINDING_FIELDS)
    if unknown:
        raise ValueError(f"unknown finding fields {sorted(unknown)}")
    row = _row(store, finding_id)
    stamp = now_iso()
    with store.transaction() as con:
        changed = False
        for name, raw in changes.items():
            if name == "status":
                _check_status(str(raw))
            value = day_text(raw) if name == "found_on" else (None if raw is None else str(raw).strip())
            if row[name] == value:
                continue
            con.execute(f"UPDATE findings SET {name} = ? WHERE id = ?", (value, finding_id))
            append(con, "finding", finding_id, name, row[name], value, stamp=stamp, by=by, note=note)
            changed = True
        if changed:
            con.execute("UPDATE findings SET updated_at = ? WHERE id = ?", (stamp, finding_id))
    return get_finding(store, finding_id)


def _row(store: Store, finding_id: int) -> sqlite3.Row:
    row = store.con.execute(
        "SELECT f.*, m.name AS measurement_name, r.name AS round_name FROM findings f "
        "LEFT JOIN measurements m ON m.id = f.measurement_id LEFT JOIN rounds r ON r.id = f.round_id "
        "WHERE f.id = ?", (finding_id,)).fetchone()
    if row is None:
        raise StoreError(t("Brist {i} finns inte. Se `ivoaudit findings list`.",
                           "Finding {i} does not exist. See `ivoaudit findings list`.", i=finding_id))
    return row


def _finding(store: Store, row: sqlite3.Row) -> Finding:
    rules = tuple(r[0] for r in store.con.execute(
        "SELECT rule_id FROM finding_rules WHERE finding_id = ? ORDER BY rowid", (row["id"],)))
    demand = demand_refs(store, [row["demand_id"]]).get(row["demand_id"]) if row["demand_id"] else None
    return Finding(id=row["id"], title=row["title"], source=row["source"],
                   found_on=parse_day(row["found_on"]) or date.min, origin=row["origin"], rules=rules,
                   measurement=row["measurement_name"], round_name=row["round_name"], demand=demand,
                   passed=row["passed"], denominator=row["denominator"], note=row["note"],
                   status=row["status"], created_at=row["created_at"], updated_at=row["updated_at"])


def get_finding(store: Store, finding_id: int) -> Finding:
    """Finding ``finding_id``."""
    return _finding(store, _row(store, finding_id))


def list_findings(store: Store) -> list[Finding]:
    """Every finding, by id."""
    ids = [r[0] for r in store.con.execute("SELECT id FROM findings ORDER BY id")]
    return [get_finding(store, i) for i in ids]
