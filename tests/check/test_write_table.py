"""``check_outputs.write_table`` renders CSV itself (for speed): its bytes must be exactly
those of ``pyarrow.csv.write_csv`` with ``quoting_style="needed"``, the independent
reference here, for every column type and awkward value, in one slice or many, with and
without the thread pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from ivoaudit import results as check_outputs

TRICKY = ['a"b', "x,y", "line\nbreak", "cr\rhere", "", None, "åäö €", '""', " sp ", "tab\t", "=1+2"]
N = 5_003
rng = np.random.default_rng(0)
STRINGS = pa.array([TRICKY[i] for i in rng.integers(0, len(TRICKY), N)])

TABLES = {
    "tricky strings": pa.table({"s": STRINGS, "i": pa.array(rng.integers(-5, 5, N))}),
    "dictionaries with nulls": pa.table({
        "d": STRINGS.dictionary_encode(),
        "e": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 3, N), mask=rng.random(N) < 0.1),
                                            pa.array(["p", None, 'q"'])),
    }),
    "wide and narrow integers": pa.table({
        "a": pa.array(rng.integers(-(2**62), 2**62, N)),
        "b": pa.array(rng.integers(0, 200, N), type=pa.uint8()),
        "c": pa.array(rng.integers(0, 10, N), mask=rng.random(N) < 0.5, type=pa.int16()),
    }),
    "dates far apart and close": pa.table({
        "d": pa.array(rng.integers(-800_000, 2_000_000, N), type=pa.int32()).cast(pa.date32()),
        "e": pa.array(rng.integers(19_000, 19_100, N), type=pa.int32(), mask=rng.random(N) < 0.3).cast(pa.date32()),
    }),
    "all null": pa.table({"n": pa.nulls(N), "s": pa.nulls(N, pa.string()), "i": pa.nulls(N, pa.int64()),
                          "d": pa.nulls(N, pa.date32())}),
    "large_string": pa.table({"s": STRINGS.cast(pa.large_string())}),
    "empty": pa.table({"a": pa.array([], pa.string()), "b": pa.array([], pa.int64()).dictionary_encode()}),
    "one row": pa.table({"a": ["x"], "b": [1]}),
    "float (left to pyarrow)": pa.table({"a": [1.5, None], "b": ["x", "y"]}),
    "chunks with different dictionaries": pa.Table.from_batches([
        pa.record_batch({"d": pa.array(["a", "b", "a"]).dictionary_encode(), "s": ["1", "2", "3"]}),
        pa.record_batch({"d": pa.array(["c", "a"]).dictionary_encode(), "s": ["4", None]}),
    ]),
    "many chunks": pa.concat_tables([pa.table({"d": STRINGS.dictionary_encode(),
                                               "i": pa.array(rng.integers(0, 100, N))})] * 3),
}


def _reference(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    sink.write((",".join(table.column_names) + "\n").encode())
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def _write(writer, source, path, threads: bool) -> None:
    """``writer(source, path)``, given a pool of two threads or none."""
    if threads:
        with ThreadPoolExecutor(max_workers=2) as pool:
            writer(source, path, pool)
    else:
        writer(source, path)


@pytest.mark.parametrize("name", list(TABLES))
@pytest.mark.parametrize("threads", [False, True])
def test_write_table_gives_pyarrows_bytes(name, threads, tmp_path, monkeypatch):
    monkeypatch.setattr(check_outputs, "_MAX_SLICE_ROWS", 700)  # many slices, written in order
    table = TABLES[name]
    path = tmp_path / "out.csv"
    _write(check_outputs.write_table, table, path, threads)
    assert path.read_bytes() == _reference(table)


NO_DAY = np.iinfo(np.int32).min


@pytest.mark.parametrize(("values", "expected"), [
    ([NO_DAY, 5, 3], 3), ([NO_DAY], None), ([], None), ([np.iinfo(np.int32).max], np.iinfo(np.int32).max),
    ([NO_DAY + 1, NO_DAY], NO_DAY + 1), ([-5, 7, NO_DAY], -5), ([0], 0),
])
def test_known_min_skips_only_the_blank_marker(values, expected):
    assert check_outputs._known_min(np.array(values, dtype=np.int32)) == expected


def _result_rows(n: int, day_span: int, blank_share: float, seed: int = 1):
    """ResultRows as the rules would lay them out, with ``n`` rows in a shuffled order."""
    from ivoaudit.check import ResultRows
    from ivoaudit.schema import STATUSES

    gen = np.random.default_rng(seed)

    def days(low: int, span: int) -> np.ndarray:
        out = gen.integers(low, low + span, n).astype(np.int32)
        out[gen.random(n) < blank_share] = NO_DAY
        return out

    cols = {
        "case": gen.integers(0, max(1, n // 3), n).astype(np.int32),
        "status": gen.integers(0, len(STATUSES), n).astype(np.int32),
        "note": gen.integers(0, 3, n).astype(np.int32),
        "ref": gen.integers(0, 2, n).astype(np.int32),
        "start": days(19_000, day_span), "end": days(19_100, day_span), "deadline": days(19_050, day_span),
        "days": days(-3, day_span), "days_over": np.full(n, NO_DAY, dtype=np.int32),  # all blank
    }
    return ResultRows(
        cols=cols, order=gen.permutation(n).astype(np.int64), rule=gen.integers(0, 4, n).astype(np.int32),
        rule_ids=pa.array(["R-1", "R-2", "R-3", "R-4"]),
        case_ids=pa.array([f"2024-{i:07d}" for i in range(max(1, n // 3))]),
        notes=pa.array(["", 'undantag: "skäl"', "fristen föll, på helgdag"]),
        references=pa.array(["SoL (2001:453) 11 kap. 1 a §", "SoL (2025:400) 19 kap. 1 §"]),
    )


@pytest.mark.parametrize(("n", "day_span"), [
    (5_003, 400),  # dates spanning fewer days than rows: rendered from the rows
    (300, 5_000),  # more days than rows: through the table, as write_table does
    (0, 10),  # no result rows at all
])
@pytest.mark.parametrize("threads", [False, True])
def test_result_rows_render_the_bytes_of_their_table(n, day_span, threads, tmp_path, monkeypatch):
    monkeypatch.setattr(check_outputs, "_MAX_SLICE_ROWS", 700)
    rows = _result_rows(n, day_span, blank_share=0.3)
    path = tmp_path / "results.csv"
    _write(check_outputs.write_result_rows, rows, path, threads)
    assert path.read_bytes() == _reference(rows.table())
