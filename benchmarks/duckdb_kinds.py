"""Each rule kind as DuckDB SQL, and the whole catalogue as one script (NOT a test).

What each kind does, and what is not generated: ``duckdb_rules.py``. Every rule becomes one
SELECT of (pos, r, case_id, rule_id, status, start_date, end_date, deadline, days, days_over,
reference) over the case table ``c``, the events ``ev`` and the calendar ``cal``; the script
concatenates them, orders by case (extract order) then rule (checklist order), as
``results.csv`` is, and writes the CSV.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from duckdb_rules import (
    Fields,
    code_sql,
    cond_tri,
    cond_value,
    date_sql,
    ident,
    period_sql,
    person_sql,
    plausible,
    quote,
    rows_sql,
    scope_sql,
    start_sql,
)

from ivoaudit.checklist import Checklist, RuleSpec
from ivoaudit.fields import EVENT_FIELDS, FIELDS_BY_NAME, FieldType
from ivoaudit.rules.registry import missing_fields

Kind = Callable[[RuleSpec, int, "Job"], str]


class Job:
    """What every rule's SQL needs: the fields, the check date, whether a checklist was chosen."""

    def __init__(self, fields: Fields, as_of: str, selected: bool, events: bool):
        self.f, self.as_of, self.selected, self.events = fields, as_of, selected, events

    def base(self, spec: RuleSpec, *, undecided: bool = True) -> tuple[str, str]:
        """(the rule's cases as ``FROM c WHERE ...``, its "undecided" expression ``u``).

        As ``check`` does (``ivoaudit.rules.undecided``): the rule applies where its
        condition holds in three-valued logic; where the condition is unknown (an unreadable
        code), or, for a rule of one area, the case's area is blank or unreadable and the condition
        is not decidedly false, the case is undecided, whatever verdict it would get."""
        true, unknown = cond_tri(spec.applies_when, self.f)
        scope = scope_sql(spec, self.f, self.selected)
        area_bad = f"NOT {self.f.present('area')}" if spec.area is not None and self.f.has("area") else "false"
        u = (f"coalesce((({scope}) AND {unknown}) OR ({area_bad} AND ({true} OR {unknown})), false)"
             if undecided else "false")
        return f"FROM c WHERE coalesce(({scope}) AND {true}, false) OR {u}", u


def _unless_u(expr: str) -> str:
    return f"CASE WHEN NOT u THEN {expr} END"


def deadline(spec: RuleSpec, index: int, job: Job) -> str:
    p: Any = spec.params  # the kind's own parameters (DeadlineParams, …)
    f = job.f
    where, u = job.base(spec)
    exc = f.present(p.exception_field) if p.exception_field else "false"
    ext = p.extension
    inner = (f"SELECT pos, case_id, legal_basis, {u} AS u, {start_sql(p, f)} AS s0, {f.date(p.end)} AS e0, "
             f"{f.invalid(p.end)} AS e_bad, {exc} AS exc, {f.date(ext.decision) if ext else 'NULL'} AS x_dec, "
             f"{f.date(ext.until) if ext else 'NULL'} AS x_until {where}")
    raw = f"SELECT *, {period_sql('s0', p)} AS dl0 FROM ({inner})"
    moves = not p.immediate and (spec.basis == "law" or p.weekend_rule == "next_weekday")
    if moves:
        raw = f"SELECT k.*, coalesce(cal.next_working, k.dl0) AS dl1 FROM ({raw}) k LEFT JOIN cal ON cal.day = k.dl0"
    else:
        raw = f"SELECT *, dl0 AS dl1 FROM ({raw})"
    lawful = "x_dec IS NOT NULL AND x_dec <= dl1 AND x_until IS NOT NULL"
    as_of = f"DATE {quote(job.as_of)}"
    end_absent = "false" if f.has(p.end) else "true"
    status = (f"CASE WHEN u OR s0 IS NULL OR e_bad OR e0 < s0 OR {end_absent} THEN 'missing_data' "
              f"WHEN e0 IS NULL THEN CASE WHEN {as_of} > dl THEN 'overdue' ELSE 'pending' END "
              f"WHEN e0 > dl THEN CASE WHEN exc THEN 'pass' ELSE 'fail' END ELSE 'pass' END")
    judged = (f"SELECT *, {status} AS status FROM (SELECT *, CASE WHEN {lawful} THEN x_until ELSE dl1 END AS dl "
              f"FROM ({raw}))")
    measured = f"coalesce(e0, {as_of})"
    select = (f"SELECT pos, case_id, legal_basis, u, status, {_unless_u('s0')} AS s, {_unless_u('e0')} AS e, "
              f"{_unless_u('dl')} AS dl, CASE WHEN status <> 'missing_data' THEN {measured} - s0 END AS days, "
              f"CASE WHEN status NOT IN ('missing_data', 'pending') THEN greatest({measured} - dl, 0) END AS over, "
              f"{_unless_u('dl')} AS ref FROM ({judged})")
    return rows_sql(select, spec, index, job.as_of)


def documented(spec: RuleSpec, index: int, job: Job) -> str:
    p: Any = spec.params  # the kind's own parameters (DeadlineParams, …)
    f = job.f
    where, u = job.base(spec)
    field = p.field
    is_date = FIELDS_BY_NAME[field].type is FieldType.DATE
    due = cond_value(p.due_when, f) if p.due_when is not None else "true"
    if not f.has(field):
        verdict = "WHEN true THEN 'needs_review'"
    elif is_date:
        verdict = f"WHEN {field}__bad THEN 'missing_data' WHEN {field} IS NOT NULL THEN 'pass'"
    else:
        verdict = (f"WHEN {field} = '?' THEN 'missing_data' WHEN {field} IN ('yes', 'reason') THEN 'pass' "
                   f"WHEN {field} = 'no' THEN 'fail'")
    status = f"CASE WHEN u THEN 'missing_data' {verdict} WHEN {due} THEN 'fail' ELSE 'pending' END"
    end = f.date(field) if is_date else "NULL::DATE"
    ref = f.date(p.reference_date)
    select = (f"SELECT pos, case_id, legal_basis, u, {status} AS status, NULL::DATE AS s, {_unless_u(end)} AS e, "
              f"NULL::DATE AS dl, NULL::INTEGER AS days, NULL::INTEGER AS over, {_unless_u(ref)} AS ref "
              f"FROM (SELECT *, {u} AS u {where})")
    return rows_sql(select, spec, index, job.as_of)


def manual(spec: RuleSpec, index: int, job: Job) -> str:
    """A question: needs_review, also where "applies when" cannot be read (a kind without
    missing_data keeps its own status)."""
    where, u = job.base(spec)
    ref = job.f.date(getattr(spec.params, "reference_date", None))
    select = (f"SELECT pos, case_id, legal_basis, u, 'needs_review' AS status, NULL::DATE AS s, NULL::DATE AS e, "
              f"NULL::DATE AS dl, NULL::INTEGER AS days, NULL::INTEGER AS over, {_unless_u(ref)} AS ref "
              f"FROM (SELECT *, {u} AS u {where})")
    return rows_sql(select, spec, index, job.as_of)


def flag(spec: RuleSpec, index: int, job: Job) -> str:
    p: Any = spec.params  # the kind's own parameters (DeadlineParams, …)
    f = job.f
    if p.pattern != "reopened_within" or p.by != "person_id":
        raise NotImplementedError(f"{spec.id}: flag {p.pattern} by {p.by} is not generated")
    where, u = job.base(spec)
    person = "person_id" if f.has("person_id") else "NULL::VARCHAR"
    base = (f"SELECT pos, case_id, legal_basis, {u} AS u, {person} AS p, {start_sql(p, f)} AS s0, "
            f"{f.date(p.end)} AS e0 {where}")
    # the latest end among the person's earlier cases (ordered by start, then extract order)
    window = (f"SELECT *, s0 - max(e0) OVER (PARTITION BY p, (NOT u AND p IS NOT NULL AND s0 IS NOT NULL) "
              f"ORDER BY s0, pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS gap FROM ({base})")
    hit = f"(NOT u AND p IS NOT NULL AND gap BETWEEN 0 AND {int(p.days)})"
    select = (f"SELECT pos, case_id, legal_basis, u, CASE WHEN u OR p IS NULL THEN 'missing_data' "
              f"WHEN {hit} THEN 'needs_review' ELSE 'pass' END AS status, {_unless_u('s0')} AS s, "
              f"{_unless_u('e0')} AS e, NULL::DATE AS dl, CASE WHEN {hit} THEN gap END AS days, "
              f"NULL::INTEGER AS over, NULL::DATE AS ref FROM ({window})")
    return rows_sql(select, spec, index, job.as_of)


def interval(spec: RuleSpec, index: int, job: Job) -> str:
    p: Any = spec.params  # the kind's own parameters (DeadlineParams, …)
    f = job.f
    if spec.applies_when is not None or not p.requires_events or not job.events:
        raise NotImplementedError(f"{spec.id}: only an interval rule over the events of every case is generated")
    where, _ = job.base(spec, undecided=False)
    cases = f"SELECT pos, case_id, legal_basis, {f.date(p.open_from)} AS o, {f.date(p.open_until)} AS cl {where}"
    of_type = f"ev.typ = {quote(p.event_type)}"
    events = (f"SELECT k.pos, ev.d, k.cl FROM ev JOIN ({cases}) k ON ev.case_id = k.case_id WHERE {of_type} AND "
              f"ev.d IS NOT NULL AND NOT coalesce(ev.d < k.o, false) AND NOT coalesce(ev.d > k.cl, false)")
    undated = (f"SELECT DISTINCT k.pos FROM ev JOIN ({cases}) k ON ev.case_id = k.case_id "
               f"WHERE {of_type} AND ev.d IS NULL")
    points = ("SELECT pos, d, cl FROM iv_ev UNION ALL SELECT pos, o, cl FROM iv_c "
              "WHERE o IS NOT NULL AND pos IN (SELECT pos FROM iv_ev)")
    gaps = f"SELECT *, lead(d) OVER (PARTITION BY pos ORDER BY d) AS nxt, {period_sql('d', p)} AS due0 FROM iv_pts"
    due = "coalesce(cal.next_working, g.due0)" if spec.basis == "law" else "g.due0"
    gaps = f"SELECT g.*, {due} AS due FROM ({gaps}) g LEFT JOIN cal ON cal.day = g.due0"
    term = f"coalesce(nxt, cl, DATE {quote(job.as_of)})"
    agg = (f"SELECT pos, max({term} - d) AS longest, max({term} - due) AS worst, "
           f"bool_or(nxt IS NOT NULL AND nxt > due) AS inner_fail, bool_or(nxt IS NULL AND {term} > due) AS term_late, "
           f"min(d) AS first, max(d) AS last, max(CASE WHEN nxt IS NULL THEN due END) AS dl FROM ({gaps}) GROUP BY pos")
    status = ("CASE WHEN a.inner_fail THEN 'fail' WHEN a.term_late THEN CASE WHEN k.cl IS NULL THEN 'overdue' "
              "ELSE 'fail' END WHEN k.o IS NULL OR ud.pos IS NOT NULL THEN 'missing_data' ELSE 'pass' END")
    select = (f"WITH iv_c AS ({cases}), iv_ev AS ({events}), iv_pts AS ({points}) "
              f"SELECT k.pos, k.case_id, k.legal_basis, false AS u, {status} AS status, a.first AS s, a.last AS e, "
              f"a.dl, a.longest AS days, greatest(a.worst, 0) AS over, a.dl AS ref FROM ({agg}) a "
              f"JOIN iv_c k ON k.pos = a.pos LEFT JOIN ({undated}) ud ON ud.pos = a.pos")
    return rows_sql(select, spec, index, job.as_of)


KINDS: dict[str, Kind] = {"deadline": deadline, "documented": documented, "manual": manual, "flag": flag,
                          "interval": interval}


def fields_read(rules: list[RuleSpec]) -> set[str]:
    """Every case field a rule reads (its parameters and conditions), besides the ones every
    result needs (case id, area, legal basis for the law cited)."""
    found = {"case_id", "area", "legal_basis"}

    def walk(value: Any) -> None:
        if isinstance(value, str) and value in FIELDS_BY_NAME:
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for spec in rules:
        walk(spec.params.model_dump(by_alias=True))
        if spec.applies_when is not None:
            found |= spec.applies_when.fields()
    return found


def _kept_rows(source: str, case_id: str, mapped: list[str]) -> str:
    """The rows the loader keeps: a case id, and of rows sharing one only the first when all
    their mapped cells are the same (a conflict drops every one of them). The ids that
    occur twice are found by a hash aggregate; only their rows are compared."""
    content = f"hash({', '.join(f'coalesce(trim({ident(c)}), {quote(chr(0))})' for c in mapped)})"
    twice = "SELECT cid FROM src GROUP BY cid HAVING count(*) > 1"
    dup = (f"SELECT cid, min(pos) AS first, count(DISTINCT {content}) > 1 AS conflict FROM src "
           f"WHERE cid IN ({twice}) GROUP BY cid")
    return (f"WITH src AS MATERIALIZED (SELECT *, {case_id} AS cid FROM ({source})), dup AS ({dup}) "
            f"SELECT src.* EXCLUDE (cid) FROM src LEFT JOIN dup ON src.cid = dup.cid WHERE src.cid IS NOT NULL "
            f"AND (dup.cid IS NULL OR (NOT dup.conflict AND src.pos = dup.first))")


def case_table(extract: Path, mapping: dict[str, Any], wanted: set[str]) -> tuple[str, Fields]:
    """``CREATE TEMP TABLE c``: the mapped fields the rules read, typed, in extract order."""
    cols, values = mapping["columns"], mapping.get("values") or {}
    dayfirst = bool((mapping.get("dates") or {}).get("dayfirst"))
    names = sorted(n for n in wanted if n in cols)
    dates = [n for n in names if FIELDS_BY_NAME[n].type is FieldType.DATE]
    typed = ["pos"]
    for name in names:
        spec, column = FIELDS_BY_NAME[name], cols[name]
        if spec.type is FieldType.DATE:
            typed += [f"{plausible(name + '__any')} AS {name}", f"nullif(trim({ident(column)}), '') AS {name}__raw"]
        elif spec.type is FieldType.CODE:
            typed.append(f"{code_sql(column, spec, values.get(name, {}))} AS {name}")
        elif spec.type is FieldType.PERSON:
            typed.append(f"{person_sql(column)[2]} AS {name}")
        else:
            typed.append(f"nullif(trim({ident(column)}), '') AS {name}")
    if "legal_basis" not in cols:
        typed.append("NULL::VARCHAR AS legal_basis")
    source = f"SELECT *, row_number() OVER () AS pos FROM read_csv({quote(str(extract))}, delim = ';', " \
             "header = true, all_varchar = true)"
    source = _kept_rows(source, f"nullif(trim({ident(cols['case_id'])}), '')", sorted(set(cols.values())))
    parsed = [f"{date_sql(cols[n], dayfirst)} AS {n}__any" for n in dates]
    if "person_id" in names:
        stage_n, stage_f, _ = person_sql(cols["person_id"])
        source = f"SELECT *, {stage_f} AS person__f FROM (SELECT *, {stage_n} AS person__n FROM ({source}))"
    source = f"SELECT *, {', '.join(parsed or ['0 AS nothing'])} FROM ({source})"
    bad = [f"({n}__raw IS NOT NULL AND {n} IS NULL) AS {n}__bad" for n in dates]
    drop = f" EXCLUDE ({', '.join(n + '__raw' for n in dates)})" if dates else ""
    sql = (f"CREATE TEMP TABLE c AS SELECT *{drop}{''.join(', ' + b for b in bad)} FROM "
           f"(SELECT {', '.join(typed)} FROM ({source}));")
    return sql, Fields({n: cols[n] for n in names})


def events_table(events: Path, mapping: dict[str, Any]) -> str:
    """``CREATE TEMP TABLE ev``: case id, date (NULL: blank or unreadable) and type code."""
    cols, values = mapping["columns"], mapping.get("values") or {}
    kind = next(f for f in EVENT_FIELDS if f.name == "event_type")
    dayfirst = bool((mapping.get("dates") or {}).get("dayfirst"))
    return (f"CREATE TEMP TABLE ev AS SELECT trim({ident(cols['case_id'])}) AS case_id, "
            f"{plausible(date_sql(cols['event_date'], dayfirst))} AS d, {code_sql(cols['event_type'], kind, values.get('event_type', {}))} "
            f"AS typ FROM read_csv({quote(str(events))}, delim = ';', header = true, all_varchar = true);")


def catalogue_sql(checklist: Checklist, extract: Path, mapping: Path, events: Path | None,
                  events_mapping: Path | None, calendar: Path, out: Path, as_of: str) -> str:
    """The whole DuckDB job as one script: read the extract and events, every rule, write."""
    m = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    table, fields = case_table(extract, m, fields_read(list(checklist.rules)))
    job = Job(fields, as_of, checklist.selected, events is not None)
    selects: list[str] = []
    for spec in checklist.rules:
        lacking = missing_fields(spec, fields.has)
        if lacking or (spec.area is not None and not fields.has("area") and not checklist.selected):
            continue  # not evaluable: no result rows (check lists it in summary.csv)
        selects.append(KINDS[spec.kind](spec, len(selects), job))
    ev = ""
    if events is not None and events_mapping is not None:
        ev = events_table(events, yaml.safe_load(events_mapping.read_text(encoding="utf-8")))
    union = "\n  UNION ALL ".join(selects)
    return f"""
SET threads = {os.cpu_count() or 2};
CREATE TEMP TABLE cal AS SELECT * FROM read_csv({quote(str(calendar))}, header = true,
    columns = {{'day': 'DATE', 'next_working': 'DATE'}});
{table}
{ev}
COPY (SELECT case_id, rule_id, status, start_date, end_date, deadline, days, days_over, reference FROM (
  {union}
) ORDER BY pos, r) TO {quote(str(out))} (HEADER, DELIMITER ',');
"""
