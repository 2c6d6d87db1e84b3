"""Actions (åtgärder) in the store, with their links to rules, demands and findings.

Every change is one transaction writing the change and its history entries: what, old →
new, when, by whom, and for ``effective``/``not_effective`` the effect the tool proposed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.schema import ACTION_STATUSES
from ivoaudit.store.connection import now_iso
from ivoaudit.store.history import append, new_id
from ivoaudit.store.ivo import demand_id, demand_refs
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Action, day_text, parse_day

ACTION_DATES = ("start_date", "deadline", "followup_date", "done_on")
ACTION_TEXTS = ("measure", "responsible_role", "responsible_person", "followup_method", "evidence")
ACTION_FIELDS = (*ACTION_TEXTS, *ACTION_DATES, "status")
LINKS = ("rules", "demands", "findings")


def check_status(status: str) -> str:
    """``status`` if it is an action status, else a ``StoreError`` listing them."""
    if status not in ACTION_STATUSES:
        raise StoreError(t("Okänd status {s}. Tillåtna: {a}.", "Unknown status {s}. Allowed: {a}.",
                           s=status, a=", ".join(ACTION_STATUSES)))
    return status


def _value(name: str, value: Any) -> Any:
    if name in ACTION_DATES:
        return day_text(value)
    if name == "status":
        return check_status(str(value))
    text = None if value is None else str(value).strip()
    if name in ("measure", "responsible_role") and not text:
        raise StoreError(t("Åtgärden behöver {f}.", "The action needs {f}.",
                           f=t("en beskrivning", "a description") if name == "measure"
                           else t("en ansvarig roll", "a responsible role")))
    return text or None


def add_action(store: Store, measure: str, responsible_role: str, *, by: str | None = None,
               rules: Iterable[str] = (), demands: Iterable[str] = (), findings: Iterable[int] = (),
               **fields: Any) -> Action:
    """Create an action; its creation is the first history entry. ``demands`` are ``DNR:N``."""
    with store.transaction() as con:
        action_id = insert_action(store, con, {"measure": measure, "responsible_role": responsible_role,
                                               "rules": rules, "demands": demands, "findings": findings,
                                               **fields}, by=by, stamp=now_iso())
    return get_action(store, action_id)


def insert_action(store: Store, con: sqlite3.Connection, fields: Mapping[str, Any], *, by: str | None,
                  stamp: str) -> int:
    """Insert a new action (fields of :class:`Action` and the link lists) inside a transaction
    the caller holds; returns its id."""
    unknown = set(fields) - set(ACTION_FIELDS) - set(LINKS)
    if unknown:
        raise ValueError(f"unknown action fields {sorted(unknown)}")
    values = {k: _value(k, v) for k, v in fields.items() if k not in LINKS}
    for required in ("measure", "responsible_role"):
        values[required] = _value(required, fields.get(required))
    values.setdefault("status", "planned")
    demand_ids = [demand_id(store, ref) for ref in dict.fromkeys(fields.get("demands") or ())]
    finding_ids = [_require_finding(store, f) for f in dict.fromkeys(fields.get("findings") or ())]
    rules = list(dict.fromkeys(str(r).strip() for r in fields.get("rules") or () if str(r).strip()))
    names = [*values, "created_at", "updated_at"]
    cur = con.execute(f"INSERT INTO actions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                      (*values.values(), stamp, stamp))
    action_id = new_id(cur)
    _link(con, action_id, rules, demand_ids, finding_ids)
    append(con, "action", action_id, "created", None, values["status"], stamp=stamp, by=by)
    return action_id


def _link(con: sqlite3.Connection, action_id: int, rules: list[str], demands: list[int],
          findings: list[int]) -> None:
    con.executemany("INSERT INTO action_rules VALUES (?, ?)", [(action_id, r) for r in rules])
    con.executemany("INSERT INTO action_demands VALUES (?, ?)", [(action_id, d) for d in demands])
    con.executemany("INSERT INTO action_findings VALUES (?, ?)", [(action_id, f) for f in findings])


def _require_finding(store: Store, finding_id: int) -> int:
    if store.con.execute("SELECT 1 FROM findings WHERE id = ?", (int(finding_id),)).fetchone() is None:
        raise StoreError(t("Brist {i} finns inte. Se `ivoaudit findings list`.",
                           "Finding {i} does not exist. See `ivoaudit findings list`.", i=finding_id))
    return int(finding_id)


def _row(store: Store, action_id: int) -> sqlite3.Row:
    row = store.con.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
    if row is None:
        raise StoreError(t("Åtgärd {i} finns inte. Se `ivoaudit actions list`.",
                           "Action {i} does not exist. See `ivoaudit actions list`.", i=action_id))
    return row


def update_action(store: Store, action_id: int, changes: Mapping[str, Any], *, by: str | None = None,
                  note: str | None = None, proposal: dict[str, Any] | None = None,
                  expected_updated_at: str | None = None) -> Action:
    """Change fields and links of an action in one transaction; each change gets a history entry.

    ``changes`` holds fields of :class:`Action` and, to replace a link set, ``rules``,
    ``demands`` (``DNR:N``) or ``findings``. ``proposal`` (the effect the person saw) is kept
    with a status change. ``expected_updated_at`` refuses the change when the action was
    changed since (an Excel register exported earlier).
    """
    unknown = set(changes) - set(ACTION_FIELDS) - set(LINKS)
    if unknown:
        raise ValueError(f"unknown action fields {sorted(unknown)}")
    with store.transaction() as con:
        apply_changes(store, con, action_id, changes, by=by, note=note, proposal=proposal,
                      expected_updated_at=expected_updated_at, stamp=now_iso())
    return get_action(store, action_id)


def apply_changes(store: Store, con: sqlite3.Connection, action_id: int, changes: Mapping[str, Any], *,
                  stamp: str, by: str | None = None, note: str | None = None,
                  proposal: dict[str, Any] | None = None, expected_updated_at: str | None = None) -> bool:
    """The body of :func:`update_action`, inside a transaction the caller holds (an import
    applies many). True when anything changed."""
    row = _row(store, action_id)
    if expected_updated_at is not None and row["updated_at"] != expected_updated_at:
        raise StoreError(t("Åtgärd {i} har ändrats sedan {w}. Hämta den på nytt och försök igen.",
                           "Action {i} was changed since {w}. Fetch it again and try again.",
                           i=action_id, w=expected_updated_at))
    changed = False
    for name, raw in changes.items():
        if name in LINKS:
            changed |= _relink(store, con, action_id, name, raw, stamp=stamp, by=by, note=note)
            continue
        value = _value(name, raw)
        if row[name] == value:
            continue
        con.execute(f"UPDATE actions SET {name} = ? WHERE id = ?", (value, action_id))
        append(con, "action", action_id, name, row[name], value, stamp=stamp, by=by, note=note,
               proposal=proposal if name == "status" else None)
        changed = True
    if changed:
        con.execute("UPDATE actions SET updated_at = ? WHERE id = ?", (stamp, action_id))
    return changed


def _relink(store: Store, con: sqlite3.Connection, action_id: int, kind: str, wanted: Iterable[Any], *,
            stamp: str, by: str | None, note: str | None) -> bool:
    old = _links(store, action_id)[kind]
    if kind == "rules":
        new: tuple[Any, ...] = tuple(dict.fromkeys(str(r).strip() for r in wanted if str(r).strip()))
    elif kind == "demands":
        new = tuple(dict.fromkeys(str(r).strip() for r in wanted))
    else:
        new = tuple(dict.fromkeys(int(f) for f in wanted))
    if sorted(map(str, old)) == sorted(map(str, new)):
        return False
    table = {"rules": "action_rules", "demands": "action_demands", "findings": "action_findings"}[kind]
    con.execute(f"DELETE FROM {table} WHERE action_id = ?", (action_id,))
    if kind == "rules":
        _link(con, action_id, list(new), [], [])
    elif kind == "demands":
        _link(con, action_id, [], [demand_id(store, ref) for ref in new], [])
    else:
        _link(con, action_id, [], [], [_require_finding(store, f) for f in new])
    append(con, "action", action_id, kind, list(old), list(new), stamp=stamp, by=by, note=note)
    return True


def _links(store: Store, action_id: int) -> dict[str, tuple[Any, ...]]:
    rules = tuple(r[0] for r in store.con.execute(
        "SELECT rule_id FROM action_rules WHERE action_id = ? ORDER BY rowid", (action_id,)))
    ids = [r[0] for r in store.con.execute(
        "SELECT demand_id FROM action_demands WHERE action_id = ? ORDER BY rowid", (action_id,))]
    refs = demand_refs(store, ids)
    findings = tuple(r[0] for r in store.con.execute(
        "SELECT finding_id FROM action_findings WHERE action_id = ? ORDER BY finding_id", (action_id,)))
    return {"rules": rules, "demands": tuple(refs[i] for i in ids), "findings": findings}


def _action(store: Store, row: sqlite3.Row) -> Action:
    links = _links(store, row["id"])
    return Action(id=row["id"], measure=row["measure"], responsible_role=row["responsible_role"],
                  responsible_person=row["responsible_person"], start_date=parse_day(row["start_date"]),
                  deadline=parse_day(row["deadline"]), followup_date=parse_day(row["followup_date"]),
                  followup_method=row["followup_method"], status=row["status"],
                  done_on=parse_day(row["done_on"]), evidence=row["evidence"],
                  rules=links["rules"], demands=links["demands"], findings=links["findings"],
                  created_at=row["created_at"], updated_at=row["updated_at"])


def get_action(store: Store, action_id: int) -> Action:
    """Action ``action_id``; a ``StoreError`` when there is none."""
    return _action(store, _row(store, action_id))


def list_actions(store: Store) -> list[Action]:
    """Every action, by id."""
    return [_action(store, r) for r in store.con.execute("SELECT * FROM actions ORDER BY id")]
