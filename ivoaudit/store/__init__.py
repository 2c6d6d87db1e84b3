"""The audit store (SQLite): rounds, sampling records, sampled cases, results, review answers
with history, findings and actions.

``Store(path)`` is the repository; :func:`open_store` resolves the path (``--db``,
``IVOAUDIT_DB``, else the user data directory). Reports read a round through
``ivoaudit.report.round_source``.
"""

from __future__ import annotations

from pathlib import Path

from ivoaudit.store.connection import default_db_path
from ivoaudit.store.records import ImportResult, ManualQuestion, RoundInfo
from ivoaudit.store.repository import Store


def open_store(db: str | Path | None = None) -> Store:
    """Open (create and migrate as needed) the store at ``db`` or the default path."""
    return Store(db)


__all__ = ["Store", "open_store", "default_db_path", "RoundInfo", "ManualQuestion",
           "ImportResult"]
