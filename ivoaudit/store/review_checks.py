"""Review checks and round deletion: the store's side of issues 15 and 16.

* A *check* is the reviewer's "Stämmer med akten?" for one automatic result of a case
  (``yes``/``no``, and when ``no`` the date the case file gives). Checks are stored with the
  answers of the same import and, like them, kept as history when a later import replaces them.
* :func:`delete_round` removes a round with everything it holds, refusing a round that has
  answers unless ``force``; every deletion is recorded in ``round_deletions``.

These functions write SQL through :meth:`Store.transaction`, like the Store's own methods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.store.connection import now_iso
from ivoaudit.store.repository import Store

CHECK_COLUMNS = ["case_id", "rule_id", "matches", "correct_date"]


def replace_checks(store: Store, name: str, import_id: int,
                   checks: Iterable[tuple[str, str, str, str | None]]) -> int:
    """Make ``checks`` (case_id, rule_id, yes/no, correct date) the round's current checks."""
    info = store.get_round(name)
    rows = list(checks)
    bad = [c for c in rows if c[2] not in ("yes", "no")]
    if bad:
        raise ValueError(f"invalid checks {bad[:3]}")
    stamp = now_iso()
    with store.transaction() as con:
        con.execute("UPDATE review_checks SET superseded_at = ? WHERE round_id = ? AND superseded_at IS NULL",
                    (stamp, info.id))
        con.executemany("INSERT INTO review_checks (round_id, case_id, rule_id, matches, correct_date, "
                        "import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(info.id, c, r, m, d, import_id, stamp) for c, r, m, d in rows])
    return len(rows)


def current_checks(store: Store, name: str) -> pd.DataFrame:
    """The round's current checks: case_id, rule_id, matches (yes/no), correct_date."""
    info = store.get_round(name)
    rows = store.con.execute("SELECT case_id, rule_id, matches, correct_date FROM review_checks "
                             "WHERE round_id = ? AND superseded_at IS NULL ORDER BY id", (info.id,)).fetchall()
    return pd.DataFrame([dict(r) for r in rows], columns=CHECK_COLUMNS)


@dataclass(frozen=True)
class Deletion:
    """What :func:`delete_round` removed."""

    name: str
    cases: int
    answers: int
    forced: bool


def delete_round(store: Store, name: str, *, force: bool = False) -> Deletion:
    """Delete round ``name`` and all it holds; refused when it has answers, unless ``force``."""
    info = store.get_round(name)
    cases = int(store.con.execute("SELECT COUNT(*) FROM sampled_cases WHERE round_id = ?", (info.id,)).fetchone()[0])
    answers = int(store.con.execute("SELECT COUNT(*) FROM review_answers WHERE round_id = ? "
                                    "AND superseded_at IS NULL", (info.id,)).fetchone()[0])
    if answers and not force:
        raise StoreError(t(
            "Omgången {n} har {a} svar från granskningen och tas inte bort. Vill du ta bort den ändå "
            "(svaren går förlorade), lägg till --force.",
            "The round {n} holds {a} review answers and is not deleted. To delete it anyway (the "
            "answers are lost), add --force.", n=name, a=answers))
    with store.transaction() as con:
        con.execute("DELETE FROM review_answers WHERE round_id = ?", (info.id,))
        con.execute("DELETE FROM review_comments WHERE round_id = ?", (info.id,))
        con.execute("DELETE FROM review_checks WHERE round_id = ?", (info.id,))
        con.execute("DELETE FROM rounds WHERE id = ?", (info.id,))
        con.execute("INSERT INTO round_deletions (name, uid, deleted_at, cases, answers, forced) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (name, info.uid, now_iso(), cases, answers, int(force)))
    return Deletion(name, cases, answers, force)


def deletions(store: Store) -> pd.DataFrame:
    """Every recorded deletion, oldest first."""
    cols = ["name", "uid", "deleted_at", "cases", "answers", "forced"]
    rows = store.con.execute(f"SELECT {', '.join(cols)} FROM round_deletions ORDER BY id").fetchall()
    return pd.DataFrame([dict(r) for r in rows], columns=cols)
