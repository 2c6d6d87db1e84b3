"""The public action plan and the answer to IVO hold no identifier of the input, and hide
small counts; the same scan finds the identifiers in the internal plan (so the scan works).

The input: a review round with case ids, pseudonyms, caseworker and unit names; actions with
a responsible person, evidence naming a case and a personnummer, changes made by a named
person; a finding whose origin and note name people. Office files are unzipped and every
XML part scanned (text, tables, document properties), as the report leak test does.
"""

from __future__ import annotations

import zipfile
from datetime import date

import pandas as pd
import pytest

from ivoaudit.report.action_plan import write_action_plan
from ivoaudit.report.ivo_answer import write_answer
from ivoaudit.tracking.actions import create_action, edit_action
from ivoaudit.tracking.answer import build_answer
from ivoaudit.tracking.data import load_tracking
from ivoaudit.tracking.findings import record_finding
from ivoaudit.tracking.ivo import record_decision, record_demand
from ivoaudit.tracking.measure import record_check_folder
from ivoaudit.tracking.plan import build_plan
from tests.tracking.conftest import write_check

DNR = "8.5-777/2026-1"
CASE_IDS = ["ÄR-00028-QZ", "ÄR-00029-QZ", "ÄR-00030-QZ"]
PSEUDONYMS = ["Pfeedc0ffee00028", "Pfeedc0ffee00029", "Pfeedc0ffee00030"]
PEOPLE = ["Ingrid Qvarnström", "Olle Zetterlund", "Zenobia Hemlund"]
SECRETS = ["19121212-1212", "XYZZY", "Enhet Gömstället", "evil.example"]
AS_OF = date(2026, 10, 31)


@pytest.fixture
def tracked(store, tmp_path):
    cases = pd.DataFrame({"case_id": CASE_IDS, "person_id": PSEUDONYMS, "unit": ["Enhet Gömstället"] * 3,
                          "caseworker": [PEOPLE[1]] * 3, "area": ["barn_unga"] * 3})
    results = pd.DataFrame({"case_id": CASE_IDS, "rule_id": ["BU-FORHAND-14D"] * 3,
                            "status": ["pass", "fail", "pass"], "note": ["XYZZY", "", ""]})
    store.create_round("vår-omgång", record={"seed": 1}, cases=cases, results=results, as_of="2026-10-01")
    # 37 of 40 compliant: the 3 faults are a small count, and 37 would give them away
    record_check_folder(store, "okt", write_check(tmp_path / "c", "2026-10-31", {"BU-FORHAND-14D": (37, 3, 0),
                                                                                 "BU-UTR-4M": (30, 10, 0)}))
    record_decision(store, DNR, decision_date=date(2026, 5, 4), answer_due=date(2026, 11, 30),
                    committee="Socialnämnden", by=PEOPLE[1])
    record_demand(store, DNR, "Att beslut om att inleda utredning fattas inom fjorton dagar.",
                  rules=["BU-FORHAND-14D", "BU-UTR-4M"], ivo_figure="3/10", by=PEOPLE[1])
    finding = record_finding(store, "Barnets åsikter saknas i utredningar", found_on=date(2026, 6, 1),
                             origin=f"lex Sarah-rapport från {PEOPLE[0]} om {CASE_IDS[0]}",
                             note=f"{SECRETS[0]} {SECRETS[1]}", by=PEOPLE[1])
    a = create_action(store, "Bevakningslista över förhandsbedömningar", "Gruppledare",
                      responsible_person=PEOPLE[0], start=date(2026, 5, 10), deadline=date(2026, 6, 30),
                      followup_date=date(2026, 10, 1), followup_method="ny egenkontroll",
                      evidence=f"Samtal om {CASE_IDS[1]} ({SECRETS[0]}), se {SECRETS[3]}",
                      demands=[f"{DNR}:1"], findings=[finding.id], by=PEOPLE[1])
    edit_action(store, a.id, {"status": "done", "done_on": date(2026, 6, 20)}, by=PEOPLE[2])
    create_action(store, "Utbildning i BBIC", "Enhetschef", responsible_person=PEOPLE[2], start=date(2026, 5, 10),
                  deadline=date(2026, 9, 30), demands=[f"{DNR}:1"], by=PEOPLE[1])
    return load_tracking(store)


def _parts(paths):
    out = {}
    for path in paths:
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                out.update({f"{path.name}:{n}": z.read(n).decode("utf-8", "replace")
                            for n in z.namelist() if n.endswith((".xml", ".rels"))})
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


NEEDLES = [*CASE_IDS, *PSEUDONYMS, *PEOPLE, *SECRETS, "Qvarnström", "Zetterlund", "Hemlund", "-QZ"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_public_plan_and_answer_leak_nothing(tracked, tmp_path, lang):
    files = write_action_plan(build_plan(tracked, AS_OF, public=True, lang=lang), tmp_path / "p",
                              ("docx", "html", "xlsx"))
    files += write_answer(build_answer(tracked, DNR, AS_OF, lang=lang), tmp_path / "a", ("docx", "html"))
    parts = _parts(files)
    assert len(parts) > 10  # the office files were really unzipped
    assert [(name, n) for name, text in parts.items() for n in NEEDLES if n in text] == []
    joined = "\n".join(parts.values())
    # 37 of 40: hidden, with what would give it away
    assert not [x for x in ("37 av 40", "37 of 40", "92 %", "92%", "93 %", "93%") if x in joined]
    assert ("X av 40" if lang == "sv" else "X of 40") in joined
    assert ("30 av 40" if lang == "sv" else "30 of 40") in joined  # 10 faults is no small count
    assert "Gruppledare" in joined and "Bevakningslista" in joined  # roles and measures are there


def test_the_scan_finds_them_in_the_internal_plan(tracked, tmp_path):
    files = write_action_plan(build_plan(tracked, AS_OF, public=False), tmp_path / "i", ("docx", "html", "xlsx"))
    joined = "\n".join(_parts(files).values())
    assert PEOPLE[0] in joined and CASE_IDS[1] in joined and SECRETS[0] in joined
    assert "37 av 40" in joined


def test_a_finding_proposed_from_a_small_round_shows_no_small_count(store, tmp_path):
    """The finding's text is written once, when proposed; the public plan must not carry the
    round's small counts in it (3 of 4 compliant: 1 fault, a count to hide)."""
    from ivoaudit.store.findings import update_finding
    from ivoaudit.tracking.findings import propose_findings

    ids = ["ÄR-1", "ÄR-2", "ÄR-3", "ÄR-4"]
    cases = pd.DataFrame({"case_id": ids, "person_id": ["P1", "P2", "P3", "P4"], "unit": ["E"] * 4,
                          "caseworker": ["x"] * 4, "area": ["barn_unga"] * 4})
    results = pd.DataFrame({"case_id": ids, "rule_id": ["BU-FORHAND-14D"] * 4,
                            "status": ["pass", "pass", "pass", "fail"], "note": [""] * 4})
    store.create_round("liten", record={"seed": 1}, cases=cases, results=results, as_of="2026-10-01")
    (finding,) = propose_findings(store, "liten")
    update_finding(store, finding.id, {"status": "open"})
    create_action(store, "Bevakningslista", "Gruppledare", start=date(2026, 10, 5), deadline=date(2026, 12, 1),
                  findings=[finding.id])
    files = write_action_plan(build_plan(load_tracking(store), AS_OF, public=True), tmp_path / "p",
                              ("docx", "html", "xlsx"))
    joined = "\n".join(_parts(files).values())
    assert "Förhandsbedömning" in joined  # the finding is there
    assert not [x for x in ("3/4", "3 av 4", "75 %", "1 av 4") if x in joined]
