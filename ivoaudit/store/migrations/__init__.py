"""Schema of the audit store as ordered migrations, one module each.

Each migration is a function applied once, in order, inside one transaction; the
``schema_version`` table records which have run. Never edit a released migration: add a
new module and append its function to ``MIGRATIONS``. Sampled cases are pseudonymised (no
raw personnummer ever reaches the store).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ivoaudit.store.migrations.m001_initial import _m001_initial
from ivoaudit.store.migrations.m002_rule_titles import _m002_rule_titles
from ivoaudit.store.migrations.m003_unexecuted_lists import _m003_unexecuted_lists
from ivoaudit.store.migrations.m004_tracking import _m004_tracking
from ivoaudit.store.migrations.m005_review_checks import _m005_review_checks

MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _m001_initial,
    _m002_rule_titles,
    _m003_unexecuted_lists,
    _m004_tracking,
    _m005_review_checks,
)
SCHEMA_VERSION = len(MIGRATIONS)
