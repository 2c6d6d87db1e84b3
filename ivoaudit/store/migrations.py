"""Schema of the audit store as ordered migrations.

Each migration is a function applied once, in order, inside one transaction; the
``schema_version`` table records which have run. Never edit a released migration: add a
new one. Sampled cases are pseudonymised (no raw personnummer ever reaches the store).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


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


def _m004_tracking(con: sqlite3.Connection) -> None:
    """Measurements, IVO decisions and demands, findings, actions with links, one history.

    Migration 1's ``findings`` (per round and rule: passed, denominator) and ``actions``
    tables become the new ones without loss: each old finding row is a finding found by a
    measurement of its round, with its figure and note; each action keeps its id, texts,
    dates, status and history (old ``responsible`` is the responsible role); each old free-text
    demand reference (``DNR:N``) becomes a link to a demand of an IVO decision with that
    diarienummer, created as a shell whose dates are blank until someone fills them in.
    """
    run_script(con, """
        CREATE TABLE measurements (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'check' CHECK (kind IN ('check', 'round')),
            as_of TEXT NOT NULL,
            extract_fingerprint TEXT,
            checklists_json TEXT NOT NULL DEFAULT '{}',   -- checklist name -> version
            tool_version TEXT,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            note TEXT
        );
        -- Per rule the count of each status: no case rows, no identifiers.
        CREATE TABLE measurement_rules (
            measurement_id INTEGER NOT NULL REFERENCES measurements(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL,
            checklist TEXT NOT NULL DEFAULT '',
            checklist_version TEXT NOT NULL DEFAULT '',
            local_change TEXT NOT NULL DEFAULT '',
            evaluable INTEGER NOT NULL DEFAULT 1,
            missing_fields TEXT NOT NULL DEFAULT '',
            applicable INTEGER NOT NULL DEFAULT 0,
            pass INTEGER NOT NULL DEFAULT 0,
            fail INTEGER NOT NULL DEFAULT 0,
            overdue INTEGER NOT NULL DEFAULT 0,
            pending INTEGER NOT NULL DEFAULT 0,
            missing_data INTEGER NOT NULL DEFAULT 0,
            needs_review INTEGER NOT NULL DEFAULT 0,
            target REAL,                                   -- the green target in force
            title_sv TEXT NOT NULL DEFAULT '',
            title_en TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (measurement_id, rule_id)
        );
        CREATE TABLE ivo_decisions (
            id INTEGER PRIMARY KEY,
            dnr TEXT NOT NULL UNIQUE,
            decision_date TEXT,
            received_date TEXT,
            answer_due TEXT,
            extended_due TEXT,
            extension_reason TEXT,
            committee TEXT,
            our_dnr TEXT,
            units TEXT,
            summary TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
            adopted_on TEXT,
            sent_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE ivo_demands (
            id INTEGER PRIMARY KEY,
            decision_id INTEGER NOT NULL REFERENCES ivo_decisions(id),
            number INTEGER NOT NULL CHECK (number >= 1),
            text TEXT NOT NULL DEFAULT '',
            ivo_deviations INTEGER,                       -- IVO's own figure: faults found
            ivo_assessed INTEGER,                         -- ... of cases IVO examined
            CHECK ((ivo_deviations IS NULL) = (ivo_assessed IS NULL)),
            CHECK (ivo_assessed IS NULL OR (ivo_assessed > 0 AND ivo_deviations BETWEEN 0 AND ivo_assessed)),
            UNIQUE (decision_id, number)
        );
        CREATE TABLE demand_rules (
            demand_id INTEGER NOT NULL REFERENCES ivo_demands(id),
            rule_id TEXT NOT NULL,
            PRIMARY KEY (demand_id, rule_id)
        );
        CREATE TABLE new_findings (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('measurement', 'review', 'ivo', 'manual')),
            origin TEXT NOT NULL DEFAULT '',              -- by what it was found, in words
            found_on TEXT NOT NULL,
            measurement_id INTEGER REFERENCES measurements(id),
            round_id INTEGER REFERENCES rounds(id) ON DELETE SET NULL,
            demand_id INTEGER REFERENCES ivo_demands(id),
            passed INTEGER,                               -- the figure that showed the fault
            denominator INTEGER,
            note TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('proposed', 'open', 'closed', 'dismissed')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE finding_rules (
            finding_id INTEGER NOT NULL REFERENCES new_findings(id),
            rule_id TEXT NOT NULL,
            PRIMARY KEY (finding_id, rule_id)
        );
        CREATE TABLE new_actions (
            id INTEGER PRIMARY KEY,
            measure TEXT NOT NULL,
            responsible_role TEXT NOT NULL,
            responsible_person TEXT,
            start_date TEXT,
            deadline TEXT,
            followup_date TEXT,
            followup_method TEXT,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
                ('planned', 'in_progress', 'done', 'effective', 'not_effective', 'cancelled')),
            done_on TEXT,                                 -- the day it was done (effect is measured after)
            evidence TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE new_action_rules (
            action_id INTEGER NOT NULL REFERENCES new_actions(id),
            rule_id TEXT NOT NULL,
            PRIMARY KEY (action_id, rule_id)
        );
        CREATE TABLE new_action_demands (
            action_id INTEGER NOT NULL REFERENCES new_actions(id),
            demand_id INTEGER NOT NULL REFERENCES ivo_demands(id),
            PRIMARY KEY (action_id, demand_id)
        );
        CREATE TABLE action_findings (
            action_id INTEGER NOT NULL REFERENCES new_actions(id),
            finding_id INTEGER NOT NULL REFERENCES new_findings(id),
            PRIMARY KEY (action_id, finding_id)
        );
        -- Every change to an action, finding, IVO decision or demand: what, old -> new, when,
        -- by whom, and for a verdict the effect the tool proposed. Append-only (triggers).
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL CHECK (entity IN ('action', 'finding', 'decision', 'demand')),
            entity_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            changed_at TEXT NOT NULL,
            changed_by TEXT,
            note TEXT,
            proposal_json TEXT
        );
        CREATE INDEX history_entity ON history(entity, entity_id, id);
        CREATE TRIGGER history_no_update BEFORE UPDATE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER history_no_delete BEFORE DELETE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END
        """)
    _m004_carry_over(con)
    # Drop the old tables children first (no cascade can fire), then give the new ones their
    # names; SQLite rewrites the foreign keys that name a renamed table.
    run_script(con, """
        DROP TABLE action_history;
        DROP TABLE action_demands;
        DROP TABLE action_rules;
        DROP TABLE actions;
        DROP TABLE findings;
        ALTER TABLE new_actions RENAME TO actions;
        ALTER TABLE new_action_rules RENAME TO action_rules;
        ALTER TABLE new_action_demands RENAME TO action_demands;
        ALTER TABLE new_findings RENAME TO findings
        """)


def _m004_carry_over(con: sqlite3.Connection) -> None:
    """Copy migration 1's findings and actions into the new tables (see ``_m004_tracking``)."""
    stamp = con.execute("SELECT strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')").fetchone()[0]
    for row in con.execute("SELECT f.*, r.name AS round_name FROM findings f "
                           "JOIN rounds r ON r.id = f.round_id ORDER BY f.id").fetchall():
        cur = con.execute(
            "INSERT INTO new_findings (title, source, origin, found_on, round_id, passed, denominator, "
            "note, status, created_at, updated_at) "
            "VALUES (?, 'measurement', ?, ?, ?, ?, ?, ?, 'proposed', ?, ?)",
            (f"{row['rule_id']} i omgången {row['round_name']}", f"granskningsomgång {row['round_name']}",
             row["created_at"][:10], row["round_id"], row["passed"], row["denominator"], row["note"],
             row["created_at"], row["created_at"]))
        con.execute("INSERT INTO finding_rules VALUES (?, ?)", (cur.lastrowid, row["rule_id"]))
    con.execute("INSERT INTO new_actions (id, measure, responsible_role, start_date, deadline, status, "
                "created_at, updated_at) SELECT id, measure, responsible, start_date, deadline, status, "
                "created_at, updated_at FROM actions")
    # The day an old action was done: when its history last set it done (else last changed).
    con.execute("""
        UPDATE new_actions SET done_on = substr(COALESCE(
            (SELECT MAX(h.changed_at) FROM action_history h WHERE h.action_id = new_actions.id
             AND h.field IN ('status', 'created') AND h.new_value = 'done'), updated_at), 1, 10)
        WHERE status IN ('done', 'effective', 'not_effective')""")
    con.execute("INSERT INTO new_action_rules SELECT action_id, rule_id FROM action_rules")
    con.execute("INSERT INTO history (entity, entity_id, field, old_value, new_value, changed_at, note) "
                "SELECT 'action', action_id, field, old_value, new_value, changed_at, note "
                "FROM action_history ORDER BY id")
    for action_id, reference in con.execute("SELECT action_id, demand FROM action_demands").fetchall():
        dnr, _, number = str(reference).rpartition(":")
        if not dnr or not number.strip().isdigit() or int(number) < 1:
            dnr, number = str(reference), "1"
        decision = con.execute("SELECT id FROM ivo_decisions WHERE dnr = ?", (dnr.strip(),)).fetchone()
        if decision is None:
            decision_id = con.execute(
                "INSERT INTO ivo_decisions (dnr, summary, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (dnr.strip(), "Överfört från en äldre granskningsdatabas: fyll i beslutets uppgifter.",
                 stamp, stamp)).lastrowid
        else:
            decision_id = decision[0]
        demand = con.execute("SELECT id FROM ivo_demands WHERE decision_id = ? AND number = ?",
                             (decision_id, int(number))).fetchone()
        demand_id = demand[0] if demand else con.execute(
            "INSERT INTO ivo_demands (decision_id, number) VALUES (?, ?)",
            (decision_id, int(number))).lastrowid
        con.execute("INSERT OR IGNORE INTO new_action_demands VALUES (?, ?)", (action_id, demand_id))


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


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _m001_initial,
    _m002_rule_titles,
    _m003_unexecuted_lists,
    _m004_tracking,
    _m005_review_checks,
)
SCHEMA_VERSION = len(MIGRATIONS)
