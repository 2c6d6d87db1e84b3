"""An IVO decision entered in Excel: the template the tool writes, and its all-or-nothing import.

Sheet 1 holds the decision (one line per item: diarienummer, dates, anstånd, committee…),
sheet 2 the demands (IVO's text, up to three rules from a dropdown, IVO's own figure), sheet
3 the rules to choose from. Reading it back stores the decision with all its demands in one
transaction, or nothing, listing every problem with its sheet, row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from ivoaudit.atomic import atomic_path
from ivoaudit.errors import ImportRefusedError, UserError
from ivoaudit.i18n import t, use_language
from ivoaudit.store.ivo import add_decision, list_decisions
from ivoaudit.store.measurements import list_measurements
from ivoaudit.store.repository import Store
from ivoaudit.store.tracking_records import IvoDecision
from ivoaudit.tracking.ivo import check_decision_dates
from ivoaudit.tracking.rules import rule_catalogue
from ivoaudit.tracking.xlsx_cells import (
    META_SHEET,
    OPEN_FILL,
    date_of,
    date_validation,
    header,
    printable,
    put,
    read_workbook,
    text_of,
)

FORMAT = "ivoaudit-ivo-decision/1"
DEMAND_ROWS = 30
# (field, Swedish label, English label, kind): kind date | text | required-date | required-text
ITEMS = [
    ("dnr", "IVO:s diarienummer", "IVO's diarienummer", "required-text"),
    ("decision_date", "Beslutsdatum", "Decision date", "required-date"),
    ("received_date", "Beslutet inkom", "Received", "date"),
    ("answer_due", "Svar senast", "Answer due", "required-date"),
    ("extended_due", "Anstånd till", "Extended to", "date"),
    ("extension_reason", "Skäl för anstånd", "Reason for the extension", "text"),
    ("committee", "Nämnd", "Committee", "text"),
    ("our_dnr", "Nämndens diarienummer", "The committee's diarienummer", "text"),
    ("units", "Enheter som beslutet gäller", "Units concerned", "text"),
    ("summary", "IVO:s sammanfattning", "IVO's summary", "text"),
]
DEMAND_COLUMNS = [("number", "Nr", "No", 6), ("text", "Kravet (IVO:s text)", "The demand (IVO's text)", 70),
                  ("rule1", "Regel 1", "Rule 1", 22), ("rule2", "Regel 2", "Rule 2", 22),
                  ("rule3", "Regel 3", "Rule 3", 22),
                  ("deviations", "IVO: ärenden med brist", "IVO: cases with the fault", 14),
                  ("assessed", "IVO: granskade ärenden", "IVO: cases examined", 14)]


def _sheet_names(lang: str) -> tuple[str, str, str]:
    return (("Decision", "Demands", "Rules") if lang == "en" else ("Beslut", "Krav", "Regler"))


def write_decision_template(out: str | Path, *, lang: str | None = None) -> Path:
    """Write the empty template to ``out``."""
    from ivoaudit.i18n import get_language

    lang = lang or get_language()
    out = Path(out)
    decision_name, demand_name, rules_name = _sheet_names(lang)
    with use_language(lang):
        wb = Workbook()
        ws = wb.active
        ws.title = decision_name
        header(ws, [t("Uppgift", "Item"), t("Värde", "Value"), t("Anvisning", "Guidance")], [32, 40, 60])
        for i, (_key, sv, en, kind) in enumerate(ITEMS, start=2):
            put(ws, i, 1, en if lang == "en" else sv)
            ws.cell(row=i, column=2).fill = OPEN_FILL
            guide = (t("Obligatoriskt. ", "Required. ") if kind.startswith("required") else "") + (
                t("Datum, t.ex. 2026-10-31.", "A date, e.g. 2026-10-31.") if kind.endswith("date") else "")
            put(ws, i, 3, guide)
            if kind.endswith("date"):
                date_validation(ws, f"B{i}")
                ws.cell(row=i, column=2).number_format = "yyyy-mm-dd"
        demands = wb.create_sheet(demand_name)
        header(demands, [c[2] if lang == "en" else c[1] for c in DEMAND_COLUMNS], [c[3] for c in DEMAND_COLUMNS])
        for i in range(2, DEMAND_ROWS + 2):
            for j in range(1, len(DEMAND_COLUMNS) + 1):
                demands.cell(row=i, column=j).fill = OPEN_FILL
        rules = wb.create_sheet(rules_name)
        header(rules, [t("Regel", "Rule"), t("Titel", "Title")], [22, 60])
        catalogue = rule_catalogue()
        for i, (rule_id, info) in enumerate(sorted(catalogue.items()), start=2):
            put(rules, i, 1, rule_id)
            put(rules, i, 2, info.title(lang))
        dv = DataValidation(type="list", formula1=f"'{rules_name}'!$A$2:$A${len(catalogue) + 1}",
                            allow_blank=True, showErrorMessage=True,
                            error=t("Välj en regel ur listan (bladet {s}).", "Choose a rule from the list "
                                    "(sheet {s}).", s=rules_name))
        demands.add_data_validation(dv)
        dv.add(f"C2:E{DEMAND_ROWS + 1}")
        printable(ws)
        printable(demands, last_row=6)
        printable(rules, landscape=False)
        meta = wb.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        meta.append(["format", FORMAT])
        meta.append(["lang", lang])
        with atomic_path(out) as tmp:
            wb.save(tmp)
    return out


def _int_of(value: Any) -> int | None:
    text = text_of(value)
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def read_decision(store: Store, path: str | Path) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Validate a filled-in template: (dnr, decision fields, demands); refused as a whole."""
    path = Path(path)
    meta, sheets = read_workbook(path, t("en mall för ett IVO-beslut", "an IVO decision template"))
    problems: list[str] = []
    if meta.get("format") != FORMAT:
        raise _refuse(path, [t("Filens format ({v}) känns inte igen; använd `ivoaudit ivo template`.",
                               "The file's format ({v}) is not recognised; use `ivoaudit ivo template`.",
                               v=meta.get("format") or "–")])
    lang = meta["lang"] if meta.get("lang") in ("sv", "en") else "sv"
    decision_name, demand_name, _ = _sheet_names(lang)
    values: dict[str, Any] = {}
    decision_rows = sheets.get(decision_name, [])
    for i, (key, sv, en, kind) in enumerate(ITEMS, start=2):
        row = decision_rows[i - 1] if len(decision_rows) >= i else ()
        label = en if lang == "en" else sv
        if text_of(row[0] if row else None) != label:
            problems.append(t("{s}, rad {r}: raden \"{l}\" är ändrad eller flyttad.",
                              "{s}, row {r}: the row \"{l}\" was changed or moved.", s=decision_name, r=i, l=label))
            continue
        raw = row[1] if len(row) > 1 else None
        if kind.endswith("date"):
            try:
                values[key] = date_of(raw)
            except ValueError:
                problems.append(t("{s}, rad {r}, kolumn B ({l}): \"{v}\" är inget datum; skriv t.ex. 2026-10-31.",
                                  "{s}, row {r}, column B ({l}): \"{v}\" is not a date; write e.g. 2026-10-31.",
                                  s=decision_name, r=i, l=label, v=text_of(raw)))
                continue
        else:
            values[key] = text_of(raw) or None
        if kind.startswith("required") and values.get(key) is None:
            problems.append(t("{s}, rad {r}, kolumn B ({l}): måste fyllas i.",
                              "{s}, row {r}, column B ({l}): must be filled in.", s=decision_name, r=i, l=label))
    dnr = values.pop("dnr", None) or ""
    if dnr and any(d.dnr == dnr for d in list_decisions(store)):
        problems.append(t("IVO-beslutet {d} finns redan i databasen.", "The IVO decision {d} is already in the store.",
                          d=dnr))
    if not problems:
        try:
            check_decision_dates(values.get("decision_date"), values.get("answer_due"), values.get("received_date"),
                                 values.get("extended_due"), values.get("extension_reason"))
        except UserError as exc:
            problems.append(f"{decision_name}: {exc}")
    demands = _read_demands(store, sheets.get(demand_name, []), demand_name, lang, problems)
    if not demands:
        problems.append(t("{s}: inga krav ifyllda.", "{s}: no demands filled in.", s=demand_name))
    if problems:
        raise _refuse(path, problems)
    return dnr, values, demands


def _read_demands(store: Store, rows: list[tuple[Any, ...]], sheet: str, lang: str,
                  problems: list[str]) -> list[dict[str, Any]]:
    catalogue = rule_catalogue(list_measurements(store))
    out: list[dict[str, Any]] = []
    numbers: set[int] = set()
    for r, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (len(DEMAND_COLUMNS) - len(row))
        if all(text_of(c) == "" for c in cells[:len(DEMAND_COLUMNS)]):
            continue
        where = t("{s}, rad {r}", "{s}, row {r}", s=sheet, r=r)
        try:
            number, deviations, assessed = (_int_of(cells[0]), _int_of(cells[5]), _int_of(cells[6]))
        except ValueError as exc:
            problems.append(t("{w}: \"{v}\" är inget heltal.", "{w}: \"{v}\" is not a whole number.", w=where, v=exc))
            continue
        number = number or (max(numbers, default=0) + 1)
        if number in numbers or number < 1:
            problems.append(t("{w}, kolumn A: kravnummer {n} förekommer redan.",
                              "{w}, column A: demand number {n} appears already.", w=where, n=number))
        numbers.add(number)
        text = text_of(cells[1])
        if not text:
            problems.append(t("{w}, kolumn B: kravets text saknas.", "{w}, column B: the demand's text is missing.",
                              w=where))
        rules = [text_of(c).upper() for c in cells[2:5] if text_of(c)]
        for rule in rules:
            if rule not in catalogue:
                problems.append(t("{w}: regeln {x} finns inte (se bladet med regler).",
                                  "{w}: there is no rule {x} (see the sheet of rules).", w=where, x=rule))
        if (deviations is None) != (assessed is None) or (
                assessed is not None and deviations is not None and not 0 <= deviations <= assessed) or assessed == 0:
            problems.append(t("{w}, kolumn F–G: IVO:s siffra behöver båda talen, och bristerna kan inte vara "
                              "fler än de granskade ärendena.",
                              "{w}, columns F–G: IVO's figure needs both numbers, and the faults cannot "
                              "outnumber the cases examined.", w=where))
        out.append({"number": number, "text": text, "rules": rules, "ivo_deviations": deviations,
                    "ivo_assessed": assessed})
    return out


def _refuse(path: Path, problems: list[str]) -> ImportRefusedError:
    return ImportRefusedError(t(
        "IVO-beslutet i {f} lästes inte in: {n} problem. Ingenting har sparats. Rätta problemen och läs in "
        "filen igen.",
        "The IVO decision in {f} was not read: {n} problem(s). Nothing was stored. Correct the problems and "
        "read the file again.", f=path.name, n=len(problems)), problems)


def import_decision(store: Store, path: str | Path, *, by: str | None = None) -> IvoDecision:
    """Validate the whole template, then store the decision and its demands in one transaction."""
    dnr, values, demands = read_decision(store, path)
    return add_decision(store, dnr, by=by, demands=demands, **values)


__all__ = ["FORMAT", "import_decision", "read_decision", "write_decision_template"]
