"""Decisions not executed within three months: the quarter's list (SoL 34 kap. 1–3 §§, LSS 28 f–h §§).

:func:`quarter_report` takes a loaded extract (the loader and mapping of ``ivoaudit check``)
and a quarter, and lists as of the quarter's last day every granted decision (SoL/LSS,
``granted`` or ``partly_granted``) not executed within three months of its decision date
and every interruption not resumed within three months. The judging is the rule engine's:
the rules ``ALL-EJ-VERKST-3M`` and ``ALL-AVBROTT-3M`` run as of the quarter's last day, so
months, the lag (1930:173) 2 § move of a deadline off a weekend or holiday and the
legal-basis conditions (LVU/LVM never listed) are counted exactly as ``ivoaudit check``
counts them. An extract is usually taken after the quarter has ended: an execution or
resumption dated after the quarter's last day had not happened on that day, so the decision
is listed, and the later date is given to be reported with it.

Besides the list (``listed``), the report says which decisions have been executed since
(``executed``: on the last recorded list and executed now, or executed late during the
quarter without having been on a list: either way IVO is to be given the execution date),
which decisions of the last list left it without an execution date (``dropped``), and which
cannot be judged (``unjudged``: missing or unreadable dates or codes). Nothing is dropped
in silence. The council statistics are :mod:`ivoaudit.tracking.unexecuted_stats`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ivoaudit.fields import label
from ivoaudit.i18n import get_language, t
from ivoaudit.schema import LoadedExtract
from ivoaudit.store.unexecuted import StoredList
from ivoaudit.tracking.quarters import Quarter, ReportingWindow
from ivoaudit.tracking.unexecuted_notes import Notice, notes_for, require_fields, warnings_for
from ivoaudit.tracking.unexecuted_stats import QuarterStatistics, count_listed, waited_buckets
from ivoaudit.version import __version__

NOT_EXECUTED, INTERRUPTED = "not_executed", "interrupted"
KINDS = (NOT_EXECUTED, INTERRUPTED)
RULE_OF_KIND = {NOT_EXECUTED: "ALL-EJ-VERKST-3M", INTERRUPTED: "ALL-AVBROTT-3M"}
KIND_OF_RULE = {rule: kind for kind, rule in RULE_OF_KIND.items()}
GRANTED = ("granted", "partly_granted")


@dataclass(frozen=True)
class ListedDecision:
    """A decision not executed (or an interruption not resumed) within three months."""

    case_id: str
    kind: str  # not_executed | interrupted
    start_date: date  # the decision date, or the interruption date
    deadline: date  # three calendar months later (moved off a weekend or holiday, 1930:173 2 §)
    days_waiting: int  # days from ``start_date`` to the quarter's last day
    waited: str  # 3-6 | 6-12 | 12+ months (see unexecuted_stats.waited_bucket)
    decision_date: date | None
    interruption_date: date | None
    intervention_type: str | None
    legal_basis: str | None  # SoL | LSS | None (the extract has no legal basis)
    legal_basis_code: str | None  # the extract's own finer code, when it differs (e.g. "LSS 9 § 8")
    reason: str | None  # the extract's reason for the delay, if it has that column
    sex: str | None  # F | M | None: for the council statistics only
    reference: str  # the law the duty rests on
    earlier_quarters: tuple[str, ...]  # quarters whose recorded list had it
    executed_after: date | None  # executed (resumed) after the quarter's last day: report this date too


@dataclass(frozen=True)
class ExecutedDecision:
    """A decision whose execution (or resumption) date is to be reported for this quarter."""

    case_id: str
    kind: str
    start_date: date | None
    deadline: date | None
    executed_date: date
    decision_date: date | None
    interruption_date: date | None
    intervention_type: str | None
    legal_basis: str | None
    legal_basis_code: str | None
    sex: str | None
    earlier_quarters: tuple[str, ...]  # empty: executed late in this quarter, never listed


@dataclass(frozen=True)
class DroppedDecision:
    """On the last recorded list, but neither listed now nor executed: someone must look."""

    case_id: str
    kind: str
    start_date: date | None
    last_listed: str  # the quarter
    why: str  # not_in_extract | not_applicable | pending | missing_data | pass


@dataclass(frozen=True)
class UnjudgedDecision:
    """A possibly reportable decision that cannot be judged from the extract."""

    case_id: str
    kind: str
    row: int  # the row in the extract (header = 1)
    problem: str


@dataclass(frozen=True)
class QuarterReport:
    """Everything the quarter's individual list and council report show."""

    quarter: Quarter
    as_of: date  # the quarter's last day
    produced_on: date
    window: ReportingWindow
    listed: tuple[ListedDecision, ...]
    executed: tuple[ExecutedDecision, ...]
    dropped: tuple[DroppedDecision, ...]
    unjudged: tuple[UnjudgedDecision, ...]
    statistics: QuarterStatistics
    previous: QuarterStatistics | None  # the previous quarter's figures, for the change
    previous_source: str | None  # store (as recorded) | extract (computed from this extract)
    last_list: str | None  # the latest earlier quarter with a recorded list
    warnings: tuple[Notice, ...]  # about the list's validity (texts in the language of the call)
    notes: tuple[Notice, ...]  # what the extract or the store could not show
    has_reason: bool  # the extract has a reason column
    extract_name: str
    extract_rows: int
    extract_fingerprint: str
    tool_version: str = __version__

    @property
    def window_state(self) -> str:
        """``before``, ``open`` or ``closed`` on the day the list was drawn up."""
        return self.window.state(self.produced_on)


def quarter_report(extract: LoadedExtract, quarter: Quarter | str, *, history: Sequence[StoredList] = (),
                   produced_on: date | None = None) -> QuarterReport:
    """The quarter's list, what was executed since, and the statistics.

    ``history``: the recorded lists of earlier quarters (``ivoaudit.store.unexecuted_lists``);
    lists of this quarter or later are ignored. ``produced_on`` (default today) decides the
    reporting-window warning. Raises :class:`~ivoaudit.errors.InputError` when the extract
    lacks a field the list needs (an empty list would then read as "nothing to report").
    """
    q = Quarter.parse(quarter)
    produced = produced_on or date.today()
    require_fields(extract)
    earlier = sorted((h for h in history if h.quarter < q.label), key=lambda h: h.quarter)
    judged = _judge(extract, q.last_day)
    reported = _reported_before(earlier)
    last = earlier[-1] if earlier else None
    listed = _listed(judged, reported, q.last_day)
    executed = _executed(judged, q, reported, last)
    dropped = _dropped(judged, last, {(d.case_id, d.kind) for d in listed}, {(e.case_id, e.kind) for e in executed})
    unjudged = _unjudged(judged)
    previous, source = _previous_figures(extract, q, earlier)
    return QuarterReport(
        quarter=q, as_of=q.last_day, produced_on=produced, window=q.window,
        listed=listed, executed=executed, dropped=dropped, unjudged=unjudged,
        statistics=count_listed(listed), previous=previous, previous_source=source,
        last_list=last.quarter if last else None,
        warnings=warnings_for(q, produced, extract), notes=notes_for(extract, last, q),
        has_reason="execution_delay_reason" in extract.fields,
        extract_name=Path(extract.source.path).name, extract_rows=int(extract.source.rows),
        extract_fingerprint=extract.source.fingerprint)


# --- judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judged:
    """The two rules' results as of the quarter's last day, one row per (case, rule), with the
    case's fields beside them (``executed_after``: an end event after the quarter's end)."""

    rows: pd.DataFrame
    case_ids: set[str]


def _judge(extract: LoadedExtract, as_of: date, *, finer: bool = True) -> _Judged:
    """Run ALL-EJ-VERKST-3M and ALL-AVBROTT-3M as of ``as_of`` on the extract as it stood then
    (``finer``: with the extract's own legal-basis codes, read again from the file)."""
    from ivoaudit.check import run_check
    from ivoaudit.checklist import Checklist, load_checklists

    shipped = load_checklists(["alla_omraden"])
    checklist = Checklist(rules=[shipped.get(r) for r in RULE_OF_KIND.values()], versions=dict(shipped.versions),
                          selected=True)
    cases = extract.cases.reset_index(drop=True)
    then = cases.copy()
    day = pd.Timestamp(as_of)
    later: dict[str, pd.Series] = {}
    for name in ("execution_date", "execution_resumed_date", "execution_interrupted_date"):
        if name in then.columns:
            after = then[name] > day
            later[name] = then[name].where(after)
            then[name] = then[name].mask(after)  # had not happened on the quarter's last day
    censored = dataclasses.replace(extract, cases=then, invalid=extract.invalid.reset_index(drop=True))
    results = run_check(censored, checklist, as_of).results
    at = pd.Index(cases["case_id"].astype(str)).get_indexer(results["case_id"].astype(str))
    rows = results.assign(kind=results["rule_id"].astype(str).map(KIND_OF_RULE), _at=at)
    for name in ("decision_date", "execution_interrupted_date", "intervention_type", "legal_basis", "sex",
                 "execution_delay_reason", "_row"):
        rows[name] = cases[name].to_numpy()[at] if name in cases.columns else None
    for name, values in later.items():
        rows[f"{name}_after"] = values.to_numpy()[at]
    # ALL-AVBROTT-3M carries the legal-basis condition of ALL-EJ-VERKST-3M itself: an
    # interruption under LVU/LVM has no row here.
    rows["legal_basis_code"] = (_finer_codes(extract, rows["_row"], rows["legal_basis"]) if finer
                                else [None] * len(rows))
    rows = _add_unreadable_basis(rows, cases, extract, as_of)
    return _Judged(rows, set(cases["case_id"].astype(str)))


def _add_unreadable_basis(rows: pd.DataFrame, cases: pd.DataFrame, extract: LoadedExtract,
                          as_of: date) -> pd.DataFrame:
    """A decision whose outcome could not be read is not applicable to the rules; three months
    old and not executed on the quarter's last day, it may be reportable, so it is marked
    ``missing_data`` (shown as not judgeable). An unreadable legal basis needs nothing here:
    the rules treat it as not known, so the decision is listed."""
    from ivoaudit.rules.calendar import add_months

    invalid = extract.invalid.reset_index(drop=True)
    n = len(cases)
    outcome_bad = invalid["decision_outcome"].to_numpy(bool) if "decision_outcome" in invalid else np.zeros(n, bool)
    day = np.datetime64(as_of, "D")
    old = add_months(cases["decision_date"].to_numpy().astype("datetime64[D]"), 3) < day
    executed = cases["execution_date"].to_numpy().astype("datetime64[D]") <= day
    pick = np.flatnonzero(outcome_bad & old & ~executed)
    pick = pick[~np.isin(pick, rows["_at"].to_numpy())]  # the rule itself already says missing_data
    if not len(pick):
        return rows
    lang = get_language()
    extra = pd.DataFrame({
        "case_id": cases["case_id"].astype(str).to_numpy()[pick], "rule_id": RULE_OF_KIND[NOT_EXECUTED],
        "status": "missing_data", "kind": NOT_EXECUTED, "_at": pick, "_row": cases["_row"].to_numpy()[pick],
        "start_date": cases["decision_date"].to_numpy()[pick],
        "note": t("oläsligt värde: {f}", "unreadable value: {f}", f=label("decision_outcome", lang)),
    })
    return pd.concat([rows, extra], ignore_index=True)


def _finer_codes(extract: LoadedExtract, rows: pd.Series, basis: pd.Series) -> list[str | None]:
    """The extract's own legal-basis text per row where a mapping turned it into SoL/LSS/…
    (``SoL 4 kap. 1 §`` → SoL), or where it could not be read: read again from the file,
    which the loader does not keep."""
    header = extract.columns.get("legal_basis")
    blank: list[str | None] = [None] * len(rows)
    if header is None or not len(rows):
        return blank
    from ivoaudit.load.files import read_table
    from ivoaudit.normalise.codes import fold_code

    if not Path(extract.source.path).is_file():
        return blank
    raw = read_table(extract.source.path, extract.source.sheet, encoding=extract.source.encoding,
                     delimiter=extract.source.delimiter, header_row=extract.source.header_row)
    if raw.fingerprint != extract.source.fingerprint or header not in raw.headers:
        return blank
    column = raw.text[raw.headers.index(header)].cast("string").to_pylist()
    by_row = dict(zip(raw.rows.tolist(), column, strict=True))
    out = blank.copy()
    for i, (row, canonical) in enumerate(zip(rows.tolist(), basis.tolist(), strict=True)):
        text = (by_row.get(row) or "").strip()
        if text and (canonical is None or fold_code(text) != fold_code(str(canonical))):
            out[i] = text
    return out


def _reported_before(earlier: Sequence[StoredList]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(case id, kind) → the earlier quarters whose list had it."""
    seen: dict[tuple[str, str], list[str]] = {}
    for stored in earlier:
        for entry in stored.section("listed"):
            seen.setdefault((entry.case_id, entry.kind), []).append(stored.quarter)
    return {k: tuple(v) for k, v in seen.items()}


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _listed(judged: _Judged, reported: dict, as_of: date) -> tuple[ListedDecision, ...]:
    rows = judged.rows[judged.rows["status"] == "overdue"].sort_values(["start_date", "case_id", "kind"])
    waited = waited_buckets(rows["start_date"].to_numpy().astype("datetime64[D]"), as_of)
    out = []
    for r, bucket in zip(rows.to_dict("records"), waited, strict=True):
        start = _day(r["start_date"])
        assert start is not None  # overdue needs a start
        kind = r["kind"]
        after = r.get("execution_date_after" if kind == NOT_EXECUTED else "execution_resumed_date_after")
        out.append(ListedDecision(
            case_id=str(r["case_id"]), kind=kind, start_date=start, deadline=_day(r["deadline"]) or start,
            days_waiting=(as_of - start).days, waited=bucket,
            decision_date=_day(r["decision_date"]),
            interruption_date=start if kind == INTERRUPTED else None,
            intervention_type=_text(r["intervention_type"]), legal_basis=_text(r["legal_basis"]),
            legal_basis_code=_text(r["legal_basis_code"]), reason=_text(r["execution_delay_reason"]),
            sex=_text(r["sex"]), reference=_text(r["reference"]) or "",
            earlier_quarters=reported.get((str(r["case_id"]), kind), ()), executed_after=_day(after)))
    return tuple(out)


def _executed(judged: _Judged, q: Quarter, reported: dict, last: StoredList | None) -> tuple[ExecutedDecision, ...]:
    """Executed late during the quarter, or on the last list and executed by its end."""
    rows = judged.rows
    end = pd.to_datetime(rows["end_date"])
    in_quarter = (end >= pd.Timestamp(q.first_day)) & (end <= pd.Timestamp(q.last_day))
    late = (rows["status"] == "fail") & in_quarter
    on_last = {(e.case_id, e.kind) for e in last.section("listed")} if last else set()
    keys = list(zip(rows["case_id"].astype(str), rows["kind"], strict=True))
    was_listed = np.array([k in on_last for k in keys], dtype=bool)
    done = rows["status"].isin(["pass", "fail"]).to_numpy() & end.notna().to_numpy()
    pick = rows[late.to_numpy() | (was_listed & done)].sort_values(["end_date", "case_id", "kind"])
    out = []
    for r in pick.to_dict("records"):
        kind = r["kind"]
        executed = _day(r["end_date"])
        assert executed is not None
        out.append(ExecutedDecision(
            case_id=str(r["case_id"]), kind=kind, start_date=_day(r["start_date"]), deadline=_day(r["deadline"]),
            executed_date=executed, decision_date=_day(r["decision_date"]),
            interruption_date=_day(r["start_date"]) if kind == INTERRUPTED else None,
            intervention_type=_text(r["intervention_type"]), legal_basis=_text(r["legal_basis"]),
            legal_basis_code=_text(r["legal_basis_code"]), sex=_text(r["sex"]),
            earlier_quarters=reported.get((str(r["case_id"]), kind), ())))
    return tuple(out)


def _dropped(judged: _Judged, last: StoredList | None, listed: set, executed: set) -> tuple[DroppedDecision, ...]:
    """Entries of the last list that are neither listed now nor executed, with the reason."""
    if last is None:
        return ()
    status = {(str(c), k): s for c, k, s in zip(judged.rows["case_id"], judged.rows["kind"], judged.rows["status"],
                                                 strict=True)}
    out = []
    for entry in last.section("listed"):
        key = (entry.case_id, entry.kind)
        if key in listed or key in executed:
            continue
        why = "not_in_extract" if entry.case_id not in judged.case_ids else status.get(key, "not_applicable")
        out.append(DroppedDecision(case_id=entry.case_id, kind=entry.kind, start_date=entry.start_date,
                                   last_listed=last.quarter, why=str(why)))
    return tuple(out)


def _unjudged(judged: _Judged) -> tuple[UnjudgedDecision, ...]:
    rows = judged.rows[judged.rows["status"] == "missing_data"].sort_values(["_row", "kind"])
    return tuple(UnjudgedDecision(case_id=str(r["case_id"]), kind=r["kind"], row=int(r["_row"]),
                                  problem=_text(r["note"]) or t("uppgift saknas", "data missing"))
                 for r in rows.to_dict("records"))


def _previous_figures(extract: LoadedExtract, q: Quarter,
                      earlier: Sequence[StoredList]) -> tuple[QuarterStatistics | None, str | None]:
    """The previous quarter's figures: as recorded, else computed from this extract."""
    prev = q.previous()
    for stored in earlier:
        if stored.quarter == prev.label:
            return count_listed(stored.section("listed")), "store"
    judged = _judge(extract, prev.last_day, finer=False)
    return count_listed(_listed(judged, {}, prev.last_day)), "extract"


__all__ = ["INTERRUPTED", "KINDS", "NOT_EXECUTED", "RULE_OF_KIND", "DroppedDecision", "ExecutedDecision",
           "ListedDecision", "QuarterReport", "UnjudgedDecision", "quarter_report"]
