"""Every fault the generator injects is reported by the loader at its row and column.

Faults that change meaning (an impossible date, an unknown code, a bad check digit) must
appear as a cell problem exactly there, with the rest of the row kept; duplicate rows must
be quarantined at their row; faults that do not change meaning (trailing spaces, another
valid date form, a blank cell) must not be reported as problems at all. The expected
behaviour comes from the generator's ``faults.csv``, written when the faults were injected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ivoaudit.load import load_extract
from ivoaudit.synthetic import generate, write_set

REPO = Path(__file__).resolve().parents[2]

CELL_PROBLEM = {"invalid date": "date_", "unknown code": "code_unknown", "invalid personnummer": "pnr_"}
BENIGN = ("blank cell", "trailing spaces", "other date form")


def _messy_sets(tmp_path_factory):
    yield "bundled lifecare", REPO / "sample_data/lifecare_messy/arenden.csv", REPO / "sample_data/mappings/lifecare.yaml"
    for system, seed in (("treserva", 11), ("lifecare", 12)):
        out = tmp_path_factory.mktemp(f"messy-{system}")
        files = write_set(generate(1500, seed, system=system, messy=True), out)
        yield f"generated {system}", files["extract"], out / f"{system}.yaml"


@pytest.fixture(scope="module")
def messy_sets(tmp_path_factory):
    return list(_messy_sets(tmp_path_factory))


def test_every_injected_fault_is_reported_where_injected(messy_sets):
    for label, extract_path, mapping in messy_sets:
        extract = load_extract(extract_path, mapping=mapping)
        faults = pd.read_csv(Path(extract_path).parent / "faults.csv", dtype=str, keep_default_na=False)
        faults["row"] = faults["row"].astype(int)
        problems = extract.problems
        quarantine = extract.quarantine
        checked = 0
        for fault in faults.itertuples():
            kind = fault.fault
            at_problem = problems[(problems["row"] == fault.row) & (problems["column"] == fault.column)]
            at_quarantine = quarantine[quarantine["row"] == fault.row]
            prefix = next((code for name, code in CELL_PROBLEM.items() if kind.startswith(name)), None)
            if prefix is not None:
                assert len(at_problem) == 1, f"{label}: {kind!r} at row {fault.row}, {fault.column} not reported"
                assert at_problem["code"].iloc[0].startswith(prefix), (label, fault, at_problem)
                assert fault.row in set(extract.cases["_row"]), f"{label}: row {fault.row} was not kept"
            elif kind.startswith("conflicting duplicate"):
                assert (at_quarantine["code"] == "duplicate_conflict").any(), (label, fault)
            elif kind.startswith("identical duplicate"):
                assert (at_quarantine["code"] == "duplicate_identical").any(), (label, fault)
            elif kind.startswith(BENIGN):
                assert at_problem.empty, f"{label}: benign {kind!r} at row {fault.row} reported: {at_problem}"
            else:
                pytest.fail(f"{label}: fault kind {kind!r} has no expectation in this test")
            checked += 1
        assert checked == len(faults) > 20, label
        # Nothing is reported that was not injected (problems come only from faults).
        reported = set(zip(problems["row"], problems["column"], strict=True))
        injected = set(zip(faults["row"], faults["column"], strict=True))
        assert reported <= injected, f"{label}: problems not injected: {sorted(reported - injected)[:10]}"
        # Every input row is accounted for.
        assert len(extract.cases) + len(quarantine["row"].unique()) == extract.source.rows
