"""IVO decisions (beslut) and their demands (krav) in the store.

A decision is known by its diarienummer (``dnr``); a demand by ``DNR:N``. Every change is
one transaction that also writes its history entries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.schema import DECISION_STATUSES
from ivoaudit.store.connection import now_iso
from ivoaudit.store.history import append, new_id
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Demand, IvoDecision, day_text, parse_day

DECISION_DATES = ("decision_date", "received_date", "answer_due", "extended_due", "adopted_on", "sent_on")
DECISION_TEXTS = ("extension_reason", "committee", "our_dnr", "units", "summary")
DECISION_FIELDS = (*DECISION_DATES, *DECISION_TEXTS, "status")


def _value(field_name: str, value: Any) -> Any:
    if field_name in DECISION_DATES:
        return day_text(value)
    if field_name == "status":
        if value not in DECISION_STATUSES:
            raise StoreError(t("Okänd status {s} för ett IVO-beslut. Tillåtna: {a}.",
                               "Unknown status {s} for an IVO decision. Allowed: {a}.",
                               s=value, a=", ".join(DECISION_STATUSES)))
        return value
    text = None if value is None else str(value).strip()
    return text or None


def add_decision(store: Store, dnr: str, *, by: str | None = None, demands: Iterable[Mapping[str, Any]] = (),
                 **fields: Any) -> IvoDecision:
    """Record a new decision; ``fields`` are columns of :class:`IvoDecision` (dates as ``date``).
    ``demands`` (keyword arguments of :func:`add_demand` as mappings) are added in the same
    transaction: all or nothing."""
    dnr = dnr.strip()
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise ValueError(f"unknown decision fields {sorted(unknown)}")
    if not dnr:
        raise StoreError(t("Ett IVO-beslut behöver ett diarienummer.", "An IVO decision needs a diarienummer."))
    if _decision_row(store, dnr) is not None:
        raise StoreError(t("IVO-beslutet {d} finns redan. Ändra det med `ivoaudit ivo edit {d}`.",
                           "The IVO decision {d} already exists. Change it with `ivoaudit ivo edit {d}`.",
                           d=dnr))
    values = {k: _value(k, v) for k, v in fields.items()}
    stamp = now_iso()
    with store.transaction() as con:
        names = ["dnr", *values, "created_at", "updated_at"]
        cur = con.execute(f"INSERT INTO ivo_decisions ({', '.join(names)}) VALUES "
                          f"({', '.join('?' * len(names))})", (dnr, *values.values(), stamp, stamp))
        decision_id = new_id(cur)
        append(con, "decision", decision_id, "created", None, dnr, stamp=stamp, by=by)
        for demand in demands:
            _insert_demand(con, decision_id, dnr, stamp=stamp, by=by, **demand)
    return get_decision(store, dnr)


def update_decision(store: Store, dnr: str, changes: Mapping[str, Any], *, by: str | None = None,
                    note: str | None = None) -> IvoDecision:
    """Change fields of a decision; each changed field gets a history entry."""
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise ValueError(f"unknown decision fields {sorted(unknown)}")
    row = _require_decision(store, dnr)
    stamp = now_iso()
    with store.transaction() as con:
        for name, raw in changes.items():
            value = _value(name, raw)
            if row[name] == value:
                continue
            con.execute(f"UPDATE ivo_decisions SET {name} = ?, updated_at = ? WHERE id = ?",
                        (value, stamp, row["id"]))
            append(con, "decision", row["id"], name, row[name], value, stamp=stamp, by=by, note=note)
    return get_decision(store, dnr)


def add_demand(store: Store, dnr: str, text: str, *, number: int | None = None,
               rules: Iterable[str] = (), ivo_deviations: int | None = None,
               ivo_assessed: int | None = None, by: str | None = None) -> Demand:
    """Add a demand to decision ``dnr`` (numbered next when ``number`` is None)."""
    decision = _require_decision(store, dnr)
    with store.transaction() as con:
        number = _insert_demand(con, decision["id"], decision["dnr"], text=text, number=number, rules=rules,
                                ivo_deviations=ivo_deviations, ivo_assessed=ivo_assessed, stamp=now_iso(),
                                by=by)
    return get_demand(store, f"{decision['dnr']}:{number}")


def _insert_demand(con: sqlite3.Connection, decision_id: int, dnr: str, *, text: str, stamp: str,
                   by: str | None, number: int | None = None, rules: Iterable[str] = (),
                   ivo_deviations: int | None = None, ivo_assessed: int | None = None) -> int:
    """Insert one demand inside the caller's transaction; returns its number."""
    text = text.strip()
    if not text:
        raise StoreError(t("Kravet behöver IVO:s text (--text).", "The demand needs IVO's text (--text)."))
    check_figure(ivo_deviations, ivo_assessed)
    if number is None:
        number = int(con.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM ivo_demands "
                                 "WHERE decision_id = ?", (decision_id,)).fetchone()[0])
    elif con.execute("SELECT 1 FROM ivo_demands WHERE decision_id = ? AND number = ?",
                     (decision_id, number)).fetchone():
        raise StoreError(t("Beslutet {d} har redan ett krav nummer {n}.",
                           "The decision {d} already has a demand number {n}.", d=dnr, n=number))
    cur = con.execute("INSERT INTO ivo_demands (decision_id, number, text, ivo_deviations, ivo_assessed) "
                      "VALUES (?, ?, ?, ?, ?)", (decision_id, number, text, ivo_deviations, ivo_assessed))
    demand_id = new_id(cur)
    con.executemany("INSERT INTO demand_rules VALUES (?, ?)", [(demand_id, r) for r in dict.fromkeys(rules)])
    append(con, "demand", demand_id, "created", None, f"{dnr}:{number}", stamp=stamp, by=by)
    return number


def check_figure(deviations: int | None, assessed: int | None) -> None:
    """IVO's figure is both numbers or neither, with 0 ≤ deviations ≤ assessed and assessed > 0."""
    if (deviations is None) != (assessed is None):
        raise StoreError(t("IVO:s siffra behöver både antal brister och antal granskade ärenden.",
                           "IVO's figure needs both the faults found and the cases examined."))
    if assessed is not None and deviations is not None and not (0 <= deviations <= assessed and assessed > 0):
        raise StoreError(t("IVO:s siffra {d} av {a} går inte ihop: bristerna kan inte vara fler än de "
                           "granskade ärendena.",
                           "IVO's figure {d} of {a} does not add up: the faults cannot outnumber the "
                           "cases examined.", d=deviations, a=assessed))


def _decision_row(store: Store, dnr: str) -> sqlite3.Row | None:
    return store.con.execute("SELECT * FROM ivo_decisions WHERE dnr = ?", (dnr.strip(),)).fetchone()


def _require_decision(store: Store, dnr: str) -> sqlite3.Row:
    row = _decision_row(store, dnr)
    if row is None:
        known = [r[0] for r in store.con.execute("SELECT dnr FROM ivo_decisions ORDER BY id")]
        raise StoreError(t(
            "IVO-beslutet {d} finns inte i {p}. Befintliga: {k}. Lägg till det med `ivoaudit ivo add`.",
            "The IVO decision {d} is not in {p}. Existing: {k}. Add it with `ivoaudit ivo add`.",
            d=dnr, p=store.path, k=", ".join(known) or "–"))
    return row


def _demands(store: Store, decision_id: int, dnr: str) -> tuple[Demand, ...]:
    rows = store.con.execute("SELECT * FROM ivo_demands WHERE decision_id = ? ORDER BY number",
                             (decision_id,)).fetchall()
    return tuple(_demand(store, r, dnr) for r in rows)


def _demand(store: Store, row: sqlite3.Row, dnr: str) -> Demand:
    rules = tuple(r[0] for r in store.con.execute(
        "SELECT rule_id FROM demand_rules WHERE demand_id = ? ORDER BY rowid", (row["id"],)))
    return Demand(id=row["id"], dnr=dnr, number=row["number"], text=row["text"], rules=rules,
                  ivo_deviations=row["ivo_deviations"], ivo_assessed=row["ivo_assessed"])


def _decision(store: Store, row: sqlite3.Row) -> IvoDecision:
    return IvoDecision(
        id=row["id"], dnr=row["dnr"], decision_date=parse_day(row["decision_date"]),
        received_date=parse_day(row["received_date"]), answer_due=parse_day(row["answer_due"]),
        extended_due=parse_day(row["extended_due"]), extension_reason=row["extension_reason"],
        committee=row["committee"], our_dnr=row["our_dnr"], units=row["units"], summary=row["summary"],
        status=row["status"], adopted_on=parse_day(row["adopted_on"]), sent_on=parse_day(row["sent_on"]),
        demands=_demands(store, row["id"], row["dnr"]), created_at=row["created_at"],
        updated_at=row["updated_at"])


def get_decision(store: Store, dnr: str) -> IvoDecision:
    """The decision ``dnr`` with its demands; a ``StoreError`` naming the known ones when absent."""
    return _decision(store, _require_decision(store, dnr))


def list_decisions(store: Store) -> list[IvoDecision]:
    """Every decision, oldest first."""
    return [_decision(store, r) for r in store.con.execute("SELECT * FROM ivo_decisions ORDER BY id")]


def split_ref(ref: str) -> tuple[str, int]:
    """``DNR:N`` → (dnr, N); a ``StoreError`` when it is not of that form."""
    dnr, _, number = ref.strip().rpartition(":")
    if not dnr or not number.strip().isdigit():
        raise StoreError(t("{r} är ingen kravhänvisning. Skriv diarienummer, kolon och kravets nummer, "
                           "t.ex. 8.5-25231/2017-1:2.",
                           "{r} is not a demand reference. Write the diarienummer, a colon and the "
                           "demand's number, e.g. 8.5-25231/2017-1:2.", r=ref))
    return dnr.strip(), int(number)


def demand_id(store: Store, ref: str) -> int:
    """The id of demand ``DNR:N``; a ``StoreError`` when there is no such demand."""
    dnr, number = split_ref(ref)
    decision = _require_decision(store, dnr)
    row = store.con.execute("SELECT id FROM ivo_demands WHERE decision_id = ? AND number = ?",
                            (decision["id"], number)).fetchone()
    if row is None:
        known = [str(r[0]) for r in store.con.execute(
            "SELECT number FROM ivo_demands WHERE decision_id = ? ORDER BY number", (decision["id"],))]
        raise StoreError(t("Beslutet {d} har inget krav nummer {n} (krav: {k}). Lägg till det med "
                           "`ivoaudit ivo demand add {d}`.",
                           "The decision {d} has no demand number {n} (demands: {k}). Add it with "
                           "`ivoaudit ivo demand add {d}`.", d=dnr, n=number, k=", ".join(known) or "–"))
    return int(row[0])


def get_demand(store: Store, ref: str) -> Demand:
    """The demand ``DNR:N``."""
    row = store.con.execute("SELECT d.*, i.dnr FROM ivo_demands d JOIN ivo_decisions i "
                            "ON i.id = d.decision_id WHERE d.id = ?", (demand_id(store, ref),)).fetchone()
    return _demand(store, row, row["dnr"])


def demand_refs(store: Store, ids: Iterable[int]) -> dict[int, str]:
    """Demand id → ``DNR:N``."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = store.con.execute(
        f"SELECT d.id, i.dnr, d.number FROM ivo_demands d JOIN ivo_decisions i ON i.id = d.decision_id "
        f"WHERE d.id IN ({', '.join('?' * len(wanted))})", wanted).fetchall()
    return {r[0]: f"{r[1]}:{r[2]}" for r in rows}
