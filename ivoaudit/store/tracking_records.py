"""Plain data shapes of the tracking tables: measurements, IVO decisions and demands,
findings, actions and their history. Dates are ``datetime.date``; times ISO text (UTC)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The counts a measurement keeps per rule, named as the statuses are (``pass`` is a keyword).
COUNT_FIELDS = ("applicable", "pass", "fail", "overdue", "pending", "missing_data", "needs_review")


def parse_day(value: str | date | None) -> date | None:
    """A stored ISO day as a ``date`` (None stays None)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def day_text(value: date | str | None) -> str | None:
    """A day as stored: ISO text, None for none."""
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(str(value)).isoformat()


@dataclass(frozen=True)
class RuleCounts:
    """One rule in one measurement: the count of each status, and what defines the rule.

    Compliance = pass / (pass + fail + overdue), as everywhere in ivoaudit; a rule that is not
    evaluable (the extract lacks a field it needs) has no rate, never 0 %.
    """

    rule_id: str
    applicable: int = 0
    passed: int = 0
    failed: int = 0
    overdue: int = 0
    pending: int = 0
    missing_data: int = 0
    needs_review: int = 0
    evaluable: bool = True
    missing_fields: tuple[str, ...] = ()
    checklist: str = ""
    checklist_version: str = ""
    local_change: str = ""
    target: float | None = None  # the green target in force when measured
    title_sv: str = ""
    title_en: str = ""

    @property
    def denominator(self) -> int:
        """Cases assessed: pass + fail + overdue."""
        return self.passed + self.failed + self.overdue

    @property
    def rate(self) -> float | None:
        """The compliance rate, None when nothing was assessed or the rule was not evaluable."""
        if not self.evaluable or self.denominator == 0:
            return None
        return self.passed / self.denominator

    @property
    def definition(self) -> tuple[str, str, str]:
        """(checklist, version, local change): two measurements of a rule are comparable when
        these are equal."""
        return self.checklist, self.checklist_version, self.local_change

    def title(self, lang: str) -> str:
        """The rule's title in ``lang`` as recorded (its id when none was)."""
        text = self.title_en if lang == "en" else self.title_sv
        return text or self.title_sv or self.rule_id


@dataclass(frozen=True)
class Measurement:
    """One check of a whole extract (``check``) or one review round (``round``)."""

    name: str
    kind: str
    as_of: date
    rules: tuple[RuleCounts, ...]
    id: int | None = None  # None for a round: its counts are always the round's current ones
    extract_fingerprint: str | None = None
    checklists: dict[str, str] = field(default_factory=dict)
    tool_version: str | None = None
    recorded_at: str = ""
    recorded_by: str | None = None
    note: str | None = None
    round_id: int | None = None

    def rule(self, rule_id: str) -> RuleCounts | None:
        """The counts of ``rule_id``, None when the measurement did not cover it."""
        for counts in self.rules:
            if counts.rule_id == rule_id:
                return counts
        return None


@dataclass(frozen=True)
class Demand:
    """One demand (krav) of an IVO decision."""

    id: int
    dnr: str
    number: int
    text: str
    rules: tuple[str, ...] = ()
    ivo_deviations: int | None = None  # IVO's own figure: faults found ...
    ivo_assessed: int | None = None  # ... in this many cases examined

    @property
    def ref(self) -> str:
        """``DNR:N``, as the command line and the Excel files write a demand."""
        return f"{self.dnr}:{self.number}"

    @property
    def ivo_compliant(self) -> int | None:
        """Cases IVO found without the fault."""
        if self.ivo_assessed is None or self.ivo_deviations is None:
            return None
        return self.ivo_assessed - self.ivo_deviations


@dataclass(frozen=True)
class IvoDecision:
    """An IVO decision (beslut) and its demands."""

    id: int
    dnr: str
    decision_date: date | None = None
    received_date: date | None = None
    answer_due: date | None = None
    extended_due: date | None = None  # anstånd
    extension_reason: str | None = None
    committee: str | None = None
    our_dnr: str | None = None
    units: str | None = None
    summary: str | None = None
    status: str = "open"
    adopted_on: date | None = None
    sent_on: date | None = None
    demands: tuple[Demand, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @property
    def due(self) -> date | None:
        """The day the answer is due: the extended date when anstånd was given."""
        return self.extended_due or self.answer_due


@dataclass(frozen=True)
class Finding:
    """A fault to act on (brist)."""

    id: int
    title: str
    source: str  # measurement | review | ivo | manual
    found_on: date
    origin: str = ""
    rules: tuple[str, ...] = ()
    measurement: str | None = None  # the check measurement that showed it
    round_name: str | None = None  # ... or the review round
    demand: str | None = None  # DNR:N of the IVO demand it comes from
    passed: int | None = None
    denominator: int | None = None
    note: str | None = None
    status: str = "open"
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Action:
    """A measure (åtgärd) with its responsible, timeline, status and links."""

    id: int
    measure: str
    responsible_role: str
    responsible_person: str | None = None
    start_date: date | None = None
    deadline: date | None = None
    followup_date: date | None = None
    followup_method: str | None = None
    status: str = "planned"
    done_on: date | None = None
    evidence: str | None = None
    rules: tuple[str, ...] = ()  # the rules it targets directly
    demands: tuple[str, ...] = ()  # DNR:N of the demands it answers
    findings: tuple[int, ...] = ()  # ids of the findings it answers
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """One change: what, old → new, when, by whom; for a verdict, the proposal shown."""

    entity: str
    entity_id: int
    field: str
    old_value: str | None
    new_value: str | None
    changed_at: str
    changed_by: str | None = None
    note: str | None = None
    proposal: dict[str, Any] | None = None

    @staticmethod
    def from_row(row: Any) -> HistoryEntry:
        """From a row of the ``history`` table."""
        return HistoryEntry(row["entity"], row["entity_id"], row["field"], row["old_value"],
                            row["new_value"], row["changed_at"], row["changed_by"], row["note"],
                            json.loads(row["proposal_json"]) if row["proposal_json"] else None)
