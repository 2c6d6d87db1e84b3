"""The same logical extract in every encoding, delimiter and as a workbook loads identically."""

from __future__ import annotations

import pandas as pd
import pytest
from load_helpers import HEADERS, PNR_MAN, ROWS, write_csv, write_xlsx

from ivoaudit.load import load_extract

SECRET = b"test-secret-0123456789abcdef0123"
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-32"]
DELIMITERS = [",", ";", "\t"]


def _reference(tmp_path):
    return load_extract(write_csv(tmp_path / "ref.csv", HEADERS, ROWS), secret=SECRET)


def test_reference_values_are_the_expected_canonical_ones(tmp_path):
    cases = _reference(tmp_path).cases
    assert cases["_row"].tolist() == [2, 3, 4, 5]
    assert cases["case_id"].tolist() == ["Ä-1", "Ä-2", "Ä-3", "Ä-4"]
    assert cases["area"].tolist() == ["barn_unga", "aldre", "barn_unga", "missbruk"]
    assert cases["unit"].tolist() == ["Öster", "Väster", "Öster", "Norr"]
    assert cases["caseworker"].isna().tolist() == [False, False, True, False]
    assert cases["preliminary_outcome"].tolist() == ["open", "not_open", "joined", "open"]
    assert cases["received_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-05",
        "2024-02-29",
        "2023-12-31",
        "2024-03-01",
    ]
    assert cases["preliminary_decision_date"].isna().tolist() == [False, True, False, False]
    # sex and birth date derived from the numbers (the extract has no such columns)
    assert cases["sex"].tolist()[:2] == ["M", "M"] and cases["sex"].tolist()[3] == "F"
    assert pd.isna(cases["sex"].iloc[2])
    assert cases["birth_date"].dt.strftime("%Y-%m-%d").tolist()[0] == "1912-12-12"
    assert cases["person_id"].str.match(r"^P[0-9a-f]{16}$").tolist() == [True, True, False, True]
    assert str(cases["received_date"].dtype) == "datetime64[ns]"
    assert "Övrig kommentar" in _reference(tmp_path).unrecognised


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_every_encoding_and_delimiter_gives_the_same_frames(tmp_path, encoding, delimiter):
    ref = _reference(tmp_path)
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding=encoding, delimiter=delimiter)
    got = load_extract(path, secret=SECRET)
    assert got.source.encoding == encoding
    assert got.source.delimiter == delimiter
    pd.testing.assert_frame_equal(got.cases, ref.cases)
    pd.testing.assert_frame_equal(got.invalid, ref.invalid)
    assert got.columns == ref.columns


def test_excel_unicode_text_export_reads_like_any_csv(tmp_path):
    # Excel's "Unicode text" (Unicode-text (*.txt)): UTF-16 little endian with a byte-order mark,
    # tab-separated, CRLF line ends.
    ref = _reference(tmp_path)
    text = "\r\n".join("\t".join(row) for row in [HEADERS, *ROWS]) + "\r\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    got = load_extract(path, secret=SECRET)
    assert (got.source.encoding, got.source.delimiter) == ("utf-16", "\t")
    pd.testing.assert_frame_equal(got.cases, ref.cases)
    pd.testing.assert_frame_equal(got.invalid, ref.invalid)


def test_utf32_is_named_as_utf32(tmp_path):
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding="utf-32", delimiter=";")
    assert load_extract(path, secret=SECRET).source.encoding == "utf-32"


@pytest.mark.parametrize(("given", "delimiter"), [("cp1252", None), (None, ";"), ("cp1252", ";")])
def test_encoding_and_delimiter_given_override_sniffing(tmp_path, given, delimiter):
    # A file whose first line has commas in its headers would be sniffed as comma-separated,
    # and UTF-8-looking bytes as UTF-8: the user's word wins.
    ref = _reference(tmp_path)
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding="cp1252", delimiter=";")
    got = load_extract(path, secret=SECRET, encoding=given, delimiter=delimiter)
    pd.testing.assert_frame_equal(got.cases, ref.cases)
    assert got.source.delimiter == ";" and got.source.encoding == "cp1252"


def test_a_wrong_encoding_given_is_said_with_advice(tmp_path):
    from ivoaudit.errors import InputError

    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding="cp1252", delimiter=";")
    with pytest.raises(InputError) as caught:
        load_extract(path, secret=SECRET, encoding="utf-8")
    assert "utf-8" in str(caught.value) and "--encoding" in str(caught.value)


@pytest.mark.parametrize("real_dates", [True, False])
def test_workbook_gives_the_same_frames(tmp_path, real_dates):
    ref = _reference(tmp_path)
    path = write_xlsx(tmp_path / "x.xlsx", HEADERS, ROWS, real_dates=real_dates)
    got = load_extract(path, secret=SECRET)
    assert got.source.format == "xlsx" and got.source.sheet == "Uttag"
    pd.testing.assert_frame_equal(got.cases, ref.cases)
    pd.testing.assert_frame_equal(got.invalid, ref.invalid)


def test_workbook_numbers_read_as_their_text(tmp_path):
    rows = [[1001, int(PNR_MAN.replace("-", "")), "aldre", "", "", "2024-01-05", "", "", ""]]
    got = load_extract(write_xlsx(tmp_path / "n.xlsx", HEADERS, rows), secret=SECRET)
    assert got.cases["case_id"].tolist() == ["1001"]
    assert not got.invalid["person_id"].any()
    assert got.cases["birth_date"].dt.strftime("%Y-%m-%d").tolist() == ["1912-12-12"]


def test_problem_cells_are_the_same_in_csv_and_xlsx(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][2] = "Okänt område"
    rows[2][6] = "2024-02-30"
    csv_got = load_extract(
        write_csv(tmp_path / "p.csv", HEADERS, rows, delimiter=";", encoding="cp1252"),
        secret=SECRET,
    )
    xlsx_got = load_extract(write_xlsx(tmp_path / "p.xlsx", HEADERS, rows), secret=SECRET)
    pd.testing.assert_frame_equal(csv_got.cases, xlsx_got.cases)
    pd.testing.assert_frame_equal(csv_got.problems, xlsx_got.problems)
    assert csv_got.problems[["row", "field", "code"]].values.tolist() == [
        [3, "area", "code_unknown"],
        [4, "preliminary_decision_date", "date_impossible"],
    ]


def test_row_numbers_follow_physical_lines_with_multiline_quoted_fields(tmp_path):
    text = (
        "Ärendenr;Anmälan inkom;Kommentar\r\n"
        "A;2024-01-01;ett\r\n"
        'B;2024-01-02;"två\r\nrader\r\noch ""citat"""\r\n'
        "\r\n"
        "C;2024-01-03;tre\r\n"
    )
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode("utf-8"))
    got = load_extract(path, secret=SECRET)
    assert got.cases["case_id"].tolist() == ["A", "B", "C"]
    # B starts on line 3 and spans three lines; line 6 is empty; C is on line 7
    assert got.cases["_row"].tolist() == [2, 3, 7]
    assert got.source.rows == 3


def test_utf8_head_then_cp1252_bytes_later_reads_as_cp1252(tmp_path):
    rows = [[f"A{i}", "", "aldre", "Norr", "", "2024-01-05", "", "", ""] for i in range(3000)]
    rows.append(["ÄÖ", "", "äldre", "Söder", "", "2024-01-05", "", "", "å"])
    headers = ["Arendenr", *HEADERS[1:]]  # ASCII header so the first 64 KB are plain ASCII
    path = write_csv(tmp_path / "late.csv", headers, rows, encoding="cp1252")
    assert path.stat().st_size > 65_536
    got = load_extract(path, secret=SECRET)
    assert got.source.encoding == "cp1252"
    assert got.cases["case_id"].iloc[-1] == "ÄÖ"
    assert got.cases["unit"].iloc[-1] == "Söder"
    assert got.cases["_row"].iloc[-1] == 3002


def test_header_only_file_loads_zero_cases(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Ärendenr;Anmälan inkom\n", encoding="utf-8")
    got = load_extract(path, secret=SECRET)
    assert len(got.cases) == 0 and got.source.rows == 0
    assert list(got.cases.columns) == ["case_id", "received_date", "_row"]


def test_workbook_row_numbers_are_the_sheet_rows(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Ärendenr", "Anmälan inkom"
    ws["A2"] = "x"
    ws["A5"] = "y"  # rows 3-4 empty: not data rows
    ws["B7"] = "2024-01-01"  # no case id
    wb.save(tmp_path / "gap.xlsx")
    got = load_extract(tmp_path / "gap.xlsx", secret=SECRET)
    assert got.cases["_row"].tolist() == [2, 5]
    assert got.quarantine[["row", "code"]].values.tolist() == [[7, "case_id_missing"]]
    assert got.source.rows == 3
