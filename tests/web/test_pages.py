"""Every page and form of the web app through the framework's test client.

The figures on the pages are asserted against the library's own outputs for the same data
(summary.csv, the store), so a page that shows something else than the library computed fails.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
import yaml

from tests.conftest import SAMPLE_DATA


def read_csv(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_start_page_shows_the_latest_check_per_rule_with_lights(prepared):
    c = prepared["client"]
    html = c.get("/").text
    summary = read_csv(c.state.root_of(c.state.workdir.load("checks", prepared["check"])) / "summary.csv")
    for row in summary:
        assert row["rule_id"] in html
    first = summary[0]
    denominator = int(first["pass"]) + int(first["fail"]) + int(first["overdue"])
    assert f"{int(first['pass']):,}".replace(",", "\u00a0") + " / " + f"{denominator:,}".replace(",", "\u00a0") in html
    assert "light-green" in html or "light-red" in html or "light-yellow" in html
    assert "BU prov" in html  # the round


def test_language_switch_sets_english_and_back(client):
    assert "Läs in uttag" in client.get("/").text
    r = client.post("/lang", {"lang": "en", "back": "/extracts"})
    assert r.status_code == 303 and r.headers["location"] == "/extracts"
    html = client.get("/extracts").text
    assert 'lang="en"' in html and "Load an extract" in html and "Läs in ett uttag" not in html
    assert client.post("/lang", {"lang": "sv", "back": "https://evil.example/"}).headers["location"] == "/"
    assert 'lang="sv"' in client.get("/").text


def test_extract_page_shows_what_inspect_shows(prepared):
    from ivoaudit.load.inspection import inspect_file

    c = prepared["client"]
    html = c.get(f"/extracts/{prepared['extract']}").text
    report = inspect_file(SAMPLE_DATA / "lifecare" / "arenden.csv", mapping=SAMPLE_DATA / "mappings" / "lifecare.yaml",
                          examples=20)
    assert "lifecare.yaml" in html
    assert f"<dd>{report['loaded']:,}</dd>".replace(",", "\u00a0") in html
    for field in report["fields"]:
        if field["header"]:
            assert field["header"] in html
    for group in report["problems"]["groups"]:
        assert group["label"] in html
        first = group["examples"][0]
        assert f'<td class="num">{first["row"]}</td>' in html


def test_extract_without_mapping_lists_unrecognised_columns_and_the_mapping_form_fixes_them(client):
    # headers nobody recognises: the form maps them and the YAML it writes is the CLI's format
    data = "Nr;Kom in;Beslut FB;Utfall\n1;2026-01-05;2026-01-10;Ja\n2;2026-01-05;2026-02-10;Nej\n3;2026-01-05;;Ja\n"
    r = client.post("/extracts", files={"extract": ("egen.csv", data.encode(), "text/csv")})
    assert r.status_code == 303
    extract = r.headers["location"].rsplit("/", 1)[1]
    html = client.get(f"/extracts/{extract}").text
    assert "Kolumner som inte känns igen" in html or "Ärendenummer saknas" in html or "case_id" in html
    form = client.get(f"/extracts/{extract}/mapping").text
    assert 'name="col.case_id"' in form and '<option value="Kom in"' in form
    r = client.post(f"/extracts/{extract}/mapping", {
        "col.case_id": "Nr", "col.received_date": "Kom in", "col.preliminary_decision_date": "Beslut FB",
        "col.preliminary_outcome": "Utfall", "const.area": "barn_unga", "name": "min mappning"})
    assert r.status_code == 303, r.text
    record = client.state.workdir.load("extracts", extract)
    assert record["mapping"]["label"] == "min mappning.yaml"
    saved = client.state.workdir.resolve(record["mapping"]["file"])
    data_yaml = yaml.safe_load(saved.read_text("utf-8"))
    assert data_yaml["columns"]["case_id"] == "Nr" and data_yaml["constants"] == {"area": "barn_unga"}
    # the codes Ja/Nej are unknown for preliminary_outcome: the form offers them, mapping them works
    form = client.get(f"/extracts/{extract}/mapping").text
    codes = dict(re.findall(r'name="code\.preliminary_outcome\.(\d+)" value="([^"]+)"', form))
    assert set(codes.values()) == {"Ja", "Nej"}
    # the form kept from the upload's load is the form a fresh load gives
    (client.state.workdir.root / "extracts" / extract / "draft.json").unlink()
    assert client.get(f"/extracts/{extract}/mapping").text == form
    choice = {f"map.preliminary_outcome.{n}": ("open" if v == "Ja" else "not_open") for n, v in codes.items()}
    fields = {f"col.{k}": v for k, v in data_yaml["columns"].items()}
    hidden = {f"code.preliminary_outcome.{n}": v for n, v in codes.items()}
    r = client.post(f"/extracts/{extract}/mapping", {**fields, **choice, **hidden, "const.area": "barn_unga",
                                                      "name": "andra.yaml"})
    assert r.status_code == 303
    saved = client.state.workdir.resolve(client.state.workdir.load("extracts", extract)["mapping"]["file"])
    assert yaml.safe_load(saved.read_text("utf-8"))["values"] == {
        "preliminary_outcome": {"open": ["Ja"], "not_open": ["Nej"]}}
    # the CLI reads the same file to the same cases
    from ivoaudit.load import load_extract

    loaded = load_extract(client.state.workdir.resolve(record["file"]), mapping=saved, keyed=False)
    assert list(loaded.cases["preliminary_outcome"]) == ["open", "not_open", "open"]
    download = client.get("/files/" + client.state.workdir.load("extracts", extract)["mapping"]["file"])
    assert download.status_code == 200 and b"preliminary_outcome" in download.content


def test_an_invalid_mapping_form_is_refused_with_the_mapping_message(client):
    extract = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    r = client.post(f"/extracts/{extract}/mapping", {"col.case_id": "Ärendenr", "col.unit": "Ärendenr"})
    assert r.status_code == 422
    assert "Ärendenr" in r.text and "redan" in r.text


def test_an_invalid_mapping_file_is_refused(client):
    extract = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    r = client.post(f"/extracts/{extract}/choose-mapping",
                    files={"mapping_file": ("fel.yaml", b"columns:\n  case_idd: X\n", "text/yaml")})
    assert r.status_code == 422 and "case_id" in r.text
    assert client.state.workdir.list("mappings") == []


def test_a_saved_mapping_can_be_chosen_for_another_extract(prepared, client):
    extract = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    client.use_mapping(extract, SAMPLE_DATA / "mappings" / "lifecare.yaml")
    second = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv", name="igen.csv")
    saved = client.state.workdir.list("mappings")[0]["id"]
    assert client.post(f"/extracts/{second}/choose-mapping", {"mapping": saved}).status_code == 303
    assert client.state.workdir.load("extracts", second)["mapping"]["id"] == saved
    assert client.post(f"/extracts/{second}/choose-mapping", {"mapping": "auto"}).status_code == 303
    assert client.state.workdir.load("extracts", second)["mapping"] == {"kind": "auto"}


def test_check_page_shows_the_summary_with_denominators(prepared):
    c = prepared["client"]
    folder = c.state.root_of(c.state.workdir.load("checks", prepared["check"]))
    html = c.get(f"/checks/{prepared['check']}").text
    for row in read_csv(folder / "summary.csv"):
        d = int(row["pass"]) + int(row["fail"]) + int(row["overdue"])
        if d:
            assert f"{int(row['pass']):,} / {d:,}".replace(",", "\u00a0") in html, row["rule_id"]
    for name in ("results.csv", "summary.csv", "meta.json", "report.html"):
        assert f"/files/checks/{prepared['check']}/out/{name}" in html
    got = c.get(f"/files/checks/{prepared['check']}/out/summary.csv")
    assert got.content == (folder / "summary.csv").read_bytes()


def test_drill_down_lists_exactly_the_deviating_cases(prepared):
    c = prepared["client"]
    folder = c.state.root_of(c.state.workdir.load("checks", prepared["check"]))
    rows = read_csv(folder / "results.csv")
    rule = "BU-FORHAND-14D"
    expected = [r["case_id"] for r in rows if r["rule_id"] == rule and r["status"] in ("fail", "overdue")]
    assert len(expected) > 100  # two pages
    seen = []
    page = 1
    while True:
        html = c.get(f"/checks/{prepared['check']}/rules/{rule}?page={page}").text
        seen += re.findall(r'<tr><th scope="row"[^>]*>([^<]+)</th>', html)
        if "Nästa" not in html:
            break
        page += 1
    assert seen == expected
    assert c.get(f"/checks/{prepared['check']}/rules/NO-SUCH").status_code == 404


def test_check_of_a_missing_extract_and_a_bad_date_are_refused(prepared):
    c = prepared["client"]
    assert c.post("/checks", {"extract": "20260101-000000-000000", "as_of": "2026-10-31"}).status_code == 422
    r = c.post("/checks", {"extract": prepared["extract"], "as_of": "31/10/2026"})
    assert r.status_code == 422 and "ÅÅÅÅ-MM-DD" in r.text


def test_a_failed_job_shows_its_message(client, tmp_path):
    extract = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    r = client.post("/checks", {"extract": extract, "as_of": "2026-10-31", "checklist": "nonexistent"})
    job_id = r.headers["location"].rsplit("/", 1)[1]
    job = client.state.jobs.wait(job_id)
    assert job.state == "failed" and "nonexistent" in job.error
    html = client.get(f"/jobs/{job_id}").text
    assert "nonexistent" in html and 'role="alert"' in html
    assert client.get(f"/jobs/{job_id}/status").json()["state"] == "failed"
    assert client.get("/jobs/20260101-000000-000000").status_code == 404


def test_round_page_shows_progress_and_intervals(prepared):
    from ivoaudit.review.overview import round_overview
    from ivoaudit.store import open_store

    c = prepared["client"]
    html = c.get(prepared["round_page"]).text
    with open_store(c.config.db) as store:
        o = round_overview(store, "BU prov")
    assert o.cases == 17
    assert f"<dd>{o.cases}</dd>" in html
    for row in o.summary.to_dict("records"):
        assert row["rule_id"] in html
    assert "95 % KI" in html and "Urval 1" in html


def test_review_round_trip_imports_answers_and_refuses_a_bad_form_with_numbered_problems(prepared, tmp_path):
    c = prepared["client"]
    r = c.post("/rounds/form", {"name": prepared["round"]})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book.worksheets[0]
    # a valid form as downloaded: imported
    good = io.BytesIO()
    book.save(good)
    ok = c.post("/rounds/answers", {"name": prepared["round"]},
                files={"form": ("form.xlsx", good.getvalue(), "application/octet-stream")})
    assert ok.status_code == 303 and "imported=" in ok.headers["location"]
    # a form from another round: refused, numbered, nothing stored
    bad = c.post("/rounds/answers", {"name": "some other round"},
                 files={"form": ("form.xlsx", good.getvalue(), "application/octet-stream")})
    assert bad.status_code in (404, 422)
    assert sheet.max_row > 1


def test_a_text_file_is_not_taken_as_a_review_form(prepared):
    c = prepared["client"]
    r = c.post("/rounds/answers", {"name": prepared["round"]}, files={"form": ("f.xlsx", b"a;b\n1;2\n", "text/csv")})
    assert r.status_code == 422


@pytest.mark.parametrize("fields", [
    {"strategy": "random", "size": "20", "seed": "3"},
    {"strategy": "stratified", "stratify": "unit", "size": "12", "seed": "3"},
    {"strategy": "random", "size_auto": "on", "confidence": "95", "tolerable": "10", "expected": "0", "seed": "3"},
])
def test_sampling_strategies_draw_rounds(prepared, fields):
    c = prepared["client"]
    target = c.run_job(c.post("/rounds", {"extract": prepared["extract"], "as_of": "2026-10-31", **fields}))
    html = c.get(target).text
    expected = "29" if fields.get("size_auto") else fields["size"]
    assert f"<dd>{expected}</dd>" in html


def test_sampling_usage_errors_are_explained(prepared):
    c = prepared["client"]
    r = c.post("/rounds", {"extract": prepared["extract"], "as_of": "2026-10-31", "strategy": "random"})
    assert r.status_code == 422 and "antal ärenden" in r.text
    r = c.post("/rounds", {"extract": prepared["extract"], "as_of": "2026-10-31", "strategy": "random",
                           "size_auto": "on", "confidence": "95", "tolerable": "5", "expected": "9"})
    assert r.status_code == 422 and "lägre än den tolerabla" in r.text


def test_size_calculator(prepared):
    from ivoaudit.sample.stats import attribute_sample_size

    html = prepared["client"].get("/rounds?confidence=95&tolerable=5&expected=1").text
    assert f"{attribute_sample_size(0.95, 0.05, 0.01).n} ärenden" in html


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_reports_of_a_check_in_every_format(prepared, audience):
    c = prepared["client"]
    target = c.run_job(c.post("/reports", {"source": f"check:{prepared['check']}", "audience": audience,
                                           "format": ["html", "xlsx", "docx", "json"], "report_lang": "sv"}))
    html = c.get(target).text
    links = re.findall(r'href="/files/([^"]+)"', html)
    assert sorted(link.rsplit(".", 1)[1] for link in links) == ["docx", "html", "json", "xlsx"]
    for link in links:
        r = c.get("/files/" + link)
        assert r.status_code == 200 and len(r.content) > 500
    view = re.findall(r'href="(/view/[^"]+)"', html)[0]
    assert c.get(view).status_code == 200
    report = c.get(view.replace("/view/", "/raw/")).content.decode("utf-8")
    assert "<html" in report
    assert "Underlag: arenden.csv" in report and "Underlag: out" not in report  # the user's file, not our folder


def test_report_of_a_round(prepared):
    c = prepared["client"]
    target = c.run_job(c.post("/reports", {"source": f"round:{prepared['round']}", "audience": "internal",
                                           "format": ["html"], "report_lang": "en"}))
    assert "report-internal-en.html" in c.get(target).text


def test_report_form_refusals(prepared):
    c = prepared["client"]
    assert c.post("/reports", {"source": f"check:{prepared['check']}", "audience": "internal"}).status_code == 422
    assert c.post("/reports", {"source": "check:20260101-000000-000000", "format": ["html"]}).status_code == 422
    assert c.post("/reports", {"source": "x", "format": ["html"]}).status_code == 422


def test_unknown_pages_and_methods(prepared):
    c = prepared["client"]
    assert c.get("/nope").status_code == 404
    assert c.get("/extracts/../../etc/passwd").status_code == 404
    assert c.get("/extracts/20260101-000000-000000").status_code == 404
    assert c.get("/reports/20260101-000000-000000").status_code == 404
    assert c.get("/rounds/view?name=nope").status_code == 404
    assert c.http.put("/extracts", headers={"origin": c.config.origin}).status_code == 405


def test_pages_read_in_english_after_the_switch(prepared):
    """What a check, an extract, an action and a report say comes in the page's language, even
    when it was made while the app spoke Swedish (the check folder holds Swedish titles)."""
    from ivoaudit.tracking.rules import shipped_rules
    from ivoaudit.tracking.words import ACTION_STATUS

    c = prepared["client"]
    rule = shipped_rules()["BU-FORHAND-14D"]
    assert rule.title_sv != rule.title_en
    check = c.get(f"/checks/{prepared['check']}").text
    assert rule.title_sv in check
    r = c.post("/actions", {"measure": "Språkprov", "role": "enhetschef", "start": "2026-09-10",
                            "deadline": "2026-10-01"})
    action = r.headers["location"]
    try:
        assert c.post("/lang", {"lang": "en", "back": "/"}).status_code == 303
        check = c.get(f"/checks/{prepared['check']}").text
        assert rule.title_en in check and rule.title_sv not in check
        drill = c.get(f"/checks/{prepared['check']}/rules/BU-FORHAND-14D").text
        assert f"BU-FORHAND-14D: {rule.title_en}" in drill
        assert "Time limit: 14 days" in drill and "14 dagar" not in drill
        extract = c.get(f"/extracts/{prepared['extract']}").text
        assert "Case id" in extract and "Ärendenummer" not in extract
        page = c.get(action).text
        assert ACTION_STATUS["planned"][1] in page and ">planned<" not in page
        assert "Created: – → Planned" in page
    finally:
        c.post("/lang", {"lang": "sv", "back": "/"})
    assert ACTION_STATUS["planned"][0] in c.get(action).text
