"""Measurements in the store: per rule the count of each status, never a case row.

A check is recorded once (:func:`record_measurement`) and never changes. A review round is
a measurement too, without being recorded: its counts are always the round's current
results with the reviewers' answers applied, so importing more answers updates it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.schema import apply_answers
from ivoaudit.store.connection import now_iso
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import Measurement, RuleCounts, parse_day

_RULE_COLUMNS = ("rule_id", "checklist", "checklist_version", "local_change", "evaluable",
                 "missing_fields", "applicable", "pass", "fail", "overdue", "pending", "missing_data",
                 "needs_review", "target", "title_sv", "title_en")


def record_measurement(store: Store, name: str, *, as_of: date, rules: Iterable[RuleCounts],
                       extract_fingerprint: str | None = None, checklists: dict[str, str] | None = None,
                       tool_version: str | None = None, by: str | None = None,
                       note: str | None = None) -> Measurement:
    """Store a check's per-rule counts under ``name`` (unique among measurements and rounds)."""
    name = check_free_name(store, name)
    rules = list(rules)
    with store.transaction() as con:
        cur = con.execute(
            "INSERT INTO measurements (name, kind, as_of, extract_fingerprint, checklists_json, "
            "tool_version, recorded_at, recorded_by, note) VALUES (?, 'check', ?, ?, ?, ?, ?, ?, ?)",
            (name, as_of.isoformat(), extract_fingerprint,
             json.dumps(checklists or {}, ensure_ascii=False, sort_keys=True), tool_version, now_iso(),
             by or None, note or None))
        con.executemany(
            f"INSERT INTO measurement_rules (measurement_id, {', '.join(_RULE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(_RULE_COLUMNS) + 1))})",
            [(cur.lastrowid, r.rule_id, r.checklist, r.checklist_version, r.local_change,
              int(r.evaluable), ";".join(r.missing_fields), r.applicable, r.passed, r.failed,
              r.overdue, r.pending, r.missing_data, r.needs_review, r.target, r.title_sv, r.title_en)
             for r in rules])
    return get_measurement(store, name)


def check_free_name(store: Store, name: str) -> str:
    """``name`` stripped, if no measurement or round has it; else a ``StoreError``."""
    name = name.strip()
    if not name:
        raise StoreError(t("En mätning behöver ett namn.", "A measurement needs a name."))
    if _check_row(store, name) is not None or store.has_round(name):
        raise StoreError(t(
            "Det finns redan en mätning eller granskningsomgång som heter {n} i {p}. Välj ett annat "
            "namn; se `ivoaudit measurements list`.",
            "There is already a measurement or audit round called {n} in {p}. Choose another name; "
            "see `ivoaudit measurements list`.", n=name, p=store.path))
    return name


def _check_row(store: Store, name: str):
    return store.con.execute("SELECT * FROM measurements WHERE name = ?", (name,)).fetchone()


def _from_row(store: Store, row) -> Measurement:
    rules = tuple(
        RuleCounts(rule_id=r["rule_id"], applicable=r["applicable"], passed=r["pass"], failed=r["fail"],
                   overdue=r["overdue"], pending=r["pending"], missing_data=r["missing_data"],
                   needs_review=r["needs_review"], evaluable=bool(r["evaluable"]),
                   missing_fields=tuple(f for f in r["missing_fields"].split(";") if f),
                   checklist=r["checklist"], checklist_version=r["checklist_version"],
                   local_change=r["local_change"], target=r["target"], title_sv=r["title_sv"],
                   title_en=r["title_en"])
        for r in store.con.execute("SELECT * FROM measurement_rules WHERE measurement_id = ? "
                                   "ORDER BY rowid", (row["id"],)))
    return Measurement(name=row["name"], kind=row["kind"], as_of=parse_day(row["as_of"]) or date.min,
                       rules=rules, id=row["id"], extract_fingerprint=row["extract_fingerprint"],
                       checklists=json.loads(row["checklists_json"] or "{}"),
                       tool_version=row["tool_version"], recorded_at=row["recorded_at"],
                       recorded_by=row["recorded_by"], note=row["note"])


def round_measurement(store: Store, name: str) -> Measurement:
    """Round ``name`` as a measurement: per rule the counts of its current combined results."""
    info = store.get_round(name)
    results = apply_answers(store.auto_results(name), store.current_answers(name))
    titles_sv, titles_en = store.rule_titles(name, "sv"), store.rule_titles(name, "en")
    rules = []
    for rule_id, group in results.groupby("rule_id", sort=True):
        counts = group["status"].value_counts().to_dict()
        rules.append(RuleCounts(
            rule_id=str(rule_id), applicable=int(len(group) - counts.get("not_applicable", 0)),
            passed=int(counts.get("pass", 0)), failed=int(counts.get("fail", 0)),
            overdue=int(counts.get("overdue", 0)), pending=int(counts.get("pending", 0)),
            missing_data=int(counts.get("missing_data", 0)),
            needs_review=int(counts.get("needs_review", 0)),
            title_sv=titles_sv.get(str(rule_id), ""), title_en=titles_en.get(str(rule_id), "")))
    as_of = parse_day(info.as_of) or parse_day(info.created_at) or date.min
    return Measurement(name=info.name, kind="round", as_of=as_of, rules=tuple(rules),
                       extract_fingerprint=info.extract_fingerprint, tool_version=info.tool_version,
                       recorded_at=info.created_at, round_id=info.id)


def get_measurement(store: Store, name: str) -> Measurement:
    """The recorded check or the round called ``name``; a ``StoreError`` listing them when absent."""
    row = _check_row(store, name)
    if row is not None:
        return _from_row(store, row)
    if store.has_round(name):
        return round_measurement(store, name)
    known = [m.name for m in list_measurements(store)]
    raise StoreError(t(
        "Mätningen {n} finns inte i {p}. Befintliga mätningar: {k}. Se `ivoaudit measurements list`.",
        "The measurement {n} is not in {p}. Existing measurements: {k}. See `ivoaudit measurements list`.",
        n=name, p=store.path, k=", ".join(known) or "–"))


def list_measurements(store: Store, *, rounds: bool = True) -> list[Measurement]:
    """Every recorded check (and, with ``rounds``, every review round), in as-of order."""
    out = [_from_row(store, r) for r in store.con.execute("SELECT * FROM measurements ORDER BY id")]
    if rounds:
        out += [round_measurement(store, info.name) for info in store.list_rounds()]
    return sorted(out, key=lambda m: (m.as_of, m.recorded_at, m.name))
