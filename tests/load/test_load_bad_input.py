"""Files that cannot be read give one clear message, exit code 3 and write nothing."""

from __future__ import annotations

import os
import zipfile

import pytest
from load_helpers import HEADERS, ROWS, write_csv, write_xlsx


def _snapshot(*folders):
    return {str(p) for folder in folders for p in folder.rglob("*")}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Run in an empty folder and check afterwards that nothing was created anywhere we see."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def _run_bad(run_cli, workdir, path, *extra, lang=None):
    secret = os.environ["IVOAUDIT_SECRET_FILE"]
    before = _snapshot(workdir, path.parent)
    args = ["inspect", str(path), *extra]
    if lang:
        args = ["--lang", lang, *args]
    code, out, err = run_cli(*args)
    assert code == 3, (code, out, err)
    assert out == ""
    assert "Traceback" not in err
    assert _snapshot(workdir, path.parent) == before
    assert not os.path.exists(secret)
    return err


def test_empty_file(run_cli, workdir, tmp_path):
    path = tmp_path / "tomt.csv"
    path.write_bytes(b"")
    err = _run_bad(run_cli, workdir, path)
    assert "tomt.csv" in err and "är tom" in err and "Gör ett nytt uttag" in err


def test_whitespace_only_file_is_empty_in_english(run_cli, workdir, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    err = _run_bad(run_cli, workdir, path, lang="en")
    assert "blank.csv" in err and "is empty" in err and "new extract" in err


@pytest.mark.parametrize("name", ["rapport.csv", "rapport.xlsx"])
def test_pdf_renamed(run_cli, workdir, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    err = _run_bad(run_cli, workdir, path)
    assert name in err and "PDF" in err and "CSV eller Excel (.xlsx)" in err


def test_zip_that_is_not_a_workbook(run_cli, workdir, tmp_path):
    path = tmp_path / "arkiv.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hej")
    err = _run_bad(run_cli, workdir, path)
    assert "arkiv.xlsx" in err and "Excel-arbetsbok" in err and "spara" in err.lower()


def test_old_xls(run_cli, workdir, tmp_path):
    path = tmp_path / "gammal.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    err = _run_bad(run_cli, workdir, path)
    assert "gammal.xls" in err and ".xlsx" in err


def test_missing_sheet_lists_the_sheets(run_cli, workdir, tmp_path):
    path = write_xlsx(tmp_path / "bok.xlsx", HEADERS, ROWS, sheet="Ärenden", extra_sheets=("Info",))
    err = _run_bad(run_cli, workdir, path, "--sheet", "Aktualiseringar")
    assert "bok.xlsx" in err and '"Aktualiseringar"' in err
    assert '"Ärenden"' in err and '"Info"' in err and "--sheet" in err


def test_missing_header_row(run_cli, workdir, tmp_path):
    path = tmp_path / "utan_rubrik.csv"
    path.write_text(
        "1001;19121212-1212;2024-01-05;2024-01-10\n1002;;2024-02-01;\n", encoding="utf-8"
    )
    err = _run_bad(run_cli, workdir, path)
    assert "utan_rubrik.csv" in err and "rubrikrad" in err and "Lägg till en rubrikrad" in err
    assert "19121212" not in err and "1001" not in err  # the row is not shown: it may hold identifiers


def test_missing_header_row_in_workbook(run_cli, workdir, tmp_path):
    path = write_xlsx(
        tmp_path / "data.xlsx", ["1001", "2024-01-05", "2024-01-10"], [["1002", "", ""]]
    )
    err = _run_bad(run_cli, workdir, path, lang="en")
    assert "data.xlsx" in err and "header row" in err


def test_no_case_id_column(run_cli, workdir, tmp_path):
    path = write_csv(tmp_path / "x.csv", ["Löpnummer", "Anmälan inkom"], [["7", "2024-01-05"]])
    err = _run_bad(run_cli, workdir, path)
    assert "x.csv" in err and "ärendenummer (case_id)" in err
    assert '"Löpnummer"' in err and '"Anmälan inkom"' in err
    assert "columns: case_id:" in err and "--mapping" in err


def test_unreadable_encoding(run_cli, workdir, tmp_path):
    path = tmp_path / "trasig.csv"
    # invalid as UTF-8 (lone 0xE4) and containing 0x81, undefined in cp1252
    path.write_bytes(b"\xc4rendenr;Inkom\nA\x81;2024-01-05\nB\xe4;2024-01-06\n")
    err = _run_bad(run_cli, workdir, path)
    assert "trasig.csv" in err and "teckenkodning" in err and "CSV UTF-8" in err


@pytest.mark.parametrize("head", [b"\xc4rendenr;Inkom\n", b"Arendenr;Inkom\n"])  # cp1252 / ASCII head
def test_a_byte_undefined_in_cp1252_far_into_the_file_is_unreadable(run_cli, workdir, tmp_path, head):
    # The reader looks at the first 64 KB only; the undefined byte comes long after that
    # (with an ASCII head the file is first tried as UTF-8, then as cp1252).
    body = b"".join(b"A%06d;2024-01-05\n" % i for i in range(10_000))
    path = tmp_path / "trasig.csv"
    path.write_bytes(head + body + b"B\x90;2024-01-06\n")
    err = _run_bad(run_cli, workdir, path)
    assert "trasig.csv" in err and "teckenkodning" in err and "CSV UTF-8" in err


def test_control_characters_are_unreadable(run_cli, workdir, tmp_path):
    path = tmp_path / "binar.csv"
    path.write_bytes(b"\xc4rendenr;Inkom\n\x01\x02\x03\xe4;2024\n")
    err = _run_bad(run_cli, workdir, path)
    assert "binar.csv" in err and "teckenkodning" in err


def test_utf16_that_is_not_utf16_is_refused_with_advice(run_cli, workdir, tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes(b"\xff\xfe" + "Ärendenr;Inkom\r\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    err = _run_bad(run_cli, workdir, path)
    assert "unicode.csv" in err and "utf-16" in err and "--encoding" in err


def test_file_not_found(run_cli, workdir, tmp_path):
    path = tmp_path / "finns_inte.csv"
    err = _run_bad(run_cli, workdir, path)
    assert "finns_inte.csv" in err and "finns inte" in err


def test_traceback_only_on_request(run_cli, workdir, tmp_path):
    path = tmp_path / "tomt.csv"
    path.write_bytes(b"")
    code, _, err = run_cli("--traceback", "inspect", str(path))
    assert code == 3 and "Traceback" in err


def test_bad_mapping_exits_3_and_writes_nothing(run_cli, workdir, tmp_path):
    data = write_csv(tmp_path / "x.csv", HEADERS, ROWS)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  case_idd: Ärendenr\n", encoding="utf-8")
    err = _run_bad(run_cli, workdir, data, "--mapping", str(mapping))
    assert "m.yaml" in err and "columns.case_idd" in err and "case_id" in err
