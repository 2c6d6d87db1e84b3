"""Review templates: the questions a reader of the case file answers, declared as data.

``ivoaudit/review/questions/*.yaml`` hold, per area (or for every area), the questions of
a real file review, each tied to the case's *stage*:

* ``not_opened`` – a preliminary assessment that did not lead to an investigation;
* ``completed`` – a finished investigation;
* ``decision`` – a decision was made;
* ``execution`` – the decision was executed;
* ``any`` – every case of the area.

Every question is phrased so that **Ja means the duty was met** (Ja → ``pass``, Nej →
``fail``, Ej aktuellt → ``not_applicable``), with Swedish and English text, guidance, its
legal references and the rule id it feeds. A question may feed a rule of the checklists
(its title and basis come from there) or a review-only rule (``title`` and ``basis`` given
here). ``when`` is a declarative condition on the case's fields (the checklists' syntax);
``only_status`` asks the question only where the rule's automatic result has one of those
statuses (a flag the checker raised, for example).

:func:`asked` decides, for the sampled cases, which (case, rule) pairs the reviewer answers;
the round stores those pairs as ``needs_review`` results, so the one answer→status merge in
``ivoaudit.schema`` applies the answers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ivoaudit.checklist import RULE_ID_PATTERN, Texts
from ivoaudit.errors import ChecklistError
from ivoaudit.fields import AREAS
from ivoaudit.i18n import t
from ivoaudit.load.yaml_json import read_yaml_file
from ivoaudit.rules.conditions import Condition
from ivoaudit.store.records import ManualQuestion

FOLDER = Path(__file__).resolve().parent / "questions"
STAGES = ("not_opened", "completed", "decision", "execution", "any")
STATUSES = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review")


class QuestionModel(BaseModel):
    """One question of a review template (validated from YAML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(pattern=RULE_ID_PATTERN)
    stage: Literal["not_opened", "completed", "decision", "execution", "any"]
    text: Texts
    guidance: Texts
    references: tuple[str, ...] = Field(min_length=1)
    title: Texts | None = None
    basis: Literal["law", "practice", "local"] | None = None
    when: Condition | None = None
    only_status: tuple[Literal["pass", "fail", "overdue", "pending", "missing_data", "needs_review"], ...] = ()


class TemplateModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    area: Literal[AREAS] | None = None  # type: ignore[valid-type]
    questions: tuple[QuestionModel, ...]


@dataclass(frozen=True)
class Question:
    """A template question with the area it belongs to (``None``: every area)."""

    area: str | None
    model: QuestionModel

    @property
    def rule(self) -> str:
        return self.model.rule

    def manual(self) -> ManualQuestion:
        """The question as the round stores it."""
        m = self.model
        return ManualQuestion(m.rule, m.text.sv, m.text.en, m.guidance.sv, m.guidance.en)


@functools.lru_cache(maxsize=4)
def load_templates(folder: str | None = None) -> tuple[Question, ...]:
    """Every shipped question (or those of ``folder``); one question per rule id.

    A malformed file is a ``ChecklistError`` naming the file and the key.
    """
    base = Path(folder) if folder else FOLDER
    out: list[Question] = []
    seen: dict[str, str] = {}
    for path in sorted(base.glob("*.yaml")):
        try:
            # the safe reader (libyaml, alias and nesting limits, messages with the line)
            raw = read_yaml_file(path, ("Granskningsmallen", "The review template"), ChecklistError)
            doc = TemplateModel.model_validate(raw or {})
        except ValidationError as exc:
            raise ChecklistError(t("Granskningsmallen {f} är felaktig: {e}. Rätta filen.",
                                   "The review template {f} is invalid: {e}. Fix the file.",
                                   f=path.name, e=str(exc).splitlines()[0])) from None
        for q in doc.questions:
            if q.rule in seen:
                raise ChecklistError(t("Granskningsmallen {f}: regeln {r} har redan en fråga i {o}.",
                                       "Review template {f}: the rule {r} already has a question in {o}.",
                                       f=path.name, r=q.rule, o=seen[q.rule]))
            seen[q.rule] = path.name
            out.append(Question(doc.area, q))
    return tuple(out)


def case_stages(case: dict[str, Any]) -> set[str]:
    """The stages a case has reached, from its canonical fields."""
    stages = {"any"}
    if case.get("preliminary_outcome") == "not_open":
        stages.add("not_opened")
    if _present(case.get("investigation_end")):
        stages.add("completed")
    if _present(case.get("decision_date")) or case.get("decision_outcome") in ("granted", "partly_granted",
                                                                                "rejected"):
        stages.add("decision")
    if _present(case.get("execution_date")):
        stages.add("execution")
    return stages


def _present(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and value != value:
        return False
    return not (isinstance(value, str) and not value.strip())


def holds(cond: Condition | None, case: dict[str, Any]) -> bool:
    """``cond`` for one case (the checklists' declarative conditions, on a dict)."""
    if cond is None:
        return True
    if cond.all is not None:
        return all(holds(c, case) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, case) for c in cond.any)
    value = case.get(cond.field or "")
    present = _present(value)
    if cond.present is not None:
        return present == cond.present
    if cond.absent is not None:
        return (not present) == cond.absent
    if cond.in_ is not None:
        return present and str(value) in cond.in_
    return not present or str(value) not in (cond.not_in or ())


def asked(cases: pd.DataFrame, results: pd.DataFrame,
          questions: tuple[Question, ...] | None = None) -> tuple[list[Question], set[tuple[str, str]]]:
    """The questions used and the (case id, rule id) pairs the reviewer answers."""
    questions = load_templates() if questions is None else questions
    status = {(str(c), str(r)): str(s) for c, r, s in
              zip(results["case_id"], results["rule_id"], results["status"], strict=True)}
    pairs: set[tuple[str, str]] = set()
    used: dict[str, Question] = {}
    for case in cases.to_dict("records"):
        cid = str(case["case_id"])
        stages = case_stages(case)
        for q in questions:
            m = q.model
            if (q.area is not None and case.get("area") != q.area) or m.stage not in stages:
                continue
            if not holds(m.when, case):
                continue
            auto = status.get((cid, m.rule))
            if auto == "not_applicable" or (m.only_status and auto not in m.only_status):
                continue
            pairs.add((cid, m.rule))
            used[m.rule] = q
    return list(used.values()), pairs


def ask(results: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    """The results with every asked pair as ``needs_review`` (a row added where the check had
    none); the note keeps what the extract said, so the form can show it."""
    from ivoaudit.wording import status_word

    out = results.copy()
    if not pairs:
        return out
    keys = list(zip(out["case_id"].astype(str), out["rule_id"].astype(str), strict=True))
    hit = pd.Series([k in pairs for k in keys], index=out.index)
    if "note" not in out:
        out["note"] = None
    out["note"] = out["note"].astype(object)
    was = out.loc[hit, "status"].astype(str)
    out.loc[hit & (out["status"] != "needs_review"), "note"] = [
        t("granskas i akten (uttaget: {s})", "reviewed in the case file (extract: {s})", s=status_word(s))
        for s in was[was != "needs_review"]]
    out.loc[hit, "status"] = "needs_review"
    missing = sorted(pairs - set(keys))
    if missing:
        extra = pd.DataFrame({"case_id": [c for c, _ in missing], "rule_id": [r for _, r in missing],
                              "status": "needs_review",
                              "note": t("fråga i granskningen", "review question")})
        out = pd.concat([out, extra], ignore_index=True)
    return out


def review_rule_meta() -> dict[str, dict[str, Any]]:
    """Titles, basis and references of the review-only rules (for reports and forms)."""
    out = {}
    for q in load_templates():
        m = q.model
        if m.title is None:
            continue
        out[m.rule] = {"id": m.rule, "kind": "manual", "area": q.area, "basis": m.basis or "law",
                       "title": m.title.model_dump(), "description": m.text.model_dump(),
                       "references": list(m.references)}
    return out
