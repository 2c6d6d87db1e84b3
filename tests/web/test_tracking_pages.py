"""Actions and IVO in the web app: what the pages store is what the tracking library reads."""

from __future__ import annotations

import re

from tests.conftest import SAMPLE_DATA
from tests.web.conftest import make_client


def test_record_decision_demand_action_edit_history_and_filters(tmp_path):
    from ivoaudit.store import open_store
    from ivoaudit.tracking.data import load_tracking

    c = make_client(tmp_path)
    extract = c.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    c.use_mapping(extract, SAMPLE_DATA / "mappings" / "lifecare.yaml")
    check = c.run_job(c.post("/checks", {"extract": extract, "as_of": "2026-10-31"})).rsplit("/", 1)[1]
    assert c.post(f"/checks/{check}/record", {"name": "Kontroll okt"}).status_code == 303
    assert "Kontroll okt" in c.get(f"/checks/{check}").text

    assert c.post("/ivo", {"dnr": "8.5-1/2026-1", "decision_date": "2026-09-01", "answer_due": "2026-10-15"}
                  ).status_code == 303
    assert c.post("/ivo/demands", {"dnr": "8.5-1/2026-1", "text": "Beslut inom fjorton dagar",
                                   "rules": "BU-FORHAND-14D", "figure": "3 av 10"}).status_code == 303
    r = c.post("/actions", {"measure": "Veckovis genomgång", "role": "enhetschef", "person": "A. Andersson",
                            "start": "2026-09-10", "deadline": "2026-10-01", "followup": "2026-12-01",
                            "rules": "BU-FORHAND-14D", "demands": "8.5-1/2026-1:1", "by": "kvalitet"})
    assert r.status_code == 303, r.text
    action = r.headers["location"]
    html = c.get(action).text
    assert "Veckovis genomgång" in html and "BU-FORHAND-14D" in html and "8.5-1/2026-1:1" in html
    assert "70 %" in html and "(7/10;" in html  # the baseline is IVO's own figure, 3 of 10 faulty
    with open_store(c.config.db) as store:
        data = load_tracking(store)
    assert [d.dnr for d in data.decisions] == ["8.5-1/2026-1"]
    assert data.decisions[0].demands[0].ivo_deviations == 3
    listed = c.get("/actions?filter=overdue&as_of=2026-10-02").text
    assert "Veckovis genomgång" in listed
    assert "Veckovis genomgång" not in c.get("/actions?filter=overdue&as_of=2026-10-01").text
    # an edit is kept in the history with who and why
    assert c.post(action, {"status": "done", "note": "klart", "by": "Bo"}).status_code == 303
    html = c.get(action).text
    assert re.search(r"<td>Status: Planerad → Genomförd</td><td>Bo</td><td>klart</td>", html)
    assert "Veckovis genomgång" in c.get("/actions?filter=followup&as_of=2026-12-02").text
    # refusals: a deadline before the start, an unknown rule, nothing to change
    assert c.post("/actions", {"measure": "x", "role": "y", "start": "2026-10-01", "deadline": "2026-09-01"}
                  ).status_code == 422
    assert c.post("/actions", {"measure": "x", "role": "y", "start": "2026-10-01", "deadline": "2026-11-01",
                               "rules": "NO-SUCH-RULE"}).status_code == 422
    assert c.post(action, {}).status_code == 422
    assert c.get("/actions/999").status_code == 404


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_committees_answer_is_downloaded_as_word_with_demand_and_measures(client):
    c = client
    dnr = "8.5-77/2026-3"
    assert c.post("/ivo", {"dnr": dnr, "decision_date": "2026-09-01", "answer_due": "2026-10-15",
                           "committee": "Socialnämnden i Exempelby"}).status_code == 303
    # no demands yet: refused in words, nothing written
    r = c.post("/ivo/answer", {"dnr": dnr})
    assert r.status_code == 422 and "inga krav" in r.text
    assert c.post("/ivo/demands", {"dnr": dnr, "text": "Förhandsbedömningar ska göras inom fjorton dagar",
                                   "rules": "BU-FORHAND-14D", "figure": "3 av 10"}).status_code == 303
    assert c.post("/actions", {"measure": "Daglig genomgång av nya aktualiseringar", "role": "Enhetschef mottagning",
                               "person": "Anna Hemlig", "start": "2026-09-15", "deadline": "2026-11-30",
                               "demands": f"{dnr}:1"}).status_code == 303
    assert "Ladda ner svaret (Word)" in c.get("/actions").text
    assert c.post("/ivo/answer", {"dnr": dnr, "written_on": "2026-10-05"}, csrf=False).status_code == 403
    r = c.post("/ivo/answer", {"dnr": dnr, "written_on": "2026-10-05"})
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/files/answers/") and r.headers["location"].endswith(".docx")
    got = c.get(r.headers["location"])
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    assert got.content[:2] == b"PK"
    text = _docx_text(got.content)
    assert "Förhandsbedömningar ska göras inom fjorton dagar" in text
    assert "Daglig genomgång av nya aktualiseringar" in text and "Enhetschef mottagning" in text
    assert "2026-09-15 – 2026-11-30" in text and dnr in text and "Socialnämnden i Exempelby" in text
    assert "Anna Hemlig" not in text  # public: the role, never the person
    # the answer stays listed with its decision, the HTML version viewable in place
    page = c.get("/actions").text
    html_link = re.search(r'href="/view/(answers/[^"]+\.html)"', page)
    assert html_link and c.get("/raw/" + html_link.group(1)).status_code == 200
    assert c.post("/ivo/answer", {"dnr": "no-such/dnr"}).status_code == 422
