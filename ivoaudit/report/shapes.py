"""The report model's shapes: frozen dataclasses every renderer reads (stable interface).

Built by :func:`ivoaudit.report.model.build_report`; the HTML, Excel, Word and JSON renderers
and the other report modules (action plan, IVO answer, council report) read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ivoaudit.report.targets import Targets


@dataclass(frozen=True)
class ReportOptions:
    """How to build a report."""

    audience: str = "internal"  # internal | public
    lang: str = "sv"
    min_count: int = 5  # public: counts from 1 to min_count - 1 are suppressed
    targets: Targets = field(default_factory=Targets)
    title: str | None = None
    html_row_cap: int = 200  # row-level lists in HTML; the rest is in the Excel file
    checklist_dirs: tuple[str, ...] = ()  # extra checklist folders for rule titles and references
    unit_codes: dict[str, str] | None = None  # public: unit name -> the code the municipality publishes


@dataclass(frozen=True)
class Share:
    """A compliance figure: numerator, denominator, rate, interval and traffic light.

    A ``None`` count is suppressed (public reports); ``rate`` is ``None`` when the
    denominator is 0 or either count is suppressed (then ``suppressed`` is True).
    """

    passed: int | None
    noncompliant: int | None
    denominator: int | None
    rate: float | None
    ci: tuple[float, float] | None
    light: str
    suppressed: bool = False


@dataclass(frozen=True)
class RuleRow:
    """One rule's summary line."""

    id: str
    title: str
    description: str
    area: str | None
    basis: str
    kind: str
    references: tuple[str, ...]
    known: bool
    counts: dict[str, int | None]  # applicable + STATUS_COLUMNS
    share: Share
    green: float
    yellow: float


@dataclass(frozen=True)
class NotEvaluable:
    """A rule the extract could not support: not measured, never "0 found"."""

    id: str
    title: str
    missing_fields: tuple[str, ...]


@dataclass(frozen=True)
class Breakdown:
    """Compliance per group (unit, caseworker, sex, age group) and rule."""

    dimension: str
    title: str
    groups: tuple[str, ...]
    rules: tuple[str, ...]
    cells: dict[tuple[str, str], Share]  # (group, rule_id) -> share; absent = no cases


@dataclass(frozen=True)
class Histogram:
    """Distribution of days from start to end event (or to the check date) for one rule."""

    rule_id: str
    title: str
    edges: tuple[int, ...]  # bin i covers [edges[i], edges[i+1]); the last bin is open-ended
    counts: tuple[int | None, ...]
    n: int | None
    deadline_min: int | None  # days to the deadline (months make it vary from case to case)
    deadline_max: int | None

    @property
    def has_bars(self) -> bool:
        """Whether any bar is shown: a chart of protected or empty bars says nothing."""
        return any(n for n in self.counts if n is not None)


@dataclass(frozen=True)
class TrendSeries:
    """One rule's compliance over comparable measurements (same rule and checklist)."""

    rule_id: str
    title: str
    points: tuple[tuple[str, str, Share], ...]  # (round name, date, share), in as-of order


@dataclass(frozen=True)
class DataQuality:
    """Data-quality findings: cell problems by field, quarantined rows, and (internal) the rows."""

    by_field: tuple[tuple[str, str, int | None], ...]  # (field label, column header or "", count)
    problems_total: int | None
    quarantined: int | None
    rows: pd.DataFrame | None  # internal only: row, case_id, column, value, problem, kind
    review_flags: int | None = None  # automatic results the reviewer found wrong against the file
    reviewed: bool = False  # a review round: review_flags was counted (None then means protected)


@dataclass(frozen=True)
class Report:
    """Everything a report shows. Built once, read by every renderer."""

    title: str
    audience: str
    lang: str
    as_of: str
    tool_version: str
    source_label: str
    is_sample: bool
    min_count: int
    extract_rows: str
    extract_fingerprint: str
    checklists: dict[str, str]
    green: float
    yellow: float
    rules: tuple[RuleRow, ...]
    breakdowns: tuple[Breakdown, ...]
    histograms: tuple[Histogram, ...]
    trend: tuple[TrendSeries, ...]
    trend_rounds: int
    data_quality: DataQuality
    sampling: tuple[tuple[str, str], ...] | None
    deviations: pd.DataFrame | None  # internal only
    any_suppressed: bool
    cases_total: int | None
    not_evaluable: tuple[NotEvaluable, ...] = ()
    method: tuple[str, ...] = ()
    comments: pd.DataFrame | None = None  # internal only: case_id, unit, comment
    mostly_suppressed: bool = False

    @property
    def public(self) -> bool:
        """True for the de-identified committee/public audience."""
        return self.audience == "public"

    def rules_by_basis(self) -> list[tuple[str, list[RuleRow]]]:
        """Rules grouped: legal duties first, then practice, then local targets."""
        order = ["law", "practice", "local"]
        seen = sorted({r.basis for r in self.rules}, key=lambda b: (order.index(b) if b in order else 9, b))
        return [(b, [r for r in self.rules if r.basis == b]) for b in seen]

    def light_counts(self) -> dict[str, int]:
        """How many rules have each traffic light."""
        out = dict.fromkeys(("green", "yellow", "red", "none", "suppressed", "not_reviewed"), 0)
        for rule in self.rules:
            out[rule.share.light] = out.get(rule.share.light, 0) + 1
        return out

    def breakdown(self, dimension: str) -> Breakdown | None:
        """The breakdown by ``dimension``, if the report has one."""
        return next((b for b in self.breakdowns if b.dimension == dimension), None)
