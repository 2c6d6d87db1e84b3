"""Rule metadata (titles, basis, legal references, targets) for reports.

Uses the rule engine's ``ivoaudit.checklist.load_checklists()`` when it is available and
falls back to reading the shipped checklist YAML files, so a report can be written from a
results folder even when a rule is unknown (then its id stands in for the title).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_REPO_CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
_PACKAGED_CHECKLISTS = Path(__file__).resolve().parents[1] / "_checklists"


@dataclass(frozen=True)
class RuleMeta:
    """What a report shows about a rule, texts in both languages."""

    id: str
    kind: str = ""
    area: str | None = None
    basis: str = "law"  # law | practice | local
    title: dict[str, str] | None = None
    description: dict[str, str] | None = None
    references: tuple[str, ...] = ()
    target: float | None = None
    known: bool = True
    period: tuple[str, int] | None = None  # ("days", 14) or ("months", 4) for deadline/interval rules

    def text(self, lang: str) -> str:
        """The rule's title in ``lang`` (its id if the checklist has none)."""
        if not self.title:
            return self.id
        return self.title.get(lang) or self.title.get("sv") or self.id

    def about(self, lang: str) -> str:
        """The rule's description in ``lang`` (empty if none)."""
        if not self.description:
            return ""
        return self.description.get(lang) or self.description.get("sv") or ""


def _fmt_reference(ref: Any) -> str:
    if isinstance(ref, str):
        return ref
    if isinstance(ref, dict):
        parts = []
        for key in ("old", "new", "law", "text", "ref", "citation", "guidance"):
            if ref.get(key):
                parts.append(str(ref[key]))
        if not parts:
            parts = [f"{k}: {v}" for k, v in ref.items() if v]
        return " → ".join(parts) if {"old", "new"} <= set(ref) else "; ".join(parts)
    return str(ref)


def _references(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if hasattr(raw, "model_dump"):  # the rule engine's References model
        raw = raw.model_dump()
    if isinstance(raw, dict) and {"old", "new", "law", "guidance"} & set(raw):
        out = []
        if raw.get("old") or raw.get("new"):
            out.append(" → ".join(str(raw[k]) for k in ("old", "new") if raw.get(k)))
        if raw.get("law"):
            out.append(str(raw["law"]))
        out.extend(str(law) for law in (raw.get("by_legal_basis") or {}).values())
        guidance = raw.get("guidance") or ()
        out.extend(str(g) for g in ([guidance] if isinstance(guidance, str) else guidance))
        return tuple(out)
    if isinstance(raw, dict):
        out = []
        for key, value in raw.items():
            if isinstance(value, list | tuple):
                out.extend(f"{key}: {_fmt_reference(v)}" for v in value)
            elif value:
                out.append(f"{key}: {_fmt_reference(value)}")
        return tuple(out)
    if isinstance(raw, list | tuple):
        return tuple(_fmt_reference(r) for r in raw)
    return (str(raw),)


def _target(raw: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        raw = raw.get("green", raw.get("compliance", raw.get("value")))
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value / 100 if value > 1 else value


def _texts(raw: Any) -> dict[str, str] | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    return {"sv": str(raw), "en": str(raw)}


def _from_mapping(item: dict[str, Any], area: str | None = None) -> RuleMeta:
    return RuleMeta(
        id=str(item["id"]),
        kind=str(item.get("kind", "")),
        area=item.get("area", area),
        basis=str(item.get("basis", "law")),
        title=_texts(item.get("title")),
        description=_texts(item.get("description")),
        references=_references(item.get("references")),
        target=_target(item.get("target")),
        period=_period(item.get("params") if isinstance(item.get("params"), dict) else None),
    )


def _from_engine() -> dict[str, RuleMeta] | None:
    try:
        from ivoaudit.checklist import load_checklists

        checklist = load_checklists()
    except Exception:  # noqa: BLE001 - the engine is optional here; fall back to YAML
        return None
    out: dict[str, RuleMeta] = {}
    for rule in getattr(checklist, "rules", []):
        out[rule.id] = RuleMeta(
            id=rule.id, kind=str(getattr(rule, "kind", "")), area=getattr(rule, "area", None),
            basis=str(getattr(rule, "basis", "law")), title=_texts(getattr(rule, "title", None)),
            description=_texts(getattr(rule, "description", None)),
            references=_references(getattr(rule, "references", None)),
            target=_target(getattr(rule, "target", None)), period=_period(getattr(rule, "params", None)))
    return out or None


def _period(params: Any) -> tuple[str, int] | None:
    """The rule's period from its parameters (``days`` or ``months``), if it has one."""
    if params is None:
        return None
    values = params.model_dump() if hasattr(params, "model_dump") else dict(params)
    for unit in ("days", "months"):
        if isinstance(values.get(unit), int):
            return unit, int(values[unit])
    return None


def _from_yaml(folders: list[Path]) -> dict[str, RuleMeta]:
    out: dict[str, RuleMeta] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError):
                continue
            rules = doc.get("rules", []) if isinstance(doc, dict) else doc
            area = doc.get("area") if isinstance(doc, dict) else None
            for item in rules or []:
                if isinstance(item, dict) and "id" in item and item["id"] not in out:
                    out[str(item["id"])] = _from_mapping(item, area)
        if out:
            break
    return out


def _review_only(known: dict[str, RuleMeta]) -> dict[str, RuleMeta]:
    """The rules only a reviewer answers (``ivoaudit/review/questions``), with the title, basis
    and references their template gives and the question as their description: without them
    a round's report showed such a rule by its bare id ("BU-FORHAND-RAM")."""
    from ivoaudit.errors import ChecklistError
    from ivoaudit.review.questions import load_templates

    try:
        questions = load_templates()
    except ChecklistError:  # a broken template stops `sample`, which says why; here: ids only
        return {}
    return {q.rule: RuleMeta(id=q.rule, kind="manual", area=q.area, basis=q.model.basis or "law",
                             title=q.model.title.model_dump() if q.model.title else None,
                             description=q.model.text.model_dump(), references=tuple(q.model.references))
            for q in questions if q.rule not in known}


def load_rule_meta(extra: list[Path] | None = None) -> dict[str, RuleMeta]:
    """Rule id → metadata: the rule engine's (else the shipped YAML), overlaid by ``extra`` folders."""
    return dict(_cached(tuple(str(p) for p in extra or ())))


@functools.lru_cache(maxsize=8)
def _cached(extra: tuple[str, ...]) -> dict[str, RuleMeta]:
    # One report run builds two models (the report and the public JSON): read the
    # checklists once.
    base = _from_engine() or _from_yaml([_REPO_CHECKLISTS, _PACKAGED_CHECKLISTS])
    base = {**base, **_review_only(base)}  # after the checklists: reports list their rules first
    if extra:
        base = {**base, **_from_yaml([Path(p) for p in extra])}
    return base


def meta_for(rule_id: str, catalogue: dict[str, RuleMeta]) -> RuleMeta:
    """The metadata for ``rule_id``; an unknown rule gets a stand-in that says so."""
    return catalogue.get(rule_id) or RuleMeta(id=rule_id, known=False)
