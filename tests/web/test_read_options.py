"""The CSV's encoding and delimiter chosen in the browser (the CLI's --encoding/--delimiter),
when sniffing cannot read the file: chosen at upload or on the extract's page, kept with the
extract and used by inspect, the mapping form, the check and a sample."""

from __future__ import annotations

import csv
import io
import json

HEADERS = ["Ärendenr", "Verksamhetsområde", "Enhet", "Anmälan inkom", "Beslut förhandsbedömning",
           "Utfall förhandsbedömning", "Övrig kommentar"]
# Code page 850 (an old DOS-era export): Å is byte 0x8F, which Windows-1252 leaves undefined, so
# sniffing refuses the file; read as cp850 the case ids come out as written.
ROWS = [[f"Å-{i}", "Barn och unga", "Öster", "2024-01-05", "2024-01-15" if i % 2 else "2024-02-20",
         "Inleda utredning", "båt"] for i in range(1, 9)]
CASE_IDS = sorted(r[0] for r in ROWS)


def _csv(delimiter: str, encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(ROWS)
    return buf.getvalue().encode(encoding)


def _upload(c, data: bytes, **choice) -> str:
    r = c.post("/extracts", choice, files={"extract": ("gammalt.csv", data, "text/csv")})
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def test_a_cp850_file_is_refused_when_sniffed_and_read_right_with_the_encoding_chosen(client):
    c = client
    data = _csv(";", "cp850")
    assert b"\x8f" in data
    sniffed = _upload(c, data)
    page = c.get(f"/extracts/{sniffed}").text
    assert 'role="alert"' in page and "Filen gammalt.csv har en teckenkodning" in page and "Å-1" not in page
    assert "extract.csv" not in page  # the name the app stored it under means nothing to the user
    assert c.post("/lang", {"lang": "en", "back": "/"}).status_code == 303  # and in English, in English
    page = c.get(f"/extracts/{sniffed}").text
    assert "The file gammalt.csv has a character encoding" in page and "teckenkodning som" not in page
    c.post("/lang", {"lang": "sv", "back": "/"})
    assert "cases" not in c.state.workdir.load("extracts", sniffed)
    # chosen on the extract's page: read again, and the mapping form reads it too
    r = c.post(f"/extracts/{sniffed}/choose-mapping", {"mapping": "auto", "encoding": "cp850", "delimiter": ""})
    assert r.status_code == 303, r.text
    assert c.state.workdir.load("extracts", sniffed)["cases"] == len(ROWS)
    page = c.get(f"/extracts/{sniffed}").text
    assert 'role="alert"' not in page and "cp850" in page
    assert '<option value="cp850" selected>' in page
    assert "Övrig kommentar" in c.get(f"/extracts/{sniffed}/mapping").text
    # chosen at upload: the check reads it with the same choice
    chosen = _upload(c, data, encoding="cp850")
    assert c.state.workdir.load("extracts", chosen)["cases"] == len(ROWS)
    check = c.run_job(c.post("/checks", {"extract": chosen, "as_of": "2024-06-30"})).rsplit("/", 1)[1]
    out = c.state.workdir.root / "checks" / check / "out"
    with open(out / "cases.csv", encoding="utf-8-sig", newline="") as fh:
        assert sorted(row["case_id"] for row in csv.DictReader(fh)) == CASE_IDS
    assert json.loads((out / "meta.json").read_text("utf-8"))["cases_loaded"] == len(ROWS)
    # and a sample draws from it (the round's form lists decoded ids)
    c.run_job(c.post("/rounds", {"extract": chosen, "as_of": "2024-06-30", "strategy": "random", "size": "3",
                                 "seed": "1", "name": "cp850"}))


def test_a_bar_separated_file_is_read_with_the_delimiter_chosen(client):
    c = client
    data = _csv("|", "utf-8")
    sniffed = _upload(c, data)
    assert c.state.workdir.load("extracts", sniffed).get("cases") != len(ROWS)
    chosen = _upload(c, data, delimiter="|")
    assert c.state.workdir.load("extracts", chosen)["cases"] == len(ROWS)
    page = c.get(f"/extracts/{chosen}").text
    assert "„|“" in page and '<option value="|" selected>' in page
    tabbed = _upload(c, _csv("\t", "utf-8"), delimiter="tab")
    assert c.state.workdir.load("extracts", tabbed)["cases"] == len(ROWS)


def test_an_encoding_not_offered_is_refused(client):
    r = client.post("/extracts", {"encoding": "rot13"}, files={"extract": ("x.csv", _csv(";", "utf-8"), "text/csv")})
    assert r.status_code == 422 and "rot13" in r.text
    assert client.state.workdir.list("extracts") == []
