"""Checklists: ``checklists/*.yaml`` (and a municipality's own files) → validated rule specs.

A shipped checklist declares rules. A municipality's file ``extends`` shipped ones and may
``adjust`` the local targets of their rules (only parameters a rule lists in
``local_params``, plus its compliance ``target``, and for a local deadline
``weekend_rule: next_weekday``, which moves it off weekends and holidays as lag 1930:173 2 §
moves statutory ones), ``disable`` rules, and add ``rules`` of
its own (``basis: local``). Files are validated with pydantic; every error names the file,
the rule id and the key. Nothing in a file is evaluated as code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ivoaudit.checklist.messages import checklist_error, raise_validation
from ivoaudit.errors import ChecklistError
from ivoaudit.fields import AREAS
from ivoaudit.i18n import t
from ivoaudit.load.yaml_json import read_yaml_file
from ivoaudit.rules.conditions import Condition
from ivoaudit.rules.params import Params
from ivoaudit.rules.registry import KINDS, get_kind

_PACKAGE = Path(__file__).resolve().parent.parent  # the ivoaudit folder
RULE_ID_PATTERN = r"^[A-Z]{2,4}(-[A-Z0-9ÅÄÖ]+)+$"


def shipped_dir() -> Path:
    """Folder of the shipped checklists (inside the wheel, or the repository's ``checklists/``)."""
    packaged = _PACKAGE / "_checklists"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "checklists"


_ORDER = ("barn_unga", "alla_omraden", "funktionshinder", "missbruk", "aldre")


def shipped_names() -> list[str]:
    """Names of the shipped checklists (file stems), in catalogue order."""
    names = [p.stem for p in shipped_dir().glob("*.yaml")]
    return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class References(_Strict):
    old: str | None = None  # SoL (2001:453), cited when the deadline fell before 2025-07-01
    new: str | None = None  # SoL (2025:400)
    law: str | None = None  # a law cited as it stands (LSS, LVU, FL …)
    guidance: tuple[str, ...] = ()  # JO, IVO, SOSFS, practice
    # A case whose legal_basis is one of these codes cites this law instead (rules.md: "A
    # result about an LSS decision cites LSS (28 f § for non-execution), not SoL").
    by_legal_basis: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _some(self) -> References:
        if not (self.old or self.new or self.law or self.guidance):
            raise ValueError(t("ange minst en källa (old/new, law eller guidance)",
                               "give at least one reference (old/new, law or guidance)"))
        if bool(self.old) != bool(self.new):
            raise ValueError(t("ange både old och new (SoL 2001:453 och 2025:400)",
                               "give both old and new (SoL 2001:453 and 2025:400)"))
        return self

    def cite(self, old_law: bool) -> str:
        """The reference a result cites (old SoL when its deadline fell before 2025-07-01)."""
        main = (self.old if old_law else self.new) or self.law
        return main or (self.guidance[0] if self.guidance else "")


class RuleModel(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    kind: str
    area: Literal[AREAS] | None = None  # type: ignore[valid-type]
    basis: Literal["law", "practice", "local"]
    title: Texts
    description: Texts
    question: Texts | None = None
    guidance: Texts | None = None
    references: References
    applies_when: Condition | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    local_params: tuple[str, ...] = ()
    target: float | None = Field(default=None, ge=0, le=1)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in KINDS:
            raise ValueError(t("okänd regeltyp '{v}'; tillgängliga: {ok}", "unknown kind '{v}'; supported: {ok}",
                               v=v, ok=", ".join(sorted(KINDS))))
        return v

    def problems(self) -> list[tuple[str, str]]:
        """(key, problem) for rules that are well-formed but inconsistent."""
        out = []
        kind = get_kind(self.kind)
        out += [(k, t("en regel av typen {kind} behöver {k} (sv och en)",
                      "a rule of kind {kind} needs {k} (sv and en)", kind=self.kind, k=k))
                for k in kind.texts if getattr(self, k) is None]
        if self.basis == "local" and not self.local_params:
            out.append(("local_params", t("en lokal regel ska ange sitt lokala mål i local_params",
                                          "a local rule must name its local target in local_params")))
        out += [(f"params.{name}", t("lokalt mål utan standardvärde", "local target without a default value"))
                for name in self.local_params if self.params.get(name) is None]
        return out


class ChecklistModel(_Strict):
    name: str | None = None
    version: str = "1"
    title: Texts | None = None
    extends: tuple[str, ...] = ()
    rules: tuple[dict[str, Any], ...] = ()
    adjust: dict[str, dict[str, Any]] = Field(default_factory=dict)
    disable: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSpec:
    """One validated rule, ready to run (see docs/CONTRACTS.md)."""

    id: str
    kind: str
    area: str | None
    basis: str
    title: dict[str, str]
    description: dict[str, str]
    references: dict[str, Any]  # old, new, law, guidance (only those given)
    params: Params
    applies_when: Condition | None = None
    question: dict[str, str] | None = None
    guidance: dict[str, str] | None = None
    target: float | None = None
    local_params: tuple[str, ...] = ()
    source: str = ""  # the checklist file the rule came from
    checklist: str = ""  # that checklist's name
    local: bool = False  # changed or added by a municipality's own file
    changes: tuple[LocalChange, ...] = ()

    def cite(self, old_law: bool) -> str:
        """The reference a result cites (old SoL when its deadline fell before 2025-07-01)."""
        return References.model_validate(self.references).cite(old_law)

    def text(self, what: str, lang: str) -> str:
        """``title``/``description``/``question``/``guidance`` in ``lang``."""
        texts = getattr(self, what) or {}
        return texts.get(lang) or texts.get("sv", "")


@dataclass(frozen=True)
class LocalChange:
    """A local target changed by a municipality's file."""

    rule_id: str
    key: str
    default: Any
    value: Any
    source: str  # the file that changed it


@dataclass(frozen=True)
class Checklist:
    rules: list[RuleSpec]
    versions: dict[str, str] = field(default_factory=dict)  # checklist name -> version
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> file that switched it off
    changes: tuple[LocalChange, ...] = ()
    selected: bool = False  # chosen explicitly (not the default "every shipped checklist")

    def get(self, rule_id: str) -> RuleSpec:
        """The rule with this id (KeyError when unknown)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _read(path: Path) -> dict[str, Any]:
    # the safe reader: a message in the user's words with the line, no RecursionError on deep
    # nesting, no alias bombs, and a file not saved as UTF-8 named as such
    doc = read_yaml_file(path, ("Checklistan", "The checklist"), ChecklistError)
    if not isinstance(doc, dict):
        raise checklist_error(str(path), None, None, t("filen ska vara en mappning med 'rules'",
                                                       "the file must be a mapping with 'rules'"))
    return doc


def _rule_spec(raw: Any, file: str, source: str, local: bool) -> RuleSpec:
    rid = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        raise checklist_error(file, None, "rules", t("varje regel ska vara en mappning", "each rule must be a mapping"))
    try:
        model = RuleModel.model_validate(raw)
    except ValidationError as exc:
        raise_validation(file, rid, exc)
    for key, problem in model.problems():
        raise checklist_error(file, model.id, key, problem)
    kind = get_kind(model.kind)
    try:
        params = kind.params.model_validate(model.params)
    except ValidationError as exc:
        raise_validation(file, model.id, exc, ("params",))
    for name in model.local_params:
        if name not in type(params).model_fields:
            raise checklist_error(file, model.id, f"local_params.{name}", t("parametern finns inte", "no such parameter"))
    if local and model.basis != "local":
        raise checklist_error(file, model.id, "basis", t("en kommuns egna regler ska ha basis: local",
                                                         "a municipality's own rules must have basis: local"))
    return RuleSpec(
        id=model.id, kind=model.kind, area=model.area, basis=model.basis,
        title=model.title.model_dump(), description=model.description.model_dump(),
        references={k: (list(v) if isinstance(v, tuple) else v)
                    for k, v in model.references.model_dump().items() if v},
        params=params, applies_when=model.applies_when,
        question=model.question.model_dump() if model.question else None,
        guidance=model.guidance.model_dump() if model.guidance else None,
        target=model.target, local_params=model.local_params, source=file, checklist=source, local=local)


def _resolve(item: str | Path, base: Path | None) -> Path:
    text = str(item)
    candidate = Path(text)
    if base is not None and not candidate.is_absolute():
        near = base / candidate
        if near.suffix in (".yaml", ".yml") and near.exists():
            return near.resolve()
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise ChecklistError(t("Checklistan {f} finns inte.", "Checklist {f} does not exist.", f=text))
        return candidate.resolve()
    shipped = shipped_dir() / f"{text}.yaml"
    if not shipped.exists():
        raise ChecklistError(t(
            "Okänd checklista '{n}'. Inbyggda: {a}. Ange ett namn eller sökvägen till en YAML-fil.",
            "Unknown checklist '{n}'. Shipped: {a}. Give a name or the path of a YAML file.",
            n=text, a=", ".join(shipped_names())))
    return shipped.resolve()


def _is_shipped(path: Path) -> bool:
    return path.parent == shipped_dir().resolve()


class _Loader:
    def __init__(self) -> None:
        self.rules: dict[str, RuleSpec] = {}
        self.files: dict[str, str] = {}  # rule id -> file
        self.versions: dict[str, str] = {}
        self.seen: set[Path] = set()
        self.disabled: dict[str, str] = {}
        self.changes: list[LocalChange] = []

    def load(self, path: Path, stack: tuple[Path, ...] = ()) -> None:
        if path in stack:
            raise checklist_error(str(path), None, "extends", t("cirkulär extends", "circular extends"))
        if path in self.seen:
            return
        self.seen.add(path)
        raw = _read(path)
        file = str(path) if not _is_shipped(path) else path.name
        try:
            model = ChecklistModel.model_validate(raw)
        except ValidationError as exc:
            raise_validation(file, None, exc)
        local = not _is_shipped(path)
        name = model.name or path.stem
        for parent in model.extends:
            self.load(_resolve(parent, path.parent), (*stack, path))
        self.versions[name] = model.version
        for raw_rule in model.rules:
            spec = _rule_spec(raw_rule, file, name, local)
            if spec.id in self.rules:
                raise checklist_error(file, spec.id, "id", t("regel-id:t finns redan i {o}",
                                                             "duplicate rule id (also in {o})",
                                                             o=self.files[spec.id]))
            self.rules[spec.id] = spec
            self.files[spec.id] = file
        for rid, changes in model.adjust.items():
            self._adjust(file, rid, changes)
        for rid in model.disable:
            if rid not in self.rules:
                raise checklist_error(file, rid, "disable", t("okänd regel", "unknown rule"))
            self.disabled[rid] = file

    def _adjust(self, file: str, rid: str, changes: dict[str, Any]) -> None:
        if rid not in self.rules:
            raise checklist_error(file, rid, "adjust", t("okänd regel (saknas i checklistorna som utökas)",
                                                         "unknown rule (not in the extended checklists)"))
        spec = self.rules[rid]
        if not isinstance(changes, dict):
            raise checklist_error(file, rid, "adjust", t("ska vara en mappning", "must be a mapping"))
        params = spec.params.model_dump()
        target = spec.target
        new_changes = list(spec.changes)
        for key, value in changes.items():
            if key == "target":
                new_changes.append(LocalChange(rid, key, target, value, file))
                target = value
                continue
            opt_in = (key == "weekend_rule" and spec.basis == "local"
                      and key in type(spec.params).model_fields)  # 1930:173 2 § for a local target
            if key not in spec.local_params and not opt_in:
                raise checklist_error(file, rid, f"adjust.{key}", t(
                    "är inte ett lokalt mål (lokala mål: {l}); lagens frister kan inte ändras",
                    "is not a local target (local targets: {l}); legal deadlines cannot be changed",
                    l=", ".join(spec.local_params) or "–"))
            new_changes.append(LocalChange(rid, key, params.get(key), value, file))
            params[key] = value
        try:
            new_params = type(spec.params).model_validate(params)
            RuleModel.model_validate({"id": rid, "kind": spec.kind, "basis": spec.basis,
                                      "title": spec.title, "description": spec.description,
                                      "references": spec.references, "target": target,
                                      "local_params": spec.local_params, "params": params,
                                      "question": spec.question, "guidance": spec.guidance})
        except ValidationError as exc:
            raise_validation(file, rid, exc, ("adjust",))
        self.rules[rid] = replace(spec, params=new_params, target=target, local=True,
                                  changes=tuple(new_changes))
        self.changes.extend(new_changes[len(spec.changes):])


def load_checklists(selected: Sequence[str | Path] | None = None) -> Checklist:
    """Load shipped checklists by name and/or files by path (default: every shipped one).

    Raises :class:`ivoaudit.errors.ChecklistError` (exit 3) naming file, rule and key.
    """
    loader = _Loader()
    items = list(selected) if selected else shipped_names()
    for item in items:
        loader.load(_resolve(item, None))
    rules = [r for r in loader.rules.values() if r.id not in loader.disabled]
    return Checklist(rules=rules, versions=dict(loader.versions), disabled=dict(loader.disabled),
                     changes=tuple(loader.changes), selected=bool(selected))


__all__ = ["Checklist", "LocalChange", "References", "RuleSpec", "load_checklists", "shipped_dir",
           "shipped_names"]
