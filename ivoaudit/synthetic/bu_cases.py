"""Children and young people: reports, preliminary assessment, investigation, the child, the
decision, and the reviews of placed children (each rule's outcome drawn first, see
:mod:`ivoaudit.synthetic.cases`).

The sections run in a fixed order on one random stream: moving a draw changes every set.
"""

from __future__ import annotations

import numpy as np

from ivoaudit.synthetic.calendar import (
    NAT,
    add_days,
    add_months,
    diff_days,
    next_weekday,
    uniform_between,
)
from ivoaudit.synthetic.cases import (
    DELAY_REASONS,
    Ctx,
    assign_staff,
    choose,
    draw,
    new_columns,
    not_after,
    on_moved_day,
    received_dates,
    record_open,
)
from ivoaudit.synthetic.decisions import after_decision
from ivoaudit.synthetic.people import INTERVENTIONS
from ivoaudit.synthetic.truth import Truth

Cols = dict[str, np.ndarray]


def barn_unga(ctx: Ctx, n: int, received: np.ndarray | None = None,
              follow_up: bool = False) -> tuple[Cols, Truth]:
    """BU cases. ``follow_up``: reports that open a new investigation straight away (the
    later case of a reopened investigation; dates of receipt given)."""
    c, t = new_columns(n), Truth(n)
    c["area"][:] = "barn_unga"
    assign_staff(ctx, c, "barn_unga")
    r = received_dates(ctx, n) if received is None else received
    c["received_date"] = r
    _protection(ctx, c, t, r)
    o = _preliminary(ctx, c, t, r, follow_up)
    op = o["open"]
    start, end = _investigation(ctx, c, t, op, follow_up)
    _child_meeting(ctx, c, t, op, start)
    _child_documented(ctx, c, t, op, end)
    placement = _decision(ctx, c, t, end)
    after_decision(ctx, c, t, "barn_unga")
    investigated = ~np.isnat(c["investigation_start"]) | (c["preliminary_outcome"] == "open")
    t.set("BU-ATERUPPTAGEN", ~investigated, "not_applicable", "no investigation opened")
    t.set("BU-ATERUPPTAGEN", investigated, "pass", "no new investigation within 30 days of a closed one")
    c["_placement"] = placement
    return c, t


def _protection(ctx: Ctx, c: Cols, t: Truth, r: np.ndarray) -> None:
    """BU-SKYDD: received -> protection assessment, at most 1 day."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(r)
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


def _preliminary(ctx: Ctx, c: Cols, t: Truth, r: np.ndarray, follow_up: bool) -> dict[str, np.ndarray]:
    """Preliminary assessment: outcome, then BU-FORHAND-14D timing. Returns the outcomes."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(r)
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
    _preliminary_truth(t, as_of, o, tm, r, pdd, d, last14, on_day)
    return o


def _preliminary_truth(t: Truth, as_of: np.datetime64, o: dict[str, np.ndarray], tm: dict[str, np.ndarray],
                       r: np.ndarray, pdd: np.ndarray, d: np.ndarray, last14: np.ndarray,
                       on_day: np.ndarray) -> None:
    """BU-FORHAND-14D's intended statuses."""
    decided = o["open"] | o["not_open"]
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


def _investigation(ctx: Ctx, c: Cols, t: Truth, op: np.ndarray, follow_up: bool) -> tuple[np.ndarray, np.ndarray]:
    """Investigation (outcome open): start, end, extension. Returns (start, end)."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(op)
    pdd = c["preliminary_decision_date"]
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
    end, x, until, end_before = _investigation_dates(ctx, u, start, d0, raw_d0)
    c["extension_decision_date"], c["extended_until"], c["investigation_end"] = x, until, end
    _investigation_truth(t, as_of, op, u, start, end, x, until, d0, raw_d0, end_before)
    return start, end


def _investigation_dates(ctx: Ctx, u: dict[str, np.ndarray], start: np.ndarray, d0: np.ndarray,
                         raw_d0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(end, extension decided, extended until, days an end lies before its start)."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(start)
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
    return end, x, until, end_before


def _investigation_truth(t: Truth, as_of: np.datetime64, op: np.ndarray, u: dict[str, np.ndarray],
                         start: np.ndarray, end: np.ndarray, x: np.ndarray, until: np.ndarray, d0: np.ndarray,
                         raw_d0: np.ndarray, end_before: np.ndarray) -> None:
    """BU-UTR-4M's intended statuses."""
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


def _child_meeting(ctx: Ctx, c: Cols, t: Truth, op: np.ndarray, start: np.ndarray) -> None:
    """BU-SAMTAL: first talk with the child within 14 days of the start."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(op)
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


def _child_documented(ctx: Ctx, c: Cols, t: Truth, op: np.ndarray, end: np.ndarray) -> None:
    """BU-BARN-INFO / BU-BARN-ASIKT: documented yes / reason / no / blank."""
    rng, n = ctx.rng, len(op)
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


def _decision(ctx: Ctx, c: Cols, t: Truth, end: np.ndarray) -> np.ndarray:
    """Decision in the case when the investigation is completed (same day). Returns the
    placements."""
    rng, n = ctx.rng, len(end)
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
    return placement


def reviews(ctx: Ctx, c: Cols, t: Truth) -> tuple[np.ndarray, np.ndarray]:
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
