"""Killed processes, full disks and many writers against ivoaudit's outputs (issue 15).

    python benchmarks/output_trials.py --kills 30 --disk-sizes 16 --writers 100

- **kill -9**: `check`, `report`, `sample` and `review import` are started on the bundled
  data over an earlier run's outputs and killed with SIGKILL at a random moment: half of
  them anywhere between start and a little after a normal run's end, half (`check`,
  `report`) while a watched run wrote its files, or (`sample`, `review import`) in the last
  40 % of a run, where the form is written and the store committed. Afterwards every file under its final name
  must be the earlier run's or the new run's, byte for byte (never a mix, never cut off);
  a results folder with `meta.json` must be the whole new run; the store must hold the old
  state or the new one (a round with its form, all of an import's answers or none).
- **full disk**: `check`, `report` and `sample` write onto a tmpfs of a few sizes (mounting
  needs root; else a file-size limit, RLIMIT_FSIZE, stands in): the run must end with exit 3,
  a Swedish message and no traceback, or succeed; nothing half-written either way.
- **writers**: N processes open one new store at once (after a barrier) and each records a
  round answer; none may fail, and every write must be there.

tests/test_output_trials.py runs a few of each in CI. Prints one line per kind of trial.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "sample_data" / "lifecare"
PY = sys.executable
OLD, NEW = "2026-06-30", "2026-10-31"
TEMP_PREFIX = ".ivoaudit-tmp-"


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(IVOAUDIT_SECRET_FILE=str(home / "secret.key"), IVOAUDIT_DB=str(home / "audit.db"),
               IVOAUDIT_LANG="sv", PYTHONDONTWRITEBYTECODE="1")
    return env


def check_args(as_of: str, out: Path, checklist: str | None = None) -> list[str]:
    args = ["check", str(DATA / "arenden.csv"), "--mapping", str(DATA / "lifecare.yaml"),
            "--events", str(DATA / "handelser.csv"), "--events-mapping", str(DATA / "lifecare_events.yaml"),
            "--as-of", as_of, "--out", str(out)]
    return args + (["--checklist", checklist] if checklist else [])


def run(args: list[str], env: dict[str, str], *, fsize: int | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``ivoaudit ARGS`` in a fresh process (optionally under a file-size limit)."""
    def limit() -> None:
        if fsize is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([PY, "-m", "ivoaudit", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit if fsize is not None else None, cwd=REPO)


def run_killed(args: list[str], env: dict[str, str], after: float) -> int | None:
    """Start ``ivoaudit ARGS`` and SIGKILL it ``after`` seconds later (if still running)."""
    proc = subprocess.Popen([PY, "-m", "ivoaudit", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None
    return proc.returncode


def _moment(rng: random.Random, duration: float) -> float:
    """When to kill: half the trials anywhere in a normal run's time (a little past its end
    too), half in its last 40 %, where the files are written and the store committed."""
    if rng.random() < 0.5:
        return rng.uniform(0.05, duration * 1.1)
    return rng.uniform(duration * 0.6, duration * 1.05)


def write_window(args: list[str], env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Run ``ivoaudit ARGS`` once into the new ``folder``, watching it: (seconds until its
    first file appeared, seconds until the run ended)."""
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "ivoaudit", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=REPO)
    first = None
    while proc.poll() is None:
        if first is None and folder.is_dir() and any(p.is_file() for p in folder.iterdir()):
            first = time.perf_counter() - start
        time.sleep(0.002)
    end = time.perf_counter() - start
    return (first if first is not None else end * 0.8), end


def _aimed(rng: random.Random, window: tuple[float, float]) -> float:
    """Half the kills anywhere in the run, half while it writes its files."""
    first, end = window
    if rng.random() < 0.5:
        return rng.uniform(0.05, end * 1.1)
    return rng.uniform(max(0.05, first - 0.05), end * 1.02)


def _content(path: Path) -> bytes:
    """A file's bytes; for a zip (docx, xlsx) its members' names and bytes, since Word files
    carry the time they were zipped (a cut-off zip does not open: that counts as a mix)."""
    data = path.read_bytes()
    if path.suffix not in (".docx", ".xlsx"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return b"\0".join(name.encode() + b"\0" + zf.read(name) for name in sorted(zf.namelist()))
    except (zipfile.BadZipFile, OSError, EOFError):
        return b"CUT-OFF ZIP " + data


def snapshot(folder: Path) -> dict[str, bytes]:
    """The files under their final names (a killed run's temporary files left out)."""
    if not folder.is_dir():
        return {}
    return {p.name: _content(p) for p in folder.iterdir() if p.is_file() and not p.name.startswith(TEMP_PREFIX)}


def judge_files(found: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes],
                complete_mark: str | None = None) -> str:
    """'old', 'new', 'incomplete' (some new files, the mark absent) or 'MIXED: …'."""
    for name, content in found.items():
        if content != old.get(name) and content != new.get(name):
            return f"MIXED: {name} is neither the old nor the new file"
    if found == old:
        return "old"
    if found == new:
        return "new"
    if complete_mark is not None and complete_mark in found:
        return f"MIXED: {complete_mark} present but the folder is not the whole new run"
    olds = [n for n in found if found[n] == old.get(n) and found[n] != new.get(n)]
    news = [n for n in found if found[n] == new.get(n) and found[n] != old.get(n)]
    if olds and news:
        return f"MIXED: old {olds} beside new {news}"
    return "incomplete" if complete_mark is not None or not olds else "old-partial"


# --- kill -9 -----------------------------------------------------------------------------------

def kill_check(work: Path, trials: int, rng: random.Random) -> Counter[str]:
    env = _env(work)
    old_dir, new_dir = work / "ref-old", work / "ref-new"
    for as_of, folder in ((OLD, old_dir), (NEW, new_dir)):
        done = run(check_args(as_of, folder), env)
        assert done.returncode == 0, done.stderr
    old, new = snapshot(old_dir), snapshot(new_dir)
    window = write_window(check_args(NEW, work / "timing"), env, work / "timing")
    outcomes: Counter[str] = Counter()
    for _ in range(trials):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(old_dir, out)
        run_killed(check_args(NEW, out), env, _aimed(rng, window))
        outcomes[judge_files(snapshot(out), old, new, "meta.json")] += 1
    return outcomes


def kill_report(work: Path, trials: int, rng: random.Random) -> Counter[str]:
    env = _env(work)
    for as_of in (OLD, NEW):
        assert run(check_args(as_of, work / f"check-{as_of}"), env).returncode == 0
    refs = {}
    for as_of in (OLD, NEW):
        folder = work / f"report-{as_of}"
        done = run(["report", "--results", str(work / f"check-{as_of}"), "--out", str(folder)], env)
        assert done.returncode == 0, done.stderr
        refs[as_of] = snapshot(folder)
    window = write_window(["report", "--results", str(work / f"check-{NEW}"), "--out", str(work / "timing")], env,
                          work / "timing")
    outcomes: Counter[str] = Counter()
    for _ in range(trials):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(work / f"report-{OLD}", out)
        run_killed(["report", "--results", str(work / f"check-{NEW}"), "--out", str(out)], env,
                   _aimed(rng, window))
        outcomes[judge_files(snapshot(out), refs[OLD], refs[NEW])] += 1
    return outcomes


def _readable(db: Path) -> Path:
    """The store with its write-ahead log copied beside a temporary name on the big disk: on a
    full tmpfs SQLite cannot even make the shared-memory file it needs to read a WAL store."""
    folder = tempfile.mkdtemp(prefix="trial-db-")
    atexit.register(shutil.rmtree, folder, True)
    copy = Path(folder) / db.name
    shutil.copy(db, copy)
    wal = db.with_name(db.name + "-wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + "-wal"))
    return copy


def _rounds(db: Path) -> set[str]:
    if not db.exists():
        return set()
    with contextlib.closing(sqlite3.connect(_readable(db))) as con:
        try:
            return {r[0] for r in con.execute("SELECT name FROM rounds")}
        except sqlite3.OperationalError:
            return set()


def _sample_args(form: Path, db: Path, name: str) -> list[str]:
    return ["sample", str(DATA / "arenden.csv"), "--mapping", str(DATA / "lifecare.yaml"), "--strategy", "ivo",
            "--not-opened", "10", "--completed", "7", "--seed", "7", "--round", name, "--as-of", NEW,
            "--db", str(db), "--out", str(form)]


def kill_sample(work: Path, trials: int, rng: random.Random) -> Counter[str]:
    env = _env(work)
    base = work / "base.db"
    done = run(_sample_args(work / "first.xlsx", base, "first"), env)  # a store with a round in it
    assert done.returncode == 0, done.stderr
    t0 = time.perf_counter()
    run(_sample_args(work / "timing.xlsx", work / "timing.db", "t"), env)
    duration = time.perf_counter() - t0
    outcomes: Counter[str] = Counter()
    for i in range(trials):
        db, form = work / f"s{i}.db", work / f"s{i}.xlsx"
        shutil.copy(base, db)
        run_killed(_sample_args(form, db, "second"), env, _moment(rng, duration))
        with_round = "second" in _rounds(db)
        has_form = form.exists()
        if with_round and has_form:
            outcomes["new (round and form)"] += 1
        elif not with_round and not has_form:
            outcomes["old (no round, no form)"] += 1
        else:
            outcomes[f"MIXED: round {with_round}, form {has_form}"] += 1
        if list(work.glob(f"{TEMP_PREFIX}*")):
            outcomes["temporary file left beside the form"] += 1
            for stray in work.glob(f"{TEMP_PREFIX}*"):
                stray.unlink()
    return outcomes


def _fill(form: Path, filled: Path) -> None:
    """Answer every dropdown of a review form with its first choice ("Ja"), as a reviewer would
    in Excel (openpyxl on the reviewer's side)."""
    from openpyxl import load_workbook

    wb = load_workbook(form)
    ws = wb.worksheets[0]
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list" or not dv.formula1:
            continue
        first = dv.formula1.strip('"').split(",")[0]
        for ref in str(dv.sqref).split():
            cells = ws[ref]
            rows = cells if isinstance(cells, tuple) else ((cells,),)
            for row in rows:
                for cell in (row if isinstance(row, tuple) else (row,)):
                    cell.value = first
    wb.save(filled)


def _answers(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as con:
        return con.execute("SELECT COUNT(*) FROM review_answers WHERE superseded_at IS NULL").fetchone()[0]


def kill_import(work: Path, trials: int, rng: random.Random) -> Counter[str]:
    env = _env(work)
    base, form, filled = work / "base.db", work / "form.xlsx", work / "filled.xlsx"
    assert run(_sample_args(form, base, "r"), env).returncode == 0
    _fill(form, filled)
    reference = work / "reference.db"
    shutil.copy(base, reference)
    t0 = time.perf_counter()
    done = run(["review", "import", str(filled), "--db", str(reference)], env)
    duration = time.perf_counter() - t0
    if done.returncode != 0:
        return Counter({f"SET-UP FAILED: {done.stderr.strip()[-200:]}": trials})
    total = _answers(reference)
    outcomes: Counter[str] = Counter()
    for i in range(trials):
        db = work / f"i{i}.db"
        shutil.copy(base, db)
        run_killed(["review", "import", str(filled), "--db", str(db)], env, _moment(rng, duration))
        count = _answers(db)
        outcomes["new (every answer)" if count == total else "old (no answer)" if count == 0
                 else f"MIXED: {count} of {total} answers"] += 1
    return outcomes


# --- full disk ---------------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(work: Path, size: int):
    """A tmpfs of ``size`` bytes when mounting is allowed (root), else None."""
    mount = work / f"disk-{size}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                          capture_output=True)
    try:
        yield mount if done.returncode == 0 else None
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", str(mount)], capture_output=True)


def _judge_full(done: subprocess.CompletedProcess[str], found: dict[str, bytes], new: dict[str, bytes],
                mark: str | None) -> str:
    if "Traceback" in done.stderr or done.returncode not in (0, 3):
        return f"BAD EXIT {done.returncode}: {done.stderr.strip()[-160:]}"
    bad = [n for n, c in found.items() if c != new.get(n)]
    if bad:
        return f"HALF-WRITTEN: {bad}"
    if done.returncode == 3:
        if "Fel:" not in done.stderr:
            return f"NO SWEDISH MESSAGE: {done.stderr.strip()[-160:]}"
        if mark is not None and mark in found:
            return "MIXED: complete mark on a failed run"
        return "refused whole (exit 3)"
    return "fitted (exit 0)"


def full_disk(work: Path, sizes: list[int]) -> Counter[str]:
    env = _env(work)
    ref = work / "ref"
    assert run(check_args(NEW, ref), env).returncode == 0
    new = snapshot(ref)
    assert run(["report", "--results", str(ref), "--out", str(work / "ref-report")], env).returncode == 0
    new_report = snapshot(work / "ref-report")
    outcomes: Counter[str] = Counter()
    for size in sizes:
        with small_disk(work, size) as disk:
            outcomes["on a tmpfs of that size" if disk else "under RLIMIT_FSIZE (no mount)"] += 1
            jobs = [("check", check_args(NEW, (disk or work / f"c{size}") / "out"), "meta.json", new),
                    ("report", ["report", "--results", str(ref), "--out", str((disk or work / f"r{size}") / "rep")],
                     None, new_report)]
            for what, args, mark, reference in jobs:
                done = run(args, env, fsize=None if disk else size)
                folder = Path(args[args.index("--out") + 1])
                found = snapshot(folder)
                outcome = _judge_full(done, found, reference, mark)
                outcomes[f"{what}: {outcome}"] += 1
                if disk is not None and list(folder.glob(f"{TEMP_PREFIX}*")):
                    outcomes[f"{what}: temporary file left"] += 1
                shutil.rmtree(folder, ignore_errors=True)
            # the review form, then the store, on the small disk
            for what, form, db in (("sample form", (disk or work) / f"f{size}.xlsx", work / f"f{size}.db"),
                                   ("store", work / f"g{size}.xlsx", (disk or work) / f"g{size}.db")):
                done = run(_sample_args(form, db, "r"), env, fsize=None if disk else size)
                outcomes[f"{what}: {_judge_sample(done, form, db)}"] += 1
                for path in (form, db):
                    with contextlib.suppress(OSError):
                        path.unlink()
    return outcomes


def _judge_sample(done: subprocess.CompletedProcess[str], form: Path, db: Path) -> str:
    if "Traceback" in done.stderr or done.returncode not in (0, 3):
        return f"BAD EXIT {done.returncode}: {done.stderr.strip()[-160:]}"
    if db.exists():
        with contextlib.closing(sqlite3.connect(_readable(db))) as con:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "STORE DAMAGED"
    with_round, has_form = "r" in _rounds(db), form.exists()
    if done.returncode == 0:
        return "fitted (exit 0)" if with_round and has_form else f"MIXED: round {with_round}, form {has_form}"
    if with_round or has_form:
        return f"MIXED on exit 3: round {with_round}, form {has_form}"
    return "refused whole (exit 3)" if "Fel:" in done.stderr else "NO SWEDISH MESSAGE"


# --- many writers ------------------------------------------------------------------------------

WRITER = """
import os, sys, time
from ivoaudit.store import Store
print('ready', flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
with Store(sys.argv[1]) as store:
    with store.transaction() as con:
        con.execute("INSERT INTO store_meta VALUES (?, ?)", ('writer-' + sys.argv[3], 'x'))
"""


def writers(work: Path, n: int) -> Counter[str]:
    db, go = work / "new" / "audit.db", work / "go"
    procs = [subprocess.Popen([PY, "-c", WRITER, str(db), str(go), str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=_env(work)) for i in range(n)]
    for proc in procs:
        proc.stdout.readline()
    go.touch()
    outcomes: Counter[str] = Counter()
    for proc in procs:
        _, err = proc.communicate()
        outcomes["ok" if proc.returncode == 0 else f"FAILED: {err.strip().splitlines()[-1][:120]}"] += 1
    with contextlib.closing(sqlite3.connect(db)) as con:
        kept = con.execute("SELECT COUNT(*) FROM store_meta WHERE key LIKE 'writer-%'").fetchone()[0]
    outcomes[f"writes kept: {kept} of {n}"] += 1
    outcomes[f"store mode {oct(db.stat().st_mode & 0o777)}, folder {oct(db.parent.stat().st_mode & 0o777)}"] += 1
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=30, help="kill -9 trials per command")
    parser.add_argument("--disk-sizes", type=int, default=16, help="full-disk sizes tried")
    parser.add_argument("--writers", type=int, default=100, help="processes opening one new store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="+", help="run only the trials whose title contains one of these words")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sizes = sorted({int(16_384 * 1.45 ** i) for i in range(args.disk_sizes)})
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    jobs = [("kill -9 check", lambda w: kill_check(w, args.kills, rng)),
            ("kill -9 report", lambda w: kill_report(w, args.kills, rng)),
            ("kill -9 sample", lambda w: kill_sample(w, args.kills, rng)),
            ("kill -9 review import", lambda w: kill_import(w, args.kills, rng)),
            (f"full disk, {len(sizes)} sizes {sizes[0] // 1024}-{sizes[-1] // 1024} KB", lambda w: full_disk(w, sizes)),
            (f"{args.writers} writers at once", lambda w: writers(w, args.writers))]
    for title, job in jobs:
        if args.only and not any(word in title for word in args.only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            outcome = job(Path(tmp))
        print(f"{title}: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())), flush=True)


if __name__ == "__main__":
    main()
