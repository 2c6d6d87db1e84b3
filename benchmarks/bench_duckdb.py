"""ivoaudit against a peer: DuckDB doing the same job in SQL, in the same run (NOT a test).

    pip install -e ".[bench]"                                  # DuckDB, for this script only
    python benchmarks/bench_duckdb.py                          # 10 000, 100 000 cases, 3 rounds
    python benchmarks/bench_duckdb.py --sizes 1000000 --rounds 3

For each size a Lifecare-style extract (cp1252 ``;``-CSV, personnummer, 15 date columns, plus
its events table) is made once with ``ivoaudit generate --cases N --seed 1`` into
``benchmarks/out/journeys-N/`` (git-ignored, reused: the extracts ``bench_journeys.py``
times, with its ``timed``). Then, round by round and taking turns, each contender runs as a
fresh process, timed from start to exit (CPU time and peak memory of the child from GNU time):

  * ``floor``: a fresh Python parsing the extract with ``pyarrow.csv.read_csv``, the least
    any tool must do to have read it;
  * ``duckdb``: a fresh Python running DuckDB on the same extract and events table: one SQL
    script generated before the runs from the whole catalogue (``checklists/*.yaml``, 20
    rules of five kinds, ``duckdb_kinds.py`` and ``duckdb_rules.py``) and the mapping files,
    which reads both files, evaluates every rule as ``docs/rules.md`` defines it and writes
    the results (case, rule, status, start, end, deadline, days, days over, law cited) to one
    CSV in ``results.csv``'s order. Lag 1930:173 2 § comes from a calendar table of 1990-2100
    written from ivoaudit's holiday calendar before the runs (``next_working_day``);
  * ``check``: ``ivoaudit check`` with the whole catalogue and the events table, every output
    file (results, summary, cases, problems, quarantine, meta, report.html): what users run;
  * ``duckdb 4 rules`` and ``check 4 rules``: the same two with a checklist that keeps only
    BU-FORHAND-14D, BU-UTR-4M, ALL-EJ-VERKST-3M and BU-BARN-ASIKT (no events table), the
    peer this script had before it did the whole catalogue.

After the rounds every (case, rule) DuckDB wrote is held against ``check``'s ``results.csv``
(a case a rule does not apply to has no row in either): agreements and disagreements per rule,
each kind of disagreement with a few case ids, and for agreeing statuses how many rows differ
in start, end, deadline, days, days over or the law cited. Medians of ``--rounds`` runs;
ratios over the floor and check over DuckDB of the same run. The JSON lines on stderr hold
every run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
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


AGREEMENT = """
WITH ours AS (SELECT * FROM read_csv({ours}, all_varchar = true)),
     theirs AS (SELECT * FROM read_csv({theirs}, all_varchar = true))
SELECT coalesce(o.rule_id, t.rule_id) AS rule_id, coalesce(o.status, '-') AS ours, coalesce(t.status, '-') AS theirs,
       count(*) AS n, {columns}, list(coalesce(o.case_id, t.case_id) ORDER BY coalesce(o.case_id, t.case_id))[1:3]
FROM ours o FULL OUTER JOIN theirs t ON o.case_id = t.case_id AND o.rule_id = t.rule_id
GROUP BY ALL ORDER BY ALL
"""
COMPARED = ("start_date", "end_date", "deadline", "days", "days_over", "reference")


def agreement(duck_csv: Path, results_csv: Path) -> dict[str, dict]:
    """Per rule: the (case, rule) pairs where DuckDB and ``check`` give the same status (a
    case a rule does not apply to has no row; ``-`` below), each kind of disagreement with a
    few case ids, and how many rows differ in each other column both write. The join runs in
    DuckDB (five million rows at 10⁶ cases), after the timed runs."""
    import duckdb

    columns = ", ".join(f"count(*) FILTER (WHERE o.{c} IS DISTINCT FROM t.{c}) AS {c}" for c in COMPARED)
    sql = AGREEMENT.format(ours=_quote(str(results_csv)), theirs=_quote(str(duck_csv)), columns=columns)
    out: dict[str, dict] = {}
    for rule, ours, theirs, n, *differ, cases in duckdb.connect().execute(sql).fetchall():
        entry = out.setdefault(rule, {"agree": 0, "disagree": 0, "kinds": {}, "differ": dict.fromkeys(COMPARED, 0)})
        if ours == theirs:
            entry["agree"] += n
            for name, count in zip(COMPARED, differ, strict=True):
                entry["differ"][name] += count
        else:
            entry["disagree"] += n
            entry["kinds"][f"ivoaudit {ours} / duckdb {theirs}"] = {"n": n, "cases": cases}
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_sql(checklist_files: list[Path] | None, files: dict[str, Path], calendar: Path, out: Path,
              with_events: bool) -> str:
    """The DuckDB script for the checklists (None: every shipped one, as ``check`` loads them)."""
    from duckdb_kinds import catalogue_sql

    from ivoaudit.checklist import load_checklists

    checklist = load_checklists([str(p) for p in checklist_files] if checklist_files else None)
    events = utf8_copy(files["events"]) if with_events else None
    return catalogue_sql(checklist, utf8_copy(files["extract"]), files["mapping"], events,
                         files["events_mapping"] if with_events else None, calendar, out, AS_OF)


def contenders(files: dict[str, Path], work: Path, calendar: Path) -> dict[str, list[str]]:
    """Each contender's command line; the DuckDB scripts are written first (not timed)."""
    four = write_four_rules(work / "four_rules.yaml")
    scripts = {"duckdb": write_sql(None, files, calendar, work / "duckdb.csv", with_events=True),
               "duckdb 4 rules": write_sql([four], files, calendar, work / "duckdb4.csv", with_events=False)}
    for name, text in scripts.items():
        (work / f"{name.replace(' ', '_')}.sql").write_text(text, encoding="utf-8")
    ivo = [sys.executable, "-m", "ivoaudit", "check", str(files["extract"]), "--mapping", str(files["mapping"]),
           "--as-of", AS_OF]
    return {
        "floor": [sys.executable, "-c", FLOOR, str(files["extract"])],
        "duckdb": [sys.executable, "-c", DUCKDB, str(work / "duckdb.sql")],
        "check": [*ivo, "--events", str(files["events"]), "--events-mapping", str(files["events_mapping"]),
                  "--out", str(work / "check")],
        "duckdb 4 rules": [sys.executable, "-c", DUCKDB, str(work / "duckdb_4_rules.sql")],
        "check 4 rules": [*ivo, "--checklist", str(four), "--out", str(work / "check4")],
    }


def bench(n: int, rounds: int) -> dict:
    files = data_set(n)
    work = Path(tempfile.mkdtemp(prefix=f"duckdb-{n}-", dir=CACHE))
    calendar = write_calendar(CACHE / f"calendar-{CALENDAR_YEARS[0]}-{CALENDAR_YEARS[1]}.csv")
    env = dict(os.environ, IVOAUDIT_LANG="sv")
    try:
        commands = contenders(files, work, calendar)
        runs: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, int] = {}
        load_before = os.getloadavg()
        for _ in range(rounds):
            for name, argv in commands.items():
                wall, used, peak = timed(argv, env)
                runs[name].append(round(wall, 3))
                if used is not None:
                    cpu[name].append(round(used, 2))
                if peak is not None:
                    peaks[name] = max(peaks.get(name, 0), peak)
        load_after = os.getloadavg()
        agree = agreement(work / "duckdb.csv", work / "check" / "results.csv")
        agree4 = agreement(work / "duckdb4.csv", work / "check4" / "results.csv")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in runs.items()}
    return {"cases": n, "file_mb": round(files["extract"].stat().st_size / 1e6, 1), "rounds": rounds,
            "load": [round(x, 1) for x in (*load_before, *load_after)],
            "median_s": {k: round(v, 3) for k, v in med.items()},
            "over_floor": {k: round(v / med["floor"], 2) for k, v in med.items() if k != "floor"},
            "check_over_duckdb": {"catalogue": round(med["check"] / med["duckdb"], 2),
                                  "4 rules": round(med["check 4 rules"] / med["duckdb 4 rules"], 2)},
            "cpu_s": {k: round(statistics.median(v), 2) for k, v in cpu.items() if v},
            "peak_mb": peaks, "agreement": agree,
            "agreement_4_rules": {r: {"agree": a["agree"], "disagree": a["disagree"]} for r, a in agree4.items()},
            "runs": runs, "cpu_runs": cpu}


def print_row(row: dict) -> None:
    """The size's line of the Markdown table, then the agreement per rule."""
    names = ["duckdb", "check", "duckdb 4 rules", "check 4 rules"]
    med, over = row["median_s"], row["over_floor"]
    cells = " | ".join(f"{med[k]:.2f} s ({over[k]}×)" for k in names)
    used = " / ".join(str(row["cpu_s"].get(k, "–")) for k in ["floor", *names])
    mem = " / ".join(str(row["peak_mb"].get(k, "–")) for k in ["floor", *names])
    ratio = f"{row['check_over_duckdb']['catalogue']}× / {row['check_over_duckdb']['4 rules']}×"
    load = f"{row['load'][0]}–{row['load'][3]}"
    print(f"| {row['cases']:,} | {row['file_mb']} MB | {med['floor']:.2f} s | {cells} | {ratio} | {used} s | "
          f"{mem} | {load} |".replace(",", " "), flush=True)
    for rule, a in row["agreement"].items():
        differ = {k: v for k, v in a["differ"].items() if v}
        print(f"    {rule}: {a['agree']:,} agree, {a['disagree']} disagree"
              f"{' ' + json.dumps(a['kinds'], ensure_ascii=False) if a['kinds'] else ''}"
              f"{'; other columns differ: ' + json.dumps(differ) if differ else ''}", flush=True)
    four = row["agreement_4_rules"]
    print(f"    4 rules: {sum(a['agree'] for a in four.values()):,} agree, "
          f"{sum(a['disagree'] for a in four.values())} disagree", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    names = ["duckdb", "check", "duckdb 4 rules", "check 4 rules"]
    print(f"{os.cpu_count()} cores; medians of {args.rounds} runs; ×: over the floor of the same run; "
          "check / duckdb: ratio of medians (whole catalogue / 4 rules)")
    print("| cases | file | floor | duckdb, catalogue | check, catalogue | duckdb, 4 rules | check, 4 rules | "
          "check ÷ duckdb (catalogue / 4 rules) | CPU " + " / ".join(["floor", *names]) + " | peak MB "
          + " / ".join(["floor", *names]) + " | load |")
    print("|---:|---:|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|")
    for n in args.sizes:
        row = bench(n, args.rounds)
        print(json.dumps(row), file=sys.stderr, flush=True)
        print_row(row)


if __name__ == "__main__":
    main()
