"""Assemble a generated set: cases of every area, persons, case ids, system style, faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ivoaudit.errors import UsageError
from ivoaudit.fields import AREAS
from ivoaudit.i18n import t as tr
from ivoaudit.synthetic.bu_cases import barn_unga, reviews
from ivoaudit.synthetic.calendar import NAT, add_days, as_day, diff_days, uniform_between
from ivoaudit.synthetic.cases import DATE_COLUMNS, GRANTED, Ctx
from ivoaudit.synthetic.decisions import application
from ivoaudit.synthetic.people import make_personnummer
from ivoaudit.synthetic.systems import SYSTEMS, System
from ivoaudit.synthetic.truth import RULES, S, Truth
from ivoaudit.version import __version__

GENERATOR_VERSION = "1"
AREA_WEIGHTS = {"barn_unga": 0.40, "funktionshinder": 0.20, "missbruk": 0.15, "aldre": 0.25}
DEFAULT_AS_OF = date(2026, 10, 31)
FOLLOW_UP_SHARE = 0.03  # BU cases that reopen an investigation within 30 days (flagged)
REPEAT_SHARE = 0.05  # BU cases of a person with an earlier case long before (not flagged)


@dataclass
class GeneratedSet:
    """A generated extract with its events, ground truth and (messy mode) faults."""

    system: System
    extract: pd.DataFrame  # the cells as written, headers of the system style
    events: pd.DataFrame  # the events table as written
    ground_truth: pd.DataFrame  # case_id, rule_id, expected_status, intent
    faults: pd.DataFrame  # row, column, fault, value (empty unless messy)
    meta: dict
    cases: pd.DataFrame = field(repr=False)  # canonical intended values (before faults), for tests
    # messy mode: the events table's rows the rules cannot use (row, case_id, column, fault, code)
    event_faults: pd.DataFrame | None = field(default=None, repr=False)


def generate(n_cases: int, seed: int, system: str = "lifecare", areas: tuple[str, ...] | list[str] = AREAS,
             messy: bool = False, as_of: date = DEFAULT_AS_OF) -> GeneratedSet:
    """Generate ``n_cases`` synthetic cases deterministically from ``seed``.

    See the package docstring for the choices made where the rules leave room.
    """
    areas = _checked(n_cases, system, areas)
    sysdef = SYSTEMS[system]
    rng = np.random.default_rng(seed)
    as_of_d = as_day(as_of)
    last = as_of_d - np.timedelta64(31, "D")
    ctx = Ctx(rng=rng, as_of=as_of_d, first=last - np.timedelta64(759, "D"), last=last,
              moved_rng=np.random.default_rng([seed, 1930173]))

    cols, truth = _all_areas(ctx, n_cases, areas)
    _assign_persons(ctx, cols)

    order = np.argsort(cols["received_date"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    truth = truth.take(order)
    n = len(order)
    cols["case_id"] = _case_ids(cols["received_date"], sysdef)
    ev_idx, ev_dates = reviews(ctx, cols, truth)
    _apply_system(sysdef, cols, truth)

    extract = render_extract(cols, sysdef)
    keep = np.ones(n, bool)
    faults = pd.DataFrame({"row": pd.Series(dtype="int64"), "column": pd.Series(dtype=object),
                           "fault": pd.Series(dtype=object), "value": pd.Series(dtype=object)})
    if messy:
        from ivoaudit.synthetic.messy import inject_faults

        extract, faults, quarantined = inject_faults(rng, extract, cols, truth, sysdef)
        keep = ~quarantined
    events = render_events(cols["case_id"][ev_idx], ev_dates, sysdef)
    event_faults = None
    if messy:
        from ivoaudit.synthetic.event_faults import inject_event_faults

        events, event_faults = inject_event_faults(seed, events, cols["case_id"], keep, truth, sysdef)
    ground_truth = truth.frame(cols["case_id"], keep)
    cases = pd.DataFrame({k: v for k, v in cols.items() if not k.startswith("_")})
    meta = _meta(seed, as_of, n_cases, system, messy, areas, extract, events, ground_truth, faults, keep)
    if event_faults is not None:
        meta["event_faults"] = len(event_faults)
    return GeneratedSet(sysdef, extract, events, ground_truth, faults, meta, cases, event_faults)


def _checked(n_cases: int, system: str, areas: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The areas, each once; a usage error for an unknown system or area or no cases."""
    if system not in SYSTEMS:
        raise UsageError(tr("Okänt system {s}. Välj ett av: {ok}.", "Unknown system {s}. Choose one of: {ok}.",
                            s=system, ok=", ".join(SYSTEMS)))
    areas = tuple(dict.fromkeys(areas))
    unknown = [a for a in areas if a not in AREAS]
    if unknown or not areas:
        raise UsageError(tr("Okänt verksamhetsområde {a}. Välj bland: {ok}.", "Unknown area {a}. Choose from: {ok}.",
                            a=", ".join(unknown) or "-", ok=", ".join(AREAS)))
    if n_cases < 1:
        raise UsageError(tr("Antalet ärenden måste vara minst 1.", "The number of cases must be at least 1."))
    return areas


def _all_areas(ctx: Ctx, n_cases: int, areas: tuple[str, ...]) -> tuple[dict[str, np.ndarray], Truth]:
    """The cases of every area (counts drawn by the areas' weights), persons' groups global."""
    rng = ctx.rng
    weights = np.array([AREA_WEIGHTS[a] for a in areas])
    counts = rng.multinomial(n_cases, weights / weights.sum())
    batches: list[tuple[dict[str, np.ndarray], Truth]] = []
    for area, count in zip(areas, counts, strict=True):
        if count == 0:
            continue
        if area == "barn_unga":
            parts = _barn_unga_with_persons(ctx, int(count))  # one batch: groups refer to it
            batches.append(({k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]},
                            Truth.concat([p[1] for p in parts])))
        else:
            c, t = application(ctx, int(count), area)
            c["_group"] = np.arange(int(count))
            batches.append((c, t))
    offset = 0
    for c, _t in batches:  # person groups: local numbers -> global
        c["_group"] = c["_group"] + offset
        offset += len(c["_group"])
    cols = {k: np.concatenate([b[0][k] for b in batches]) for k in batches[0][0]}
    truth = Truth.concat([b[1] for b in batches])
    return cols, truth


def _meta(seed: int, as_of: date, n_cases: int, system: str, messy: bool, areas: tuple[str, ...],
          extract: pd.DataFrame, events: pd.DataFrame, ground_truth: pd.DataFrame, faults: pd.DataFrame,
          keep: np.ndarray) -> dict:
    """meta.json of a generated set (messy mode adds ``event_faults``)."""
    return {
        "generator": "ivoaudit.synthetic",
        "generator_version": GENERATOR_VERSION,
        "tool_version": __version__,
        "seed": int(seed),
        "as_of": as_of.isoformat(),
        "n_cases": int(n_cases),
        "system": system,
        "messy": bool(messy),
        "areas": list(areas),
        "extract_rows": len(extract),
        "event_rows": len(events),
        "ground_truth_rows": len(ground_truth),
        "faults": len(faults),
        "quarantined_cases": int((~keep).sum()),
    }


def _barn_unga_with_persons(ctx: Ctx, n: int) -> list[tuple[dict[str, np.ndarray], Truth]]:
    """BU cases: primary ones, follow-ups reopening within 30 days, repeats much later."""
    rng = ctx.rng  # person groups: "_group" holds the index of the person's first case
    n_follow = int(round(n * FOLLOW_UP_SHARE))
    n_repeat = int(round(n * REPEAT_SHARE))
    n_primary = n - n_follow - n_repeat
    c1, t1 = barn_unga(ctx, n_primary)
    c1["_group"] = np.arange(n_primary)
    linked = np.zeros(n_primary, bool)
    out = [(c1, t1)]

    end = c1["investigation_end"]
    start = np.where(np.isnat(c1["investigation_start"]), c1["preliminary_decision_date"], c1["investigation_start"])
    closed = ~np.isnat(end) & (end >= start) & (add_days(end, 15) <= ctx.last)
    follow = np.sort(rng.permutation(np.flatnonzero(closed))[:n_follow])
    if len(follow):
        received = add_days(end[follow], rng.integers(1, 16, size=len(follow)))
        c2, t2 = barn_unga(ctx, len(follow), received=received, follow_up=True)
        c2["_group"] = follow
        linked[follow] = True
        gap = diff_days(c2["investigation_start"], end[follow])
        t2.set("BU-ATERUPPTAGEN", np.ones(len(follow), bool), "needs_review",
               "new investigation {k} days after the person's previous one was closed", gap)
        out.append((c2, t2))

    latest = np.max(np.stack([np.where(np.isnat(c1[k]), np.datetime64("1900-01-01"), c1[k])
                              for k in DATE_COLUMNS]), axis=0)
    free = ~linked & (add_days(latest, 120) <= ctx.last)
    repeat = np.sort(rng.permutation(np.flatnonzero(free))[:n_repeat])
    if len(repeat):
        high = np.minimum(add_days(latest[repeat], 400), ctx.last)
        received = uniform_between(rng, add_days(latest[repeat], 120), high)
        c3, t3 = barn_unga(ctx, len(repeat), received=received)
        c3["_group"] = repeat
        linked[repeat] = True
        out.append((c3, t3))
    shortfall = n - sum(len(b[0]["area"]) for b in out)
    if shortfall:
        c4, t4 = barn_unga(ctx, shortfall)
        c4["_group"] = n_primary + np.arange(shortfall)
        out.append((c4, t4))
    return out


def _assign_persons(ctx: Ctx, cols: dict[str, np.ndarray]) -> None:
    """One personnummer per person group (drawn for its first case), unique across groups.

    Sets ``person_id`` and ``_linked`` (the person has more than one case).
    """
    groups, first, inverse, sizes = np.unique(cols["_group"], return_index=True, return_inverse=True,
                                              return_counts=True)
    area = cols["area"][first]
    received = cols["received_date"][first]
    numbers = np.empty(len(groups), dtype=object)
    todo = np.arange(len(groups))
    for _ in range(100):
        for a in np.unique(area[todo]):
            sel = todo[area[todo] == a]
            numbers[sel], _b = make_personnummer(ctx.rng, received[sel], str(a))
        todo = np.flatnonzero(pd.Series(numbers).duplicated(keep="first").to_numpy())
        if len(todo) == 0:
            break
    else:
        raise RuntimeError("could not draw unique synthetic personnummer")
    cols["person_id"] = numbers[inverse]
    cols["_linked"] = sizes[inverse] > 1


def _case_ids(received: np.ndarray, sysdef: System) -> np.ndarray:
    seq = np.arange(1, len(received) + 1)
    if sysdef.case_prefix:
        return (sysdef.case_prefix + np.char.zfill(seq.astype(str), 8)).astype(object)
    year = received.astype("datetime64[Y]").astype(np.int64) + 1970
    return (np.char.add(np.char.add(year.astype(str), "-"), np.char.zfill(seq.astype(str), 7))).astype(object)


def _apply_system(sysdef: System, cols: dict[str, np.ndarray], truth: Truth) -> None:
    """Statuses that depend on which columns the system's extract has."""
    if "legal_basis" in sysdef.columns:
        other_law = np.isin(cols["decision_outcome"], GRANTED) & ~np.isin(cols["legal_basis"], ("SoL", "LSS"))
        truth.set("ALL-EJ-VERKST-3M", other_law, "not_applicable", "decision under LVU/LVM")
        interrupted = ~np.isnat(cols["execution_interrupted_date"]) & ~np.isin(cols["legal_basis"], ("SoL", "LSS"))
        truth.set("ALL-AVBROTT-3M", interrupted, "not_applicable", "interrupted execution of an LVU/LVM decision")
    if "own_view_documented" not in sysdef.columns:
        st = truth.status["MB-EGEN-SYN"]
        applicable = (st >= 0) & (st != S["not_applicable"])
        truth.set("MB-EGEN-SYN", applicable, "needs_review", "field not in the extract: manual question")
    assert set(truth.status) == set(RULES)


def render_extract(cols: dict[str, np.ndarray], sysdef: System) -> pd.DataFrame:
    """The extract's cells: text for CSV styles; real dates (datetime64) for XLSX styles."""
    out: dict[str, object] = {}
    for fld, header in sysdef.columns.items():
        values = cols[fld]
        if fld in DATE_COLUMNS:
            if sysdef.format == "xlsx":
                out[header] = values.astype("datetime64[s]")
            else:
                text = np.datetime_as_string(values, unit="D")
                out[header] = np.where(np.isnat(values), "", text).astype(object)
        elif fld == "person_id":
            out[header] = values if sysdef.person_hyphen else np.char.replace(values.astype(str), "-", "").astype(object)
        elif fld in sysdef.values:
            lookup = {k: v[0] for k, v in sysdef.values[fld].items()}
            out[header] = pd.Series(values, dtype=object).map(lookup).fillna("").to_numpy(dtype=object)
        else:
            out[header] = np.where(pd.isna(values), "", values).astype(object)
    return pd.DataFrame(out)


def render_events(case_ids: np.ndarray, dates: np.ndarray, sysdef: System) -> pd.DataFrame:
    """Review events, sorted by case and date."""
    order = np.lexsort((dates, case_ids.astype(str)))
    cols = sysdef.event_columns
    dates = dates[order]
    return pd.DataFrame({
        cols["case_id"]: case_ids[order].astype(object),
        cols["event_date"]: (dates.astype("datetime64[s]") if sysdef.format == "xlsx"
                             else np.datetime_as_string(dates, unit="D").astype(object)),
        cols["event_type"]: np.full(len(order), sysdef.event_values["review"][0], dtype=object),
    })


_ = NAT  # re-exported for callers building dates
