"""kill -9 in the middle of `check`, `report`, `sample` and `review import` leaves the old
state or the new one, never a mix (issue 15).

Each run is a process forked from this one (no start-up cost) that runs the real entry point
and sends itself SIGKILL at a chosen point: just before its n-th file takes its final name
(``os.replace``), or just before its n-th SQL statement runs (a trace callback on the store's
connection; the last is the COMMIT). The points are drawn at random from a reference run's
count (seeded: a failure names its seed and point). ``benchmarks/output_trials.py`` does the
same with kills at random moments, many more of them (figures in docs/outputs.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "sample_data" / "lifecare"
OLD, NEW = "2026-06-30", "2026-10-31"
SEED = 15
TEMP_PREFIX = ".ivoaudit-tmp-"

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="forked processes")


def _child(args: list[str], kill_at: tuple[str, int] | None, counts: str) -> None:
    """In the forked process: run ``ivoaudit ARGS``; SIGKILL at the ``n``-th event of a kind
    ("replace" or "sql"); write the events counted to ``counts`` when the run ends."""
    seen = {"replace": 0, "sql": 0}

    def event(kind: str) -> None:
        seen[kind] += 1
        if kill_at == (kind, seen[kind]):
            os.kill(os.getpid(), signal.SIGKILL)

    real_replace = os.replace

    def replace(src, dst, *a, **k):
        event("replace")
        real_replace(src, dst, *a, **k)

    os.replace = replace
    from ivoaudit.store import repository

    real_init = repository.Store.__init__

    def init(self, *a, **k):
        real_init(self, *a, **k)
        self.con.set_trace_callback(lambda _sql: event("sql"))

    repository.Store.__init__ = init
    from ivoaudit.cli import main

    code = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        Path(counts).write_text(json.dumps({**seen, "code": code}))


def _run(args: list[str], tmp: Path, kill_at: tuple[str, int] | None = None) -> dict:
    """Run in a forked process; the events counted (None when it was killed)."""
    counts = tmp / "counts.json"
    counts.unlink(missing_ok=True)
    proc = multiprocessing.get_context("fork").Process(target=_child, args=([str(a) for a in args], kill_at,
                                                                          str(counts)))
    proc.start()
    proc.join(timeout=120)
    if kill_at is not None:
        assert proc.exitcode == -signal.SIGKILL, (kill_at, proc.exitcode)  # the point was reached
        return {}
    found = json.loads(counts.read_text())
    assert found["code"] == 0, (args, kill_at, found)
    return found


def _points(kind: str, total: int, k: int) -> list[tuple[str, int]]:
    """``k`` kill points of a kind, drawn at random (seeded) from 1..total."""
    rng = random.Random(f"{SEED}-{kind}-{total}")
    return [(kind, n) for n in sorted(rng.sample(range(1, total + 1), min(k, total)))]


def _content(path: Path) -> bytes:
    """A file's bytes; for a zip its members (Word and Excel files carry the time they were made)."""
    data = path.read_bytes()
    if path.suffix not in (".docx", ".xlsx"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # a cut-off zip raises: the test fails
        return b"\0".join(name.encode() + b"\0" + zf.read(name) for name in sorted(zf.namelist()))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: _content(p) for p in folder.iterdir() if not p.name.startswith(TEMP_PREFIX)}


def _assert_old_or_new(found: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes],
                       where: object, complete: str | None = None) -> None:
    """Every file is whole (the old run's or the new run's bytes); never an old file beside a
    new one; the mark of a complete folder only when the whole new run is there."""
    fresh = {n for n, c in found.items() if c == new.get(n) and c != old.get(n)}
    stale = {n for n, c in found.items() if c == old.get(n) and c != new.get(n)}
    assert {n for n, c in found.items() if c not in (old.get(n), new.get(n))} == set(), where
    assert not (fresh and stale), (where, fresh, stale)
    if complete is not None and complete in found and found != old:
        assert found == new, where


@pytest.fixture(scope="module", autouse=True)
def _imported() -> None:
    """What the commands import, imported once here: each forked run inherits it."""
    import ivoaudit.check
    import ivoaudit.cli.main
    import ivoaudit.report.generate
    import ivoaudit.report.json_summary
    import ivoaudit.report.xlsx
    import ivoaudit.results
    import ivoaudit.review.answers
    import ivoaudit.review.rounds  # noqa: F401


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> Path:
    """Every eighth case of the bundled Lifecare extract (375 cases, every area; small: each
    kill is a whole run)."""
    lines = (DATA / "arenden.csv").read_bytes().splitlines(keepends=True)
    path = tmp_path_factory.mktemp("extract") / "arenden.csv"
    path.write_bytes(b"".join([lines[0], *lines[1::8]]))
    return path


def _check(extract: Path, out: Path, as_of: str) -> list:
    return ["check", extract, "--mapping", DATA / "lifecare.yaml", "--as-of", as_of, "--out", out]


@pytest.fixture(scope="module")
def checked(extract, tmp_path_factory) -> dict[str, Path]:
    """The old and the new check folders."""
    tmp = tmp_path_factory.mktemp("killed")
    folders = {as_of: tmp / as_of for as_of in (OLD, NEW)}
    for as_of, folder in folders.items():
        _run(_check(extract, folder, as_of), tmp)
    return folders


def test_a_killed_check_leaves_the_old_folder_or_the_new_one(extract, checked, tmp_path):
    old, new = _files(checked[OLD]), _files(checked[NEW])
    total = _run(_check(extract, tmp_path / "ref", NEW), tmp_path)["replace"]
    for point in _points("replace", total, 3):
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(checked[OLD], out)
        _run(_check(extract, out, NEW), tmp_path, kill_at=point)
        _assert_old_or_new(_files(out), old, new, (SEED, point), complete="meta.json")


def test_a_killed_report_leaves_old_files_or_new_ones(checked, tmp_path):
    def report(results: Path, out: Path) -> list:
        return ["report", "--results", results, "--format", "json,xlsx", "--out", out]

    refs = {}
    for as_of in (OLD, NEW):
        counted = _run(report(checked[as_of], tmp_path / as_of), tmp_path)
        refs[as_of] = _files(tmp_path / as_of)
    out = tmp_path / "out"
    point = _points("replace", counted["replace"], 1)[0]
    shutil.copytree(tmp_path / OLD, out)
    _run(report(checked[NEW], out), tmp_path, kill_at=point)
    _assert_old_or_new(_files(out), refs[OLD], refs[NEW], (SEED, point))


def _rounds(db: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as con:
        return {r[0] for r in con.execute("SELECT name FROM rounds")}


def _sample(extract: Path, db: Path, form: Path, name: str) -> list:
    return ["sample", extract, "--mapping", DATA / "lifecare.yaml", "--strategy", "ivo",
            "--not-opened", "4", "--completed", "3", "--seed", "7", "--round", name, "--as-of", NEW,
            "--db", db, "--out", form]


def test_a_killed_sample_leaves_no_round_and_no_form_or_both(extract, tmp_path):
    base = tmp_path / "base.db"
    _run(_sample(extract, base, tmp_path / "first.xlsx", "first"), tmp_path)  # a store with a round in it
    reference = tmp_path / "reference.db"
    shutil.copy(base, reference)
    counted = _run(_sample(extract, reference, tmp_path / "ref.xlsx", "second"), tmp_path)
    commit = ("sql", counted["sql"])
    for point in [*_points("sql", counted["sql"] - 1, 2), *_points("replace", counted["replace"], 1), commit]:
        db, form = tmp_path / "s.db", tmp_path / "s.xlsx"
        form.unlink(missing_ok=True)
        shutil.copy(base, db)
        _run(_sample(extract, db, form, "second"), tmp_path, kill_at=point)
        assert "first" in _rounds(db)
        with_round = "second" in _rounds(db)
        if point != commit:
            assert with_round == form.exists(), (SEED, point, with_round)
            continue
        # Killed in the instant between the form taking its name and the COMMIT: the form is
        # there, its round is not. Nothing can read that form as data: importing it is
        # refused, and running the same sample again makes both.
        assert not with_round and form.exists()
        from ivoaudit.errors import UserError
        from ivoaudit.review.answers import import_review_form
        from ivoaudit.store import Store

        with Store(db) as store, pytest.raises(UserError):
            import_review_form(store, form)
        _run(_sample(extract, db, form, "second"), tmp_path)
        assert "second" in _rounds(db)


def test_a_killed_review_import_stores_every_answer_or_none(extract, tmp_path):
    from openpyxl import load_workbook

    base, form, filled = tmp_path / "base.db", tmp_path / "form.xlsx", tmp_path / "filled.xlsx"
    _run(_sample(extract, base, form, "r"), tmp_path)
    wb = load_workbook(form)
    ws = wb.worksheets[0]
    for dv in ws.data_validations.dataValidation:  # every dropdown answered with its first choice
        if dv.type == "list":
            for cell_range in dv.sqref.ranges:
                for row in ws.iter_rows(min_row=cell_range.min_row, max_row=cell_range.max_row,
                                        min_col=cell_range.min_col, max_col=cell_range.max_col):
                    for cell in row:
                        cell.value = dv.formula1.strip('"').split(",")[0]
    wb.save(filled)

    def answers(db: Path) -> int:
        with contextlib.closing(sqlite3.connect(db)) as con:
            return con.execute("SELECT COUNT(*) FROM review_answers").fetchone()[0]

    reference = tmp_path / "reference.db"
    shutil.copy(base, reference)
    counted = _run(["review", "import", filled, "--db", reference], tmp_path)
    total = answers(reference)
    assert total > 0
    for point in [*_points("sql", counted["sql"] - 1, 2), ("sql", counted["sql"])]:  # the last: COMMIT
        db = tmp_path / "i.db"
        shutil.copy(base, db)
        _run(["review", "import", filled, "--db", db], tmp_path, kill_at=point)
        assert answers(db) in (0, total), (SEED, point)
