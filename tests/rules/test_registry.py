"""The registry of rule kinds: a kind is one module, and what it declares is what it does."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
from casefiles import case_files, results_for

from ivoaudit.check import run_check
from ivoaudit.checklist import load_checklists
from ivoaudit.load.frames import build_extract
from ivoaudit.rules import KINDS, get_kind, rule_kind, structural_zeros
from ivoaudit.rules.base import PASS, Note, RuleOutput, note_texts
from ivoaudit.rules.params import Params
from ivoaudit.schema import STATUSES


def test_every_shipped_kind_is_registered_with_its_metadata():
    assert set(KINDS) == {"deadline", "documented", "manual", "interval", "flag"}
    for kind in KINDS.values():
        assert kind.statuses <= set(STATUSES) and kind.label[0] and kind.label[1]
    assert get_kind("manual").asks_question and not get_kind("deadline").asks_question
    assert structural_zeros("deadline") == {"needs_review"}
    assert structural_zeros("manual") == {"overdue", "pending", "missing_data"}
    assert structural_zeros("no such kind") == frozenset()


def test_a_second_kind_of_the_same_name_and_unknown_statuses_are_refused():
    with pytest.raises(ValueError, match="already registered"):
        rule_kind("deadline", params=Params, statuses=("pass",), notes=(), describe=str, label=("a", "b"))(print)
    with pytest.raises(ValueError, match="unknown statuses"):
        rule_kind("new", params=Params, statuses=("ok",), notes=(), describe=str, label=("a", "b"))(print)
    assert "new" not in KINDS


MOVED = re.compile(r"fristen \d{4}-\d\d-\d\d var [^;]+; flyttad till \d{4}-\d\d-\d\d enligt lag 1930:173 2 §")


@pytest.mark.parametrize("name", [p.name for p in case_files()])
def test_kinds_produce_only_the_statuses_and_notes_they_declare(name):
    """Over every hand-written rule case: each result's status and note parts come from its
    kind's declared statuses and notes."""
    checklist = load_checklists()
    results = results_for(name)
    for rule_id, rows in results.groupby("rule_id", observed=True):
        spec = checklist.get(str(rule_id))
        kind = get_kind(spec.kind)
        assert set(rows["status"].astype(str)) <= kind.statuses, rule_id
        for lang in ("sv",):
            texts = note_texts(spec, lang)
            allowed = {text for bit, text in texts.items() if bit in kind.notes}
            # The 2 § note names its two days (rules.md's own wording, with its "; ").
            notes = (MOVED.sub(texts[Note.MOVED], note) for note in rows["note"].astype(str))
            parts = {part for note in notes if note for part in note.split("; ")}
            assert parts <= allowed, (rule_id, parts - allowed)


def test_a_new_kind_is_one_module(tmp_path):
    """Register a kind with the decorator alone; a checklist can use it at once."""

    class ToyParams(Params):
        days: int = 1

    @rule_kind("toy", params=ToyParams, statuses=("pass",), notes=(), label=("leksak", "toy"),
               describe=lambda rule, lang: "alltid uppfyllt" if lang == "sv" else "always met")
    def evaluate(spec, ctx, scope):
        rows = np.flatnonzero(scope)
        return RuleOutput(status=np.full(len(rows), PASS, dtype=np.int8),
                          notes=np.zeros(len(rows), dtype=np.int64), rows=rows)

    try:
        path = tmp_path / "egen.yaml"
        path.write_text(
            "rules:\n  - id: LOK-TOY\n    kind: toy\n    basis: local\n    local_params: [days]\n"
            "    params: {days: 2}\n"
            "    title: {sv: Leksak, en: Toy}\n    description: {sv: En leksak., en: A toy.}\n"
            "    references: {guidance: [test]}\n", encoding="utf-8")
        checklist = load_checklists([path])
        extract = build_extract({"case_id": ["a", "b"]}, {})
        result = run_check(extract, checklist, date(2026, 1, 1))
        assert result.results["status"].astype(str).tolist() == ["pass", "pass"]
        from ivoaudit.rules.docs import counted
        assert counted(checklist.get("LOK-TOY"), "en") == "always met"
    finally:
        KINDS.pop("toy", None)
    assert Note.EXCEPTION  # the note flags stay shared by every kind
