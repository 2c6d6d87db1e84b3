"""Does the DuckDB peer do check's job on hard data? Statuses compared, not timed (NOT a test).

    python benchmarks/duckdb_agreement.py                  # the SQL as it is: expect 0 disagreements
    python benchmarks/duckdb_agreement.py --mutate no-move # a wrong SQL: the comparison must see it

The generated extracts ``bench_duckdb.py`` times are clean: no unreadable dates, unknown codes,
invalid personnummer or duplicate rows, so on them the SQL's handling of bad cells is never
tried. This script runs the DuckDB script of ``duckdb_kinds.py`` and ``ivoaudit check`` (whole
catalogue, events table, ``--as-of 2026-10-31``) on

  * ``sample_data/lifecare`` and ``sample_data/lifecare_messy`` (dates in other forms, invalid
    dates and personnummer, unknown codes, identical and conflicting duplicates, bad event
    rows: ``faults.csv`` and ``event_faults.csv`` there);
  * ``coded``: the messy set with about 8 % of some codes made unreadable ("Bifallet",
    "Inledas kanske", "SoLx", "Missbrukk"; seed 3), so that "applies when" meets unreadable
    codes (undecided cases: missing_data, or needs_review for a question);

and prints, per set and rule, agreements and each kind of disagreement. ``--mutate`` breaks
the SQL on purpose (``no-move``: lag 1930:173 2 § forgotten; ``two-valued``: an unreadable
code taken as "does not apply"; ``undated``: events without a date ignored), to show the
comparison would catch such a mistake. Work files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import duckdb_kinds
from bench_duckdb import AS_OF, CACHE, CALENDAR_YEARS, ROOT, agreement, write_calendar, write_sql

SETS = ("lifecare", "lifecare_messy", "coded")
UNREADABLE = {"Beslut": ("Bifall", "Bifallet"), "Förhandsbedömning": ("Inleda utredning", "Inledas kanske"),
              "Lagrum": ("SoL", "SoLx"), "Verksamhet": ("Missbruk", "Missbrukk")}


def copy_set(name: str, work: Path) -> dict[str, Path]:
    """The set's four files copied into ``work/name`` (the ``coded`` set made there)."""
    src = ROOT / "sample_data" / ("lifecare_messy" if name == "coded" else name)
    folder = work / name
    folder.mkdir(parents=True)
    for file in ("arenden.csv", "lifecare.yaml", "handelser.csv", "lifecare_events.yaml"):
        shutil.copy(src / file, folder / file)
    if name == "coded":
        make_unreadable(folder / "arenden.csv")
    return {"extract": folder / "arenden.csv", "mapping": folder / "lifecare.yaml",
            "events": folder / "handelser.csv", "events_mapping": folder / "lifecare_events.yaml"}


def make_unreadable(extract: Path, share: float = 0.08, seed: int = 3) -> None:
    """Replace a share of some codes with spellings no mapping knows (in place)."""
    rng = random.Random(seed)
    with extract.open(encoding="cp1252", newline="") as f:  # the file's own CRLF line ends
        lines = f.read().split("\r\n")
    header = lines[0].split(";")
    where = {header.index(col): pair for col, pair in UNREADABLE.items()}
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        for i, (known, unknown) in where.items():
            if i < len(cells) and cells[i] == known and rng.random() < share:
                cells[i] = unknown
        out.append(";".join(cells))
    extract.write_text("\r\n".join(out), encoding="cp1252", newline="")


def mutate(how: str | None) -> None:
    """Break the generated SQL on purpose (see the module docstring)."""
    if how == "no-move":
        deadline = duckdb_kinds.KINDS["deadline"]
        duckdb_kinds.KINDS["deadline"] = lambda s, i, j: deadline(dataclasses.replace(s, basis="local"), i, j)
    elif how == "two-valued":
        duckdb_kinds.cond_tri = lambda cond, f: (duckdb_kinds.cond_value(cond, f), "false")
    elif how == "undated":
        interval = duckdb_kinds.KINDS["interval"]
        duckdb_kinds.KINDS["interval"] = lambda s, i, j: interval(s, i, j).replace("ev.d IS NULL", "false")


def compare(name: str, work: Path, calendar: Path) -> int:
    """Run both on one set; print the rules that disagree; return the disagreements."""
    files = copy_set(name, work)
    out = work / name
    duckdb.connect().execute(write_sql(None, files, calendar, out / "duckdb.csv", with_events=True))
    subprocess.run([sys.executable, "-m", "ivoaudit", "check", str(files["extract"]), "--mapping", str(files["mapping"]),
                    "--events", str(files["events"]), "--events-mapping", str(files["events_mapping"]),
                    "--as-of", AS_OF, "--out", str(out / "check")], check=True, capture_output=True, cwd=ROOT)
    found = agreement(out / "duckdb.csv", out / "check" / "results.csv")
    agree = sum(a["agree"] for a in found.values())
    disagree = sum(a["disagree"] for a in found.values())
    count = f"{agree:,}".replace(",", "\u2009")
    print(f"{name}: {count} (case, rule) pairs agree, {disagree} disagree")
    for rule, a in found.items():
        differ = {k: v for k, v in a["differ"].items() if v}
        if a["kinds"] or differ:
            print(f"    {rule}: {a['kinds']} {differ or ''}")
    return disagree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mutate", choices=["no-move", "two-valued", "undated"])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    args = parser.parse_args()
    mutate(args.mutate)
    CACHE.mkdir(parents=True, exist_ok=True)
    calendar = write_calendar(CACHE / f"calendar-{CALENDAR_YEARS[0]}-{CALENDAR_YEARS[1]}.csv")
    work = Path(tempfile.mkdtemp(prefix="duckdb-agreement-"))
    try:
        total = sum(compare(name, work, calendar) for name in args.sets)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"in all: {total} disagreements")


if __name__ == "__main__":
    main()
