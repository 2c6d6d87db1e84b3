"""The check report (report.html) shows statuses in the report's language and keeps dates
and ids on one line."""

from __future__ import annotations

from datetime import date

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.i18n import use_language
from ivoaudit.load.frames import build_extract
from ivoaudit.report.check_summary import build_context, write_check_summary


def _result():
    # K1: preliminary decision 25 days after the report (limit 14) -> BU-FORHAND-14D fail.
    # K2: no decision at all, 14 days ended 2026-01-19, checked 2026-03-01 -> overdue.
    extract = build_extract({
        "case_id": ["K1", "K2"], "area": ["barn_unga", "barn_unga"], "preliminary_outcome": [None, None],
        "received_date": ["2026-01-05", "2026-01-05"],
        "preliminary_decision_date": ["2026-01-30", None],
    })
    return run_check(extract, load_checklists(), date(2026, 3, 1))


def _forhand(ctx):
    return {d["case_id"]: d for d in ctx["deviations"] if d["rule_id"] == "BU-FORHAND-14D"}


def test_status_words_in_swedish_and_english():
    result = _result()
    sv = _forhand(build_context(result))
    assert (sv["K1"]["status"], sv["K1"]["status_label"]) == ("fail", "Ej uppfyllt (+11 d)")
    assert (sv["K2"]["status"], sv["K2"]["status_label"]) == ("overdue", "Försenat (+41 d)")
    with use_language("en"):
        en = _forhand(build_context(result))
    assert (en["K1"]["status_label"], en["K2"]["status_label"]) == ("Fail (+11 d)", "Overdue (+41 d)")
    assert sv["K1"]["deadline"] == "2026-01-19" and isinstance(sv["K1"]["case_id"], str)


def test_html_has_no_raw_codes_and_keeps_dates_whole(tmp_path):
    path = tmp_path / "report.html"
    write_check_summary(_result(), path)
    html = path.read_text(encoding="utf-8")
    assert ">Ej uppfyllt (+11 d)</td>" in html and ">Försenat (+41 d)</td>" in html
    assert ">fail</td>" not in html and ">overdue</td>" not in html
    assert '<td class="nw">2026-01-19</td>' in html and '<td class="nw">K1</td>' in html
    assert ".nw{white-space:nowrap}" in html


def test_extract_text_is_escaped_not_run(tmp_path):
    # A case id carrying markup (issue 13/15: report.html once rendered it live).
    script = "<script>alert(1)</script>"
    extract = build_extract({
        "case_id": [script], "area": ["barn_unga"], "preliminary_outcome": [None],
        "received_date": ["2026-01-05"], "preliminary_decision_date": ["2026-01-30"],
    })
    path = tmp_path / "report.html"
    write_check_summary(run_check(extract, load_checklists(), date(2026, 3, 1)), path)
    html = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert script not in html
