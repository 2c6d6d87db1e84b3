"""Meta-tests over the shipped checklists: metadata complete, every rule exercised, docs fresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefiles import case_files, load_file

from ivoaudit.checklist import load_checklists
from ivoaudit.rules.docs import render_rule_docs

REPO = Path(__file__).resolve().parents[2]
RULES = load_checklists().rules
CATALOGUE = {  # rules.md "The catalogue": every id must ship
    "BU-SKYDD", "BU-FORHAND-14D", "BU-UTR-4M", "BU-BARN-INFO", "BU-BARN-ASIKT", "BU-SAMTAL",
    "BU-ATERUPPTAGEN", "BU-OVERVAG-6M", "ALL-EJ-VERKST-3M", "ALL-AVBROTT-3M", "ALL-DROJSMAL-6M",
    "ALL-BESLUT-UNDERRATTAD", "ALL-OVERKLAGANDE", "FH-SKYNDSAM", "FH-PLAN", "MB-PLAN", "MB-EGEN-SYN",
    "MB-BEDOMNING", "AO-INFO", "AO-UPPFOLJNING",
}


def test_catalogue_complete():
    assert {r.id for r in RULES} == CATALOGUE


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule):
    for what in ("title", "description"):
        assert getattr(rule, what)["sv"].strip() and getattr(rule, what)["en"].strip()
        assert getattr(rule, what)["sv"] != getattr(rule, what)["en"]
    refs = rule.references
    assert refs.get("old") or refs.get("law") or refs.get("guidance")
    if refs.get("old"):  # SoL rules cite both laws
        assert "2001:453" in refs["old"] and "2025:400" in refs["new"]
    if rule.basis == "law":
        assert refs.get("old") or refs.get("law"), "a legal duty cites a law"
    if rule.kind == "manual":
        for what in ("question", "guidance"):
            assert getattr(rule, what)["sv"].strip() and getattr(rule, what)["en"].strip()
    if rule.basis == "local":
        assert rule.local_params and all(getattr(rule.params, k) is not None for k in rule.local_params)


def test_every_rule_has_cases_with_each_kind_file():
    exercised: dict[str, set[str]] = {}
    for path in case_files():
        for case in load_file(path.name)["cases"]:
            for rule, status in case["expect"].items():
                exercised.setdefault(rule, set()).add(status)
    for rule in RULES:
        applicable = exercised.get(rule.id, set()) - {"not_applicable"}
        assert applicable, f"{rule.id} has no case where it applies"
    kinds = {p.stem.split("_")[0] for p in case_files()}
    assert {"deadline", "documented", "manual", "interval", "flag"} <= kinds


@pytest.mark.parametrize(("lang", "name"), [("sv", "rules.md"), ("en", "rules.en.md")])
def test_rule_docs_not_stale(lang, name):
    committed = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert committed == render_rule_docs(load_checklists(), lang), (
        f"docs/{name} is stale: run `ivoaudit rules docs --out docs/`")


def test_rules_list_and_show(run_cli):
    code, out, _ = run_cli("rules", "list", "--area", "missbruk")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert "MB-PLAN" in ids and "ALL-OVERKLAGANDE" in ids and "BU-SKYDD" not in ids
    code, out, _ = run_cli("rules", "show", "BU-UTR-4M")
    assert code == 0
    assert "SoL (2001:453) 11 kap. 2 §" in out and "SoL (2025:400) 20 kap. 3 §" in out and "Räknas" in out
    code, out, _ = run_cli("--lang", "en", "rules", "show", "fh-plan")
    assert code == 0 and "Question" in out and "LSS (1993:387) 10 §" in out
    code, _, err = run_cli("rules", "show", "NO-SUCH")
    assert code == 2 and "NO-SUCH" in err


def test_rules_docs_command_writes_both(run_cli, tmp_path):
    code, _, _ = run_cli("rules", "docs", "--out", tmp_path)
    assert code == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "# Rules" in (tmp_path / "rules.en.md").read_text(encoding="utf-8")
