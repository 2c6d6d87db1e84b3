"""Charts for reports, drawn from the report model with matplotlib's object API.

Figures are ``matplotlib.figure.Figure`` on the Agg canvas (no pyplot, no display, safe in
threads); the font is DejaVu Sans, which ships with matplotlib and has å ä ö. Colours are
the Okabe-Ito palette, readable with the common colour-vision deficiencies, and every bar
carries its figure as text so colour is never the only cue.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ivoaudit.i18n import t, use_language
from ivoaudit.report import labels
from ivoaudit.report.model import Breakdown, Histogram, Report, RuleRow, TrendSeries

OKABE_ITO = ("#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#000000")
LIGHT_COLOURS = {"green": "#009E73", "yellow": "#E69F00", "red": "#D55E00",
                 "none": "#BBBBBB", "suppressed": "#BBBBBB"}
DPI = 110
MAX_BREAKDOWN_GROUPS = 8  # more groups than this are shown as a table only


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes plus the title and alternative text every format shows."""

    key: str
    title: str
    alt: str
    png: bytes
    width_in: float


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No Software/creation metadata: the same model gives the same bytes.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def _short(title: str, limit: int = 48) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _rule_label(rule: RuleRow) -> str:
    return _short(rule.title) if rule.title == rule.id else f"{rule.id}\n{_short(rule.title)}"


def compliance_chart(report: Report) -> Chart | None:
    """Horizontal bars: compliance per rule, coloured by traffic light, target marked."""
    rules = list(report.rules)
    if not rules:
        return None
    fig = _figure(7.5, 0.9 + 0.55 * len(rules))
    ax = fig.add_subplot()
    ys = list(range(len(rules)))[::-1]
    alt_parts = []
    for y, rule in zip(ys, rules, strict=True):
        s = rule.share
        if s.rate is not None:
            ax.barh(y, s.rate * 100, color=LIGHT_COLOURS[s.light], height=0.6)
            text = f"{labels.pct(s.rate)} ({labels.count(s.passed)}/{labels.count(s.denominator)})"
        else:
            text = labels.SUPPRESSED_MARK if s.suppressed else "–"
        ax.text(101, y, text, va="center", fontsize=8)
        ax.plot([rule.green * 100] * 2, [y - 0.38, y + 0.38], color="black", linewidth=1.5)
        alt_parts.append(f"{rule.id}: {text} ({labels.light_label(s.light)})")
    ax.set_yticks(ys, [_rule_label(r) for r in rules], fontsize=8)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 20, 40, 60, 80, 100], [labels.pct(x / 100) for x in (0, 20, 40, 60, 80, 100)])
    ax.set_xlabel(t("Andel uppfyllda (svart streck = mål för grönt)",
                    "Share compliant (black tick = green target)"), fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = t("Efterlevnad per regel", "Compliance per rule")
    alt = title + ". " + "; ".join(alt_parts) + "."
    return Chart("compliance", title, alt, _png(fig), 7.5)


def histogram_chart(hist: Histogram, min_count: int = 5) -> Chart:
    """Bars of days from start to end event, with the deadline marked."""
    fig = _figure(7.0, 2.6)
    ax = fig.add_subplot()
    edges = hist.edges
    width = edges[1] - edges[0]
    shown, hidden = 0, 0
    for i, n in enumerate(hist.counts):
        if n is None:
            hidden += 1
            continue
        ax.bar(edges[i], n, width=width, align="edge", color=OKABE_ITO[0], edgecolor="white")
        shown += 1
    if hist.deadline_min is not None:
        if hist.deadline_max and hist.deadline_max != hist.deadline_min:
            ax.axvspan(hist.deadline_min, hist.deadline_max, color=OKABE_ITO[5], alpha=0.25, lw=0)
        ax.axvline(hist.deadline_min, color=OKABE_ITO[5], linestyle="--", linewidth=1.8)
        deadline_text = (f"{hist.deadline_min}" if hist.deadline_min == hist.deadline_max
                         else f"{hist.deadline_min}–{hist.deadline_max}")
        ax.text(hist.deadline_min, ax.get_ylim()[1] * 0.95, " " + t("frist {d} dagar", "deadline {d} days",
                                                                  d=deadline_text),
                color="#A04000", fontsize=8, va="top",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    starts = list(edges[:-1])
    step = max(1, len(starts) // 10)
    picked = sorted({*(e for e in starts[::step] if starts[-1] - e >= step * (edges[1] - edges[0])),
                     starts[-1]})
    ax.set_xticks(picked, [f"≥{e}" if e == starts[-1] else str(e) for e in picked], fontsize=7)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(t("Dagar från start (sista stapeln: därefter)", "Days from start (last bar: beyond)"),
                  fontsize=8)
    ax.set_ylabel(t("Ärenden", "Cases"), fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = t("{rule}: dagar mot fristen", "{rule}: days against the deadline", rule=hist.rule_id)
    parts = [f"{edges[i]}–{edges[i + 1] - 1}: {labels.count(n)}" for i, n in enumerate(hist.counts)
             if n not in (None, 0)]
    alt = t("Histogram för {rule} ({title}), n = {n}, frist {dl} dagar. Staplar: {bars}.",
            "Histogram for {rule} ({title}), n = {n}, deadline {dl} days. Bars: {bars}.",
            rule=hist.rule_id, title=hist.title, n=labels.count(hist.n),
            dl=hist.deadline_min, bars="; ".join(parts) or "–")
    if hidden:
        alt += " " + t("{k} staplar har färre än {m} ärenden eller är skyddade och visas inte.",
                       "{k} bars hold fewer than {m} cases or are protected and are not shown.",
                       k=hidden, m=min_count)
    return Chart(f"hist-{hist.rule_id}", title, alt, _png(fig), 7.0)


def breakdown_chart(report: Report, breakdown: Breakdown) -> Chart | None:
    """Grouped horizontal bars: compliance per rule for each group (sex, age group, unit)."""
    groups = list(breakdown.groups)
    if not breakdown.rules or not groups or len(groups) > MAX_BREAKDOWN_GROUPS:
        return None
    rules = [r for r in report.rules if r.id in breakdown.rules]
    if all(s.rate is None for s in breakdown.cells.values()):
        return None  # every figure protected: the table says so, an empty chart would not
    band = 0.8 / len(groups)
    fig = _figure(7.5, 0.9 + len(rules) * (0.25 + 0.22 * len(groups)))
    ax = fig.add_subplot()
    alt_parts = []
    for gi, group in enumerate(groups):
        colour = OKABE_ITO[gi % len(OKABE_ITO)]
        for ri, rule in enumerate(rules):
            y = (len(rules) - 1 - ri) + 0.4 - band * (gi + 0.5)
            s = breakdown.cells.get((group, rule.id))
            if s is None:
                continue
            if s.rate is not None:
                ax.barh(y, s.rate * 100, height=band * 0.9, color=colour,
                        label=group if ri == 0 or not ax.get_legend_handles_labels()[1].count(group) else None)
                text = f"{labels.pct(s.rate)} ({labels.count(s.passed)}/{labels.count(s.denominator)})"
            else:
                text = labels.SUPPRESSED_MARK if s.suppressed else "–"
            ax.text(101, y, text, va="center", fontsize=7)
            alt_parts.append(f"{rule.id} {group}: {text}")
    ax.set_yticks(range(len(rules))[::-1], [_rule_label(r) for r in rules], fontsize=8)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 20, 40, 60, 80, 100], [labels.pct(x / 100) for x in (0, 20, 40, 60, 80, 100)])
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    if unique:
        ax.legend(unique.values(), unique.keys(), fontsize=7, loc="upper center", frameon=False,
                  bbox_to_anchor=(0.45, -0.08), ncol=min(4, len(unique)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = t("Efterlevnad {dim}", "Compliance {dim}", dim=breakdown.title.lower())
    alt = title + ". " + "; ".join(alt_parts) + "."
    return Chart(f"breakdown-{breakdown.dimension}", title, alt, _png(fig), 7.5)


def trend_chart(report: Report) -> Chart | None:
    """Lines: compliance per rule over rounds (only with two rounds or more)."""
    if report.trend_rounds < 2:
        return None
    fig = _figure(7.5, 3.2)
    ax = fig.add_subplot()
    rounds: list[str] = []
    for series in report.trend:
        for name, _, _ in series.points:
            if name not in rounds:
                rounds.append(name)
    alt_parts = []
    markers = "osD^v<>p"
    for i, series in enumerate(report.trend):
        xs, ys = [], []
        for name, _, share in series.points:
            if share.rate is not None:
                xs.append(rounds.index(name))
                ys.append(share.rate * 100)
        if xs:
            ax.plot(xs, ys, marker=markers[i % len(markers)], color=OKABE_ITO[i % len(OKABE_ITO)],
                    label=series.rule_id)
        alt_parts.append(series.rule_id + ": " + ", ".join(
            f"{name} {labels.pct(s.rate) if s.rate is not None else labels.SUPPRESSED_MARK}"
            for name, _, s in series.points))
    ax.set_xticks(range(len(rounds)), rounds, fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel(t("Andel uppfyllda", "Share compliant"), fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    title = t("Efterlevnad över omgångar", "Compliance over rounds")
    return Chart("trend", title, title + ". " + "; ".join(alt_parts) + ".", _png(fig), 7.5)


def build_charts(report: Report) -> list[Chart]:
    """Every chart the report has, in reading order."""
    with use_language(report.lang):
        charts: list[Chart | None] = [compliance_chart(report), trend_chart(report)]
        for dim in ("sex", "age_group"):
            b = report.breakdown(dim)
            if b is not None:
                charts.append(breakdown_chart(report, b))
        charts.extend(histogram_chart(h, report.min_count) for h in report.histograms)
    return [c for c in charts if c is not None]


def charts_by_key(charts: list[Chart]) -> dict[str, Chart]:
    """Index charts by key for templates."""
    return {c.key: c for c in charts}


__all__ = ["Chart", "build_charts", "charts_by_key", "OKABE_ITO", "TrendSeries"]
