"""Running a migration's SQL inside the migration's transaction."""

from __future__ import annotations

import sqlite3


def run_script(con: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements one by one: ``executescript`` would COMMIT first and
    so break the all-or-nothing migration."""
    for statement in script.split(";\n"):
        if statement.strip():
            con.execute(statement)
