"""Migration 5: the reviewer's check of each automatic result; deleted rounds recorded."""

from __future__ import annotations

import sqlite3

from ivoaudit.store.migrations.statements import run_script


def _m005_review_checks(con: sqlite3.Connection) -> None:
    # Issue 16: the reviewer's "Stämmer med akten?" per automatic result (with the correct
    # date from the file when it does not), versioned like the answers; issue 15: every
    # deleted round recorded (what, when, how much it held).
    run_script(con,
        """
        CREATE TABLE review_checks (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL,
            case_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            matches TEXT NOT NULL CHECK (matches IN ('yes', 'no')),
            correct_date TEXT,
            import_id INTEGER NOT NULL REFERENCES review_imports(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            superseded_at TEXT,
            FOREIGN KEY (round_id, case_id) REFERENCES sampled_cases(round_id, case_id)
                ON DELETE CASCADE
        );
        CREATE INDEX review_checks_current ON review_checks(round_id, superseded_at);
        CREATE TABLE round_deletions (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            deleted_at TEXT NOT NULL,
            cases INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            forced INTEGER NOT NULL
        )
        """
    )
