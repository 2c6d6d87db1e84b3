"""Non-executed decisions and the comparison in the web app, against the library's figures."""

from __future__ import annotations

import re

from tests.conftest import SAMPLE_DATA


def test_quarter_list_and_council_report(prepared):
    from ivoaudit.load import load_extract
    from ivoaudit.tracking.unexecuted import quarter_report

    c = prepared["client"]
    assert "2026-Q" in c.get("/quarterly").text or "Q" in c.get("/quarterly").text
    target = c.run_job(c.post("/quarterly/unexecuted", {"extract": prepared["extract"], "quarter": "2026-Q3"}))
    html = c.get(target).text
    files = re.findall(r'href="/files/([^"]+)"', html)
    assert any(f.endswith(".xlsx") for f in files) and any(f.endswith(".docx") for f in files)
    assert "oktober 2026" in html
    listed = quarter_report(load_extract(SAMPLE_DATA / "lifecare" / "arenden.csv",
                                         mapping=SAMPLE_DATA / "mappings" / "lifecare.yaml", keyed=False),
                            "2026-Q3")
    csv_file = next(f for f in files if f.endswith(".csv"))
    rows = c.get("/files/" + csv_file).text.strip().splitlines()
    assert sum(r.startswith("report,") for r in rows) == len(listed.listed) > 0
    assert c.post("/quarterly/unexecuted", {"extract": prepared["extract"], "quarter": "2026-Q5"}).status_code == 422


def test_compare_public_summaries(prepared):
    c = prepared["client"]
    target = c.run_job(c.post("/reports", {"source": f"check:{prepared['check']}", "audience": "public",
                                           "format": ["json"]}))
    summary = re.findall(r'href="/files/([^"]+\.json)"', c.get(target).text)[0]
    data = c.get("/files/" + summary).content
    r = c.post("/quarterly/compare", {"label1": "Norrby", "label2": "Söderby"},
               files={"summary1": ("a.json", data, "application/json"), "summary2": ("b.json", data, "application/json")})
    assert r.status_code == 303, r.text
    html = c.get(r.headers["location"]).text
    assert "Jämförelse av 2 kommuner" in html
    assert any(f.endswith(".html") for f in re.findall(r'href="/files/([^"]+)"', html))
    one = c.post("/quarterly/compare", files={"summary1": ("a.json", data, "application/json")})
    assert one.status_code == 422
    bad = c.post("/quarterly/compare", files={"summary1": ("a.json", b"{}", "application/json"),
                                              "summary2": ("b.json", data, "application/json")})
    assert bad.status_code == 422
