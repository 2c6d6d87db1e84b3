"""The audit store (SQLite): rounds, sampling records, sampled cases, results, review answers
with history, findings and actions.

``Store(path)`` is the repository; :func:`open_store` resolves the path (``--db``,
``IVOAUDIT_DB``, else the user data directory). :func:`report_source` gives a round to the
report renderers.
"""

from __future__ import annotations

from pathlib import Path

from ivoaudit.store.overview import (
    RoundOverview,
    StoreRoundSource,
    combined_results,
    round_overview,
    rule_summary,
)
from ivoaudit.store.records import ImportResult, ManualQuestion, RoundInfo
from ivoaudit.store.repository import Store, default_db_path


def open_store(db: str | Path | None = None) -> Store:
    """Open (create and migrate as needed) the store at ``db`` or the default path."""
    return Store(db)


def report_source(name: str, db: str | Path | None = None) -> StoreRoundSource:
    """Round ``name`` as a report source (see ``ivoaudit.report.source``)."""
    return StoreRoundSource(open_store(db), name)


__all__ = ["Store", "open_store", "default_db_path", "report_source", "RoundInfo", "ManualQuestion",
           "ImportResult", "RoundOverview", "StoreRoundSource", "combined_results", "round_overview",
           "rule_summary"]
