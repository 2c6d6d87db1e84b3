"""Compare what `ivoaudit check` writes at two git refs (NOT a test; a tool for refactors).

    python benchmarks/compare_outputs.py BASE_REF [HEAD_REF] [--cases 100000] [--data-from base|head]

Each ref is checked out into a temporary ``git worktree`` and run with its own code
(``python -m ivoaudit`` with ``PYTHONPATH`` set to that worktree, from inside it). Both refs
check the same inputs: every bundled set in ``sample_data/`` (the extract, events and mapping
files named in the set's ``meta.json``) and one generated extract of ``--cases`` cases
(``ivoaudit generate --seed 1``), all taken from one ref (``--data-from``, default the base:
its code is the one that must understand them). HEAD_REF ``WORKTREE`` means this checkout as
it is, uncommitted changes included.

For each set: are ``results.csv`` and ``summary.csv`` byte-identical, and if not, per rule,
how many results went from which status to which (``-`` = no row), with a few case ids;
and which summary cells changed. Exit 0 when every file is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-10-31"
SEED = 1
SAMPLE_IDS = 5  # case ids shown per status change
WORKTREE = "WORKTREE"


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@contextmanager
def checkout(ref: str):
    """A folder holding ``ref``'s tree (a temporary git worktree, removed afterwards)."""
    if ref == WORKTREE:
        yield REPO
        return
    folder = Path(tempfile.mkdtemp(prefix="compare-"))
    git("worktree", "add", "--detach", "--quiet", str(folder), ref)
    try:
        yield folder
    finally:
        git("worktree", "remove", "--force", str(folder))


def ivoaudit(tree: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m ivoaudit ARGS`` running ``tree``'s code (from inside ``tree``)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "IVOAUDIT_LANG": "sv"}
    env.pop("IVOAUDIT_DB", None)
    return subprocess.run([sys.executable, "-m", "ivoaudit", *args], cwd=tree, env=env,
                          capture_output=True, text=True)


def bundled_sets(tree: Path) -> dict[str, list[str]]:
    """Set name → the arguments of `check` for it (files from its meta.json)."""
    sets = {}
    for meta_path in sorted((tree / "sample_data").glob("*/meta.json")):
        folder = meta_path.parent
        files = json.loads(meta_path.read_text(encoding="utf-8"))["files"]
        sets[folder.name] = check_args(folder, files)
    return sets


def check_args(folder: Path, files: dict[str, str]) -> list[str]:
    args = [str(folder / files["extract"])]
    for option, role in (("--mapping", "mapping"), ("--events", "events"),
                         ("--events-mapping", "events_mapping")):
        if files.get(role):
            args += [option, str(folder / files[role])]
    return args


def generated_set(tree: Path, cases: int, into: Path) -> list[str]:
    folder = into / f"generated_{cases}"
    done = ivoaudit(tree, "generate", "--cases", str(cases), "--seed", str(SEED), "--system", "lifecare",
                    "--out", str(folder))
    if done.returncode:
        raise SystemExit(f"generate failed:\n{done.stderr}")
    files = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["files"]
    return check_args(folder, files)


def run_check(tree: Path, args: list[str], out: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = ivoaudit(tree, "check", *args, "--as-of", AS_OF, "--out", str(out))
    took = time.perf_counter() - t0
    if done.returncode not in (0,):
        return took, f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
    return took, ""


def read_rows(path: Path, key: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, str]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {tuple(row[k] for k in key): row for row in csv.DictReader(fh)}


def status_changes(base: Path, head: Path) -> dict[str, Counter]:
    """Per rule: Counter of (old status, new status) → count, plus case samples."""
    old = read_rows(base, ("case_id", "rule_id"))
    new = read_rows(head, ("case_id", "rule_id"))
    changes: dict[str, Counter] = defaultdict(Counter)
    samples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    other: dict[str, Counter] = defaultdict(Counter)
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        sa, sb = (a or {}).get("status", "-"), (b or {}).get("status", "-")
        rule = key[1]
        if sa != sb:
            changes[rule][(sa, sb)] += 1
            bucket = samples[(rule, sa, sb)]
            if len(bucket) < SAMPLE_IDS:
                bucket.append(key[0])
        elif a != b:
            diff = sorted(k for k in (a.keys() | b.keys()) if a.get(k) != b.get(k))
            other[rule][",".join(diff)] += 1
    return {"changes": changes, "samples": samples, "other": other}  # type: ignore[return-value]


def summary_changes(base: Path, head: Path) -> list[str]:
    old = read_rows(base, ("rule_id",))
    new = read_rows(head, ("rule_id",))
    lines = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key) or {}, new.get(key) or {}
        diffs = [f"{k}: {a.get(k, '(none)')!s} → {b.get(k, '(none)')!s}"
                 for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
        if diffs:
            lines.append(f"    {key[0]}: " + "; ".join(diffs))
    return lines


def same_bytes(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and a.read_bytes() == b.read_bytes()


def compare_set(name: str, base_out: Path, head_out: Path) -> bool:
    identical = True
    for file in ("results.csv", "summary.csv"):
        same = same_bytes(base_out / file, head_out / file)
        identical &= same
        print(f"  {file}: {'identical' if same else 'DIFFERENT'}")
    if identical:
        return True
    found = status_changes(base_out / "results.csv", head_out / "results.csv")
    changes, samples, other = found["changes"], found["samples"], found["other"]
    total = sum(sum(c.values()) for c in changes.values())
    print(f"  results whose status changed: {total}")
    for rule in sorted(changes):
        for (sa, sb), count in sorted(changes[rule].items(), key=lambda kv: -kv[1]):
            ids = ", ".join(samples[(rule, sa, sb)])
            print(f"    {rule:24} {sa:>14} → {sb:<14} {count:6}   e.g. {ids}")
    if other:
        print("  same status, other columns changed:")
        for rule in sorted(other):
            for cols, count in sorted(other[rule].items()):
                print(f"    {rule:24} {cols}: {count}")
    lines = summary_changes(base_out / "summary.csv", head_out / "summary.csv")
    if lines:
        print("  summary.csv cells changed:")
        print("\n".join(lines))
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("head", nargs="?", default="HEAD",
                        help=f"a ref, or {WORKTREE} for this checkout as it is (default HEAD)")
    parser.add_argument("--cases", type=int, default=100_000, help="generated extract size (0: none)")
    parser.add_argument("--data-from", choices=("base", "head"), default="base",
                        help="which ref's sample_data and generator make the inputs")
    parser.add_argument("--sets", nargs="*", help="only these sets (names as printed)")
    opts = parser.parse_args(argv)
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="compare-out-")))
        trees = {"base": stack.enter_context(checkout(opts.base)),
                 "head": stack.enter_context(checkout(opts.head))}
        data = trees[opts.data_from]
        sets = bundled_sets(data)
        if opts.cases:
            sets[f"generated_{opts.cases}"] = generated_set(data, opts.cases, work)
        if opts.sets:
            sets = {k: v for k, v in sets.items() if k in opts.sets}
        print(f"base {opts.base} ({git('rev-parse', '--short', opts.base)}), "
              f"head {opts.head}{'' if opts.head == WORKTREE else ' (' + git('rev-parse', '--short', opts.head) + ')'}, "
              f"inputs from {opts.data_from}, as of {AS_OF}")
        all_same = True
        for name, args in sets.items():
            print(f"\n{name}")
            outs, failed = {}, False
            for side, tree in trees.items():
                outs[side] = work / side / name
                took, error = run_check(tree, args, outs[side])
                failed |= bool(error)
                print(f"  {side}: check {took:.2f} s{'  FAILED ' + error if error else ''}")
            if failed:
                all_same = False
                continue
            all_same &= compare_set(name, outs["base"], outs["head"])
        print("\nALL IDENTICAL" if all_same else "\nDIFFERENCES FOUND")
        return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
