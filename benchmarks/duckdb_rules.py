"""DuckDB SQL for the whole catalogue, generated from the checklists' declared rules (NOT a test).

The peer of ``bench_duckdb.py``: one SQL script that reads the extract and its events table,
evaluates every rule of the loaded checklists (``checklists/*.yaml``: their kind, fields,
fallbacks, exceptions, extensions, "applies when" conditions, areas and periods) and writes
one results CSV like ``check``'s ``results.csv``: case, rule, status, start, end, deadline,
days, days over and the law cited (no ``note`` column: its texts are not generated). The
semantics follow ``docs/rules.md`` and ``ivoaudit/rules/*.py``:

* dates: ISO cells read with ``TRY_CAST``; a non-blank cell that is no date of 1900-2100 is
  unreadable (``*__bad``); codes: trimmed, lower-cased and looked up in the spellings of the
  mapping file and ivoaudit's built-in ones (``code_table``, prepared before the runs), NULL
  for a blank cell, ``'?'`` for an unknown one; personnummer: checked in SQL (Luhn, a real
  birth date, not in the future, birth number not 000; ten-digit forms get their century as
  the loader gives it), an invalid one is blank;
* "applies when" in three-valued logic: a case whose condition tests an unreadable code and
  would otherwise hold is ``missing_data`` (a manual question: ``needs_review``), every
  result column blank, as ``ivoaudit.rules.undecided`` does;
* deadline: start, else its fallback (only for a blank start, when the fallback's condition
  holds); days, or calendar months with ``date + INTERVAL n MONTH`` (clamped to the month's
  end, lag 1930:173 1 §); a statutory last day (basis law or ``weekend_rule``, never
  "genast") moved by the calendar table (2 §); a lawful extension (decided on or before the
  moved deadline, naming a date) replaces the deadline unmoved; data problems first, then
  pass/fail with an end, overdue/pending without one; the exception turns a late end into a
  pass;
* documented: yes/reason/a date pass, no fails, blank fails once ``due_when`` holds (else
  pending), an unreadable cell is missing data;
* flag ``reopened_within``: per person, ordered by start, a start 0..days after the latest
  end of the person's earlier cases is ``needs_review``; no valid person: missing data;
* interval: points ``open_from`` and the dated events of the type inside the open period;
  each gap against the (moved) period; the last point against the check date; cases with at
  least one such event; no ``open_from`` or an undated event of the type: never a pass;
* manual: ``needs_review`` for every applicable case.

Not generated (absent from the generated extracts): duplicate case ids (check quarantines
conflicting rows), reserve numbers with letters, dates in other forms than ISO, white space
inside codes. An unsupported parameter raises, rather than running a different rule.
"""

from __future__ import annotations

from typing import Any

from ivoaudit.checklist import RuleSpec
from ivoaudit.fields import FIELDS_BY_NAME, FieldSpec, FieldType
from ivoaudit.normalise.codes import code_table
from ivoaudit.rules.conditions import Condition

NEW_LAW_FROM = "2025-07-01"
RESULT_COLUMNS = ("case_id", "rule_id", "status", "start_date", "end_date", "deadline", "days", "days_over",
                  "reference")


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def code_sql(column: str, spec: FieldSpec, values: dict[str, list[str]]) -> str:
    """The raw cell as its canonical code: NULL when blank, '?' when no spelling matches."""
    extra = {str(raw): code for code, raws in (values or {}).items() for raw in (raws or [])}
    table = code_table(spec, {" ".join(k.replace("_", " ").split()).casefold(): v for k, v in extra.items()})
    by_code: dict[str, list[str]] = {}
    for spelling, code in table.items():
        by_code.setdefault(code, []).append(spelling)
    cell = f"lower(trim({ident(column)}))"
    whens = " ".join(f"WHEN {cell} IN ({', '.join(quote(s) for s in sorted(sp))}) THEN {quote(code)}"
                     for code, sp in by_code.items())
    return f"CASE WHEN nullif(trim({ident(column)}), '') IS NULL THEN NULL {whens} ELSE '?' END"


_TIME = r"(?:[T ](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?)?"
_FORMS = {  # groups: year, month, day and the two separators (which must be the same)
    "year_first": (r"^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})" + _TIME + "$", ["y", "s", "m", "t", "d"]),
    "compact": (r"^(\d{4})(\d{2})(\d{2})" + _TIME + "$", ["y", "m", "d"]),
    "day_first": (r"^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4})" + _TIME + "$", ["d", "s", "m", "t", "y"]),
}


def date_sql(column: str, dayfirst: bool) -> str:
    """The cell as a date (any year), else NULL, as ``ivoaudit.normalise.dates`` reads text
    cells: ISO (DuckDB's cast), year first with ``-``/``/``/``.``, compact ``YYYYMMDD``,
    with a time dropped, day first only when the mapping says ``dayfirst``, Excel serials
    of five digits."""
    cell = f"trim({ident(column)})"
    forms = []
    for name, (pattern, groups) in _FORMS.items():
        if name == "day_first" and not dayfirst:
            continue
        g = f"regexp_extract({cell}, {quote(pattern)}, {groups!r})"
        same = f"{g}.s = {g}.t AND " if "s" in groups else ""
        forms.append(f"CASE WHEN {same}{g}.y <> '' THEN try(make_date(CAST({g}.y AS BIGINT), "
                     f"CAST({g}.m AS BIGINT), CAST({g}.d AS BIGINT))) END")
    serial = (f"CASE WHEN regexp_full_match({cell}, '\\d{{5}}(?:[.,]\\d+)?') "
              f"THEN DATE '1899-12-30' + CAST(substr({cell}, 1, 5) AS INTEGER) END")
    iso = f"CASE WHEN length({cell}) = 10 THEN TRY_CAST({cell} AS DATE) END"
    # CASE, not coalesce: the other forms are tried only for the few cells the cast did not read
    return f"CASE WHEN {iso} IS NOT NULL THEN {iso} WHEN {cell} IS NULL THEN NULL ELSE coalesce({', '.join(forms)}, {serial}) END"


def plausible(day: str) -> str:
    """The date when its year is 1900-2100 (else the loader refuses it)."""
    return f"CASE WHEN {day} BETWEEN DATE '1900-01-01' AND DATE '2100-12-31' THEN {day} END"


def person_sql(column: str) -> tuple[str, str, str]:
    """Three stages (each reads the previous one's column): ``person__n``, the digits of a
    number-shaped cell; ``person__f``, its twelve digits (a ten-digit form gets the century
    the loader gives it: under 100 today, 100 or over with '+'); the key, ``person__f`` when
    valid (Luhn over YYMMDDNNN, a real birth day not after today, day + 60 for a
    samordningsnummer, birth number not 000, born 1800-2099; or a 98/99 reserve number),
    else NULL (blank or invalid)."""
    cell = ident(column)
    shape = "'(\\d{2})?\\d{6}[-+]?\\d{4}'"
    norm = f"upper(regexp_replace({cell}, '\\s+', '', 'g'))"  # only for cells not already plain
    stage_n = (f"CASE WHEN regexp_full_match({cell}, {shape}) THEN replace(replace({cell}, '-', ''), '+', '') "
               f"WHEN regexp_full_match({norm}, {shape}) THEN regexp_replace({norm}, '[-+]', '', 'g') END")
    ten = f"(CASE WHEN {cell} LIKE '%+%' THEN year(current_date) - 100 ELSE year(current_date) END)"
    base = f"({ten} - ({ten} - CAST(substr(person__n, 1, 2) AS INTEGER)) % 100)"
    year10 = (f"({base} - CASE WHEN {base} = {ten} AND substr(person__n, 3, 4) > strftime(current_date, '%m%d') "
              f"THEN 100 ELSE 0 END)")
    stage_f = (f"CASE WHEN length(person__n) = 12 THEN person__n WHEN length(person__n) = 10 "
               f"THEN CAST({year10} AS VARCHAR) || substr(person__n, 3) END")

    def digit(k: int) -> str:  # the k-th of the twelve digits, from 1
        return f"(CAST(person__f AS BIGINT) // {10 ** (12 - k)} % 10)"

    luhn = " + ".join(f"({digit(k)} * 2 // 10 + {digit(k)} * 2 % 10)" if k % 2 == 1 else digit(k)
                      for k in range(3, 12))
    day = f"({digit(7)} * 10 + {digit(8)})"
    birth = (f"try(make_date(CAST(person__f AS BIGINT) // 100000000, {digit(5)} * 10 + {digit(6)}, "
             f"CASE WHEN {day} BETWEEN 61 AND 91 THEN {day} - 60 ELSE {day} END))")
    valid = (f"({luhn} + {digit(12)}) % 10 = 0 AND substr(person__f, 9, 3) <> '000' "
             f"AND {birth} <= current_date AND substr(person__f, 1, 2) BETWEEN '18' AND '20'")
    reserve = "(length(person__n) = 12 AND substr(person__n, 1, 2) IN ('98', '99'))"  # no Luhn, no date
    return stage_n, stage_f, f"CASE WHEN {reserve} OR ({valid}) THEN person__f END"


class Fields:
    """How each canonical field reads in the case table ``c`` (mapped fields only)."""

    def __init__(self, columns: dict[str, str]):
        self.columns = columns

    def has(self, name: str) -> bool:
        return name in self.columns

    def present(self, name: str) -> str:
        if not self.has(name):
            return "false"
        if FIELDS_BY_NAME[name].type is FieldType.CODE:
            return f"coalesce({name} <> '?', false)"
        return f"({name} IS NOT NULL)"

    def invalid(self, name: str) -> str:
        if not self.has(name):
            return "false"
        kind = FIELDS_BY_NAME[name].type
        if kind is FieldType.DATE:
            return f"{name}__bad"
        return f"coalesce({name} = '?', false)" if kind is FieldType.CODE else "false"

    def date(self, name: str | None) -> str:
        return name if name and self.has(name) else "NULL::DATE"

    def isin(self, name: str, values: tuple[str, ...]) -> str:
        if not self.has(name):
            return "false"
        return f"coalesce({name} IN ({', '.join(quote(v) for v in values)}), false)"


def cond_value(cond: Condition | None, f: Fields) -> str:
    """The condition as ``conditions.evaluate`` decides it (two-valued; NULL-free)."""
    if cond is None:
        return "true"
    if cond.all is not None:
        return "(" + " AND ".join(cond_value(c, f) for c in cond.all) + ")"
    if cond.any is not None:
        return "(" + " OR ".join(cond_value(c, f) for c in cond.any) + ")"
    assert cond.field is not None
    if cond.present is not None:
        return f.present(cond.field) if cond.present else f"NOT {f.present(cond.field)}"
    if cond.absent is not None:
        return f"NOT {f.present(cond.field)}" if cond.absent else f.present(cond.field)
    if cond.in_ is not None:
        return f.isin(cond.field, cond.in_)
    return f"NOT {f.isin(cond.field, cond.not_in or ())}"


def cond_tri(cond: Condition | None, f: Fields) -> tuple[str, str]:
    """(true, unknown) of the condition in Kleene logic: an unreadable code is unknown."""
    if cond is None:
        return "true", "false"
    parts = cond.all if cond.all is not None else cond.any
    if parts is not None:
        tri = [cond_tri(c, f) for c in parts]
        if cond.all is not None:
            true = "(" + " AND ".join(t for t, _ in tri) + ")"
            no_false = " AND ".join(f"({t} OR {u})" for t, u in tri)
            return true, f"({no_false} AND ({' OR '.join(u for _, u in tri)}))"
        true = "(" + " OR ".join(t for t, _ in tri) + ")"
        return true, f"(NOT {true} AND ({' OR '.join(u for _, u in tri)}))"
    value = cond_value(cond, f)
    if (cond.in_ is None and cond.not_in is None) or cond.field is None or not f.has(cond.field):
        return value, "false"
    # every case has an area: a blank one is unknown too (as ivoaudit.rules.undecided has it)
    bad = f"NOT {f.present('area')}" if cond.field == "area" else f.invalid(cond.field)
    return f"({value} AND NOT {bad})", bad


def cite(spec: RuleSpec, old: bool) -> str:
    refs = spec.references
    main = (refs.get("old") if old else refs.get("new")) or refs.get("law")
    return main or (refs.get("guidance") or [""])[0]


def reference_sql(spec: RuleSpec, ref_date: str, as_of: str) -> str:
    """The law a result cites: old SoL when its date fell before 2025-07-01 (a blank date
    follows the check date); a legal basis named in ``by_legal_basis`` cites its own law."""
    old, new = quote(cite(spec, True)), quote(cite(spec, False))
    if as_of < NEW_LAW_FROM:
        text = f"CASE WHEN {ref_date} >= DATE '{NEW_LAW_FROM}' THEN {new} ELSE {old} END"
    else:
        text = f"CASE WHEN {ref_date} < DATE '{NEW_LAW_FROM}' THEN {old} ELSE {new} END"
    for code, law in spec.references.get("by_legal_basis", {}).items():
        text = f"CASE WHEN legal_basis = {quote(code)} THEN {quote(law)} ELSE {text} END"
    return text


def scope_sql(spec: RuleSpec, f: Fields, selected: bool) -> str:
    """Cases of the rule's area (every case for a rule without one)."""
    if spec.area is None:
        return "true"
    if not f.has("area"):
        return "true" if selected else "false"
    return f"area = {quote(spec.area)}"


def start_sql(p: Any, f: Fields) -> str:
    """The start date, or the fallback's for a blank (not unreadable) start."""
    start = f.date(p.start)
    fb = getattr(p, "start_fallback", None)
    if fb is None:
        return start
    return (f"CASE WHEN {start} IS NULL AND NOT {f.invalid(p.start)} AND {cond_value(fb.when, f)} "
            f"THEN {f.date(fb.field)} ELSE {start} END")


def period_sql(day: str, p: Any) -> str:
    if p.months is not None:
        return f"CAST({day} + INTERVAL {int(p.months)} MONTH AS DATE)"
    return f"({day} + {int(p.days)})"


def rows_sql(select: str, spec: RuleSpec, index: int, as_of: str) -> str:
    """One rule's result rows in the common columns, from a subquery with pos, case_id, u,
    status, s, e, dl, days, over, ref (the date that picks the law) and legal_basis."""
    return (f"SELECT pos, {index} AS r, case_id, {quote(spec.id)} AS rule_id, status, s AS start_date, "
            f"e AS end_date, dl AS deadline, days, over AS days_over, "
            f"{reference_sql(spec, 'ref', as_of)} AS reference FROM ({select})")
