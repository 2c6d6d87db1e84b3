"""The rules evaluated on two threads (large extracts) give exactly the sequential result.

``run_check`` evaluates rules ahead on worker threads from ``THREADS_FROM`` cases on and
lays their rows out in checklist order on the calling thread; the threshold is lowered
here so a small generated extract takes that path.
"""

from __future__ import annotations

import threading
from datetime import date

import numpy as np
import pytest

import ivoaudit.check as check
from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.load import load_events, load_extract
from ivoaudit.rules import deadline, registry
from ivoaudit.rules.base import CaseContext
from ivoaudit.synthetic import generate, write_set

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A messy generated lifecare set (invalid cells, fallbacks, events) and its checklist."""
    out = tmp_path_factory.mktemp("threaded")
    files = write_set(generate(4000, 21, system="lifecare", messy=True), out)
    extract = load_extract(files["extract"], mapping=files["mapping"])
    events = load_events(files["events"], mapping=files["events_mapping"])
    return extract, events, load_checklists()


def _run(generated, monkeypatch, threads_from: int, **kwargs):
    extract, events, checklist = generated
    monkeypatch.setattr(check, "THREADS_FROM", threads_from)
    return run_check(extract, checklist, AS_OF, events=events, **kwargs)


@pytest.mark.parametrize("look_ahead", [1, 3, 50])
def test_threaded_result_is_the_sequential_result(generated, monkeypatch, look_ahead):
    sequential = _run(generated, monkeypatch, 10**12)
    monkeypatch.setattr(check, "LOOK_AHEAD", look_ahead)
    threaded = _run(generated, monkeypatch, 0)
    assert threaded.table.num_rows > 10_000  # enough rows for every rule kind to take part
    assert threaded.table.schema == sequential.table.schema
    assert threaded.table.equals(sequential.table)
    for name in threaded.table.column_names:  # the dictionaries too, in the same order
        assert threaded.table.column(name).to_pylist() == sequential.table.column(name).to_pylist(), name
    assert threaded.summary.equals(sequential.summary)
    assert threaded.meta == sequential.meta


def test_threaded_progress_bar_advances_per_rule(generated, monkeypatch):
    import tqdm

    steps: list[int] = []

    class Bar:  # records the bar's position after every update
        def __init__(self, total, **kwargs):
            self.total, self.n = total, 0

        def update(self, k):
            self.n += k
            steps.append(self.n)

        def close(self):
            pass

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    monkeypatch.setattr(check, "PROGRESS_FROM", 0)
    result = _run(generated, monkeypatch, 0, progress=True)
    total = len(result.checklist.rules)
    assert steps[-1] == total and steps == sorted(steps)
    assert len(steps) >= len(result.meta["rules_run"])  # one step (at least) per rule run


def test_a_failing_rule_stops_the_threaded_run(generated, monkeypatch):
    calls = []

    def broken(spec, ctx, scope):
        calls.append(spec.id)
        raise ValueError(f"broken rule {spec.id}")

    monkeypatch.setitem(registry.KINDS, "deadline", registry.RuleKind("deadline", deadline.DeadlineParams, broken))
    before = threading.active_count()
    with pytest.raises(ValueError, match="broken rule"):
        _run(generated, monkeypatch, 0)
    assert threading.active_count() == before  # the worker threads are gone
    first = next(r.id for r in generated[2].rules if r.kind == "deadline")
    with pytest.raises(ValueError, match=f"broken rule {first}$"):  # the first in checklist order
        _run(generated, monkeypatch, 0)


def test_case_context_computes_each_column_once_across_threads(generated, monkeypatch):
    extract, _, _ = generated
    ctx = CaseContext(cases=extract.cases.reset_index(drop=True), invalid=extract.invalid.reset_index(drop=True),
                      as_of=np.datetime64(AS_OF, "D"))
    computed = []
    read_codes = ctx._read_codes

    def counting(name):
        computed.append(name)
        threading.Event().wait(0.05)  # long enough for every thread to ask meanwhile
        return read_codes(name)

    monkeypatch.setattr(ctx, "_read_codes", counting)
    barrier = threading.Barrier(4)
    got = []

    def ask():
        barrier.wait()
        got.append(ctx.codes("area"))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert computed == ["area"]
    assert all(codes is got[0] for codes in got)
