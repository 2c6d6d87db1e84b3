"""Benchmark of `ivoaudit report` against `ivoaudit check` on the same data (NOT a test).

    python benchmarks/bench_report.py                       # bundled 3 000 cases and 100 000
    python benchmarks/bench_report.py --sizes 100000 --rounds 5
    python benchmarks/bench_report.py --src /tmp/old-checkout   # the same, with another ivoaudit
    python benchmarks/bench_report.py --src /tmp/old-checkout --src .   # both, taking turns

What a user waits for: the bundled Lifecare-style sample (3 000 cases) and a generated
100 000-case extract of the same style with its events table. For each size, in fresh
processes taking turns (this VM's timings scatter; medians are reported):
  * ``check``: ``python -m ivoaudit check EXTRACT --mapping … --events … --out DIR``;
  * ``report internal``: ``python -m ivoaudit report --results DIR`` in all four formats
    (HTML, Excel, Word, JSON; the JSON is built from a second, public model);
  * ``report public``: the same with ``--audience public``.
``ratio`` = report / check (medians of the same run). ``--src`` runs another checkout's code
(``PYTHONPATH``); given more than once (this checkout as ``.``), the checkouts take turns
within every round, so a before/after table comes from one run on one machine state. The load
average is printed: on a shared machine read the ratios, not the seconds.
Targets (issue 16): every report in all four formats for 100 000 cases under 10 s, for the
bundled 3 000 cases under 3 s.
"""

from __future__ import annotations

import argparse
import compileall
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


def bench(n: int, rounds: int, srcs: list[Path | None], work: Path) -> list[dict]:
    """Every checkout in turn within each round (one machine state for all of them)."""
    extract, mapping, events, events_mapping = data_set(n)
    times: dict[int, dict[str, list[float]]] = {
        i: {"check": [], "report internal": [], "report public": []} for i in range(len(srcs))}
    for _ in range(rounds):
        for i, src in enumerate(srcs):
            check_dir = work / f"check-{n}-{i}"
            check = ["check", str(extract), "--mapping", str(mapping), "--events", str(events),
                     "--events-mapping", str(events_mapping), "--as-of", AS_OF, "--out", str(check_dir)]
            times[i]["check"].append(run(check, src, f"{i} check"))
            for audience in ("internal", "public"):
                out = work / f"report-{n}-{i}-{audience}"
                shutil.rmtree(out, ignore_errors=True)
                times[i][f"report {audience}"].append(run(
                    ["report", "--results", str(check_dir), "--audience", audience,
                     "--format", "html,xlsx,docx,json", "--out", str(out)], src, f"{i} report {audience}"))
    rows = []
    for i, src in enumerate(srcs):
        medians = {k: statistics.median(v) for k, v in times[i].items()}
        rows.append({"cases": n, "load": os.getloadavg()[0], "src": str(src or ROOT),
                     **{k: round(v, 2) for k, v in medians.items()},
                     "ratio internal": round(medians["report internal"] / medians["check"], 2),
                     "ratio public": round(medians["report public"] / medians["check"], 2),
                     "runs": {k: [round(x, 2) for x in v] for k, v in times[i].items()},
                     "cpu": {k.split(" ", 1)[1]: statistics.median(v) for k, v in CPU.items()
                             if k.startswith(f"{i} ")}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 100000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--src", type=Path, action="append",
                        help="another ivoaudit checkout to time (PYTHONPATH); repeat it, and give this "
                             "checkout as '.', to time several in turn in the same rounds")
    args = parser.parse_args()
    srcs: list[Path | None] = [None if s == Path(".") else s.resolve() for s in args.src] if args.src else [None]
    for src in srcs:  # bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE is set here)
        compileall.compile_dir((src or ROOT) / "ivoaudit", quiet=1)
    work = CACHE / "report-runs"
    work.mkdir(parents=True, exist_ok=True)
    print("| cases | checkout | check | report internal | report public | ratio internal | ratio public | "
          "CPU check / internal / public | load |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        CPU.clear()
        for row in bench(n, args.rounds, srcs, work):
            cpu = row["cpu"]
            print(json.dumps(row), file=sys.stderr)
            print(f"| {n:,} | {row['src']} | {row['check']} s | {row['report internal']} s | "
                  f"{row['report public']} s | {row['ratio internal']}× | {row['ratio public']}× | "
                  f"{cpu['check']} / {cpu['report internal']} / {cpu['report public']} s | "
                  f"{row['load']:.1f} |".replace(",", " "))


if __name__ == "__main__":
    main()
