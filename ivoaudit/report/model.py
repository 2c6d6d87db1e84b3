"""The one report model every renderer reads (HTML, Excel, Word, JSON).

``build_report(source, options)`` turns a :class:`~ivoaudit.report.source.ReportSource`
into a tree of frozen dataclasses holding every figure a report shows, already suppressed
for a public audience. Renderers only format; they never count, so the formats cannot
disagree on a number. The counting itself is vectorised (``ivoaudit.report.counting``).

Decisions written down here (the spec is silent):
* Rules the extract cannot support (``evaluable = false`` in ``summary.csv``) are not rules
  of the report's tables: they are listed first, under a warning, as *not measured*.
* A rule with cases waiting for a reviewer and none assessed has the light ``not_reviewed``
  ("Ej granskad"), never "Skyddad" and never a share.
* A public report whose rule shares are mostly suppressed says so (``mostly_suppressed``)
  and suggests a longer period or a wider population.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.i18n import normalise_language, t, use_language
from ivoaudit.problems import CATALOGUE
from ivoaudit.report import counting, labels
from ivoaudit.report.method import method_paragraphs, sampling_lines
from ivoaudit.report.rules_meta import RuleMeta, load_rule_meta, meta_for
from ivoaudit.report.shapes import (  # noqa: F401 - re-exported: renderers import them from here
    Breakdown,
    DataQuality,
    Histogram,
    NotEvaluable,
    Report,
    ReportOptions,
    RuleRow,
    Share,
    TrendSeries,
)
from ivoaudit.report.source import ReportSource, RoundPoint
from ivoaudit.report.suppression import Suppressor
from ivoaudit.report.targets import light
from ivoaudit.report.trend import comparable_points
from ivoaudit.report.units import public_unit_labels
from ivoaudit.rules import structural_zeros
from ivoaudit.sample.stats import wilson_interval
from ivoaudit.schema import COUNTED

AUDIENCES = ("internal", "public")
STATUS_COLUMNS = counting.STATUS_COLUMNS
DIMENSIONS = counting.DIMENSIONS
MOSTLY_SUPPRESSED = 0.5  # share of rule figures hidden above which a public report warns


# ---------------------------------------------------------------- building


def share(passed: int | None, noncompliant: int | None, denominator: int | None,
          green: float, yellow: float, with_ci: bool, *, waiting: int = 0) -> Share:
    """A :class:`Share` from (possibly suppressed) counts; ``waiting`` > 0 with nothing
    assessed gives the light ``not_reviewed``."""
    if denominator == 0 and waiting > 0:
        return Share(passed, noncompliant, denominator, None, None, "not_reviewed", False)
    if passed is None or denominator is None:
        return Share(passed, noncompliant, denominator, None, None, "suppressed", True)
    if denominator == 0:
        return Share(passed, noncompliant, denominator, None, None, "none", False)
    rate = passed / denominator
    ci = wilson_interval(passed, denominator) if with_ci else None
    return Share(passed, noncompliant, denominator, rate, ci, light(rate, green, yellow), False)


def _not_evaluable(summary: pd.DataFrame | None, meta: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Rule id → missing fields, from ``summary.csv`` (``evaluable``) and ``meta.json``."""
    out: dict[str, tuple[str, ...]] = {}
    for item in meta.get("not_evaluable") or []:
        if isinstance(item, dict) and item.get("rule_id"):
            fields = item.get("missing_fields") or ()
            fields = fields.split(";") if isinstance(fields, str) else fields
            out[str(item["rule_id"])] = tuple(str(f) for f in fields if f)
    if summary is not None and "evaluable" in summary:
        flags = summary["evaluable"].astype(str).str.strip().str.lower()
        missing = summary.get("missing_fields", pd.Series([""] * len(summary), index=summary.index))
        for rid, flag, fields in zip(summary["rule_id"].astype(str), flags, missing.fillna(""), strict=True):
            if flag in ("false", "0", "no"):
                out.setdefault(rid, tuple(f for f in str(fields).split(";") if f))
    return out


class _Builder:
    def __init__(self, source: ReportSource, options: ReportOptions):
        if options.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {AUDIENCES}")
        self.src, self.opt = source, options
        self.public = options.audience == "public"
        self.sup = Suppressor(min_count=options.min_count)
        self.catalogue = load_rule_meta([Path(p) for p in options.checklist_dirs])

    def cell(self, key: tuple, value: int, *, structural: bool = False) -> tuple:
        """Register a count with the suppressor; read back with ``self.v`` after solving."""
        self.sup.add(key, value, structural=structural)
        return key

    def v(self, key: tuple) -> int | None:
        return None if key in self.hidden else self.sup.cells.get(key, 0)

    def build(self) -> Report:
        src, opt = self.src, self.opt
        meta = src.meta() or {}
        summary = src.summary()
        missing = _not_evaluable(summary, meta)
        cases = src.cases()
        units = (public_unit_labels(cases["unit"], opt.unit_codes)
                 if self.public and "unit" in cases else None)
        res = counting.prepared(src, cases, units)
        if missing:
            res = res[~res["rule_id"].isin(list(missing))]
        rule_ids = self._rule_order(res, summary, set(missing))
        counts = counting.rule_counts(res, rule_ids)
        self._register_rules(counts)
        dims = ["unit", "sex", "age_group"] if self.public else list(DIMENSIONS)
        counted = res[res["status"].isin(COUNTED)]
        grouped = {d: self._register_breakdown(counting.group_counts(counted, d), d, rule_ids) for d in dims}
        periods = {r: self._meta(r).period for r in rule_ids}
        bins = counting.histogram_bins(counted, rule_ids, periods, 12 if self.public else 20)
        self._register_histograms(bins)
        rounds = comparable_points(src.rounds(), counts, meta, src.label)
        self._register_trend(rounds)
        dq = self._register_data_quality()
        self.cell(("cases",), int(res["case_id"].nunique()))
        self.hidden = self.sup.solve() if self.public else set()

        rules = tuple(self._rule_row(r, counts) for r in rule_ids)
        lights = {r.id: (r.green, r.yellow) for r in rules}
        with_ci = src.is_sample
        trend = tuple(TrendSeries(rid, self._title(rid), tuple(
            (rp.name, rp.date, self._share(("trend", rp.name, rid), *lights[rid], with_ci))
            for rp in rounds if rid in rp.counts)) for rid in rule_ids)
        hidden_rules = sum(1 for r in rules if r.share.suppressed)
        return Report(
            title=opt.title or t("Egenkontroll av ärendehandläggning", "Self-review of case handling"),
            audience=opt.audience, lang=opt.lang,
            as_of=str(meta.get("as_of", "")), tool_version=str(meta.get("tool_version", "")),
            source_label=src.label, is_sample=src.is_sample, min_count=opt.min_count,
            extract_rows=str(meta.get("extract_rows", "")),
            extract_fingerprint=str(meta.get("extract_fingerprint", "")),
            checklists={str(k): str(x) for k, x in (meta.get("checklists") or {}).items()},
            green=opt.targets.green, yellow=opt.targets.yellow, rules=rules,
            breakdowns=tuple(self._breakdown(d, grouped[d], rule_ids, lights) for d in dims),
            histograms=tuple(self._histogram(b) for b in bins),
            trend=trend, trend_rounds=len(rounds), data_quality=self._data_quality(dq),
            sampling=sampling_lines(src.sampling_record(), public=self.public),
            deviations=None if self.public else self._deviations(res),
            any_suppressed=bool(self.hidden), cases_total=self.v(("cases",)),
            not_evaluable=tuple(NotEvaluable(rid, self._title(rid), fields) for rid, fields in missing.items()),
            method=method_paragraphs(src.is_sample, meta, src.sampling_record()),
            comments=None if self.public else self._comments(cases),
            mostly_suppressed=bool(rules) and hidden_rules / len(rules) > MOSTLY_SUPPRESSED,
        )

    # -- histograms and trend: each bar and each measurement a cell the suppressor may hide
    def _register_histograms(self, bins: list[counting.Bins]) -> None:
        for b in bins:
            keys = [self.cell(("hist", b.rule_id, i), c) for i, c in enumerate(b.counts)]
            self.sup.relate(self.cell(("hist", b.rule_id, "n"), sum(b.counts)), keys)

    def _histogram(self, b: counting.Bins) -> Histogram:
        return Histogram(b.rule_id, self._title(b.rule_id), b.edges,
                         tuple(self.v(("hist", b.rule_id, i)) for i in range(len(b.counts))),
                         self.v(("hist", b.rule_id, "n")), b.deadline_min, b.deadline_max)

    def _register_trend(self, rounds: list[RoundPoint]) -> None:
        for rp in rounds:
            for rid, (passed, den) in rp.counts.items():
                d = self.cell(("trend", rp.name, rid, "denominator"), den)
                self.sup.relate(d, [self.cell(("trend", rp.name, rid, "pass"), passed),
                                    self.cell(("trend", rp.name, rid, "noncompliant"), den - passed)])

    # -- rules
    def _rule_order(self, res: pd.DataFrame, summary: pd.DataFrame | None, skip: set[str]) -> list[str]:
        present = [str(r) for r in res["rule_id"].unique().tolist() if r is not None and r == r]
        if summary is not None and "rule_id" in summary:
            present += [r for r in summary["rule_id"].astype(str) if r not in present and r not in skip]
        known = [r for r in self.catalogue if r in present]
        return known + sorted(r for r in present if r not in self.catalogue)

    def _meta(self, rule_id: str) -> RuleMeta:
        return meta_for(rule_id, self.catalogue)

    def _title(self, rule_id: str) -> str:
        return self._meta(rule_id).text(self.opt.lang)

    def _register_rules(self, counts: pd.DataFrame) -> None:
        for rid, row in zip(counts.index, counts.to_dict("records"), strict=True):
            impossible = structural_zeros(self._meta(rid).kind)  # public knowledge: not suppressed
            k = {s: self.cell(("rule", rid, s), row[s], structural=s in impossible) for s in STATUS_COLUMNS}
            nc = self.cell(("rule", rid, "noncompliant"), row["fail"] + row["overdue"])
            den = self.cell(("rule", rid, "denominator"), row["pass"] + row["fail"] + row["overdue"])
            app = self.cell(("rule", rid, "applicable"), sum(row.values()))
            self.sup.relate(app, [k[s] for s in STATUS_COLUMNS])
            self.sup.relate(app, [den, k["pending"], k["missing_data"], k["needs_review"]])
            self.sup.relate(den, [k["pass"], nc])
            self.sup.relate(nc, [k["fail"], k["overdue"]])

    def _share(self, key: tuple, green: float, yellow: float, with_ci: bool, waiting: int = 0) -> Share:
        return share(self.v((*key, "pass")), self.v((*key, "noncompliant")), self.v((*key, "denominator")),
                     green, yellow, with_ci, waiting=waiting)

    def _rule_row(self, rid: str, counts: pd.DataFrame) -> RuleRow:
        m = self._meta(rid)
        green, yellow = self.opt.targets.for_rule(rid, m.target)
        waiting = int(counts.at[rid, "needs_review"])
        if int(counts.loc[rid, list(COUNTED)].sum()):
            waiting = 0
        return RuleRow(id=rid, title=m.text(self.opt.lang), description=m.about(self.opt.lang),
                       area=m.area, basis=m.basis if m.basis in ("law", "practice", "local") else "law",
                       kind=m.kind, references=m.references, known=m.known,
                       counts={s: self.v(("rule", rid, s)) for s in ("applicable", *STATUS_COLUMNS)},
                       share=self._share(("rule", rid), green, yellow, self.src.is_sample, waiting),
                       green=green, yellow=yellow)

    # -- breakdowns
    def _register_breakdown(self, table: pd.DataFrame, dim: str, rule_ids: list[str]):
        groups = counting.sorted_groups(list(dict.fromkeys(g for g, _ in table.index)))
        members: dict[tuple[str, str], None] = {}
        for (group, rid), row in zip(table.index, table.to_dict("records"), strict=True):
            den = self.cell((dim, group, rid, "denominator"), row["denominator"])
            self.sup.relate(den, [self.cell((dim, group, rid, "pass"), row["pass"]),
                                  self.cell((dim, group, rid, "noncompliant"), row["noncompliant"])])
            members[(group, rid)] = None
        for rid in rule_ids:
            for measure in ("pass", "noncompliant", "denominator"):
                self.sup.relate(("rule", rid, measure),
                                [(dim, g, rid, measure) for g in groups if (g, rid) in members])
        return groups, members

    def _breakdown(self, dim: str, grouped, rule_ids: list[str],
                   lights: dict[str, tuple[float, float]]) -> Breakdown:
        groups, members = grouped
        cells = {(g, rid): self._share((dim, g, rid), *lights[rid], self.src.is_sample) for g, rid in members}
        title = {"unit": t("Per enhet", "By unit"), "caseworker": t("Per handläggare", "By caseworker"),
                 "sex": t("Efter kön", "By sex"), "age_group": t("Efter åldersgrupp", "By age group")}[dim]
        used = tuple(r for r in rule_ids if any((g, r) in members for g in groups))
        return Breakdown(dim, title, tuple(groups), used, cells)

    # -- data quality
    def _register_data_quality(self) -> dict:
        problems, quarantine = self.src.problems(), self.src.quarantine()
        by_field = []
        if len(problems):
            fields = (problems["field"] if "field" in problems else pd.Series("", index=problems.index))
            frame = pd.DataFrame({"f": fields.astype("string").fillna("").to_numpy(),
                                  "c": problems["column"].astype("string").fillna("").to_numpy()})
            if self.public:
                frame["c"] = ""  # headers as written in the extract are free text: never public
            for (f, c), n in frame.groupby(["f", "c"]).size().items():
                label = labels.field_label(f) if f else (c or t("(okänt fält)", "(unknown field)"))
                by_field.append((label, c, self.cell(("dq", f, c), int(n))))
        total = self.cell(("dq", "total"), int(len(problems)))
        self.sup.relate(total, [k for _, _, k in by_field])
        self.cell(("dq", "quarantined"), int(quarantine["row"].nunique()) if len(quarantine) else 0)
        flags = getattr(self.src, "review_flags", None)
        flagged = flags() if callable(flags) else None
        if flagged is not None:
            self.cell(("dq", "review_flags"), int(len(flagged)))
        return {"by_field": by_field, "problems": problems, "quarantine": quarantine, "flags": flagged}

    def _data_quality(self, dq: dict) -> DataQuality:
        by_field = tuple((label, column, self.v(key)) for label, column, key in dq["by_field"])
        rows = None
        if not self.public:
            parts = []
            cols = ["row", "case_id", "column", "value", "problem"]
            cells, events = _split_event_rows(dq["problems"])
            # An events-table row's number counts lines of the events file, not of the case
            # extract: those rows come after the others and say so.
            for frame, kind, order in ((cells, t("Cellfel (raden inläst)", "Cell problem (row loaded)"), 0),
                                       (dq["quarantine"], t("Raden ej inläst", "Row not loaded"), 0),
                                       (dq["flags"], t("Stämmer inte med akten", "Does not match the case file"), 0),
                                       (events, t("Händelserad som inte används (rad i händelsefilen)",
                                                  "Event row not used (row of the events file)"), 1)):
                if frame is not None and len(frame):
                    parts.append(frame.reindex(columns=cols).assign(kind=kind, order=order))
            rows = (pd.concat(parts, ignore_index=True) if parts
                    else pd.DataFrame(columns=[*cols, "kind", "order"]))
            rows["row"] = pd.to_numeric(rows["row"], errors="coerce").astype("Int64")
            rows = (rows.sort_values(["order", "row", "case_id"], kind="stable", na_position="last")
                    .drop(columns="order").reset_index(drop=True))
        flags = self.v(("dq", "review_flags")) if dq["flags"] is not None else None
        return DataQuality(by_field, self.v(("dq", "total")), self.v(("dq", "quarantined")), rows, flags,
                           reviewed=dq["flags"] is not None)

    # -- case-level lists (internal only)
    def _deviations(self, res: pd.DataFrame) -> pd.DataFrame:
        dev = res[res["status"].isin(("fail", "overdue"))]
        rules = dev["rule_id"].astype(str)
        titles = {r: self._title(r) for r in rules.unique()}
        words = {s: labels.status_label(s) for s in ("fail", "overdue")}
        out = pd.DataFrame({
            "case_id": dev["case_id"].to_numpy(), "rule_id": rules.to_numpy(),
            "rule_title": rules.map(titles).to_numpy(), "status_label": dev["status"].astype(str).map(words).to_numpy(),
            "unit": dev["unit"].astype(str).to_numpy(), "caseworker": dev["caseworker"].astype(str).to_numpy(),
            "start_date": dev["start_date"].to_numpy(), "deadline": dev["deadline"].to_numpy(),
            "end_date": dev["end_date"].to_numpy(),
            "days": pd.to_numeric(dev["days"], errors="coerce").astype("Int64").array,
            "days_over": pd.to_numeric(dev["days_over"], errors="coerce").astype("Int64").array,
            "note": dev["note"].to_numpy()})
        comments = self._comment_map()
        if comments:
            out["comment"] = out["case_id"].map(comments)
        return out.sort_values(["unit", "caseworker", "rule_id", "case_id"], kind="stable").reset_index(drop=True)

    def _comment_map(self) -> dict[str, str]:
        getter = getattr(self.src, "comments", None)
        return dict(getter()) if callable(getter) else {}

    def _comments(self, cases: pd.DataFrame) -> pd.DataFrame | None:
        comments = self._comment_map()
        if not comments:
            return None
        units = dict(zip(cases["case_id"].astype(str), cases.get("unit", pd.Series(dtype=object)), strict=False))
        frame = pd.DataFrame({"case_id": list(comments), "comment": list(comments.values())})
        frame["unit"] = frame["case_id"].map(units)
        return frame[["case_id", "unit", "comment"]].sort_values("case_id").reset_index(drop=True)


def build_report(source: ReportSource, options: ReportOptions | None = None) -> Report:
    """Build the report model from ``source`` (suppressed when ``options.audience`` is public)."""
    options = options or ReportOptions()
    lang = normalise_language(options.lang)
    if lang != options.lang:
        options = replace(options, lang=lang)
    with use_language(lang):
        return _Builder(source, options).build()


def records(frame: pd.DataFrame | None, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a row-level list as dicts with ``None`` for blanks (for renderers)."""
    if frame is None:
        return []
    part = frame if limit is None else frame.head(limit)
    columns = {}
    for c in part.columns:
        values = part[c].astype(object)
        columns[c] = values.where(values.notna(), None).tolist()
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)] if columns else []


def _split_event_rows(problems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """problems.csv's rows about the case extract's cells, and those about the events table's rows."""
    codes = problems["code"] if "code" in problems else pd.Series("", index=problems.index)
    is_event = codes.isin([code for code, kind in CATALOGUE.items() if kind.level == "event"]).to_numpy()
    return problems[~is_event], problems[is_event]
