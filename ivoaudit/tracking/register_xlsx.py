"""The action register in Excel: written with dropdowns and validated dates, read back all
or nothing.

One row per action, then empty rows for new ones. The id column and the information columns
(overdue, proposed effect) are locked (sheet protection without a password, against slips);
the hidden sheet holds the store it came from and each action's last change at export.
Reading back refuses the whole file, listing every problem with row and column, when a
required cell is empty, a date or status is not one, a rule, demand or finding does not
exist, an id is unknown or repeated, the file comes from another store, or an action was
changed in the store after the export (so nobody overwrites someone else's change). Rows
without an id become new actions; changed rows are changed with history, by the importer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Protection

from ivoaudit.atomic import atomic_path
from ivoaudit.errors import ImportRefusedError, UserError
from ivoaudit.i18n import t, use_language
from ivoaudit.store.actions import apply_changes, get_action, insert_action
from ivoaudit.store.ivo import split_ref
from ivoaudit.store.repository import Store, now_iso
from ivoaudit.store.tracking_records import Action
from ivoaudit.tracking.actions import prepare_changes
from ivoaudit.tracking.data import TrackingData, load_tracking
from ivoaudit.tracking.register import register
from ivoaudit.tracking.words import ACTION_STATUS, VERDICT, code_for, word
from ivoaudit.tracking.xlsx_cells import (
    META_SHEET,
    OPEN_FILL,
    column_letter,
    date_of,
    date_validation,
    header,
    list_validation,
    printable,
    put,
    read_workbook,
    text_of,
)

FORMAT = "ivoaudit-action-register/1"
NEW_ROWS = 40
# (key, Swedish header, English header, width); the first 14 are read back.
COLUMNS = [
    ("id", "Id", "Id", 6), ("measure", "Åtgärd", "Measure", 40),
    ("responsible_role", "Ansvarig roll", "Responsible role", 18),
    ("responsible_person", "Ansvarig person", "Responsible person", 18),
    ("start_date", "Start", "Start", 12), ("deadline", "Klart senast", "Deadline", 12),
    ("followup_date", "Uppföljning", "Follow-up", 12), ("followup_method", "Uppföljning hur", "Follow-up how", 24),
    ("status", "Status", "Status", 18), ("done_on", "Genomförd den", "Done on", 12),
    ("evidence", "Underlag", "Evidence", 28), ("rules", "Regler", "Rules", 22),
    ("demands", "IVO-krav (dnr:nr)", "IVO demands (dnr:no)", 22), ("findings", "Brister (id)", "Findings (id)", 12),
    ("info_late", "Försenad", "Overdue", 12), ("info_effect", "Föreslagen effekt", "Proposed effect", 22),
]
READ = [c[0] for c in COLUMNS[:14]]
DATES = ("start_date", "deadline", "followup_date", "done_on")
REQUIRED = ("measure", "responsible_role", "start_date", "deadline")


def store_tag(store: Store) -> str:
    """Names the store a register came from without revealing anything about it."""
    return hmac.new(store.form_key(), b"ivoaudit-action-register", hashlib.sha256).hexdigest()[:20]


def _headers(lang: str) -> list[str]:
    return [c[2] if lang == "en" else c[1] for c in COLUMNS]


def _row_values(action: Action) -> list[Any]:
    return [action.id, action.measure, action.responsible_role, action.responsible_person, action.start_date,
            action.deadline, action.followup_date, action.followup_method, word(ACTION_STATUS, action.status),
            action.done_on, action.evidence, ", ".join(action.rules), ", ".join(action.demands),
            ", ".join(str(f) for f in action.findings)]


def write_register(data: TrackingData, out: str | Path, *, as_of: date, lang: str = "sv",
                   tag: str | None = None) -> Path:
    """Write the register to ``out`` (``tag``: :func:`store_tag` of the store, for the import)."""
    out = Path(out)
    with use_language(lang):
        wb = Workbook()
        ws = wb.active
        ws.title = t("Åtgärder", "Actions")
        header(ws, _headers(lang), [c[3] for c in COLUMNS])
        rows = register(data, as_of)
        for i, row in enumerate(rows, start=2):
            values = _row_values(row.action) + [
                t("Ja, {n} dagar", "Yes, {n} days", n=row.days_overdue) if row.overdue else "",
                word(VERDICT, row.proposed or "")]
            for j, value in enumerate(values, start=1):
                put(ws, i, j, value, wrap=j in (2, 8, 11))
        last = len(rows) + 1 + NEW_ROWS
        for i in range(2, last + 1):
            for j, (key, *_rest) in enumerate(COLUMNS, start=1):
                cell = ws.cell(row=i, column=j)
                editable = key in READ and key != "id"
                cell.protection = Protection(locked=not editable)
                if editable and i > len(rows) + 1:
                    cell.fill = OPEN_FILL
                if key in DATES:
                    cell.number_format = "yyyy-mm-dd"
        for key in DATES:
            letter = column_letter(READ.index(key))
            date_validation(ws, f"{letter}2:{letter}{last}")
        status_letter = column_letter(READ.index("status"))
        list_validation(ws, f"{status_letter}2:{status_letter}{last}",
                        [word(ACTION_STATUS, s, lang) for s in ACTION_STATUS])
        ws.protection.sheet = True
        ws.protection.formatCells = False
        ws.protection.formatColumns = False
        ws.protection.autoFilter = False
        ws.auto_filter.ref = f"A1:{column_letter(len(COLUMNS) - 1)}{last}"
        printable(ws, last_row=max(len(rows) + 1, 2))
        meta = wb.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        for key, value in (("format", FORMAT), ("lang", lang), ("as_of", as_of.isoformat()),
                           ("store", tag or ""),
                           ("updated", json.dumps({str(r.action.id): r.action.updated_at for r in rows}))):
            meta.append([key, value])
        with atomic_path(out) as tmp:
            wb.save(tmp)
    return out


def export_register(store: Store, out: str | Path, *, as_of: date, lang: str = "sv") -> Path:
    """Write ``store``'s register to ``out``, marked so only this store reads it back."""
    return write_register(load_tracking(store), out, as_of=as_of, lang=lang, tag=store_tag(store))


@dataclass
class RegisterImport:
    """What an import did."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    unchanged: int = 0


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def _parse_row(values: list[Any], r: int, data: TrackingData, lang: str, problems: list[str]) -> dict[str, Any]:
    """One row's fields (codes, dates, lists); problems appended with row and column."""
    out: dict[str, Any] = {}
    heads = _headers(lang)

    def problem(key: str, sv: str, en: str, **params: object) -> None:
        j = READ.index(key)
        problems.append(t("Rad {r}, kolumn {c} ({h}): ", "Row {r}, column {c} ({h}): ", r=r,
                          c=column_letter(j), h=heads[j]) + t(sv, en, **params))

    for j, key in enumerate(READ):
        raw = values[j] if j < len(values) else None
        if key in DATES:
            try:
                out[key] = date_of(raw)
            except ValueError:
                problem(key, "\"{v}\" är inget datum; skriv t.ex. 2026-10-31.",
                        "\"{v}\" is not a date; write e.g. 2026-10-31.", v=text_of(raw))
            continue
        text = text_of(raw)
        if key == "status":
            code = code_for(ACTION_STATUS, text) if text else "planned"
            if code is None:
                problem(key, "\"{v}\" finns inte i listan; välj {l}.", "\"{v}\" is not in the list; choose {l}.",
                        v=text, l=" / ".join(word(ACTION_STATUS, s, lang) for s in ACTION_STATUS))
            out[key] = code
        elif key == "rules":
            out[key] = [x.upper() for x in _split(text)]
            for rule in out[key]:
                if rule not in data.catalogue:
                    problem(key, "regeln {x} finns inte (se `ivoaudit rules list`).",
                            "there is no rule {x} (see `ivoaudit rules list`).", x=rule)
        elif key == "demands":
            out[key] = _split(text)
            for ref in out[key]:
                if ref not in data.demands:
                    problem(key, "IVO-kravet {x} finns inte; skriv diarienummer:kravnummer.",
                            "there is no IVO demand {x}; write diarienummer:number.", x=ref)
        elif key == "findings":
            out[key] = []
            for item in _split(text):
                if not item.isdigit() or int(item) not in data.findings:
                    problem(key, "bristen {x} finns inte.", "there is no finding {x}.", x=item)
                else:
                    out[key].append(int(item))
        elif key == "id":
            out[key] = text
        else:
            out[key] = text or None
    for key in REQUIRED:
        if key in out and out[key] in (None, ""):
            problem(key, "måste fyllas i.", "must be filled in.")
    return out


def read_register(store: Store, path: str | Path, *, as_of: date) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Validate a filled-in register: the rows to store (with ``id`` None for new ones) and the
    exported ``updated_at`` per id. Refused as a whole (:class:`ImportRefusedError`)."""
    path = Path(path)
    meta, sheets = read_workbook(path, t("ett åtgärdsregister", "an action register"))
    problems: list[str] = []
    if meta.get("format") != FORMAT:
        problems.append(t("Filens format ({v}) känns inte igen.", "The file's format ({v}) is not recognised.",
                          v=meta.get("format") or "–"))
    elif meta.get("store") != store_tag(store):
        problems.append(t("Registret exporterades från en annan granskningsdatabas än {db}. Exportera "
                          "registret från den här databasen.",
                          "The register was exported from another audit store than {db}. Export the "
                          "register from this store.", db=store.path))
    if problems:
        raise _refuse(path, problems)
    lang = meta["lang"] if meta.get("lang") in ("sv", "en") else "sv"
    rows = next(iter(sheets.values()), [])
    data = load_tracking(store)
    exported = {int(k): v for k, v in json.loads(meta.get("updated") or "{}").items()}
    heads = _headers(lang)
    found_heads = [text_of(v) for v in (rows[0] if rows else ())][:len(READ)]
    if found_heads != heads[:len(READ)]:
        problems.append(t("Rad 1: rubrikerna är ändrade; använd ett nyexporterat register.",
                          "Row 1: the headers were changed; use a freshly exported register."))
    parsed: list[dict[str, Any]] = []
    seen: set[int] = set()
    for r, row in enumerate(rows[1:], start=2):
        values = list(row[:len(READ)])
        if all(text_of(v) == "" for v in values):
            continue
        fields = _parse_row(values, r, data, lang, problems)
        ident = fields.pop("id")
        if ident:
            if not ident.isdigit() or int(ident) not in exported:
                problems.append(t("Rad {r}, kolumn A: id {i} fanns inte i exporten; låt id vara tomt "
                                  "för en ny åtgärd.",
                                  "Row {r}, column A: id {i} was not in the export; leave the id blank "
                                  "for a new action.", r=r, i=ident))
                continue
            if int(ident) in seen:
                problems.append(t("Rad {r}: åtgärd {i} förekommer mer än en gång.",
                                  "Row {r}: action {i} appears more than once.", r=r, i=ident))
                continue
            seen.add(int(ident))
        parsed.append({"row": r, "id": int(ident) if ident else None, **fields})
    for item in parsed:
        _check_consistency(store, item, exported, problems)
    if problems:
        raise _refuse(path, problems)
    return parsed, exported


def _check_consistency(store: Store, item: dict[str, Any], exported: dict[int, str], problems: list[str]) -> None:
    r = item["row"]
    if item["id"] is not None:
        current = get_action(store, item["id"])
        if current.updated_at != exported[item["id"]]:
            problems.append(t("Rad {r}: åtgärd {i} har ändrats i databasen efter exporten. Exportera "
                              "registret på nytt och för in dina ändringar där.",
                              "Row {r}: action {i} was changed in the store after the export. Export the "
                              "register again and make your changes there.", r=r, i=item["id"]))
            return
    start, deadline, followup = item.get("start_date"), item.get("deadline"), item.get("followup_date")
    if start and deadline and deadline < start:
        problems.append(t("Rad {r}: klart senast ({d}) ligger före start ({s}).",
                          "Row {r}: the deadline ({d}) is before the start ({s}).", r=r, d=deadline, s=start))
    if start and followup and followup < start:
        problems.append(t("Rad {r}: uppföljningen ({f}) ligger före start ({s}).",
                          "Row {r}: the follow-up ({f}) is before the start ({s}).", r=r, f=followup, s=start))
    if item.get("status") in ("effective", "not_effective") and not item.get("done_on"):
        problems.append(t("Rad {r}: en åtgärd som bedömts ({s}) behöver dagen den genomfördes.",
                          "Row {r}: a judged action ({s}) needs the day it was done.", r=r,
                          s=word(ACTION_STATUS, item["status"])))
    for ref in item.get("demands") or []:
        split_ref(ref)


def _refuse(path: Path, problems: list[str]) -> ImportRefusedError:
    return ImportRefusedError(t(
        "Åtgärdsregistret {f} lästes inte in: {n} problem. Ingenting har sparats. Rätta problemen och "
        "läs in det igen.",
        "The action register {f} was not read: {n} problem(s). Nothing was stored. Correct the problems "
        "and read it again.", f=path.name, n=len(problems)), problems)


def import_register(store: Store, path: str | Path, *, by: str | None = None, as_of: date) -> RegisterImport:
    """Validate the whole register, then store every new and changed action in one transaction."""
    parsed, exported = read_register(store, path, as_of=as_of)
    result = RegisterImport()
    plans: list[tuple[Action | None, dict[str, Any], dict[str, Any] | None]] = []
    for item in parsed:
        fields = {k: v for k, v in item.items() if k not in ("row", "id")}
        if item["id"] is None:
            if fields.get("status") == "done" and not fields.get("done_on"):
                fields["done_on"] = as_of
            plans.append((None, fields, None))
            continue
        existing = get_action(store, item["id"])
        try:
            changes, proposal = prepare_changes(store, existing, fields, as_of=as_of)
        except UserError as exc:
            raise _refuse(Path(path), [t("Rad {r}: {e}", "Row {r}: {e}", r=item["row"], e=exc)]) from exc
        plans.append((existing, changes, proposal))
    stamp = now_iso()
    with store.transaction() as con:
        for action, changes, proposal in plans:
            if action is None:
                result.added.append(insert_action(store, con, changes, by=by, stamp=stamp))
            elif apply_changes(store, con, action.id, changes, by=by, proposal=proposal, stamp=stamp,
                               expected_updated_at=exported[action.id]):
                result.changed.append(action.id)
            else:
                result.unchanged += 1
    return result


__all__ = ["FORMAT", "RegisterImport", "export_register", "import_register", "read_register", "store_tag", "write_register"]
