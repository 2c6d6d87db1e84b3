"""The one report model every renderer reads (HTML, Excel, Word, JSON).

``build_report(source, options)`` turns a :class:`~ivoaudit.report.source.ReportSource`
into a tree of frozen dataclasses holding every figure a report shows, already suppressed
for a public audience. Renderers only format; they never count, so the formats cannot
disagree on a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ivoaudit.fields import FIELDS_BY_NAME
from ivoaudit.i18n import normalise_language, t, use_language
from ivoaudit.report import labels
from ivoaudit.report.rules_meta import RuleMeta, load_rule_meta, meta_for
from ivoaudit.report.source import ReportSource, RoundPoint
from ivoaudit.report.suppression import Suppressor
from ivoaudit.report.targets import Targets, light
from ivoaudit.rules import structural_zeros
from ivoaudit.sample.stats import wilson_interval
from ivoaudit.schema import APPLICABLE_STATUSES, COUNTED

AUDIENCES = ("internal", "public")
DIMENSIONS = ("unit", "caseworker", "sex", "age_group")


@dataclass(frozen=True)
class ReportOptions:
    """How to build a report."""

    audience: str = "internal"  # internal | public
    lang: str = "sv"
    min_count: int = 5  # public: counts below this are suppressed
    targets: Targets = field(default_factory=Targets)
    title: str | None = None
    html_row_cap: int = 200  # row-level lists in HTML; the rest is in the Excel file
    checklist_dirs: tuple[str, ...] = ()  # extra checklist folders for rule titles and references


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
    counts: dict[str, int | None]  # applicable + APPLICABLE_STATUSES
    share: Share
    green: float
    yellow: float


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


@dataclass(frozen=True)
class TrendSeries:
    """One rule's compliance over rounds."""

    rule_id: str
    title: str
    points: tuple[tuple[str, str, Share], ...]  # (round name, date, share)


@dataclass(frozen=True)
class DataQuality:
    """Data-quality findings: cell problems by field, quarantined rows, and (internal) the rows."""

    by_field: tuple[tuple[str, str, int | None], ...]  # (field label, column header, count)
    problems_total: int | None
    quarantined: int | None
    rows: pd.DataFrame | None  # internal only: row, column, value, problem, kind


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
        """How many rules have each traffic light (green, yellow, red, none, suppressed)."""
        out = dict.fromkeys(("green", "yellow", "red", "none", "suppressed"), 0)
        for rule in self.rules:
            out[rule.share.light] += 1
        return out

    def breakdown(self, dimension: str) -> Breakdown | None:
        """The breakdown by ``dimension``, if the report has one."""
        return next((b for b in self.breakdowns if b.dimension == dimension), None)


# ---------------------------------------------------------------- building


def _clean(series: pd.Series) -> pd.Series:
    out = series.astype("object").where(series.notna(), None)
    return out.map(lambda v: v.strip() if isinstance(v, str) else v).replace({"": None})


def _natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _share(passed: int | None, noncompliant: int | None, denominator: int | None,
           green: float, yellow: float, with_ci: bool, suppressed: bool = False) -> Share:
    if passed is None or denominator is None:
        return Share(passed, noncompliant, denominator, None, None, "suppressed", True)
    if denominator == 0:
        return Share(passed, noncompliant, denominator, None, None, "none", suppressed)
    rate = passed / denominator
    ci = wilson_interval(passed, denominator) if with_ci else None
    return Share(passed, noncompliant, denominator, rate, ci, light(rate, green, yellow), suppressed)


def _bin_width(p98: float, dl_min: int, dl_max: int, n_bins: int) -> int:
    """A bin width that puts the (shortest) deadline on a bin edge and covers the bulk."""
    top = max(p98, dl_max * 1.5, 1.0)
    if dl_min > 0:
        for width in range(1, dl_min + 1):
            if dl_min % width == 0 and top / width <= n_bins:
                return width
    return max(1, int(np.ceil(top / n_bins)))


class _Builder:
    def __init__(self, source: ReportSource, options: ReportOptions):
        if options.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {AUDIENCES}")
        self.src = source
        self.opt = options
        self.public = options.audience == "public"
        self.sup = Suppressor(min_count=options.min_count)
        self.catalogue = load_rule_meta([Path(p) for p in options.checklist_dirs])

    # Cells are registered in the suppressor while counting; values are read back after solve.
    def cell(self, key: tuple, value: int, *, structural: bool = False) -> tuple:
        self.sup.add(key, value, structural=structural)
        return key

    def build(self) -> Report:
        src, opt = self.src, self.opt
        meta = src.meta() or {}
        res = src.results().copy()
        res["status"] = _clean(res["status"]).map(lambda s: s.lower() if isinstance(s, str) else s)
        res["rule_id"] = _clean(res["rule_id"])
        res["case_id"] = _clean(res["case_id"])
        res = res[res["status"].notna() & (res["status"] != "not_applicable") & res["rule_id"].notna()]
        cases = src.cases().copy()
        cases["case_id"] = _clean(cases["case_id"])
        attrs = cases.drop_duplicates("case_id").set_index("case_id")
        unknown = labels.unknown_label()
        for dim in DIMENSIONS:
            values = _clean(attrs[dim]) if dim in attrs else pd.Series(None, index=attrs.index, dtype=object)
            if dim == "sex":
                values = values.map(lambda v: labels.sex_label(v.upper() if isinstance(v, str) else None))
            res[dim] = res["case_id"].map(values).fillna(unknown)

        rule_ids = self._rule_order(res)
        counts = (res.groupby(["rule_id", "status"]).size().unstack(fill_value=0)
                  .reindex(index=rule_ids, columns=list(APPLICABLE_STATUSES), fill_value=0))
        self._register_rules(counts)
        dims = ["unit", "sex", "age_group"] if self.public else ["unit", "caseworker", "sex", "age_group"]
        counted = res[res["status"].isin(COUNTED)]
        grouped = {d: self._register_breakdown(counted, d, rule_ids) for d in dims}
        hist_specs = self._register_histograms(counted, rule_ids)
        rounds = self._rounds(counts, meta)
        self._register_trend(rounds)
        dq = self._register_data_quality()
        self.sup.add(("cases",), int(res["case_id"].nunique()))

        hidden = self.sup.solve() if self.public else set()
        self.hidden = hidden

        def v(key: tuple) -> int | None:
            return None if key in hidden else self.sup.cells.get(key, 0)

        rules = tuple(self._rule_row(r, v) for r in rule_ids)
        lights = {r.id: (r.green, r.yellow) for r in rules}
        breakdowns = tuple(self._breakdown(d, grouped[d], rule_ids, lights, v) for d in dims)
        histograms = tuple(self._histogram(h, v) for h in hist_specs)
        trend = tuple(
            TrendSeries(rid, self._title(rid), tuple(
                (rp.name, rp.date, _share(v(("trend", rp.name, rid, "pass")),
                                          v(("trend", rp.name, rid, "noncompliant")),
                                          v(("trend", rp.name, rid, "denominator")),
                                          *lights[rid], src.is_sample))
                for rp in rounds if rid in rp.counts))
            for rid in rule_ids)
        by_field = tuple((label, column, v(key)) for label, column, key in dq["by_field"])
        rows = None if self.public else dq["rows"]
        data_quality = DataQuality(by_field, v(("dq", "total")), v(("dq", "quarantined")), rows)
        return Report(
            title=opt.title or t("Egenkontroll av ärendehandläggning",
                                 "Self-review of case handling"),
            audience=opt.audience, lang=opt.lang,
            as_of=str(meta.get("as_of", "")), tool_version=str(meta.get("tool_version", "")),
            source_label=src.label, is_sample=src.is_sample, min_count=opt.min_count,
            extract_rows=str(meta.get("extract_rows", "")),
            extract_fingerprint=str(meta.get("extract_fingerprint", "")),
            checklists={str(k): str(v_) for k, v_ in (meta.get("checklists") or {}).items()},
            green=opt.targets.green, yellow=opt.targets.yellow,
            rules=rules, breakdowns=breakdowns, histograms=histograms, trend=trend,
            trend_rounds=len(rounds), data_quality=data_quality,
            sampling=self._sampling(), deviations=None if self.public else self._deviations(res),
            any_suppressed=bool(hidden), cases_total=v(("cases",)),
        )

    # -- rules
    def _rule_order(self, res: pd.DataFrame) -> list[str]:
        present = list(dict.fromkeys(res["rule_id"].tolist()))
        summary = self.src.summary()
        if summary is not None and "rule_id" in summary:
            present += [r for r in summary["rule_id"].astype(str) if r not in present]
        known = [r for r in self.catalogue if r in present]
        return known + sorted(r for r in present if r not in self.catalogue)

    def _meta(self, rule_id: str) -> RuleMeta:
        return meta_for(rule_id, self.catalogue)

    def _title(self, rule_id: str) -> str:
        return self._meta(rule_id).text(self.opt.lang)

    def _register_rules(self, counts: pd.DataFrame) -> None:
        for rid, row in counts.iterrows():
            impossible = structural_zeros(self._meta(rid).kind)  # public knowledge: not suppressed
            k = {s: self.cell(("rule", rid, s), int(row[s]), structural=s in impossible) for s in APPLICABLE_STATUSES}
            nc = self.cell(("rule", rid, "noncompliant"), int(row["fail"] + row["overdue"]))
            den = self.cell(("rule", rid, "denominator"), int(row["pass"] + row["fail"] + row["overdue"]))
            app = self.cell(("rule", rid, "applicable"), int(row.sum()))
            self.sup.relate(app, [k[s] for s in APPLICABLE_STATUSES])
            self.sup.relate(app, [den, k["pending"], k["missing_data"], k["needs_review"]])
            self.sup.relate(den, [k["pass"], nc])
            self.sup.relate(nc, [k["fail"], k["overdue"]])

    def _rule_row(self, rid: str, v) -> RuleRow:
        m = self._meta(rid)
        green, yellow = self.opt.targets.for_rule(rid, m.target)
        counts = {s: v(("rule", rid, s)) for s in ("applicable", *APPLICABLE_STATUSES)}
        share = _share(v(("rule", rid, "pass")), v(("rule", rid, "noncompliant")),
                       v(("rule", rid, "denominator")), green, yellow, self.src.is_sample)
        return RuleRow(id=rid, title=m.text(self.opt.lang), description=m.about(self.opt.lang),
                       area=m.area, basis=m.basis if m.basis in ("law", "practice", "local") else "law",
                       kind=m.kind, references=m.references, known=m.known, counts=counts,
                       share=share, green=green, yellow=yellow)

    # -- breakdowns
    def _register_breakdown(self, counted: pd.DataFrame, dim: str, rule_ids: list[str]):
        table = (counted.groupby([dim, "rule_id"])["status"].value_counts().unstack(fill_value=0)
                 .reindex(columns=list(COUNTED), fill_value=0))
        groups = sorted({g for g, _ in table.index}, key=lambda g: (g == labels.unknown_label(),
                                                                     _natural_key(str(g))))
        members: dict[tuple[str, str], None] = {}
        for (group, rid), row in table.iterrows():
            p = self.cell((dim, group, rid, "pass"), int(row["pass"]))
            nc = self.cell((dim, group, rid, "noncompliant"), int(row["fail"] + row["overdue"]))
            den = self.cell((dim, group, rid, "denominator"), int(row.sum()))
            self.sup.relate(den, [p, nc])
            members[(group, rid)] = None
        for rid in rule_ids:
            for measure in ("pass", "noncompliant", "denominator"):
                self.sup.relate(("rule", rid, measure),
                                [(dim, g, rid, measure) for g in groups if (g, rid) in members])
        return groups, members

    def _breakdown(self, dim: str, grouped, rule_ids, lights: dict[str, tuple[float, float]], v) -> Breakdown:
        groups, members = grouped
        cells = {}
        for group, rid in members:
            key = (dim, group, rid)
            cells[(group, rid)] = _share(v((*key, "pass")), v((*key, "noncompliant")),
                                         v((*key, "denominator")), *lights[rid], self.src.is_sample)
        title = {"unit": t("Per enhet", "By unit"), "caseworker": t("Per handläggare", "By caseworker"),
                 "sex": t("Efter kön", "By sex"), "age_group": t("Efter åldersgrupp", "By age group")}[dim]
        used = tuple(r for r in rule_ids if any((g, r) in members for g in groups))
        return Breakdown(dim, title, tuple(groups), used, cells)

    # -- histograms
    def _register_histograms(self, counted: pd.DataFrame, rule_ids: list[str]) -> list[dict]:
        specs: list[dict] = []
        if "days" not in counted:
            return specs
        days = pd.to_numeric(counted["days"], errors="coerce")
        start = pd.to_datetime(counted["start_date"], errors="coerce", format="ISO8601")
        deadline = pd.to_datetime(counted["deadline"], errors="coerce", format="ISO8601")
        to_deadline = (deadline - start).dt.days
        frame = pd.DataFrame({"rule_id": counted["rule_id"], "days": days, "dl": to_deadline})
        frame = frame[frame["days"].notna() & frame["dl"].notna()]
        n_bins = 12 if self.public else 24
        for rid, part in frame.groupby("rule_id", sort=False):
            if rid not in rule_ids or part.empty:
                continue
            d = part["days"].to_numpy(dtype=float)
            dl_min, dl_max = int(part["dl"].min()), int(part["dl"].max())
            width = _bin_width(float(np.percentile(d, 98)), dl_min, dl_max, n_bins)
            edges = [i * width for i in range(n_bins + 1)]
            idx = np.minimum((np.maximum(d, 0) // width).astype(int), n_bins - 1)
            binc = np.bincount(idx, minlength=n_bins)
            keys = [self.cell(("hist", rid, i), int(c)) for i, c in enumerate(binc)]
            n = self.cell(("hist", rid, "n"), int(len(d)))
            self.sup.relate(n, keys)
            specs.append({"rule_id": rid, "edges": tuple(edges), "bins": len(binc),
                          "dl": (dl_min, dl_max)})
        order = {r: i for i, r in enumerate(rule_ids)}
        return sorted(specs, key=lambda s: order[s["rule_id"]])

    def _histogram(self, spec: dict, v) -> Histogram:
        rid = spec["rule_id"]
        return Histogram(rid, self._title(rid), spec["edges"],
                         tuple(v(("hist", rid, i)) for i in range(spec["bins"])),
                         v(("hist", rid, "n")), *spec["dl"])

    # -- trend
    def _rounds(self, counts: pd.DataFrame, meta: dict[str, Any]) -> list[RoundPoint]:
        rounds = list(self.src.rounds())
        if not rounds:
            current = {rid: (int(r["pass"]), int(r["pass"] + r["fail"] + r["overdue"]))
                       for rid, r in counts.iterrows()}
            rounds = [RoundPoint(self.src.label, str(meta.get("as_of", "")), current)]
        return rounds

    def _register_trend(self, rounds: list[RoundPoint]) -> None:
        for rp in rounds:
            for rid, (passed, den) in rp.counts.items():
                p = self.cell(("trend", rp.name, rid, "pass"), passed)
                nc = self.cell(("trend", rp.name, rid, "noncompliant"), den - passed)
                d = self.cell(("trend", rp.name, rid, "denominator"), den)
                self.sup.relate(d, [p, nc])

    # -- data quality
    def _register_data_quality(self) -> dict:
        problems = self.src.problems()
        quarantine = self.src.quarantine()
        by_field = []
        if len(problems):
            fields = _clean(problems["field"]).fillna("")
            columns = _clean(problems["column"]).fillna("")
            grouped = pd.DataFrame({"f": fields, "c": columns}).groupby(["f", "c"]).size()
            for (f, c), n in grouped.items():
                spec = FIELDS_BY_NAME.get(f)
                label = (spec.en if self.opt.lang == "en" else spec.sv) if spec else (f or c)
                by_field.append((label, c, self.cell(("dq", f, c), int(n))))
        total = self.cell(("dq", "total"), int(len(problems)))
        self.sup.relate(total, [k for _, _, k in by_field])
        q_rows = int(_clean(quarantine["row"]).nunique()) if len(quarantine) else 0
        self.cell(("dq", "quarantined"), q_rows)
        rows = None
        if not self.public:
            kind_p = t("Cellfel (raden inläst)", "Cell problem (row loaded)")
            kind_q = t("Raden ej inläst", "Row not loaded")
            parts = []
            if len(problems):
                parts.append(problems[["row", "column", "value", "problem"]].assign(kind=kind_p))
            if len(quarantine):
                parts.append(quarantine[["row", "column", "value", "problem"]].assign(kind=kind_q))
            rows = (pd.concat(parts, ignore_index=True) if parts
                    else pd.DataFrame(columns=["row", "column", "value", "problem", "kind"]))
            rows["row"] = pd.to_numeric(rows["row"], errors="coerce").astype("Int64")
            rows = rows.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
        return {"by_field": by_field, "rows": rows}

    # -- sampling record and deviations
    def _sampling(self) -> tuple[tuple[str, str], ...] | None:
        record = self.src.sampling_record()
        if not record:
            return None
        out = []
        for key, value in record.items():
            if isinstance(value, dict | list | tuple | set):
                continue  # lists of sampled cases never go into a report
            if self.public and re.search(r"case|person|pseudonym|caseworker|handl", str(key), re.I):
                continue
            out.append((str(key), str(value)))
        return tuple(out)

    def _deviations(self, res: pd.DataFrame) -> pd.DataFrame:
        dev = res[res["status"].isin(("fail", "overdue"))].copy()
        dev["rule_title"] = dev["rule_id"].map(lambda r: self._title(r))
        dev["status_label"] = dev["status"].map(labels.status_label)
        for c in ("days", "days_over"):
            dev[c] = pd.to_numeric(dev[c], errors="coerce").astype("Int64")
        cols = ["case_id", "rule_id", "rule_title", "status_label", "unit", "caseworker",
                "start_date", "deadline", "end_date", "days", "days_over", "note"]
        dev = dev.sort_values(["unit", "caseworker", "rule_id", "case_id"], kind="stable")
        return dev[cols].reset_index(drop=True)


def build_report(source: ReportSource, options: ReportOptions | None = None) -> Report:
    """Build the report model from ``source`` (suppressed when ``options.audience`` is public)."""
    options = options or ReportOptions()
    lang = normalise_language(options.lang)
    if lang != options.lang:
        options = ReportOptions(**{**options.__dict__, "lang": lang})
    with use_language(lang):
        return _Builder(source, options).build()


def records(frame: pd.DataFrame | None, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a row-level list as dicts with ``None`` for blanks (for renderers)."""
    if frame is None:
        return []
    part = frame if limit is None else frame.head(limit)
    out = []
    for row in part.astype(object).itertuples(index=False):
        out.append({c: (None if (v is None or v is pd.NA or (isinstance(v, float) and v != v)) else v)
                    for c, v in zip(part.columns, row, strict=True)})
    return out
