"""The registry of rule kinds: ``@rule_kind(...)`` on a kind's vectorised function.

A kind is one module: its parameters (a pydantic model), its function
``evaluate(spec, ctx, scope) -> RuleOutput``, and, on the decorator, everything the rest of
ivoaudit needs to know about it: the statuses and notes it can produce, its name in the
docs, the texts its rules must declare, and the sentence that documents a rule of the kind.
Reports, review forms, checklists and docs read these; none of them names a kind.

Adding a rule of an existing kind is a checklist (YAML) change only; adding a kind is one
module under ``ivoaudit/rules/`` imported in ``ivoaudit/rules/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ivoaudit.rules.base import CaseContext, RuleOutput
from ivoaudit.rules.params import Params
from ivoaudit.schema import ANSWER_STATUS, APPLICABLE_STATUSES, STATUSES

Evaluate = Callable[[Any, CaseContext, np.ndarray], RuleOutput]
# (rule spec) -> groups of fields; the rule cannot be evaluated when the extract has no
# field of some group (a group of two: a start and its fallback).
Needs = Callable[[Any], tuple[tuple[str, ...], ...]]


def _needs_nothing(spec: Any) -> tuple[tuple[str, ...], ...]:
    return ()


@dataclass(frozen=True)
class RuleKind:
    """One kind of rule and what it can produce."""

    name: str
    params: type[Params]
    evaluate: Evaluate
    statuses: frozenset[str]  # what ``check`` can give (before any reviewer's answer)
    notes: frozenset[int]  # the ``Note`` flags it can set
    describe: Callable[[Any, str], str]  # (rule spec, lang) -> what is counted, one sentence
    label: tuple[str, str]  # the kind's name in the docs (sv, en)
    texts: tuple[str, ...] = ()  # texts each rule must declare besides title/description
    needs: Needs = _needs_nothing  # fields to find its start (applies_when is read generically)

    @property
    def asks_question(self) -> bool:
        """Its rules are questions for the reviewer, with their own question and guidance."""
        return "question" in self.texts

    def structural_zeros(self) -> frozenset[str]:
        """Statuses a rule of this kind can never have, even after review: their zero
        counts are public knowledge (reports need not suppress them)."""
        possible = set(self.statuses)
        if "needs_review" in possible:
            possible |= set(ANSWER_STATUS.values())  # a reviewer's answer replaces it
        return frozenset(APPLICABLE_STATUSES) - possible


KINDS: dict[str, RuleKind] = {}


def rule_kind(name: str, *, params: type[Params], statuses: tuple[str, ...], notes: tuple[int, ...],
              describe: Callable[[Any, str], str], label: tuple[str, str],
              texts: tuple[str, ...] = (), needs: Needs = _needs_nothing) -> Callable[[Evaluate], Evaluate]:
    """Register the decorated function as the kind ``name``; a second kind of the same
    name, or a status outside ``schema.STATUSES``, is refused."""

    def register(evaluate: Evaluate) -> Evaluate:
        if name in KINDS:
            raise ValueError(f"rule kind '{name}' is already registered")
        unknown = set(statuses) - set(STATUSES)
        if unknown:
            raise ValueError(f"rule kind '{name}': unknown statuses {sorted(unknown)}")
        KINDS[name] = RuleKind(name, params, evaluate, frozenset(statuses), frozenset(notes),
                               describe, label, texts, needs)
        return evaluate

    return register


def get_kind(name: str) -> RuleKind:
    """The kind called ``name``; KeyError names the supported kinds."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"rule kind '{name}' is not supported; supported: {', '.join(sorted(KINDS))}") from None


def structural_zeros(kind: str) -> frozenset[str]:
    """:meth:`RuleKind.structural_zeros` by name (nothing for an unknown kind)."""
    found = KINDS.get(kind)
    return found.structural_zeros() if found else frozenset()


def missing_fields(spec: Any, has: Callable[[str], bool]) -> tuple[str, ...]:
    """The fields whose absence makes the rule not evaluable on an extract (rules.md "Rules
    the extract cannot support"): those ``applies_when`` needs to decide whether the rule
    applies, and those its kind needs to find its start. Empty: the rule can be evaluated."""
    groups: list[tuple[str, ...]] = (
        [(f,) for f in sorted(spec.applies_when.needed())] if spec.applies_when is not None else [])
    groups += list(get_kind(spec.kind).needs(spec))
    missing: list[str] = []
    for group in groups:
        if not any(has(f) for f in group):
            missing += [f for f in group if f not in missing]
    return tuple(missing)
