"""ivoaudit against a peer: DuckDB doing the same rules in SQL, in the same run (NOT a test).

    pip install -e ".[bench]"                                  # DuckDB, for this script only
    python benchmarks/bench_duckdb.py                          # 10 000, 100 000 cases, 5 rounds
    python benchmarks/bench_duckdb.py --sizes 1000000 --rounds 3

For each size a Lifecare-style extract (cp1252 ``;``-CSV, personnummer, 15 date columns, plus
its events table) is made once with ``ivoaudit generate --cases N --seed 1`` into
``benchmarks/out/journeys-N/`` (git-ignored, reused: the extracts ``bench_journeys.py``
times, with its ``timed``). Then, round by round and taking turns, each contender runs as a
fresh process, timed from start to exit (CPU time and peak memory of the child from GNU time):

  * ``floor``: a fresh Python parsing the extract with ``pyarrow.csv.read_csv``, the least
    any tool must do to have read it;
  * ``duckdb``: a fresh Python running DuckDB on the same file: read the CSV (headers and
    codes through the same mapping file), evaluate four rules in SQL exactly as
    ``docs/rules.md`` defines them and write their results (case, rule, status, start, end,
    deadline, days, days over) to a CSV. The rules: BU-FORHAND-14D (14 days, exception
    ``preliminary_delay_reason``), BU-UTR-4M (4 calendar months from ``investigation_start``,
    falling back to ``preliminary_decision_date``, with the lawful extension: decided on or
    before the deadline and naming an end date, which is then not moved), ALL-EJ-VERKST-3M
    (3 months, granted or partly granted SoL/LSS decisions or no legal basis) and
    BU-BARN-ASIKT (documented). Months are DuckDB's ``date + INTERVAL n MONTH`` (clamped to
    the month's last day: lag 1930:173 1 §); a statutory last day on a weekend, holiday or
    eve moves to the next weekday (2 §) through a calendar table of 1990-2100 written from
    ivoaudit's holiday calendar before the runs (``next_working_day``);
  * ``check 4 rules``: ``ivoaudit check`` with a checklist holding only those four rules
    (the same job as DuckDB's), every output file;
  * ``check``: ``ivoaudit check`` with the whole catalogue (20 rules) and the events table,
    every output file: what users run.

After the rounds the statuses DuckDB gave are held against the ``results.csv`` of ``check``
(every case × the four rules; a case a rule does not apply to has no row in either):
agreements and disagreements per rule, and for each disagreement kind a few case ids.
Medians of ``--rounds`` runs; ratios over the floor and over DuckDB of the same run.
The JSON lines on stderr hold every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from bench_journeys import (  # the same extracts, timed the same way
    AS_OF,
    CACHE,
    FLOOR,
    ROOT,
    data_set,
    timed,
)

RULES = ("BU-FORHAND-14D", "BU-UTR-4M", "ALL-EJ-VERKST-3M", "BU-BARN-ASIKT")
CALENDAR_YEARS = (1990, 2100)
DUCKDB = "import sys, duckdb; con = duckdb.connect(); con.execute(open(sys.argv[1], encoding='utf-8').read())"
DATE_FIELDS = ("received_date", "preliminary_decision_date", "investigation_start", "extension_decision_date",
               "extended_until", "investigation_end", "decision_date", "execution_date")
CODE_FIELDS = ("area", "preliminary_outcome", "decision_outcome", "legal_basis", "child_views")
TEXT_FIELDS = ("case_id", "preliminary_delay_reason")


def utf8_copy(extract: Path) -> Path:
    """The extract re-encoded as UTF-8, made once before the runs: DuckDB reads cp1252 only
    through its ``encodings`` extension, a download this machine cannot make (and its
    ``latin-1`` refuses cp1252's en dash, 0x96). This spares DuckDB the decoding that the
    floor and ``check`` do in their timed runs."""
    copy = extract.with_name(extract.stem + ".utf8.csv")
    if not copy.exists():
        tmp = copy.with_suffix(".tmp")
        tmp.write_text(extract.read_text(encoding="cp1252"), encoding="utf-8", newline="")
        os.replace(tmp, copy)
    return copy


def write_calendar(path: Path) -> Path:
    """Every day of CALENDAR_YEARS with the day lag 1930:173 2 § moves a last day to (the day
    itself on a working day), from ivoaudit's own holiday calendar."""
    if path.exists():
        return path
    import numpy as np

    from ivoaudit.rules.calendar import next_working_day

    days = np.arange(f"{CALENDAR_YEARS[0]}-01-01", f"{CALENDAR_YEARS[1] + 1}-01-01", dtype="datetime64[D]")
    moved = next_working_day(days)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        f.write("day,next_working\n")
        f.writelines(f"{d},{m}\n" for d, m in zip(days, moved, strict=True))
    os.replace(tmp, path)
    return path


def write_four_rules(path: Path) -> Path:
    """A municipality's checklist that takes the shipped rules as they are and switches every
    one but the four off (``extends`` and ``disable``): the same job as DuckDB's."""
    others = []
    for name in ("barn_unga", "alla_omraden"):
        doc = yaml.safe_load((ROOT / "checklists" / f"{name}.yaml").read_text(encoding="utf-8"))
        others += [r["id"] for r in doc["rules"] if r["id"] not in RULES]
    doc = {"name": "duckdb_peer", "version": "1", "extends": ["barn_unga", "alla_omraden"], "disable": others}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _code(column: str, values: dict[str, list[str]]) -> str:
    """SQL mapping the raw cell to its canonical code (folded as ivoaudit folds: trimmed,
    lower case); NULL for a blank cell, '?' for a value the mapping does not know."""
    folded = f"lower(trim({_ident(column)}))"
    whens = " ".join(f"WHEN {folded} IN ({', '.join(_quote(v.strip().lower()) for v in [code, *raws])}) "
                     f"THEN {_quote(code)}" for code, raws in values.items())
    return f"CASE WHEN nullif(trim({_ident(column)}), '') IS NULL THEN NULL {whens} ELSE '?' END"


def duckdb_sql(extract: Path, mapping: Path, calendar: Path, out: Path, as_of: str = AS_OF) -> str:
    """The whole DuckDB job as one SQL script: read, four rules, write."""
    m = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    cols, values = m["columns"], m.get("values", {})
    types = {cols[f]: "DATE" for f in DATE_FIELDS} | {cols[f]: "VARCHAR" for f in (*CODE_FIELDS, *TEXT_FIELDS)}
    select = [f"{_ident(cols[f])} AS {f}" for f in (*DATE_FIELDS, "case_id")]
    select.append(f"nullif(trim({_ident(cols['preliminary_delay_reason'])}), '') IS NOT NULL AS delay_reason")
    select += [f"{_code(cols[f], values.get(f, {}))} AS {f}" for f in CODE_FIELDS]
    type_map = "{" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in types.items()) + "}"
    return f"""
SET threads = {os.cpu_count() or 2};
CREATE TEMP TABLE cal AS SELECT * FROM read_csv({_quote(str(calendar))}, header = true,
    columns = {{'day': 'DATE', 'next_working': 'DATE'}});
CREATE TEMP TABLE c AS SELECT {', '.join(select)}
FROM read_csv({_quote(str(extract))}, delim = ';', header = true,
              dateformat = '%Y-%m-%d', types = {type_map});
-- The verdict of a deadline (data-model.md): data problems first, then pass/fail with an end
-- date and overdue/pending without one (measured to the check date); the exception turns a
-- late end into a pass.
CREATE MACRO verdict(s, e, dl, exc) AS CASE
    WHEN s IS NULL OR e < s THEN 'missing_data'
    WHEN e IS NULL THEN CASE WHEN DATE {_quote(as_of)} > dl THEN 'overdue' ELSE 'pending' END
    WHEN e > dl THEN CASE WHEN exc THEN 'pass' ELSE 'fail' END
    ELSE 'pass' END;
COPY (
  WITH
  forhand AS (
    SELECT case_id, received_date AS s, preliminary_decision_date AS e,
           coalesce(cal.next_working, received_date + 14) AS dl, delay_reason AS exc
    FROM c LEFT JOIN cal ON cal.day = c.received_date + 14
    WHERE area = 'barn_unga' AND preliminary_outcome IS DISTINCT FROM 'joined'),
  utr_start AS (
    SELECT case_id, coalesce(investigation_start, preliminary_decision_date) AS s,
           investigation_end AS e, extension_decision_date AS ext_dec, extended_until AS ext_until
    FROM c WHERE area = 'barn_unga' AND (investigation_start IS NOT NULL OR preliminary_outcome = 'open')),
  utr_moved AS (
    SELECT u.*, coalesce(cal.next_working, CAST(s + INTERVAL 4 MONTH AS DATE)) AS dl0
    FROM utr_start u LEFT JOIN cal ON cal.day = CAST(u.s + INTERVAL 4 MONTH AS DATE)),
  utr AS (
    -- a lawful extension (decided on or before the moved deadline, naming an end date)
    -- replaces the deadline with its own date, which 2 § does not move
    SELECT case_id, s, e,
           CASE WHEN ext_dec IS NOT NULL AND ext_dec <= dl0 AND ext_until IS NOT NULL THEN ext_until
                ELSE dl0 END AS dl, false AS exc
    FROM utr_moved),
  verkst AS (
    SELECT case_id, decision_date AS s, execution_date AS e,
           coalesce(cal.next_working, CAST(decision_date + INTERVAL 3 MONTH AS DATE)) AS dl, false AS exc
    FROM c LEFT JOIN cal ON cal.day = CAST(c.decision_date + INTERVAL 3 MONTH AS DATE)
    WHERE decision_outcome IN ('granted', 'partly_granted')
      AND (legal_basis IN ('SoL', 'LSS') OR legal_basis IS NULL)),
  deadlines AS (
    SELECT 'BU-FORHAND-14D' AS rule_id, * FROM forhand
    UNION ALL SELECT 'BU-UTR-4M', * FROM utr
    UNION ALL SELECT 'ALL-EJ-VERKST-3M', * FROM verkst),
  asikt AS (
    SELECT case_id, 'BU-BARN-ASIKT' AS rule_id,
           CASE WHEN child_views IN ('yes', 'reason') THEN 'pass'
                WHEN child_views = 'no' THEN 'fail'
                WHEN child_views = '?' THEN 'missing_data'
                WHEN investigation_end IS NOT NULL THEN 'fail'
                ELSE 'pending' END AS status,
           NULL::DATE AS start_date, NULL::DATE AS end_date, NULL::DATE AS deadline,
           NULL::INTEGER AS days, NULL::INTEGER AS days_over
    FROM c WHERE area = 'barn_unga' AND (investigation_start IS NOT NULL OR preliminary_outcome = 'open'))
  SELECT case_id, rule_id, status, start_date, end_date, deadline,
         CASE WHEN status <> 'missing_data' THEN coalesce(end_date, DATE {_quote(as_of)}) - start_date END AS days,
         CASE WHEN status NOT IN ('missing_data', 'pending')
              THEN greatest(coalesce(end_date, DATE {_quote(as_of)}) - deadline, 0) END AS days_over
  FROM (SELECT case_id, rule_id, verdict(s, e, dl, exc) AS status, s AS start_date, e AS end_date,
               CASE WHEN s IS NOT NULL THEN dl END AS deadline FROM deadlines)
  UNION ALL SELECT * FROM asikt
) TO {_quote(str(out))} (HEADER, DELIMITER ',');
"""


def agreement(duck_csv: Path, results_csv: Path) -> dict[str, dict]:
    """Per rule: cases where DuckDB and ivoaudit give the same status (a case a rule does not
    apply to has no row; ``-`` below), and each kind of disagreement with a few case ids."""
    statuses: dict[str, dict[str, list[str]]] = {r: defaultdict(lambda: ["-", "-"]) for r in RULES}
    deadlines: Counter[str] = Counter()
    with results_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["rule_id"] in statuses:
                statuses[row["rule_id"]][row["case_id"]][0] = row["status"]
                statuses[row["rule_id"]][row["case_id"]].append(row["deadline"])
    with duck_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            entry = statuses[row["rule_id"]][row["case_id"]]
            entry[1] = row["status"]
            if len(entry) == 3 and entry[2] != row["deadline"]:
                deadlines[row["rule_id"]] += 1
    out = {}
    for rule, cases in statuses.items():
        kinds: dict[str, list[str]] = defaultdict(list)
        agree = 0
        for case_id, (ours, theirs, *_) in cases.items():
            if ours == theirs:
                agree += 1
            else:
                kinds[f"ivoaudit {ours} / duckdb {theirs}"].append(case_id)
        out[rule] = {"agree": agree, "disagree": sum(len(v) for v in kinds.values()),
                     "deadline_differs": deadlines[rule],
                     "kinds": {k: {"n": len(v), "cases": v[:5]} for k, v in kinds.items()}}
    return out


def bench(n: int, rounds: int) -> dict:
    files = data_set(n)
    work = Path(tempfile.mkdtemp(prefix=f"duckdb-{n}-", dir=CACHE))
    calendar = write_calendar(CACHE / f"calendar-{CALENDAR_YEARS[0]}-{CALENDAR_YEARS[1]}.csv")
    sql = work / "rules.sql"
    sql.write_text(duckdb_sql(utf8_copy(files["extract"]), files["mapping"], calendar, work / "duckdb.csv"), encoding="utf-8")
    four = write_four_rules(work / "four_rules.yaml")
    env = dict(os.environ, IVOAUDIT_LANG="sv")
    ivo = [sys.executable, "-m", "ivoaudit", "check", str(files["extract"]), "--mapping", str(files["mapping"]),
           "--as-of", AS_OF]
    commands = {
        "floor": [sys.executable, "-c", FLOOR, str(files["extract"])],
        "duckdb": [sys.executable, "-c", DUCKDB, str(sql)],
        "check 4 rules": [*ivo, "--checklist", str(four), "--out", str(work / "check4")],
        "check": [*ivo, "--events", str(files["events"]), "--events-mapping", str(files["events_mapping"]),
                  "--out", str(work / "check")],
    }
    runs: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {}
    load_before = os.getloadavg()
    try:
        for _ in range(rounds):
            for name, argv in commands.items():
                wall, used, peak = timed(argv, env)
                runs[name].append(round(wall, 3))
                if used is not None:
                    cpu[name].append(round(used, 2))
                if peak is not None:
                    peaks[name] = max(peaks.get(name, 0), peak)
        agree = agreement(work / "duckdb.csv", work / "check" / "results.csv")
        agree4 = agreement(work / "duckdb.csv", work / "check4" / "results.csv")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in runs.items()}
    return {"cases": n, "file_mb": round(files["extract"].stat().st_size / 1e6, 1), "rounds": rounds,
            "load": [round(x, 1) for x in (*load_before, *os.getloadavg())],
            "median_s": {k: round(v, 3) for k, v in med.items()},
            "over_floor": {k: round(v / med["floor"], 2) for k, v in med.items() if k != "floor"},
            "over_duckdb": {k: round(v / med["duckdb"], 2) for k, v in med.items() if k.startswith("check")},
            "cpu_s": {k: round(statistics.median(v), 2) for k, v in cpu.items() if v},
            "peak_mb": peaks, "agreement": agree, "same_with_4_rule_checklist": agree == agree4,
            "runs": runs, "cpu_runs": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    names = ["duckdb", "check 4 rules", "check"]
    print(f"{os.cpu_count()} cores; medians of {args.rounds} runs; ×: over the floor of the same run; "
          "check / duckdb: ratio of medians")
    print("| cases | file | floor | " + " | ".join(names) + " | check / duckdb (4 rules, all) | CPU "
          + " / ".join(["floor", *names]) + " | peak MB " + " / ".join(["floor", *names]) + " | load |")
    print("|---:|---:|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|")
    for n in args.sizes:
        row = bench(n, args.rounds)
        print(json.dumps(row), file=sys.stderr, flush=True)
        med, over = row["median_s"], row["over_floor"]
        cells = " | ".join(f"{med[k]:.2f} s ({over[k]}×)" for k in names)
        used = " / ".join(str(row["cpu_s"].get(k, "–")) for k in ["floor", *names])
        mem = " / ".join(str(row["peak_mb"].get(k, "–")) for k in ["floor", *names])
        ratio = f"{row['over_duckdb']['check 4 rules']}× / {row['over_duckdb']['check']}×"
        load = f"{row['load'][0]}–{row['load'][3]}"
        print(f"| {n:,} | {row['file_mb']} MB | {med['floor']:.2f} s | {cells} | {ratio} | {used} s | {mem} | "
              f"{load} |".replace(",", " "), flush=True)
        for rule, a in row["agreement"].items():
            print(f"    {rule}: {a['agree']:,} agree, {a['disagree']} disagree, deadline differs "
                  f"{a['deadline_differs']} {json.dumps(a['kinds'], ensure_ascii=False) if a['kinds'] else ''}",
                  flush=True)


if __name__ == "__main__":
    main()
