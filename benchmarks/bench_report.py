"""Benchmark of `ivoaudit report` against `ivoaudit check` on the same data (NOT a test).

    python benchmarks/bench_report.py                       # bundled 3 000 cases and 100 000
    python benchmarks/bench_report.py --sizes 100000 --rounds 5
    python benchmarks/bench_report.py --src /tmp/old-checkout   # the same, with another ivoaudit

What a user waits for: the bundled Lifecare-style sample (3 000 cases) and a generated
100 000-case extract of the same style with its events table. For each size, in fresh
processes taking turns (this VM's timings scatter; medians are reported):
  * ``check``: ``python -m ivoaudit check EXTRACT --mapping … --events … --out DIR``;
  * ``report internal``: ``python -m ivoaudit report --results DIR`` in all four formats
    (HTML, Excel, Word, JSON; the JSON is built from a second, public model);
  * ``report public``: the same with ``--audience public``.
``ratio`` = report / check (medians of the same run). ``--src`` runs another checkout's code
(``PYTHONPATH``), so a before/after table comes from one run on one machine state. The load
average is printed: on a shared machine read the ratios, not the seconds.
Targets (issue 16): every report in all four formats for 100 000 cases under 10 s, for the
bundled 3 000 cases under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / "out"  # git-ignored
AS_OF = "2026-10-31"


def data_set(n: int) -> tuple[Path, Path, Path, Path]:
    """(extract, mapping, events, events mapping): the bundled set for 3 000, else generated once."""
    if n == 3000:
        folder = ROOT / "sample_data" / "lifecare"
        maps = ROOT / "sample_data" / "mappings"
        return folder / "arenden.csv", maps / "lifecare.yaml", folder / "handelser.csv", maps / "lifecare_events.yaml"
    folder = CACHE / f"report-{n}"
    if not (folder / "meta.json").exists():
        subprocess.run([sys.executable, "-m", "ivoaudit", "generate", "--cases", str(n), "--seed", "1",
                        "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return (folder / "arenden.csv", folder / "lifecare.yaml", folder / "handelser.csv",
            folder / "lifecare_events.yaml")


CPU: dict[str, list[float]] = {}


def run(args: list[str], src: Path | None, label: str = "") -> float:
    """Wall time of one fresh process; its CPU time (user + system) goes to ``CPU[label]``."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # run from the checkout itself: `python -m` puts the working folder first on the path
    subprocess.run([sys.executable, "-m", "ivoaudit", *args], check=True, env=env, cwd=src or ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2))
    return wall


def bench(n: int, rounds: int, src: Path | None, work: Path) -> dict:
    extract, mapping, events, events_mapping = data_set(n)
    check_dir = work / f"check-{n}"
    check = ["check", str(extract), "--mapping", str(mapping), "--events", str(events),
             "--events-mapping", str(events_mapping), "--as-of", AS_OF, "--out", str(check_dir)]
    times: dict[str, list[float]] = {"check": [], "report internal": [], "report public": []}
    for _ in range(rounds):
        times["check"].append(run(check, src, "check"))
        for audience in ("internal", "public"):
            out = work / f"report-{n}-{audience}"
            shutil.rmtree(out, ignore_errors=True)
            times[f"report {audience}"].append(run(
                ["report", "--results", str(check_dir), "--audience", audience,
                 "--format", "html,xlsx,docx,json", "--out", str(out)], src, f"report {audience}"))
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {"cases": n, "load": os.getloadavg()[0], "src": str(src or ROOT), **{k: round(v, 2) for k, v in medians.items()},
            "ratio internal": round(medians["report internal"] / medians["check"], 2),
            "ratio public": round(medians["report public"] / medians["check"], 2),
            "runs": {k: [round(x, 2) for x in v] for k, v in times.items()},
            "cpu": {k: statistics.median(v) for k, v in CPU.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 100000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--src", type=Path, help="another ivoaudit checkout to time (PYTHONPATH)")
    args = parser.parse_args()
    work = CACHE / "report-runs"
    work.mkdir(parents=True, exist_ok=True)
    print("| cases | check | report internal | report public | ratio internal | ratio public | "
          "CPU check / internal / public | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        CPU.clear()
        row = bench(n, args.rounds, args.src, work)
        cpu = row["cpu"]
        print(json.dumps(row), file=sys.stderr)
        print(f"| {n:,} | {row['check']} s | {row['report internal']} s | {row['report public']} s | "
              f"{row['ratio internal']}× | {row['ratio public']}× | {cpu['check']} / {cpu['report internal']} / "
              f"{cpu['report public']} s | {row['load']:.1f} |".replace(",", " "))


if __name__ == "__main__":
    main()
