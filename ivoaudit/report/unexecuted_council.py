"""The council's quarterly statistics of decisions not executed (SoL 34 kap. 3 §, LSS 28 h §): the model.

A public document: :func:`build_council` turns a :class:`~ivoaudit.tracking.unexecuted.QuarterReport`
into figures already suppressed as every public output is (counts below ``min_count``,
and counts that could be worked out by subtraction, show as X; see
:mod:`ivoaudit.report.suppression`), for this quarter and the previous one, with the change
shown only where both are shown. The renderers (:mod:`ivoaudit.report.unexecuted_council_render`)
only format it.

No case ids, person ids, reasons or finer legal-basis codes reach it. The intervention
types are text from the extract: a type is named only when at least ``min_count``
decisions of this quarter have it (then it is a category, not one person's note); the
others are counted together as *other interventions*.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from ivoaudit.i18n import t, use_language
from ivoaudit.report.safe import clean_text
from ivoaudit.report.suppression import Suppressor
from ivoaudit.report.unexecuted_words import dimension_title, key_label
from ivoaudit.tracking.quarters import day_text
from ivoaudit.tracking.unexecuted import QuarterReport
from ivoaudit.tracking.unexecuted_notes import FIGURE_WARNINGS
from ivoaudit.tracking.unexecuted_stats import DIMENSIONS, QuarterStatistics

OTHER = "\x00other"  # the key of "other interventions" (never a real type: control characters are cleaned)


@dataclass(frozen=True)
class CouncilRow:
    """One line: this quarter, the previous one and the change.

    ``current`` None is suppressed; ``previous`` None is suppressed when ``previous_hidden``,
    else there is no figure to compare with (no such row then); ``change`` is None unless both
    are shown.
    """

    label: str
    current: int | None
    previous: int | None
    change: int | None
    previous_hidden: bool = False

    @property
    def change_hidden(self) -> bool:
        """The change is not shown because a figure it rests on is suppressed."""
        return self.change is None and (self.current is None or self.previous_hidden)


@dataclass(frozen=True)
class CouncilTable:
    """The decisions by one dimension; the rows sum to the total."""

    dimension: str
    title: str
    rows: tuple[CouncilRow, ...]


@dataclass(frozen=True)
class CouncilReport:
    """Every figure and text of the council report, suppressed."""

    lang: str
    title: str
    quarter: str  # 2026-Q3
    quarter_text: str  # kvartal 3 2026
    as_of: str  # ISO
    as_of_text: str  # 30 september 2026
    produced_on: str
    previous_quarter: str
    previous_note: str  # where the previous quarter's figures come from
    min_count: int
    total: CouncilRow
    tables: tuple[CouncilTable, ...]
    executed: int | None  # decisions whose execution date is reported with this quarter
    unjudged: int | None  # decisions that could not be judged from the extract
    warnings: tuple[str, ...]  # those that bear on the figures
    any_suppressed: bool
    tool_version: str


def build_council(report: QuarterReport, lang: str = "sv", min_count: int = 5) -> CouncilReport:
    """The suppressed council model of ``report`` in ``lang``.

    Each quarter is suppressed on its own rows only (fixed rows for every dimension but the
    intervention types), so the previous quarter's column shows what that quarter's own
    report showed, never a new cut of it that could be set against the old one.
    """
    with use_language(lang):
        current = _grouped(report.statistics, _categories(report.statistics, min_count))
        hidden_now = _hidden(current, min_count)
        previous: dict[tuple, int] = {}
        hidden_then: set[Hashable] = set()
        if report.previous is not None:
            previous = _grouped(report.previous, _categories(report.previous, min_count))
            hidden_then = _hidden(previous, min_count)
            if _named(previous) != _named(current):  # "other" then is another group than "other" now
                previous.pop(("intervention_type", OTHER), None)
        singles = Suppressor(min_count=min_count)
        singles.add("executed", len(report.executed))
        # "None could be judged wrong" tells nothing about anyone: a zero here is shown.
        singles.add("unjudged", len(report.unjudged), structural=True)
        hidden_single = singles.solve()

        def row(label: str, key: tuple) -> CouncilRow:
            now = None if key in hidden_now else current[key]
            then = None if key in hidden_then or key not in previous else previous[key]
            change = now - then if now is not None and then is not None else None
            return CouncilRow(label, now, then, change, previous_hidden=key in previous and key in hidden_then)

        tables = tuple(CouncilTable(dim, dimension_title(dim), tuple(
            row(_label(dim, k), (dim, k)) for (d, k) in current if d == dim)) for dim in DIMENSIONS)
        prev_q = report.quarter.previous()
        previous_note = {
            "store": t("Förra kvartalets siffror är de som redovisades för {p}.",
                       "The previous quarter's figures are those reported for {p}.", p=prev_q.label),
            "extract": t("Förra kvartalets siffror ({p}) är framräknade ur samma uttag per {d}, eftersom ingen "
                         "lista för {p} finns sparad.",
                         "The previous quarter's figures ({p}) are worked out from the same extract as of {d}, "
                         "as no list for {p} is recorded.", p=prev_q.label, d=prev_q.last_day.isoformat()),
        }.get(report.previous_source or "", t("Förra kvartalets siffror finns inte.",
                                               "The previous quarter's figures are not available."))
        return CouncilReport(
            lang=lang,
            title=t("Ej verkställda beslut {q} – statistikrapport till kommunfullmäktige",
                    "Decisions not executed, {q} – statistics for the municipal council", q=report.quarter.text()),
            quarter=report.quarter.label, quarter_text=report.quarter.text(), as_of=report.as_of.isoformat(),
            as_of_text=day_text(report.as_of), produced_on=report.produced_on.isoformat(),
            previous_quarter=prev_q.label, previous_note=previous_note, min_count=min_count,
            total=row(t("Totalt", "Total"), ("total", None)), tables=tables,
            executed=None if "executed" in hidden_single else len(report.executed),
            unjudged=None if "unjudged" in hidden_single else len(report.unjudged),
            warnings=tuple(w.text for w in report.warnings if w.code in FIGURE_WARNINGS),
            any_suppressed=bool(hidden_now or (hidden_then & set(previous)) or hidden_single),
            tool_version=report.tool_version)


def _categories(stats: QuarterStatistics, min_count: int) -> list[str]:
    """The intervention types named in the report: those with at least ``min_count`` decisions."""
    return [k for k, n in stats.counts["intervention_type"].items() if k is not None and n >= min_count]


def _named(cells: dict[tuple, int]) -> set:
    return {k for (d, k) in cells if d == "intervention_type" and k not in (OTHER, None)}


# Rows every quarter's report has, whatever its data; a "not given" row only when there is one.
_FIXED_ROWS: dict[str, tuple[str, ...]] = {
    "kind": ("not_executed", "interrupted"), "legal_basis": ("SoL", "LSS"), "sex": ("F", "M"),
    "waited": ("3-6", "6-12", "12+"),
}


def _grouped(stats: QuarterStatistics, categories: list[str]) -> dict[tuple, int]:
    """(dimension, key) → count in display order, ``("total", None)`` first: the fixed rows
    of each dimension, any other key found, and *not given* when some are; for the
    intervention types the named ``categories``, then *other* (when any) and *not given*.

    The rows depend on the quarter's own data only, so a quarter is always suppressed alike.
    """
    out: dict[tuple, int] = {("total", None): stats.total}
    for dim in DIMENSIONS:
        counts = stats.counts[dim]
        if dim == "intervention_type":
            for key in categories:
                out[(dim, key)] = counts[key]
            other = [k for k in counts if k is not None and k not in categories]
            if other:
                out[(dim, OTHER)] = sum(counts[k] for k in other)
        else:
            fixed = _FIXED_ROWS[dim]
            for key in (*fixed, *(k for k in counts if k is not None and k not in fixed)):
                out[(dim, key)] = counts.get(key, 0)
        if counts.get(None):
            out[(dim, None)] = counts[None]
    return out


def _hidden(cells: dict[tuple, int] | None, min_count: int) -> set[Hashable]:
    """The cells to hide: small counts, then complementary suppression within each dimension."""
    if cells is None:
        return set()
    s = Suppressor(min_count=min_count)
    for key, value in cells.items():
        s.add(key, value)
    for dim in DIMENSIONS:
        s.relate(("total", None), [k for k in cells if k[0] == dim])
    return s.solve()


def _label(dim: str, key: str | None) -> str:
    if key == OTHER:
        return t("Övriga insatser", "Other interventions")
    return clean_text(key_label(dim, key))


__all__ = ["CouncilReport", "CouncilRow", "CouncilTable", "build_council"]
