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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ivoaudit.synthetic.calendar import (
    NAT,
    add_days,
    add_months,
    diff_days,
    next_weekday,
    uniform_between,
)
from ivoaudit.synthetic.people import INTERVENTIONS, UNITS, caseworker_pool
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


# ---------------------------------------------------------------------------------------
# Children and young people
# ---------------------------------------------------------------------------------------

def barn_unga(ctx: Ctx, n: int, received: np.ndarray | None = None,
              follow_up: bool = False) -> tuple[dict[str, np.ndarray], Truth]:
    """BU cases. ``follow_up``: reports that open a new investigation straight away (the
    later case of a reopened investigation; dates of receipt given)."""
    rng, as_of = ctx.rng, ctx.as_of
    c, t = new_columns(n), Truth(n)
    c["area"][:] = "barn_unga"
    assign_staff(ctx, c, "barn_unga")
    r = received_dates(ctx, n) if received is None else received
    c["received_date"] = r

    # BU-SKYDD: received -> protection assessment, at most 1 day.
    k = draw(rng, n, same=0.68, next=0.20, late=0.06, none=0.05, before=0.01)
    late = rng.integers(2, 11, size=n)
    before = rng.integers(1, 4, size=n)
    pa = np.full(n, NAT)
    pa[k["same"]] = r[k["same"]]
    pa = np.where(k["next"], add_days(r, 1), pa)
    pa = np.where(k["late"], add_days(r, late), pa)
    pa = np.where(k["before"], add_days(r, -before), pa)
    c["protection_assessment_date"] = pa
    t.set("BU-SKYDD", k["same"], "pass", "protection assessment the same day")
    t.set("BU-SKYDD", k["next"], "pass", "protection assessment the next day")
    t.set("BU-SKYDD", k["late"], "fail", "protection assessment {k} days after the report", late)
    record_open(t, "BU-SKYDD", k["none"], add_days(r, 1), as_of, "no protection assessment")
    t.set("BU-SKYDD", k["before"], "missing_data", "protection assessment dated {k} days before the report",
          before)

    # Preliminary assessment: outcome, then BU-FORHAND-14D timing.
    if follow_up:
        o = {"open": np.ones(n, bool), "not_open": np.zeros(n, bool), "joined": np.zeros(n, bool),
             "undecided": np.zeros(n, bool)}
        tm = {"within": np.ones(n, bool), "late": np.zeros(n, bool), "reason": np.zeros(n, bool),
              "before": np.zeros(n, bool)}
    else:
        o = draw(rng, n, open=0.55, not_open=0.33, joined=0.09, undecided=0.03)
        tm = draw(rng, n, within=0.77, late=0.19, reason=0.03, before=0.01)
    d = rng.integers(0, 15, size=n)
    d = np.where(tm["within"] & (rng.random(n) < 0.08), 14, d)
    d = np.where(tm["late"], np.where(rng.random(n) < 0.08, 15, rng.integers(15, 61, size=n)), d)
    d = np.where(tm["reason"], rng.integers(15, 46, size=n), d)
    d = np.where(tm["before"], -rng.integers(1, 4, size=n), d)
    pdd = np.where(o["undecided"], NAT, add_days(r, d))
    raw14 = add_days(r, 14)
    last14 = next_weekday(raw14)  # lag 1930:173 2 §
    on_day, day_after = on_moved_day(ctx, raw14, last14, 0.25)
    decides = tm["late"] & (o["open"] | o["not_open"])  # late cases built on/after the moved day
    on_day &= decides
    day_after &= decides
    pdd = np.where(on_day, last14, pdd)
    pdd = np.where(day_after, add_days(last14, 1), pdd)
    d = np.where(on_day | day_after, diff_days(pdd, r), d)
    tm["within"], tm["late"] = (tm["within"] | tm["late"]) & (d <= diff_days(last14, r)), \
        (tm["within"] | tm["late"]) & (d > diff_days(last14, r))
    joined_blank = o["joined"] & (rng.random(n) < 0.5)
    pdd = np.where(o["joined"], np.where(joined_blank, NAT, add_days(r, rng.integers(0, 11, size=n))), pdd)
    future = ~np.isnat(pdd) & (pdd > as_of) & ~o["joined"]
    o["undecided"] = o["undecided"] | future
    for key in ("open", "not_open"):
        o[key] = o[key] & ~future
    pdd = not_after(pdd, as_of)
    c["preliminary_decision_date"] = pdd
    outcome = np.full(n, None, dtype=object)
    outcome[o["open"]], outcome[o["not_open"]], outcome[o["joined"]] = "open", "not_open", "joined"
    c["preliminary_outcome"] = outcome
    decided = o["open"] | o["not_open"]
    reason_text = tm["reason"] | (tm["within"] & (rng.random(n) < 0.02))
    c["preliminary_delay_reason"] = np.where(decided & reason_text, choose(rng, DELAY_REASONS, n), None)  # type: ignore[call-overload]
    rule = "BU-FORHAND-14D"
    t.set(rule, o["joined"], "not_applicable", "report joined to an ongoing investigation")
    record_open(t, rule, o["undecided"], last14, as_of, "no decision on opening an investigation")
    t.set(rule, decided & tm["within"], "pass", "decided on day {k}", d)
    t.set(rule, decided & tm["within"] & on_day, "pass",
          "decided on the next weekday after a last day on a weekend or holiday (lag 1930:173 2 §)")
    t.set(rule, decided & tm["late"], "fail", "decided {k} days late", diff_days(pdd, last14))
    reason_late = decided & tm["reason"] & (pdd > last14)
    t.set(rule, decided & tm["reason"] & ~reason_late, "pass", "decided on day {k}", d)
    t.set(rule, reason_late, "pass", "decided {k} days late with documented special reasons",
          diff_days(pdd, last14))
    t.set(rule, decided & tm["before"], "missing_data", "decision dated {k} days before the report", -d)

    # Investigation (outcome open): start, end, extension.
    op = o["open"]
    explicit = op & (follow_up | (rng.random(n) < 0.88))
    shift = np.where(~follow_up & (rng.random(n) < 0.2), rng.integers(1, 4, size=n), 0)
    ist = np.where(explicit, add_days(pdd, shift), NAT)
    ist = np.where(ist > as_of, pdd, ist)
    c["investigation_start"] = ist
    start = np.where(np.isnat(ist), pdd, ist)  # BU-UTR-4M start, falling back to the decision
    raw_d0 = add_months(start, 4)
    d0 = next_weekday(raw_d0)  # lag 1930:173 2 §
    u = draw(rng, n, ontime=0.74, late=0.08, ext_ok=0.06, ext_after=0.025, ext_noend=0.01,
             ext_late=0.01, open=0.07, before=0.005)
    u = {key: m & op for key, m in u.items()}
    end = np.full(n, NAT)
    x = np.full(n, NAT)
    until = np.full(n, NAT)
    end = np.where(u["ontime"], np.where(rng.random(n) < 0.06, d0, uniform_between(rng, add_days(start, 20), d0)),
                   end)
    end = np.where(u["late"], add_days(d0, np.where(rng.random(n) < 0.05, 1, rng.integers(1, 91, size=n))), end)
    lawful_x = np.where(rng.random(n) < 0.1, d0, uniform_between(rng, add_days(start, 60), d0))
    ext_months = rng.integers(1, 3, size=n)
    sel = u["ext_ok"]
    x = np.where(sel, lawful_x, x)
    until = np.where(sel, add_months(d0, ext_months), until)
    end = np.where(sel, uniform_between(rng, add_days(d0, 1), add_months(d0, ext_months)), end)
    sel = u["ext_after"]
    late_x = add_days(d0, rng.integers(1, 21, size=n))
    x = np.where(sel, late_x, x)
    until = np.where(sel, add_months(d0, 2), until)
    end = np.where(sel, uniform_between(rng, late_x, add_months(d0, 2)), end)
    sel = u["ext_noend"]
    x = np.where(sel, lawful_x, x)
    end = np.where(sel, add_days(d0, rng.integers(1, 61, size=n)), end)
    sel = u["ext_late"]
    x = np.where(sel, lawful_x, x)
    until = np.where(sel, add_months(d0, 1), until)
    end = np.where(sel, add_days(add_months(d0, 1), rng.integers(1, 31, size=n)), end)
    end_before = rng.integers(1, 11, size=n)
    end = np.where(u["before"], add_days(start, -end_before), end)
    on_day, day_after = on_moved_day(ctx, raw_d0, d0, 0.3)
    end = np.where(u["late"] & on_day, d0, end)  # ended on the moved day: in time
    end = np.where(u["late"] & day_after, add_days(d0, 1), end)
    # Not yet happened by the as-of date: an extension not yet decided is no extension.
    no_x = np.isnat(x) | (x > as_of)
    x = np.where(no_x, NAT, x)
    until = np.where(no_x, NAT, until)
    end = not_after(end, as_of)
    c["extension_decision_date"], c["extended_until"], c["investigation_end"] = x, until, end
    lawful = ~np.isnat(x) & ~np.isnat(until) & (x <= d0)
    deadline = np.where(lawful, until, d0)
    rule = "BU-UTR-4M"
    t.set(rule, ~op, "not_applicable", "no investigation opened")
    has_end = op & ~np.isnat(end)
    days = diff_days(end, start)
    record_open(t, rule, op & np.isnat(end) & ~lawful, deadline, as_of, "investigation not completed")
    record_open(t, rule, op & np.isnat(end) & lawful, deadline, as_of,
                "investigation not completed (lawfully extended)")
    t.set(rule, has_end & u["before"], "missing_data", "investigation end dated {k} days before its start",
          end_before)
    ok_end = has_end & ~u["before"]
    t.set(rule, ok_end & (end <= d0), "pass", "completed on day {k}", days)
    t.set(rule, ok_end & (end == d0) & (raw_d0 != d0), "pass",
          "completed on the next weekday after a last day on a weekend or holiday (lag 1930:173 2 §)")
    over = ok_end & (end > d0)
    t.set(rule, over & lawful & (end <= until), "pass", "completed within a lawful extension")
    t.set(rule, over & lawful & (end > until), "fail", "completed {k} days after the extended date",
          diff_days(end, until))
    late_days = diff_days(end, d0)
    t.set(rule, over & ~np.isnat(x) & (x > d0), "fail",
          "extension decided after the deadline; completed {k} days late", late_days)
    t.set(rule, over & ~np.isnat(x) & (x <= d0) & np.isnat(until), "fail",
          "extension without an end date; completed {k} days late", late_days)
    t.set(rule, over & np.isnat(x), "fail", "completed {k} days late", late_days)

    # BU-SAMTAL: first talk with the child within 14 days of the start.
    m = draw(rng, n, within=0.68, late=0.14, none=0.18)
    md = np.where(m["within"], np.where(rng.random(n) < 0.08, 14, rng.integers(0, 15, size=n)),
                  rng.integers(15, 61, size=n))
    meet = np.where(op & ~m["none"], add_days(start, md), NAT)
    meet = not_after(meet, as_of)
    c["child_meeting_date"] = meet
    rule = "BU-SAMTAL"
    t.set(rule, ~op, "not_applicable", "no investigation opened")
    met = op & ~np.isnat(meet)
    t.set(rule, met & (md <= 14), "pass", "first talk with the child on day {k}", md)
    t.set(rule, met & (md > 14), "fail", "first talk with the child {k} days late", md - 14)
    record_open(t, rule, op & np.isnat(meet), add_days(start, 14), as_of, "no talk with the child")

    # BU-BARN-INFO / BU-BARN-ASIKT: documented yes / reason / no / blank.
    for rule, field, probs, what in (
        ("BU-BARN-INFO", "child_informed", (0.78, 0.07, 0.07, 0.08), "child informed"),
        ("BU-BARN-ASIKT", "child_views", (0.66, 0.08, 0.16, 0.10), "child's views documented (child heard)"),
    ):
        a = draw(rng, n, yes=probs[0], reason=probs[1], no=probs[2], blank=probs[3])
        value = np.full(n, None, dtype=object)
        for code in ("yes", "reason", "no"):
            value[op & a[code]] = code
        c[field] = value
        t.set(rule, ~op, "not_applicable", "no investigation opened")
        t.set(rule, op & a["yes"], "pass", what)
        t.set(rule, op & a["reason"], "pass", "documented why not: " + what)
        t.set(rule, op & a["no"], "fail", "not " + what)
        t.set(rule, op & a["blank"] & ~np.isnat(end), "fail", "blank after the investigation was completed")
        t.set(rule, op & a["blank"] & np.isnat(end), "pending", "blank while the investigation is ongoing")

    # Decision in the case when the investigation is completed (same day).
    dec = draw(rng, n, granted=0.45, partly_granted=0.05, rejected=0.05, none=0.45)
    done = ~np.isnat(end)
    outcome = np.full(n, None, dtype=object)
    for code in ("granted", "partly_granted", "rejected", "none"):
        outcome[done & dec[code]] = code
    c["decision_outcome"] = outcome
    has_decision = done & ~dec["none"]
    c["decision_date"] = np.where(has_decision, end, NAT)
    placement = has_decision & ~dec["rejected"] & (rng.random(n) < 0.3)
    lvu = placement & (rng.random(n) < 0.4)
    c["intervention_type"] = np.where(placement, choose(rng, INTERVENTIONS["barn_unga_placement"], n),
                                      np.where(has_decision, choose(rng, INTERVENTIONS["barn_unga"], n), None))  # type: ignore[call-overload]
    c["legal_basis"] = np.where(lvu, "LVU", "SoL").astype(object)
    t.set("ALL-DROJSMAL-6M", np.ones(n, bool), "not_applicable", "child-welfare report, not an application")
    after_decision(ctx, c, t, "barn_unga")
    investigated = ~np.isnat(c["investigation_start"]) | (c["preliminary_outcome"] == "open")
    t.set("BU-ATERUPPTAGEN", ~investigated, "not_applicable", "no investigation opened")
    t.set("BU-ATERUPPTAGEN", investigated, "pass", "no new investigation within 30 days of a closed one")
    c["_placement"] = placement
    return c, t


def reviews(ctx: Ctx, c: dict[str, np.ndarray], t: Truth) -> tuple[np.ndarray, np.ndarray]:
    """BU-OVERVAG-6M: review events for placed children. Returns (case index, date) arrays.

    Placement start = execution date; first review within 150 days of it; later gaps are
    either at most 180 days (always within six calendar months) or 190-259 days (always
    beyond), and the last review is at most 180 days before the as-of date, so the rule's
    reading of the final open gap never matters.
    """
    rng, as_of = ctx.rng, ctx.as_of
    n = len(c["area"])
    bu = c["area"] == "barn_unga"
    placed = bu & c["_placement"] & ~np.isnat(c["execution_date"])
    idx = np.flatnonzero(placed)
    m, slots = len(idx), 12
    start = c["execution_date"][idx]
    gaps = rng.integers(90, 181, size=(m, slots))
    gaps[:, 0] = rng.integers(30, 151, size=m)
    ok_count = (start[:, None] + np.cumsum(gaps, axis=1).astype("timedelta64[D]") <= as_of).sum(axis=1)
    # a too-long gap between two reviews that would both lie before the as-of date
    failing = (rng.random(m) < 0.2) & (ok_count >= 3)
    pos = rng.integers(1, np.maximum(ok_count - 1, 2))
    gaps[np.flatnonzero(failing), pos[failing]] = rng.integers(190, 260, size=int(failing.sum()))
    dates = start[:, None] + np.cumsum(gaps, axis=1).astype("timedelta64[D]")
    included = dates <= as_of
    count = included.sum(axis=1)
    last = np.where(count > 0, dates[np.arange(m), np.maximum(count - 1, 0)], NAT)
    extra = (count > 0) & (diff_days(np.full(m, as_of), last) > 180)
    extra_date = add_days(last, 180)
    # maximum gap between consecutive reviews actually included (first gap is from the start)
    incl_gaps = np.where(included, gaps, 0)
    incl_gaps[:, 0] = 0
    max_gap = incl_gaps.max(axis=1)
    rule = "BU-OVERVAG-6M"
    has = np.zeros(n, bool)
    has[idx[count > 0]] = True
    t.set(rule, bu & ~has, "not_applicable", "no review events")
    status_fail = np.zeros(n, bool)
    status_fail[idx] = max_gap > 180
    gap_n = np.zeros(n, dtype=np.int64)
    gap_n[idx] = max_gap
    t.set(rule, has & status_fail, "fail", "{k} days between two reviews", gap_n)
    t.set(rule, has & ~status_fail, "pass", "reviewed at least every six months")
    rows, cols = np.nonzero(included)
    case_idx = np.concatenate([idx[rows], idx[extra]])
    event_dates = np.concatenate([dates[rows, cols], extra_date[extra]])
    return case_idx, event_dates


# ---------------------------------------------------------------------------------------
# Applications: disability, substance abuse, elderly care
# ---------------------------------------------------------------------------------------

def application(ctx: Ctx, n: int, area: str) -> tuple[dict[str, np.ndarray], Truth]:
    """Cases of an application-based area (``funktionshinder``, ``missbruk``, ``aldre``)."""
    rng, as_of = ctx.rng, ctx.as_of
    c, t = new_columns(n), Truth(n)
    c["area"][:] = area
    assign_staff(ctx, c, area)
    r = received_dates(ctx, n)
    c["received_date"] = r
    d3 = add_months(r, 3)  # FH-SKYNDSAM: a local target, not moved
    raw_d6 = add_months(r, 6)
    d6 = next_weekday(raw_d6)  # ALL-DROJSMAL-6M: statutory, moved by lag 1930:173 2 §
    if area == "funktionshinder":
        k = draw(rng, n, fast=0.90, slow=0.055, very=0.015, undecided=0.03)
    else:
        k = draw(rng, n, fast=0.86, slow=0.09, very=0.02, undecided=0.03)
    boundary = rng.random(n) < 0.05
    dd = np.full(n, NAT)
    dd = np.where(k["fast"], np.where(boundary, d3, uniform_between(rng, add_days(r, 3), d3)), dd)
    dd = np.where(k["slow"], np.where(boundary, d6, uniform_between(rng, add_days(d3, 1), d6)), dd)
    dd = np.where(k["very"], add_days(d6, rng.integers(1, 91, size=n)), dd)
    on_day, day_after = on_moved_day(ctx, raw_d6, d6, 0.3)
    dd = np.where(k["very"] & on_day, d6, dd)
    dd = np.where(k["very"] & day_after, add_days(d6, 1), dd)
    dd = not_after(dd, as_of)
    decided = ~np.isnat(dd)
    c["decision_date"] = dd
    dec = draw(rng, n, granted=0.7, partly_granted=0.1, rejected=0.2)
    outcome = np.full(n, None, dtype=object)
    for code in DECIDED:
        outcome[decided & dec[code]] = code
    c["decision_outcome"] = outcome
    days = diff_days(dd, r)
    rules = [("ALL-DROJSMAL-6M", d6, "six")]
    if area == "funktionshinder":
        rules.append(("FH-SKYNDSAM", d3, "three"))
    for rule, limit, word in rules:
        t.set(rule, decided & (dd <= limit), "pass", "decided after {k} days", days)
        t.set(rule, decided & (dd > limit), "fail", f"decided {{k}} days after the {word}-month limit",
              diff_days(dd, limit))
        record_open(t, rule, ~decided, limit, as_of, "no decision")

    if area == "funktionshinder":
        lss = rng.random(n) < 0.65
        c["legal_basis"] = np.where(lss, "LSS", "SoL").astype(object)
        c["intervention_type"] = np.where(lss, choose(rng, INTERVENTIONS["funktionshinder"], n),
                                          choose(rng, INTERVENTIONS["funktionshinder_sol"], n))
    elif area == "missbruk":
        lvm = rng.random(n) < 0.2
        c["legal_basis"] = np.where(lvm, "LVM", "SoL").astype(object)
        c["intervention_type"] = np.where(lvm, choose(rng, INTERVENTIONS["missbruk_lvm"], n),
                                          choose(rng, INTERVENTIONS["missbruk"], n))
    else:
        c["legal_basis"] = np.full(n, "SoL", dtype=object)
        c["intervention_type"] = choose(rng, INTERVENTIONS["aldre"], n)
    after_decision(ctx, c, t, area)
    c["_placement"] = np.zeros(n, bool)
    return c, t


# ---------------------------------------------------------------------------------------
# What follows a decision, in every area
# ---------------------------------------------------------------------------------------

def after_decision(ctx: Ctx, c: dict[str, np.ndarray], t: Truth, area: str) -> None:
    """Communication, appeal instructions, execution, interruption, and the area's own rules."""
    rng, as_of = ctx.rng, ctx.as_of
    n = len(c["area"])
    outcome = c["decision_outcome"]
    dd = c["decision_date"]
    dec = np.isin(outcome, DECIDED)
    granted = np.isin(outcome, GRANTED)
    partial_or_rejected = np.isin(outcome, ("partly_granted", "rejected"))

    # ALL-BESLUT-UNDERRATTAD: decision -> communicated within 14 days.
    k = draw(rng, n, within=0.86, late=0.07, none=0.06, before=0.01)
    gap = np.where(k["within"], np.where(rng.random(n) < 0.06, 14, rng.integers(0, 15, size=n)),
                   rng.integers(15, 46, size=n))
    gap = np.where(k["before"], -rng.integers(1, 6, size=n), gap)
    comm = np.where(dec & ~k["none"], add_days(dd, gap), NAT)
    comm = not_after(comm, as_of)
    c["decision_communicated_date"] = comm
    rule = "ALL-BESLUT-UNDERRATTAD"
    t.set(rule, ~dec, "not_applicable", "no decision")
    has = dec & ~np.isnat(comm)
    t.set(rule, has & (gap < 0), "missing_data", "communicated {k} days before the decision", -gap)
    t.set(rule, has & (gap >= 0) & (gap <= 14), "pass", "communicated on day {k}", gap)
    t.set(rule, has & (gap > 14), "fail", "communicated {k} days late", gap - 14)
    record_open(t, rule, dec & np.isnat(comm), add_days(dd, 14), as_of, "decision not communicated")

    # ALL-OVERKLAGANDE: appeal instructions with a (partial) rejection.
    a = draw(rng, n, yes=0.84, no=0.08, blank=0.08)
    appeal = np.full(n, None, dtype=object)
    appeal[partial_or_rejected & a["yes"]] = "yes"
    appeal[partial_or_rejected & a["no"]] = "no"
    c["appeal_information"] = appeal
    rule = "ALL-OVERKLAGANDE"
    t.set(rule, ~partial_or_rejected, "not_applicable", "not a (partial) rejection")
    t.set(rule, partial_or_rejected & a["yes"], "pass", "appeal instructions given")
    t.set(rule, partial_or_rejected & a["no"], "fail", "no appeal instructions")
    t.set(rule, partial_or_rejected & a["blank"], "fail", "appeal instructions not documented")

    # ALL-EJ-VERKST-3M: granted -> executed within 3 months. Recorded for every granted
    # decision; the legal-basis condition is applied per system style (column present or not).
    raw_limit = add_months(dd, 3)
    limit = next_weekday(raw_limit)  # lag 1930:173 2 §
    e = draw(rng, n, within=0.82, late=0.06, none=0.12)
    exe = np.where(e["within"], np.where(rng.random(n) < 0.05, limit, uniform_between(rng, dd, limit)), NAT)
    exe = np.where(e["late"], add_days(limit, rng.integers(1, 121, size=n)), exe)
    on_day, day_after = on_moved_day(ctx, raw_limit, limit, 0.3)
    exe = np.where(e["late"] & on_day, limit, exe)
    exe = np.where(e["late"] & day_after, add_days(limit, 1), exe)
    exe = np.where(granted, not_after(exe, as_of), NAT)
    c["execution_date"] = exe
    rule = "ALL-EJ-VERKST-3M"
    t.set(rule, ~granted, "not_applicable", "no granted decision")
    done = granted & ~np.isnat(exe)
    t.set(rule, done & (exe <= limit), "pass", "executed after {k} days", diff_days(exe, dd))
    t.set(rule, done & (exe > limit), "fail", "executed {k} days late", diff_days(exe, limit))
    record_open(t, rule, granted & np.isnat(exe), limit, as_of, "not executed")

    # ALL-AVBROTT-3M: interruption -> resumed within 3 months.
    stop = np.where(done & (rng.random(n) < 0.06), add_days(exe, rng.integers(10, 301, size=n)), NAT)
    stop = not_after(stop, as_of)
    stopped = ~np.isnat(stop)
    raw_limit = add_months(stop, 3)
    limit = next_weekday(raw_limit)  # lag 1930:173 2 §
    rs = draw(rng, n, within=0.6, late=0.15, none=0.25)
    res = np.where(rs["within"], np.where(rng.random(n) < 0.05, limit,
                                          uniform_between(rng, add_days(stop, 1), limit)), NAT)
    res = np.where(rs["late"], add_days(limit, rng.integers(1, 121, size=n)), res)
    on_day, day_after = on_moved_day(ctx, raw_limit, limit, 0.3)
    res = np.where(rs["late"] & on_day, limit, res)
    res = np.where(rs["late"] & day_after, add_days(limit, 1), res)
    res = np.where(stopped, not_after(res, as_of), NAT)
    c["execution_interrupted_date"], c["execution_resumed_date"] = stop, res
    rule = "ALL-AVBROTT-3M"
    t.set(rule, ~stopped, "not_applicable", "execution not interrupted")
    back = stopped & ~np.isnat(res)
    t.set(rule, back & (res <= limit), "pass", "resumed after {k} days", diff_days(res, stop))
    t.set(rule, back & (res > limit), "fail", "resumed {k} days late", diff_days(res, limit))
    record_open(t, rule, stopped & np.isnat(res), limit, as_of, "not resumed")

    if area == "funktionshinder":
        t.set("FH-PLAN", granted, "needs_review", "manual question: individual plan offered")
        t.set("FH-PLAN", ~granted, "not_applicable", "no granted decision")
    elif area == "missbruk":
        p = rng.random(n) < 0.58
        plan = np.where(granted & p, uniform_between(rng, dd, add_days(dd, 60)), NAT)
        plan = not_after(plan, as_of)
        c["individual_plan_date"] = plan
        rule = "MB-PLAN"
        t.set(rule, ~granted, "not_applicable", "no granted decision")
        t.set(rule, granted & ~np.isnat(plan), "pass", "individual plan dated")
        blank = granted & np.isnat(plan)
        t.set(rule, blank & ~np.isnat(exe), "fail", "no individual plan although the intervention is executed")
        t.set(rule, blank & np.isnat(exe), "pending", "no individual plan yet, intervention not executed")
        v = draw(rng, n, yes=0.7, no=0.15, blank=0.15)
        view = np.full(n, None, dtype=object)
        view[dec & v["yes"]], view[dec & v["no"]] = "yes", "no"
        c["own_view_documented"] = view
        rule = "MB-EGEN-SYN"
        t.set(rule, ~dec, "not_applicable", "no decision")
        t.set(rule, dec & v["yes"], "pass", "own view documented")
        t.set(rule, dec & v["no"], "fail", "own view not documented")
        t.set(rule, dec & v["blank"], "fail", "own view blank")
        t.set("MB-BEDOMNING", dec, "needs_review", "manual question: assessment addresses the substance use")
        t.set("MB-BEDOMNING", ~dec, "not_applicable", "no decision")
    elif area == "aldre":
        t.set("AO-INFO", np.ones(n, bool), "needs_review", "manual question: told what they can apply for")
        limit = add_months(exe, 12)
        f = draw(rng, n, within=0.65, late=0.10, none=0.25)
        fu = np.where(f["within"], uniform_between(rng, add_days(exe, 30), limit), NAT)
        fu = np.where(f["late"], add_days(limit, rng.integers(1, 121, size=n)), fu)
        fu = np.where(done, not_after(fu, as_of), NAT)
        c["followup_date"] = fu
        rule = "AO-UPPFOLJNING"
        t.set(rule, ~done, "not_applicable", "intervention not executed")
        followed = done & ~np.isnat(fu)
        t.set(rule, followed & (fu <= limit), "pass", "followed up after {k} days", diff_days(fu, exe))
        t.set(rule, followed & (fu > limit), "fail", "followed up {k} days late", diff_days(fu, limit))
        record_open(t, rule, done & np.isnat(fu), limit, as_of, "not followed up")
