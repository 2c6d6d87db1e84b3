"""Migration 2: the rules' titles kept with each round."""

from __future__ import annotations

import sqlite3

from ivoaudit.store.migrations.statements import run_script


def _m002_rule_titles(con: sqlite3.Connection) -> None:
    # The rules' titles as they were when the round was drawn (shown in the form's headers).
    run_script(con,
        """
        CREATE TABLE rule_titles (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            title_sv TEXT NOT NULL,
            title_en TEXT NOT NULL,
            PRIMARY KEY (round_id, rule_id)
        )
        """
    )
