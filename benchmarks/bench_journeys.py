"""The journeys a user waits for, timed end to end at the sizes users have (NOT a test).

    python benchmarks/bench_journeys.py                          # 1 000, 10 000, 100 000, 400 000 cases
    python benchmarks/bench_journeys.py --sizes 1000 10000 --rounds 5

A municipality has 10³–10⁵ cases; a whole country about 4·10⁵ a year. For each size a
Lifecare-style extract (cp1252 `;`-CSV with personnummer, plus its events table) is made
once with ``ivoaudit generate --seed 1`` into ``benchmarks/out/journeys-N/`` (git-ignored,
reused; delete it to regenerate). Then, in fresh processes taking turns round by round:

  * ``floor``: the baseline, measured in the same run: a fresh Python that imports pyarrow
    and parses the same extract with ``pyarrow.csv.read_csv`` (start-up, import, parse:
    the least any tool must do to have read the file);
  * ``check``: ``ivoaudit check`` with the events table, every rule, every output file;
  * ``report``: ``ivoaudit report`` on that check folder, internal, all four formats
    (HTML, Excel, Word, JSON);
  * ``report public``: the same for the committee (suppressed, de-identified);
  * ``sample``: ``ivoaudit sample --strategy ivo`` (10 + 7 cases, as IVO draws) into a new
    audit store: load with keyed pseudonyms, check, draw, store the round, write the form.

Each figure is the median of ``--rounds`` runs (wall time of the whole process, as the user
waits for it); ``×`` is that median over the floor's median of the same run. Timings on a
shared machine drift with its load: read the ratios, the CPU time (user + system, which a
busy machine changes less than the wall time) and the load average printed with them.
CPU time and peak memory (the largest resident set of the journey's runs) come from GNU
time, when installed.
The JSON lines on stderr hold every run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / "out"  # git-ignored
AS_OF = "2026-10-31"
GNU_TIME = Path("/usr/bin/time")
FLOOR = "import sys, pyarrow.csv as c; c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter=';'), " \
        "read_options=c.ReadOptions(encoding='cp1252'))"


def data_set(n: int) -> dict[str, Path]:
    """The generated extract of ``n`` cases, its events and mappings (made once).

    It also compiles ivoaudit's modules to bytecode, as an installed package has them: with
    ``PYTHONDONTWRITEBYTECODE`` set (it is on these machines) an editable checkout would
    otherwise be compiled anew in every timed run, some 0.15 s that no user waits for."""
    compileall.compile_dir(ROOT / "ivoaudit", quiet=1)
    folder = CACHE / f"journeys-{n}"
    if not (folder / "meta.json").exists():  # written last by the generator
        subprocess.run([sys.executable, "-m", "ivoaudit", "generate", "--cases", str(n), "--seed", "1",
                        "--out", str(folder)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return {"extract": folder / "arenden.csv", "mapping": folder / "lifecare.yaml",
            "events": folder / "handelser.csv", "events_mapping": folder / "lifecare_events.yaml"}


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float | None, int | None]:
    """One fresh process: wall seconds, CPU seconds (user + system) and peak memory in MB
    (the last two from GNU time; None without it)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        prefix = [str(GNU_TIME), "-f", "%M %U %S", "-o", out.name] if GNU_TIME.exists() else []
        start = time.perf_counter()
        done = subprocess.run(prefix + argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:4])} … failed ({done.returncode}):\n{done.stderr[-2000:]}")
        fields = (out.read().strip().splitlines() or [""])[-1].split()
    if len(fields) != 3:
        return wall, None, None
    return wall, float(fields[1]) + float(fields[2]), int(fields[0]) // 1024


def journeys(files: dict[str, Path], work: Path) -> dict[str, list[str]]:
    """Each journey's command line (the sample's store is made anew in ``run_round``)."""
    ivo = [sys.executable, "-m", "ivoaudit"]
    check_dir = work / "check"
    return {
        "floor": [sys.executable, "-c", FLOOR, str(files["extract"])],
        "check": [*ivo, "check", str(files["extract"]), "--mapping", str(files["mapping"]),
                  "--events", str(files["events"]), "--events-mapping", str(files["events_mapping"]),
                  "--as-of", AS_OF, "--out", str(check_dir)],
        "report": [*ivo, "report", "--results", str(check_dir), "--audience", "internal",
                   "--format", "html,xlsx,docx,json", "--out", str(work / "report-internal")],
        "report public": [*ivo, "report", "--results", str(check_dir), "--audience", "public",
                          "--format", "html,xlsx,docx,json", "--out", str(work / "report-public")],
        "sample": [*ivo, "sample", str(files["extract"]), "--mapping", str(files["mapping"]),
                   "--strategy", "ivo", "--not-opened", "10", "--completed", "7", "--seed", "7",
                   "--as-of", AS_OF, "--round", "bench", "--db", str(work / "audit.db"),
                   "--out", str(work / "form.xlsx")],
    }


def bench(n: int, rounds: int) -> dict:
    files = data_set(n)
    work = Path(tempfile.mkdtemp(prefix=f"journeys-{n}-", dir=CACHE))
    env = dict(os.environ, IVOAUDIT_SECRET_FILE=str(work / "secret.key"), IVOAUDIT_LANG="sv")
    commands = journeys(files, work)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int | None] = {}
    load_before = os.getloadavg()[0]
    try:
        for _ in range(rounds):
            for name, argv in commands.items():
                for stale in (work / "audit.db", work / "audit.db-wal", work / "audit.db-shm"):
                    stale.unlink(missing_ok=True)  # a new store: the round's name is free again
                wall, used, peak = timed(argv, env)
                runs[name].append(round(wall, 3))
                if used is not None:
                    cpu[name].append(round(used, 2))
                if peak is not None:
                    peaks[name] = max(peaks.get(name) or 0, peak)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in runs.items()}
    return {"cases": n, "file_mb": round(files["extract"].stat().st_size / 1e6, 1),
            "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "median_s": {k: round(v, 2) for k, v in medians.items()},
            "ratio": {k: round(v / medians["floor"], 1) for k, v in medians.items() if k != "floor"},
            "cpu_s": {k: round(statistics.median(v), 2) for k, v in cpu.items() if v},
            "peak_mb": peaks, "runs": runs, "cpu_runs": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 400000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    names = ["check", "report", "report public", "sample"]
    print(f"{os.cpu_count()} cores; medians of {args.rounds} runs; × = over the floor of the same run")
    print("| cases | file | floor | " + " | ".join(names) + " | CPU floor / " + " / ".join(names)
          + " | peak memory (check / report / sample) | load |")
    print("|---:|---:|---:|" + "---:|" * len(names) + "---:|---:|---:|")
    for n in args.sizes:
        row = bench(n, args.rounds)
        print(json.dumps(row), file=sys.stderr)
        med, ratio, peak = row["median_s"], row["ratio"], row["peak_mb"]
        cells = " | ".join(f"{med[k]} s ({ratio[k]}×)" for k in names)
        mem = " / ".join(f"{peak[k]} MB" if peak.get(k) else "–" for k in ("check", "report", "sample"))
        used = " / ".join(str(row["cpu_s"].get(k, "–")) for k in ["floor", *names])
        print(f"| {n:,} | {row['file_mb']} MB | {med['floor']} s | {cells} | {used} s | {mem} | "
              f"{row['load'][0]}–{row['load'][1]} |".replace(",", " "), flush=True)


if __name__ == "__main__":
    main()
