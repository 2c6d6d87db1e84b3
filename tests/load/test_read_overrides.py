"""``--encoding`` and ``--delimiter`` reach the loader from every command that reads an extract.

Two extracts that sniffing cannot read: one from an old DOS-era system in code page 850 (``Ä`` is
byte 0x8E there, and 0x8F, ``Å``, is undefined in Windows-1252, so the file is refused as neither
UTF-8 nor cp1252), and one separated by ``|`` (sniffing tries ``,``, ``;`` and tab, finds one
column and no case id). Without the option every command refuses the file and names the option;
with it, every command reads the file and what it writes holds the decoded values.
"""

from __future__ import annotations

import csv
import json

import pytest
from load_helpers import HEADERS, ROWS, write_csv

CASE_IDS = [r[0] for r in ROWS]  # "Ä-1"… : decoded right only with the right encoding
FILES = {
    "encoding": ({"encoding": "cp850", "delimiter": ";"}, ["--encoding", "cp850"], "cp850", ";"),
    "delimiter": ({"encoding": "utf-8", "delimiter": "|"}, ["--delimiter", "|"], "utf-8", "|"),
}


def _commands(extract, tmp_path, option):
    out, form, db = tmp_path / "out", tmp_path / "form.xlsx", tmp_path / "store.db"
    return {
        "inspect": ["inspect", extract, "--format", "json", *option],
        "check": ["check", extract, "--as-of", "2024-06-30", "--out", out, *option],
        "sample": ["sample", extract, "--as-of", "2024-06-30", "--size", "2", "--seed", "1", "--round", "r",
                   "--out", form, "--db", db, *option],
        "unexecuted": ["unexecuted", extract, "--quarter", "2024-Q2", "--no-record", "--db", db,
                       "--out", tmp_path / "quarter", *option],
    }


@pytest.mark.parametrize("which", sorted(FILES))
def test_without_the_option_every_command_refuses_and_names_it(run_cli, tmp_path, which):
    written, option, _, _ = FILES[which]
    extract = write_csv(tmp_path / "x.csv", HEADERS, ROWS, **written)
    for command, argv in _commands(extract, tmp_path, []).items():
        code, _, err = run_cli(*argv)
        assert code == 3, (command, err)
        assert option[0] in err and "x.csv" in err, (command, err)


@pytest.mark.parametrize("which", sorted(FILES))
def test_with_the_option_every_command_reads_the_file(run_cli, tmp_path, which):
    written, option, encoding, delimiter = FILES[which]
    extract = write_csv(tmp_path / "x.csv", HEADERS, ROWS, **written)
    argv = _commands(extract, tmp_path, option)

    code, out, err = run_cli(*argv["inspect"])
    assert code == 0, err
    report = json.loads(out)
    assert (report["encoding"], report["delimiter"], report["loaded"]) == (encoding, delimiter, len(ROWS))
    assert "Övrig kommentar" in json.dumps(report["unrecognised"], ensure_ascii=False)

    code, _, err = run_cli(*argv["check"])
    assert code == 0, err
    with open(tmp_path / "out" / "cases.csv", encoding="utf-8-sig", newline="") as f:
        cases = list(csv.DictReader(f))
    assert sorted(row["case_id"] for row in cases) == CASE_IDS
    meta = json.loads((tmp_path / "out" / "meta.json").read_text(encoding="utf-8"))
    assert (meta["cases_loaded"], meta["rows_quarantined"]) == (len(ROWS), 0)

    code, out, err = run_cli(*argv["sample"])
    assert code == 0, err
    assert (tmp_path / "form.xlsx").is_file()

    # This extract has no decision columns: the quarter's list is refused for that, which it can
    # only say once the file's headers were read with the given encoding and delimiter.
    code, _, err = run_cli(*argv["unexecuted"])
    assert code == 3 and "saknar Beslutsdatum (decision_date)" in err and option[0] not in err, err
