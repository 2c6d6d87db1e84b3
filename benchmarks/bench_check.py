"""Benchmark of `ivoaudit check` against the pyarrow parse floor (NOT a test).

    python benchmarks/bench_check.py                  # 10 000 and 100 000 cases
    python benchmarks/bench_check.py --sizes 10000 100000 1000000

For each size: generate an extract (``ivoaudit.synthetic.generate``, lifecare style: cp1252,
``;``; else a canonical CSV of our own), then in fresh subprocesses measure
  * floor: ``pyarrow.csv.read_csv`` of the same file (ISO dates parsed by Arrow);
  * stages in one process: read (``load.files.read_table``), load+normalise
    (``load_extract``; normalise = load - read), evaluate (``run_check``), write
    (``write_check_outputs``: results.csv, summary, cases, problems, meta, report.html),
    with peak RSS (``resource.getrusage``);
  * end to end: ``python -m ivoaudit check ...`` wall time and peak RSS of the child, run
    again into the same ``--out`` folder (``e2e_s``, ``ratio``: the earlier run's files are
    removed first, see ``results._clear_old``) and into a new folder (``e2e_new_folder_s``,
    ``ratio_new_folder``).
The floor and end to end are medians of 5 fresh runs each (``--rounds``), taking turns in
pairs of which the second is kept (all runs are in the JSON lines on stderr), the stages
medians of 3: the VM's timings scatter by ±30 %. Why pairs: on this VM a process that
follows a bigger one pays for the memory the bigger one gave back; a floor run right after
an end-to-end run took twice as long as one after another floor run, which flattered the
ratio.
``ratio`` is median over median; ``ratio_fastest_floor`` divides by the fastest kept
floor run, the more demanding figure.
The stage split inside evaluate (rules, assembling the result table) and write (results.csv,
cases.csv, report.html) is ``CheckResult.timings``, measured with ``time.perf_counter`` in
the code itself (no profiler overhead). Generated extracts are kept under
``benchmarks/out/`` (git-ignored) and reused; delete the folder to regenerate.
Targets at 1 000 000 cases: end to end ≤ 5× floor; evaluate ≤ 1× floor; peak < 2 GB; linear.
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
import tempfile
import time
from pathlib import Path

AS_OF = "2026-10-31"
ROUNDS = 5  # floor and end-to-end runs (taking turns)
STAGE_RUNS = 3  # runs of the in-process stage split, within the first rounds
TIME = Path("/usr/bin/time")  # GNU time, for the end-to-end child's own peak memory


CACHE = Path(__file__).resolve().parent / "out"  # git-ignored


def generate(n: int, folder: Path) -> tuple[Path, Path | None, Path | None, Path | None]:
    """(extract, mapping, events, events mapping) for ``n`` cases.

    Generated once into ``folder`` and reused on later runs: ``write_set`` writes
    ``meta.json`` last, so its presence means the set is complete.
    """
    try:
        from ivoaudit.synthetic import generate as gen
        from ivoaudit.synthetic import write_set
    except ImportError:
        path = folder / "arenden.csv"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            _own_generator(n, folder)
        return path, None, None, None
    meta = folder / "meta.json"
    if meta.exists():
        names = json.loads(meta.read_text(encoding="utf-8"))["files"]
        files = {role: folder / name for role, name in names.items()}
    else:
        files = write_set(gen(n, seed=1, system="lifecare"), folder)
    return files["extract"], files["mapping"], files["events"], files["events_mapping"]


def _own_generator(n: int, folder: Path) -> Path:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    received = np.datetime64("2024-09-01") + rng.integers(0, 760, n).astype("timedelta64[D]")

    def later(base, hi):
        out = (base + rng.integers(0, hi, n).astype("timedelta64[D]")).astype(str)
        return np.where(rng.random(n) < 0.1, "", out)

    frame = pd.DataFrame({
        "case_id": [f"C{i:07d}" for i in range(n)],
        "area": rng.choice(["barn_unga", "funktionshinder", "missbruk", "aldre"], n),
        "received_date": received.astype(str),
        "protection_assessment_date": later(received, 3),
        "preliminary_decision_date": later(received, 20),
        "preliminary_outcome": rng.choice(["open", "not_open", "joined"], n),
        "investigation_start": later(received, 20),
        "investigation_end": later(received + 20, 140),
        "decision_date": later(received, 120),
        "decision_outcome": rng.choice(["granted", "rejected", "partly_granted", "none"], n),
        "execution_date": later(received + 120, 100),
        "child_informed": rng.choice(["yes", "no", "reason", ""], n),
    })
    path = folder / "arenden.csv"
    frame.to_csv(path, index=False)
    return path


FLOOR = r"""
import sys, time, json, resource, pyarrow.csv as c
path, delim, enc = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
c.read_csv(path, read_options=c.ReadOptions(encoding=enc),
           parse_options=c.ParseOptions(delimiter=delim),
           convert_options=c.ConvertOptions(strings_can_be_null=True))
print(json.dumps({"floor": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

STAGES = r"""
import os, sys, time, json, resource
from datetime import date
from pathlib import Path
extract, mapping, events, emap, out = [None if a == "-" else a for a in sys.argv[1:6]]
from ivoaudit.load import load_extract, load_events
from ivoaudit.load.files import read_table
from ivoaudit.checklist import load_checklists
from ivoaudit.check import run_check
from ivoaudit.results import write_check_outputs
from ivoaudit.report.check_summary import write_check_summary
t0 = time.perf_counter(); read_table(extract); t1 = time.perf_counter()
ex = load_extract(extract, mapping=mapping, keyed=False); ev = load_events(events, mapping=emap) if events else None
checklist = load_checklists()  # reading the YAML catalogue is set-up, not evaluation
t2 = time.perf_counter()
res = run_check(ex, checklist, date.fromisoformat(sys.argv[6]), events=ev)
t3 = time.perf_counter()
write_check_outputs(res, ex, out, report=write_check_summary)
t4 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "load": t2 - t1, "evaluate": t3 - t2, "write": t4 - t3,
                  "result_rows": res.table.num_rows, "timings": res.timings,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _settle() -> None:
    """Flush earlier runs' written files to disk first: half a gigabyte of dirty pages from
    the previous run's results.csv otherwise throttles whatever runs next."""
    if hasattr(os, "sync"):
        os.sync()


def _json_run(args: list[str]) -> dict:
    _settle()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(n: int, data: Path, folder: Path, rounds: int = ROUNDS) -> dict:
    t = time.perf_counter()
    extract, mapping, events, emap = generate(n, data)
    gen_s = time.perf_counter() - t  # ~0 when the set was cached
    delim, enc = (";", "cp1252") if mapping else (",", "utf8")
    cmd = [sys.executable, "-m", "ivoaudit", "check", str(extract), "--as-of", AS_OF, "--out", str(folder / "out")]
    if mapping:
        cmd += ["--mapping", str(mapping)]
    if events:
        cmd += ["--events", str(events), "--events-mapping", str(emap)]
    stage_args = ["-c", STAGES, str(extract), str(mapping or "-"), str(events or "-"), str(emap or "-"),
                  str(folder / "stages"), AS_OF]
    # Medians, not minima: on a shared VM one run in ten is far off either way (a 0.11 s
    # floor was seen once among 0.43-0.94 s runs), and a lucky minimum flatters nobody.
    # The floor, end-to-end and stage runs take turns, so that a slow spell of the machine
    # weighs on all of them alike rather than on whichever ran during it.
    # Each kept run comes right after a run of its own kind (the first of each pair is
    # discarded): on this VM a process that follows a bigger one pays for the memory the
    # bigger one gave back, so a floor run right after an end-to-end run took 0.9-1.1 s
    # against 0.42-0.47 s after another floor run, which flattered the ratio.
    floors, runs, new_folder_runs, stage_runs, peaks, discarded = [], [], [], [], [], []

    def e2e_run(new_folder: bool = False) -> float:
        if new_folder:  # a first run into a folder: nothing of an earlier run to write over
            shutil.rmtree(folder / "out", ignore_errors=True)
        _settle()
        t = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd] if TIME.exists() else cmd,
                              check=True, capture_output=True, text=True)
        took = time.perf_counter() - t
        # The child's own peak (GNU time), not RUSAGE_CHILDREN, which is the largest of every
        # child so far, the stage runs included.
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024 if TIME.exists()
                     else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        return took

    for i in range(rounds):
        discarded.append(_json_run(["-c", FLOOR, str(extract), delim, enc])["floor"])
        floors.append(_json_run(["-c", FLOOR, str(extract), delim, enc])["floor"])
        discarded.append(e2e_run())
        runs.append(e2e_run())
        new_folder_runs.append(e2e_run(new_folder=True))  # after an end-to-end run, as the others
        if i < STAGE_RUNS:
            stage_runs.append(_json_run(stage_args))
    floor = statistics.median(floors)
    e2e = statistics.median(runs)
    peak = max(peaks)

    def stage(*keys: str) -> float:
        def value(run: dict) -> float:
            for key in keys:
                run = run[key]
            return run  # type: ignore[return-value]
        return statistics.median(value(run) for run in stage_runs)

    stages = {"read": stage("read"), "load": stage("load"), "evaluate": stage("evaluate"),
              "write": stage("write"), "rss_mb": max(run["rss_mb"] for run in stage_runs),
              "result_rows": stage_runs[0]["result_rows"],
              "timings": {key: stage("timings", key) for key in stage_runs[0]["timings"]}}
    return {"cases": n, "generate_s": gen_s, "file_mb": extract.stat().st_size / 1e6, "floor_s": floor,
            "floor_runs": [round(f, 3) for f in floors], "e2e_runs": [round(r, 3) for r in runs],
            "discarded_runs": [round(r, 3) for r in discarded],
            "new_folder_runs": [round(r, 3) for r in new_folder_runs],
            "e2e_s": e2e, "ratio": e2e / floor, "ratio_fastest_floor": e2e / min(floors),
            "e2e_new_folder_s": statistics.median(new_folder_runs),
            "ratio_new_folder": statistics.median(new_folder_runs) / floor, "read_s": stages["read"],
            "normalise_s": stages["load"] - stages["read"], "load_s": stages["load"],
            "evaluate_s": stages["evaluate"], "eval_ratio": stages["evaluate"] / floor,
            "rules_s": stages["timings"]["evaluate"], "assemble_s": stages["timings"]["assemble"],
            "write_s": stages["write"], "results_csv_s": stages["timings"]["write results.csv"],
            "cases_csv_s": stages["timings"]["write cases.csv"],
            "report_s": stages["timings"]["write report.html"], "result_rows": stages["result_rows"],
            "peak_mb_e2e": peak, "peak_mb_stages": stages["rss_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"floor and end-to-end runs kept per size (default {ROUNDS}); more steadies the medians")
    args = parser.parse_args()
    # Bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE is set on these machines).
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "ivoaudit", quiet=1)
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ivoaudit-bench-") as tmp:
            rows.append(measure(n, CACHE / f"lifecare-{n}-seed1", Path(tmp), args.rounds))
            print(json.dumps(rows[-1]), file=sys.stderr)
    cols = ["cases", "file_mb", "floor_s", "e2e_s", "ratio", "ratio_fastest_floor", "e2e_new_folder_s",
            "ratio_new_folder", "read_s", "normalise_s", "evaluate_s", "eval_ratio",
            "rules_s", "assemble_s", "write_s", "results_csv_s", "cases_csv_s", "report_s", "result_rows",
            "peak_mb_e2e"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(f"{r[c]:.2f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        scale = b["cases"] / a["cases"]
        print(f"\nlinearity: e2e grew {b['e2e_s'] / a['e2e_s']:.1f}x, evaluate {b['evaluate_s'] / a['evaluate_s']:.1f}x "
              f"for {scale:.0f}x the cases")


if __name__ == "__main__":
    main()
