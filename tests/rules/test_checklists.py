"""Checklist files: validation errors (file, rule, key; exit 3) and a municipality's own file."""

from __future__ import annotations

import json
import textwrap
from datetime import date

import pytest

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.errors import ChecklistError
from ivoaudit.load.frames import build_extract

RULE = """
  - id: {id}
    kind: {kind}
    area: barn_unga
    basis: {basis}
    title: {{sv: "Titel", en: "Title"}}
    description: {{sv: "Beskrivning", en: "Description"}}
    references: {{law: "FL (2017:900) 9 §"}}
    params: {params}
{local}"""


def _write(tmp_path, body: str, name: str = "kommun.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _rule(id="LOK-TEST", kind="deadline", basis="local",
          params="{start: received_date, end: decision_date, days: 14}", extra="", local="[days]"):
    local_line = f"    local_params: {local}\n" if local else ""
    return RULE.format(id=id, kind=kind, basis=basis, params=params, local=local_line) + extra


# (case name, file body, rule id expected in the message, key expected in the message)
ERRORS = [
    ("unknown-kind", "rules:" + _rule(kind="countdown"), "LOK-TEST", "kind"),
    ("unknown-param", "rules:" + _rule(params="{start: received_date, end: decision_date, days: 14, dayz: 14}"),
     "LOK-TEST", "dayz"),
    ("unknown-rule-key", "rules:" + _rule(extra="    titel: x\n"), "LOK-TEST", "titel"),
    ("unknown-field", "rules:" + _rule(params="{start: received, end: decision_date, days: 14}"),
     "LOK-TEST", "start"),
    ("days-and-months", "rules:" + _rule(params="{start: received_date, end: decision_date, days: 1, months: 1}"),
     "LOK-TEST", "params"),
    ("bad-type", "rules:" + _rule(params="{start: received_date, end: decision_date, days: fjorton}"),
     "LOK-TEST", "days"),
    ("duplicate-in-file", "rules:" + _rule() + _rule(), "LOK-TEST", "id"),
    ("duplicate-of-shipped", "extends: [barn_unga]\nrules:" + _rule(id="BU-SAMTAL"), "BU-SAMTAL", "id"),
    ("local-without-default", "rules:" + _rule(params="{start: received_date, end: decision_date, months: 3}"),
     "LOK-TEST", "params.days"),
    ("local-without-target", "rules:" + _rule(local=""), "LOK-TEST", "local_params"),
    ("own-rule-not-local", "rules:" + _rule(basis="law", local=""), "LOK-TEST", "basis"),
    ("adjust-legal-deadline", "extends: [barn_unga]\nadjust:\n  BU-FORHAND-14D: {days: 21}\n",
     "BU-FORHAND-14D", "adjust.days"),
    ("adjust-unknown-rule", "extends: [barn_unga]\nadjust:\n  BU-NOPE: {days: 10}\n", "BU-NOPE", "adjust"),
    ("adjust-bad-value", "extends: [barn_unga]\nadjust:\n  BU-SAMTAL: {days: -3}\n", "BU-SAMTAL", "adjust"),
    ("weekend-rule-on-a-law-deadline", "extends: [barn_unga]\nadjust:\n  BU-FORHAND-14D: {weekend_rule: next_weekday}\n",
     "BU-FORHAND-14D", "adjust.weekend_rule"),
    ("weekend-rule-unknown-value", "extends: [barn_unga]\nadjust:\n  BU-SAMTAL: {weekend_rule: friday}\n",
     "BU-SAMTAL", "adjust.weekend_rule"),
    ("disable-unknown", "extends: [barn_unga]\ndisable: [BU-NOPE]\n", "BU-NOPE", "disable"),
    ("bad-condition", "rules:" + _rule(extra="    applies_when: {field: area, in: [skola]}\n"),
     "LOK-TEST", "applies_when"),
    ("manual-without-question", "rules:" + _rule(kind="manual", params="{reference_date: decision_date}",
                                                  local="[reference_date]"), "LOK-TEST", "question"),
    ("unknown-top-key", "extends: [barn_unga]\nregler: []\n", "–", "regler"),
]


@pytest.mark.parametrize(("body", "rule", "key"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_checklist_errors_name_file_rule_key(tmp_path, run_cli, body, rule, key):
    path = _write(tmp_path, body)
    with pytest.raises(ChecklistError) as info:
        load_checklists([path])
    message = str(info.value)
    assert str(path) in message and f"regel {rule}:" in message
    assert f"'{key}'" in message or f".{key}'" in message
    # The same through the CLI: exit 3 and the message on stderr.
    extract = tmp_path / "x.csv"
    extract.write_text("case_id,area\nA1,barn_unga\n", encoding="utf-8")
    code, _, err = run_cli("check", extract, "--checklist", path, "--as-of", "2026-03-01", "--out", tmp_path / "o")
    assert code == 3
    assert str(path) in err and rule in err and key in err


def test_unknown_checklist_name_and_bad_yaml(tmp_path):
    with pytest.raises(ChecklistError, match="barn_unga"):
        load_checklists(["barn_och_unga"])
    bad = _write(tmp_path, "rules: [\n")
    with pytest.raises(ChecklistError, match="YAML"):
        load_checklists([bad])


def test_no_expressions_are_evaluated(tmp_path):
    path = _write(tmp_path, "rules:" + _rule(extra="    applies_when: \"__import__('os').system('echo x')\"\n"))
    with pytest.raises(ChecklistError, match="applies_when"):
        load_checklists([path])


LOCAL = """
name: kommunen
version: "2026-03"
extends: [barn_unga, alla_omraden]
adjust:
  BU-SAMTAL: {days: 10}
disable: [BU-ATERUPPTAGEN]
"""


def _samtal_extract():
    # BU-SAMTAL: investigation opened 2026-01-05; first talk on day 10, 12 and 14.
    return build_extract({
        "case_id": ["K10", "K12", "K14"], "area": ["barn_unga"] * 3, "person_id": ["P1", "P2", "P3"],
        "preliminary_outcome": ["open"] * 3,
        "investigation_start": ["2026-01-05"] * 3,
        "child_meeting_date": ["2026-01-15", "2026-01-17", "2026-01-19"],
    })


def test_local_target_and_switched_off_rule(tmp_path):
    path = _write(tmp_path, LOCAL)
    checklist = load_checklists([path])
    assert "BU-ATERUPPTAGEN" not in {r.id for r in checklist.rules}
    samtal = checklist.get("BU-SAMTAL")
    assert samtal.params.days == 10 and samtal.local
    assert checklist.get("BU-UTR-4M").params.months == 4 and not checklist.get("BU-UTR-4M").local
    result = run_check(_samtal_extract(), checklist, date(2026, 3, 1))
    res = result.results
    got = sorted(zip(res.loc[res.rule_id == "BU-SAMTAL", "case_id"], res.loc[res.rule_id == "BU-SAMTAL", "status"].astype(str),
                     strict=True))
    assert got == [("K10", "pass"), ("K12", "fail"), ("K14", "fail")]
    shipped = run_check(_samtal_extract(), load_checklists(), date(2026, 3, 1)).results
    assert set(shipped.loc[shipped.rule_id == "BU-SAMTAL", "status"].astype(str)) == {"pass"}
    assert "BU-ATERUPPTAGEN" not in set(res["rule_id"].astype(str))
    row = result.summary.set_index("rule_id").loc["BU-SAMTAL"]
    assert row["local_change"] == "days: 14 → 10" and row["source"] == str(path)
    assert result.meta["local_changes"] == [{"rule_id": "BU-SAMTAL", "key": "days", "default": 14, "value": 10,
                                             "source": str(path)}]
    assert result.meta["disabled_rules"] == {"BU-ATERUPPTAGEN": str(path)}
    assert result.meta["checklists"]["kommunen"] == "2026-03"


def test_local_checklist_reported_by_cli(tmp_path, run_cli):
    path = _write(tmp_path, LOCAL)
    extract = tmp_path / "x.csv"
    extract.write_text("case_id,area,preliminary_outcome,investigation_start,child_meeting_date\n"
                       "K10,barn_unga,open,2026-01-05,2026-01-15\nK12,barn_unga,open,2026-01-05,2026-01-17\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, _ = run_cli("check", extract, "--checklist", path, "--as-of", "2026-03-01", "--out", out)
    assert code == 0
    assert "BU-SAMTAL*" in stdout and "lokalt ändrat" in stdout
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["local_changes"][0]["value"] == 10
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "days: 14 → 10" in html and str(path) in html and "BU-ATERUPPTAGEN" in html


def test_local_own_rule(tmp_path):
    path = _write(tmp_path, "extends: [barn_unga]\nrules:" + _rule(id="LOK-BESLUT"))
    checklist = load_checklists([path])
    rule = checklist.get("LOK-BESLUT")
    assert rule.local and rule.basis == "local" and rule.params.days == 14


def test_a_local_target_opts_in_to_the_weekend_rule(tmp_path):
    """rules.md: a local target is not moved off a weekend unless the municipality's checklist
    opts in (``weekend_rule: next_weekday``); then it moves as a statutory deadline does."""
    extract = build_extract({
        "case_id": ["SAT", "SAT-LATE"], "area": ["barn_unga"] * 2, "preliminary_outcome": ["open"] * 2,
        # 2026-01-03 + 14 days = Saturday 2026-01-17 → Monday 2026-01-19
        "investigation_start": ["2026-01-03"] * 2, "child_meeting_date": ["2026-01-19", "2026-01-20"],
    })

    def samtal(checklist):
        res = run_check(extract, checklist, date(2026, 3, 1)).results
        rows = res[res.rule_id == "BU-SAMTAL"]
        return dict(zip(rows.case_id, rows.status.astype(str), strict=True)), rows

    shipped, _ = samtal(load_checklists())
    assert shipped == {"SAT": "fail", "SAT-LATE": "fail"}
    path = _write(tmp_path, "extends: [barn_unga]\nadjust:\n  BU-SAMTAL: {weekend_rule: next_weekday}\n")
    opted, rows = samtal(load_checklists([path]))
    assert opted == {"SAT": "pass", "SAT-LATE": "fail"}
    assert set(rows.deadline.astype(str).str[:10]) == {"2026-01-19"}
    assert "fristen 2026-01-17 var en lördag; flyttad till 2026-01-19" in str(rows.note.iloc[0])
    own = _write(tmp_path, "rules:" + _rule(id="LOK-BESLUT", extra="", params=(
        "{start: received_date, end: decision_date, days: 14, weekend_rule: next_weekday}")), "own.yaml")
    assert load_checklists([own]).get("LOK-BESLUT").params.moves("local")
