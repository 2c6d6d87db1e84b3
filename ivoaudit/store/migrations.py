"""Schema of the audit store as ordered migrations.

Each migration is a function applied once, in order, inside one transaction; the
``schema_version`` table records which have run. Never edit a released migration: add a
new one. Sampled cases are pseudonymised (no raw personnummer ever reaches the store).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

ACTION_STATUSES = ("planned", "in_progress", "done", "effective", "not_effective")


def run_script(con: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements one by one: ``executescript`` would COMMIT first and
    so break the all-or-nothing migration."""
    for statement in script.split(";\n"):
        if statement.strip():
            con.execute(statement)


def _m001_initial(con: sqlite3.Connection) -> None:
    run_script(con,
        """
        CREATE TABLE store_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            uid TEXT NOT NULL UNIQUE,            -- random id written into the review form
            created_at TEXT NOT NULL,
            as_of TEXT,                          -- check date of the automatic results
            extract_fingerprint TEXT,
            tool_version TEXT,
            language TEXT NOT NULL DEFAULT 'sv',
            layout_json TEXT                     -- the review form's columns (see review_form)
        );
        CREATE TABLE sampling_records (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,                -- 0 = first draw, 1.. = extensions
            created_at TEXT NOT NULL,
            record_json TEXT NOT NULL,
            UNIQUE (round_id, seq)
        );
        CREATE TABLE sampled_cases (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            case_id TEXT NOT NULL,
            draw_seq INTEGER NOT NULL,           -- which sampling record drew it
            draw_order INTEGER NOT NULL,         -- position in the round's selection order
            stratum TEXT,
            person_pseudonym TEXT,
            unit TEXT,
            caseworker TEXT,
            area TEXT,
            sex TEXT,
            age_group TEXT,
            received_date TEXT,
            key_dates_json TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (round_id, case_id)
        );
        CREATE TABLE auto_results (
            round_id INTEGER NOT NULL,
            case_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            status TEXT NOT NULL,
            start_date TEXT, end_date TEXT, deadline TEXT,
            days INTEGER, days_over INTEGER,
            note TEXT,
            PRIMARY KEY (round_id, case_id, rule_id),
            FOREIGN KEY (round_id, case_id) REFERENCES sampled_cases(round_id, case_id)
                ON DELETE CASCADE
        );
        CREATE TABLE review_questions (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            question_sv TEXT NOT NULL, question_en TEXT NOT NULL,
            guidance_sv TEXT NOT NULL DEFAULT '', guidance_en TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, rule_id)
        );
        CREATE TABLE review_imports (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            imported_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            answered INTEGER NOT NULL,
            total INTEGER NOT NULL
        );
        -- Every version of every answer; the current one has superseded_at NULL.
        CREATE TABLE review_answers (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL,
            case_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'not_applicable')),
            import_id INTEGER NOT NULL REFERENCES review_imports(id),
            created_at TEXT NOT NULL,
            superseded_at TEXT,
            FOREIGN KEY (round_id, case_id) REFERENCES sampled_cases(round_id, case_id)
                ON DELETE CASCADE
        );
        CREATE INDEX review_answers_current ON review_answers(round_id, superseded_at);
        CREATE TABLE review_comments (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL,
            case_id TEXT NOT NULL,
            comment TEXT NOT NULL,
            import_id INTEGER NOT NULL REFERENCES review_imports(id),
            created_at TEXT NOT NULL,
            superseded_at TEXT,
            FOREIGN KEY (round_id, case_id) REFERENCES sampled_cases(round_id, case_id)
                ON DELETE CASCADE
        );
        -- Designed now for the tracking issues: findings per round and rule, actions.
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            passed INTEGER NOT NULL,
            denominator INTEGER NOT NULL,
            compliance REAL,                     -- NULL when the denominator is 0
            note TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (round_id, rule_id)
        );
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            measure TEXT NOT NULL,
            responsible TEXT NOT NULL,
            start_date TEXT,
            deadline TEXT,
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'in_progress', 'done', 'effective', 'not_effective')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE action_rules (
            action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            PRIMARY KEY (action_id, rule_id)
        );
        CREATE TABLE action_demands (
            action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            demand TEXT NOT NULL,                -- reference to an IVO demand (decision + number)
            PRIMARY KEY (action_id, demand)
        );
        CREATE TABLE action_history (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            changed_at TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            note TEXT
        )
        """
    )


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


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _m001_initial,
    _m002_rule_titles,
    _m003_unexecuted_lists,
)
SCHEMA_VERSION = len(MIGRATIONS)
