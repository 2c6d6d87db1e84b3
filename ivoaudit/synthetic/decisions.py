"""Applications (disability, substance abuse, elderly care) and what follows a decision in
every area: communication, appeal instructions, execution, interruption and the area's own
rules (each rule's outcome drawn first, see :mod:`ivoaudit.synthetic.cases`).

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
    DECIDED,
    GRANTED,
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
from ivoaudit.synthetic.people import INTERVENTIONS
from ivoaudit.synthetic.truth import Truth

Cols = dict[str, np.ndarray]


def application(ctx: Ctx, n: int, area: str) -> tuple[Cols, Truth]:
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
    _legal_basis(ctx, c, area)
    after_decision(ctx, c, t, area)
    c["_placement"] = np.zeros(n, bool)
    return c, t


def _legal_basis(ctx: Ctx, c: Cols, area: str) -> None:
    """The law and the intervention of an application."""
    rng, n = ctx.rng, len(c["area"])
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


def after_decision(ctx: Ctx, c: Cols, t: Truth, area: str) -> None:
    """Communication, appeal instructions, execution, interruption, and the area's own rules."""
    outcome = c["decision_outcome"]
    dec = np.isin(outcome, DECIDED)
    granted = np.isin(outcome, GRANTED)
    _communicated(ctx, c, t, dec)
    _appeal(ctx, c, t, np.isin(outcome, ("partly_granted", "rejected")))
    exe, done = _executed(ctx, c, t, granted)
    _interrupted(ctx, c, t, exe, done)
    if area == "funktionshinder":
        t.set("FH-PLAN", granted, "needs_review", "manual question: individual plan offered")
        t.set("FH-PLAN", ~granted, "not_applicable", "no granted decision")
    elif area == "missbruk":
        _substance_abuse(ctx, c, t, dec, granted, exe)
    elif area == "aldre":
        _elderly_care(ctx, c, t, exe, done)


def _communicated(ctx: Ctx, c: Cols, t: Truth, dec: np.ndarray) -> None:
    """ALL-BESLUT-UNDERRATTAD: decision -> communicated within 14 days."""
    rng, as_of, n, dd = ctx.rng, ctx.as_of, len(dec), c["decision_date"]
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


def _appeal(ctx: Ctx, c: Cols, t: Truth, partial_or_rejected: np.ndarray) -> None:
    """ALL-OVERKLAGANDE: appeal instructions with a (partial) rejection."""
    n = len(partial_or_rejected)
    a = draw(ctx.rng, n, yes=0.84, no=0.08, blank=0.08)
    appeal = np.full(n, None, dtype=object)
    appeal[partial_or_rejected & a["yes"]] = "yes"
    appeal[partial_or_rejected & a["no"]] = "no"
    c["appeal_information"] = appeal
    rule = "ALL-OVERKLAGANDE"
    t.set(rule, ~partial_or_rejected, "not_applicable", "not a (partial) rejection")
    t.set(rule, partial_or_rejected & a["yes"], "pass", "appeal instructions given")
    t.set(rule, partial_or_rejected & a["no"], "fail", "no appeal instructions")
    t.set(rule, partial_or_rejected & a["blank"], "fail", "appeal instructions not documented")


def _executed(ctx: Ctx, c: Cols, t: Truth, granted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ALL-EJ-VERKST-3M: granted -> executed within 3 months. Recorded for every granted
    decision; the legal-basis condition is applied per system style (column present or not).
    Returns (execution date, executed)."""
    rng, as_of, n, dd = ctx.rng, ctx.as_of, len(granted), c["decision_date"]
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
    return exe, done


def _interrupted(ctx: Ctx, c: Cols, t: Truth, exe: np.ndarray, done: np.ndarray) -> None:
    """ALL-AVBROTT-3M: interruption -> resumed within 3 months."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(exe)
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


def _substance_abuse(ctx: Ctx, c: Cols, t: Truth, dec: np.ndarray, granted: np.ndarray, exe: np.ndarray) -> None:
    """MB-PLAN, MB-EGEN-SYN and MB-BEDOMNING."""
    rng, as_of, n, dd = ctx.rng, ctx.as_of, len(dec), c["decision_date"]
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


def _elderly_care(ctx: Ctx, c: Cols, t: Truth, exe: np.ndarray, done: np.ndarray) -> None:
    """AO-INFO and AO-UPPFOLJNING."""
    rng, as_of, n = ctx.rng, ctx.as_of, len(exe)
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
