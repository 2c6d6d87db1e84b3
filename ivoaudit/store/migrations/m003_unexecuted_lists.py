"""Migration 3: each quarter's list of decisions not executed within three months."""

from __future__ import annotations

import sqlite3

from ivoaudit.store.migrations.statements import run_script


def _m003_unexecuted_lists(con: sqlite3.Connection) -> None:
    # Each quarter's list of decisions not executed within three months (issue 18), so the
    # next quarter knows what was reported and what has been executed since. Drawing up a
    # quarter again supersedes its list; the earlier versions are kept.
    run_script(con,
        """
        CREATE TABLE unexecuted_lists (
            id INTEGER PRIMARY KEY,
            quarter TEXT NOT NULL,               -- 2026-Q3
            as_of TEXT NOT NULL,                 -- the quarter's last day
            produced_on TEXT NOT NULL,           -- the day the list was drawn up
            recorded_at TEXT NOT NULL,
            extract_fingerprint TEXT,
            extract_rows INTEGER,
            tool_version TEXT,
            superseded_at TEXT                   -- set when the quarter is drawn up again
        );
        CREATE INDEX unexecuted_lists_current ON unexecuted_lists(quarter, superseded_at);
        CREATE TABLE unexecuted_entries (
            list_id INTEGER NOT NULL REFERENCES unexecuted_lists(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK (section IN ('listed', 'executed')),
            case_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('not_executed', 'interrupted')),
            start_date TEXT,
            decision_date TEXT,
            interruption_date TEXT,
            deadline TEXT,
            days_waiting INTEGER,
            waited TEXT,
            intervention_type TEXT,
            legal_basis TEXT,
            legal_basis_code TEXT,
            sex TEXT,
            executed_date TEXT,
            PRIMARY KEY (list_id, section, case_id, kind)
        )
        """
    )
