"""Migration 1: the first schema (rounds, sampling, sampled cases, results, review answers
and comments, the first findings and actions)."""

from __future__ import annotations

import sqlite3

from ivoaudit.store.migrations.statements import run_script


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
