"""A quarter's list and the audit store: draw it up against the earlier lists, record it.

:func:`draw_up_quarter` is what ``ivoaudit unexecuted`` and the web app call: the earlier
quarters' lists are read from the store, the quarter's report is built
(:func:`ivoaudit.tracking.unexecuted.quarter_report`) and its list recorded, so the next
quarter knows what was reported and what has been executed since.
"""

from __future__ import annotations

from datetime import date

from ivoaudit.schema import LoadedExtract
from ivoaudit.store.repository import Store
from ivoaudit.store.unexecuted import (
    StoredEntry,
    StoredList,
    record_unexecuted_list,
    unexecuted_lists,
)
from ivoaudit.tracking.quarters import Quarter
from ivoaudit.tracking.unexecuted import QuarterReport, quarter_report


def draw_up_quarter(extract: LoadedExtract, quarter: Quarter | str, store: Store, *,
                    produced_on: date | None = None,
                    record: bool = True) -> tuple[QuarterReport, StoredList | None]:
    """:func:`quarter_report` against the store's earlier lists, and the list as recorded.

    The quarter's list is recorded (superseding an earlier version of it) unless ``record``
    is False or the quarter has not ended yet: a preliminary list is not what was reported,
    and the next quarter must not take it for that. Then the second value is None.
    """
    q = Quarter.parse(quarter)
    report = quarter_report(extract, q, history=unexecuted_lists(store, before=q.label), produced_on=produced_on)
    if not record or report.produced_on <= report.as_of:
        return report, None
    return report, record_quarter(store, report)


def record_quarter(store: Store, report: QuarterReport) -> StoredList:
    """Record the report's list in the store (one transaction)."""
    return record_unexecuted_list(
        store, quarter=report.quarter.label, as_of=report.as_of, produced_on=report.produced_on,
        extract_fingerprint=report.extract_fingerprint, extract_rows=report.extract_rows,
        tool_version=report.tool_version, entries=stored_entries(report))


def stored_entries(report: QuarterReport) -> list[StoredEntry]:
    """What the audit store keeps of a quarter's report (no reasons, no person ids)."""
    out = [StoredEntry(section="listed", case_id=d.case_id, kind=d.kind, start_date=d.start_date,
                       decision_date=d.decision_date, interruption_date=d.interruption_date, deadline=d.deadline,
                       days_waiting=d.days_waiting, waited=d.waited, intervention_type=d.intervention_type,
                       legal_basis=d.legal_basis, legal_basis_code=d.legal_basis_code, sex=d.sex,
                       executed_date=d.executed_after) for d in report.listed]
    out += [StoredEntry(section="executed", case_id=e.case_id, kind=e.kind, start_date=e.start_date,
                        decision_date=e.decision_date, interruption_date=e.interruption_date, deadline=e.deadline,
                        intervention_type=e.intervention_type, legal_basis=e.legal_basis,
                        legal_basis_code=e.legal_basis_code, sex=e.sex, executed_date=e.executed_date)
            for e in report.executed]
    return out


__all__ = ["draw_up_quarter", "record_quarter", "stored_entries"]
