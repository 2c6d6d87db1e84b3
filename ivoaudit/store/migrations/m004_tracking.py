"""Migration 4: measurements, IVO decisions and demands, findings, actions with links, one
history (migration 1's findings and actions carried over)."""

from __future__ import annotations

import sqlite3

from ivoaudit.store.migrations.statements import run_script


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
