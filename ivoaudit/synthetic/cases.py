"""Build the cases of each area, drawing every rule's intended outcome first.

For each rule an intent category is drawn per case (on time, k days late, lawful
extension, not yet done, ...), the dates are then constructed to realise it, and the
status is recorded in a :class:`~ivoaudit.synthetic.truth.Truth` at that moment. The only
adjustment after drawing: an event whose constructed date would lie after the as-of date
has not happened yet, so its cell is left blank and the status becomes ``overdue`` or
``pending`` by comparing the deadline with the as-of date.

Statutory deadlines are moved off weekends, holidays and the three eves (lag 1930:173 2 §)
before any outcome is recorded; local targets and "genast" are not. Some cases of each
statutory rule are built on purpose to end on the moved day ("decided on the next weekday
after a last day on a Saturday") or the day after it.

This module holds what every area shares (the columns, the drawing helpers, the staff);
:mod:`~ivoaudit.synthetic.bu_cases` builds the children-and-young-people cases and their
reviews, :mod:`~ivoaudit.synthetic.decisions` the applications and what follows a decision.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ivoaudit.synthetic.calendar import (
    NAT,
    add_days,
    diff_days,
)
from ivoaudit.synthetic.people import UNITS, caseworker_pool
from ivoaudit.synthetic.truth import Truth

DATE_COLUMNS = (
    "received_date", "protection_assessment_date", "preliminary_decision_date", "investigation_start",
    "child_meeting_date", "extension_decision_date", "extended_until", "investigation_end",
    "decision_date", "decision_communicated_date", "execution_date", "execution_interrupted_date",
    "execution_resumed_date", "individual_plan_date", "followup_date",
)
OBJECT_COLUMNS = (
    "person_id", "area", "unit", "caseworker", "preliminary_outcome", "preliminary_delay_reason",
    "decision_outcome", "appeal_information", "intervention_type", "legal_basis", "child_informed",
    "child_views", "own_view_documented",
)
GRANTED = ("granted", "partly_granted")
DECIDED = ("granted", "partly_granted", "rejected")

# Received dates that exercise the month rule and the law change (2025-07-01).
EDGE_DATES = ("2024-02-29", "2024-10-31", "2025-02-28", "2025-03-31", "2025-05-31", "2025-06-30",
              "2025-08-31", "2025-10-31", "2025-12-31", "2026-01-31", "2026-03-31", "2026-05-31")

DELAY_REASONS = (
    "Synnerliga skäl – barnet vistades utomlands",
    "Synnerliga skäl – polisutredning pågick",
    "Synnerliga skäl – vårdnadshavare ej nåbar",
)


@dataclass
class Ctx:
    """Random source and the date frame of one generated set."""

    rng: np.random.Generator
    as_of: np.datetime64
    first: np.datetime64  # earliest ordinary received date
    last: np.datetime64  # latest received date (a month before as_of)
    # Draws of the cases built to end on a day lag 1930:173 2 § moved to (a stream of their
    # own, so the other cases stay as the main stream made them).
    moved_rng: np.random.Generator = dataclasses.field(default_factory=lambda: np.random.default_rng(1930173))


def new_columns(n: int) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {c: np.full(n, NAT) for c in DATE_COLUMNS}
    cols.update({c: np.full(n, None, dtype=object) for c in OBJECT_COLUMNS})
    return cols


def draw(rng: np.random.Generator, n: int, **probs: float) -> dict[str, np.ndarray]:
    """One category per case; returns a boolean mask per category name."""
    names = list(probs)
    p = np.array([probs[k] for k in names], dtype=float)
    idx = rng.choice(len(names), size=n, p=p / p.sum())
    return {name: idx == i for i, name in enumerate(names)}


def choose(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), size=n)]


def received_dates(ctx: Ctx, n: int) -> np.ndarray:
    """Spread over [first, last], with month ends and edge dates over-represented."""
    rng = ctx.rng
    r = add_days(np.full(n, ctx.first), rng.integers(0, diff_days(ctx.last, ctx.first) + 1, size=n))
    month_end = rng.random(n) < 0.03
    ends = (r.astype("datetime64[M]") + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    r = np.where(month_end & (ends <= ctx.last), ends, r)
    edges = np.array(EDGE_DATES, dtype="datetime64[D]")
    edges = edges[edges <= ctx.last]
    edge = rng.random(n) < 0.01
    if len(edges):
        r = np.where(edge, edges[rng.integers(0, len(edges), size=n)], r)
    return r


def not_after(dates: np.ndarray, as_of: np.datetime64) -> np.ndarray:
    """Events dated after the check date have not happened yet: blank them."""
    return np.where(dates > as_of, NAT, dates)


def on_moved_day(ctx: Ctx, raw: np.ndarray, moved: np.ndarray, share: float) -> tuple[
        np.ndarray, np.ndarray]:
    """Cases (of those whose last day 2 § moved) drawn to end on the moved day, or the day
    after it: (on the moved day, on the day after)."""
    rng = ctx.moved_rng
    was_moved = ~np.isnat(raw) & (moved != raw)
    pick = was_moved & (rng.random(len(raw)) < share)
    after = pick & (rng.random(len(raw)) < 0.3)
    return pick & ~after, after


def record_open(t: Truth, rule: str, mask: np.ndarray, deadline: np.ndarray, as_of: np.datetime64,
                what: str) -> None:
    """``overdue`` once the deadline has passed on the as-of date, else ``pending``."""
    over = mask & (deadline < as_of)
    t.set(rule, over, "overdue", f"{what}, deadline passed")
    t.set(rule, mask & ~over, "pending", f"{what}, deadline not yet passed")


def assign_staff(ctx: Ctx, cols: dict[str, np.ndarray], area: str) -> None:
    rng, n = ctx.rng, len(cols["area"])
    units = UNITS[area]
    unit_idx = rng.integers(0, len(units), size=n)
    pool = caseworker_pool(rng, area)
    cols["unit"] = np.array(units, dtype=object)[unit_idx]
    workers = np.empty(n, dtype=object)
    for i, unit in enumerate(units):
        sel = unit_idx == i
        workers[sel] = choose(rng, tuple(pool[unit]), int(sel.sum()))
    cols["caseworker"] = workers
