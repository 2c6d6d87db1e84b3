"""The audit store: rounds, their sampled cases and automatic results, review answers.

``Store(path)`` opens (creating and migrating as needed) the database through
``connection.Database``; its methods and the functions of the other ``store`` modules are
the only code that writes SQL. Every write runs in one transaction (all or nothing).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from ivoaudit.errors import StoreError
from ivoaudit.i18n import t
from ivoaudit.schema import ANSWERS, ROUND_RESULT_COLUMNS
from ivoaudit.store.connection import Database, default_db_path, now_iso
from ivoaudit.store.migrations import MIGRATIONS, SCHEMA_VERSION
from ivoaudit.store.records import ImportResult, ManualQuestion, RoundInfo

KEY_DATE_FIELDS = ("received_date", "protection_assessment_date", "preliminary_decision_date",
                   "preliminary_outcome", "investigation_start", "investigation_end",
                   "decision_date", "decision_outcome", "execution_date")
CASE_COLUMNS = ["case_id", "draw_seq", "draw_order", "stratum", "person_pseudonym", "unit",
                "caseworker", "area", "sex", "age_group", "received_date"]

__all__ = ["Store", "default_db_path", "now_iso"]


def _text(value: Any) -> str | None:
    """A cell value as text for the store: dates ISO, missing as None."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _int(value: Any) -> int | None:
    text = _text(value)
    if text is None or text == "":
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


class Store(Database):
    """Repository over one audit database file."""

    def _migrate(self) -> None:
        """Bring the schema up to date, one migration per write transaction, each reading the
        version under its own lock: many processes may open a new store at once, and only the
        first applies a migration (the others wait for its lock, then find it applied). A
        migration that fails leaves the ones before it applied."""
        with self.transaction() as con:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                        "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(t(
                "Granskningsdatabasen {p} är skapad av en nyare version av ivoaudit "
                "(schema {v}). Uppdatera ivoaudit.",
                "The audit store {p} was created by a newer ivoaudit (schema {v}). Upgrade ivoaudit.",
                p=self.path, v=current))
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            with self.transaction() as con:
                if self.schema_version() >= version:  # another process applied it meanwhile
                    continue
                migration(con)
                con.execute("INSERT INTO schema_version VALUES (?, ?)", (version, now_iso()))

    def form_key(self) -> bytes:
        """The secret that signs review forms (created on first use, kept in the store)."""
        row = self.con.execute("SELECT value FROM store_meta WHERE key = 'form_key'").fetchone()
        if row is not None:
            return bytes.fromhex(row[0])
        key = secrets.token_bytes(32)
        with self.transaction() as con:
            con.execute("INSERT OR IGNORE INTO store_meta VALUES ('form_key', ?)", (key.hex(),))
        row = self.con.execute("SELECT value FROM store_meta WHERE key = 'form_key'").fetchone()
        return bytes.fromhex(row[0])

    # -- rounds -----------------------------------------------------------------------
    def _round_row(self, name: str) -> sqlite3.Row:
        row = self.con.execute("SELECT * FROM rounds WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = [r[0] for r in self.con.execute("SELECT name FROM rounds ORDER BY id")]
            raise StoreError(t(
                "Granskningsomgången {n} finns inte i {p}. Befintliga omgångar: {k}. "
                "Se `ivoaudit rounds list`.",
                "The audit round {n} is not in {p}. Existing rounds: {k}. See `ivoaudit rounds list`.",
                n=name, p=self.path, k=", ".join(known) or "–"))
        return row

    def _info(self, row: sqlite3.Row) -> RoundInfo:
        records = [json.loads(r[0]) for r in self.con.execute(
            "SELECT record_json FROM sampling_records WHERE round_id = ? ORDER BY seq", (row["id"],))]
        return RoundInfo(
            id=row["id"], name=row["name"], uid=row["uid"], created_at=row["created_at"],
            as_of=row["as_of"], extract_fingerprint=row["extract_fingerprint"],
            tool_version=row["tool_version"], language=row["language"],
            layout=json.loads(row["layout_json"]) if row["layout_json"] else None,
            records=records)

    def has_round(self, name: str) -> bool:
        """True when a round of that name exists."""
        return self.con.execute("SELECT 1 FROM rounds WHERE name = ?", (name,)).fetchone() is not None

    def get_round(self, name: str) -> RoundInfo:
        """The round ``name``; a ``StoreError`` naming the existing rounds when absent."""
        return self._info(self._round_row(name))

    def get_round_by_uid(self, uid: str) -> RoundInfo | None:
        """The round whose form id is ``uid``, or None."""
        row = self.con.execute("SELECT * FROM rounds WHERE uid = ?", (uid,)).fetchone()
        return self._info(row) if row is not None else None

    def list_rounds(self) -> list[RoundInfo]:
        """Every round, oldest first."""
        return [self._info(r) for r in self.con.execute("SELECT * FROM rounds ORDER BY id")]

    def create_round(self, name: str, *, record: dict[str, Any], cases: pd.DataFrame,
                     results: pd.DataFrame, questions: Iterable[ManualQuestion] = (),
                     as_of: str | None = None, extract_fingerprint: str | None = None,
                     tool_version: str | None = None, language: str = "sv") -> RoundInfo:
        """Store a new round with its first sampling record, sampled cases and results.

        ``cases``: the sampled cases (canonical columns; ``draw_order`` and ``stratum``
        optional); ``results``: the checker's results for them (other cases are ignored).
        """
        if self.has_round(name):
            raise StoreError(t(
                "Det finns redan en granskningsomgång som heter {n}. Välj ett annat namn med "
                "--round, eller utöka den med --extend {n}.",
                "There is already an audit round called {n}. Choose another name with --round, "
                "or extend it with --extend {n}.", n=name))
        with self.transaction() as con:
            cur = con.execute(
                "INSERT INTO rounds (name, uid, created_at, as_of, extract_fingerprint, "
                "tool_version, language) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, secrets.token_hex(16), now_iso(), as_of, extract_fingerprint,
                 tool_version, language))
            round_id = int(cur.lastrowid or 0)
            self._add_draw(con, round_id, 0, record, cases, results)
            for q in questions:
                con.execute("INSERT OR REPLACE INTO review_questions VALUES (?, ?, ?, ?, ?, ?)",
                            (round_id, q.rule_id, q.question_sv, q.question_en,
                             q.guidance_sv, q.guidance_en))
        return self.get_round(name)

    def extend_round(self, name: str, *, record: dict[str, Any], cases: pd.DataFrame,
                     results: pd.DataFrame, questions: Iterable[ManualQuestion] = ()) -> RoundInfo:
        """Add cases drawn by a further sampling record; earlier cases stay as they are."""
        info = self.get_round(name)
        already = set(self.sampled_cases(name)["case_id"])
        overlap = sorted(already & set(cases["case_id"].astype(str)))
        if overlap:
            raise StoreError(t("Ärendena {c} finns redan i omgången {n}.",
                               "The cases {c} are already in the round {n}.",
                               c=", ".join(overlap[:5]), n=name))
        with self.transaction() as con:
            seq = len(info.records)
            self._add_draw(con, info.id, seq, record, cases, results, order_offset=len(already))
            for q in questions:
                con.execute("INSERT OR IGNORE INTO review_questions VALUES (?, ?, ?, ?, ?, ?)",
                            (info.id, q.rule_id, q.question_sv, q.question_en,
                             q.guidance_sv, q.guidance_en))
        return self.get_round(name)

    def _add_draw(self, con: sqlite3.Connection, round_id: int, seq: int, record: dict[str, Any],
                  cases: pd.DataFrame, results: pd.DataFrame, order_offset: int = 0) -> None:
        _refuse_local_tokens(cases)
        con.execute("INSERT INTO sampling_records (round_id, seq, created_at, record_json) "
                    "VALUES (?, ?, ?, ?)",
                    (round_id, seq, now_iso(), json.dumps(record, ensure_ascii=False, sort_keys=True)))
        rows = []
        for position, (_, case) in enumerate(cases.iterrows()):
            key_dates = {f: _text(case.get(f)) for f in KEY_DATE_FIELDS
                         if f in cases.columns and _text(case.get(f)) is not None}
            order = _int(case.get("draw_order")) if "draw_order" in cases.columns else None
            rows.append((round_id, str(case["case_id"]), seq,
                         order_offset + (order if order is not None else position),
                         _text(case.get("stratum")), _text(case.get("person_id")),
                         _text(case.get("unit")), _text(case.get("caseworker")),
                         _text(case.get("area")), _text(case.get("sex")),
                         _text(case.get("age_group")), key_dates.get("received_date"),
                         json.dumps(key_dates, ensure_ascii=False, sort_keys=True)))
        con.executemany("INSERT INTO sampled_cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        wanted = {r[1] for r in rows}
        subset = results[results["case_id"].astype(str).isin(wanted)]
        con.executemany(
            "INSERT INTO auto_results VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(round_id, str(r.case_id), str(r.rule_id), str(r.status),
              _text(getattr(r, "start_date", None)), _text(getattr(r, "end_date", None)),
              _text(getattr(r, "deadline", None)), _int(getattr(r, "days", None)),
              _int(getattr(r, "days_over", None)), _text(getattr(r, "note", None)))
             for r in subset.itertuples(index=False)])

    def set_layout(self, name: str, layout: dict[str, Any]) -> None:
        """Remember the review form's column layout for the round."""
        info = self.get_round(name)
        with self.transaction() as con:
            con.execute("UPDATE rounds SET layout_json = ? WHERE id = ?",
                        (json.dumps(layout, ensure_ascii=False, sort_keys=True), info.id))

    def sampled_cases(self, name: str) -> pd.DataFrame:
        """The round's cases in selection order (key dates expanded into columns)."""
        info = self.get_round(name)
        rows = self.con.execute("SELECT * FROM sampled_cases WHERE round_id = ? ORDER BY draw_order",
                                (info.id,)).fetchall()
        records = []
        for r in rows:
            item = {c: r[c] for c in CASE_COLUMNS}
            for key, value in json.loads(r["key_dates_json"]).items():
                item.setdefault(key, value)
            records.append(item)
        frame = pd.DataFrame.from_records(records, columns=None if records else CASE_COLUMNS)
        return frame.rename(columns={"person_pseudonym": "person_id"})

    def auto_results(self, name: str) -> pd.DataFrame:
        """The checker's results for the round's cases (columns of results.csv)."""
        info = self.get_round(name)
        rows = self.con.execute(
            "SELECT r.* FROM auto_results r JOIN sampled_cases c USING (round_id, case_id) "
            "WHERE r.round_id = ? ORDER BY c.draw_order, r.rule_id", (info.id,)).fetchall()
        return pd.DataFrame([{c: r[c] for c in ROUND_RESULT_COLUMNS} for r in rows],
                            columns=list(ROUND_RESULT_COLUMNS))

    def set_rule_titles(self, name: str, titles: Mapping[str, tuple[str, str]]) -> None:
        """Keep the rules' titles (rule_id -> (sv, en)) with the round."""
        info = self.get_round(name)
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO rule_titles VALUES (?, ?, ?, ?)",
                            [(info.id, rule, sv, en) for rule, (sv, en) in titles.items()])

    def rule_titles(self, name: str, lang: str) -> dict[str, str]:
        """rule_id -> title in ``lang`` for the round."""
        info = self.get_round(name)
        column = "title_en" if lang == "en" else "title_sv"
        return {r[0]: r[1] for r in self.con.execute(
            f"SELECT rule_id, {column} FROM rule_titles WHERE round_id = ?", (info.id,))}

    def questions(self, name: str) -> list[ManualQuestion]:
        """The manual questions stored with the round."""
        info = self.get_round(name)
        return [ManualQuestion(r["rule_id"], r["question_sv"], r["question_en"],
                               r["guidance_sv"], r["guidance_en"])
                for r in self.con.execute("SELECT * FROM review_questions WHERE round_id = ? "
                                          "ORDER BY rule_id", (info.id,))]

    # -- review answers ---------------------------------------------------------------
    def current_answers(self, name: str) -> pd.DataFrame:
        """Current answers: columns case_id, rule_id, answer (yes/no/not_applicable)."""
        info = self.get_round(name)
        rows = self.con.execute("SELECT case_id, rule_id, answer FROM review_answers "
                                "WHERE round_id = ? AND superseded_at IS NULL ORDER BY id",
                                (info.id,)).fetchall()
        return pd.DataFrame([dict(r) for r in rows], columns=["case_id", "rule_id", "answer"])

    def answer_history(self, name: str) -> pd.DataFrame:
        """Every answer version: case_id, rule_id, answer, import_id, created_at, superseded_at."""
        info = self.get_round(name)
        cols = ["case_id", "rule_id", "answer", "import_id", "created_at", "superseded_at"]
        rows = self.con.execute(f"SELECT {', '.join(cols)} FROM review_answers WHERE round_id = ? "
                                "ORDER BY id", (info.id,)).fetchall()
        return pd.DataFrame([dict(r) for r in rows], columns=cols)

    def current_comments(self, name: str) -> dict[str, str]:
        """Current free-text comment per case."""
        info = self.get_round(name)
        return {r[0]: r[1] for r in self.con.execute(
            "SELECT case_id, comment FROM review_comments WHERE round_id = ? AND superseded_at IS NULL",
            (info.id,))}

    def imports(self, name: str) -> list[dict[str, Any]]:
        """The review imports of the round, oldest first."""
        info = self.get_round(name)
        return [dict(r) for r in self.con.execute(
            "SELECT * FROM review_imports WHERE round_id = ? ORDER BY id", (info.id,))]

    def replace_answers(self, name: str, answers: Iterable[tuple[str, str, str]],
                        comments: dict[str, str], *, file_name: str, file_sha256: str,
                        total: int) -> ImportResult:
        """Make ``answers`` (case_id, rule_id, answer) the round's current answers.

        The earlier current answers and comments are kept as history (superseded now).
        """
        info = self.get_round(name)
        answers = list(answers)
        bad = [a for a in answers if a[2] not in ANSWERS]
        if bad:
            raise ValueError(f"invalid answers {bad[:3]}")
        stamp = now_iso()
        with self.transaction() as con:
            cur = con.execute("INSERT INTO review_imports (round_id, imported_at, file_name, "
                              "file_sha256, answered, total) VALUES (?, ?, ?, ?, ?, ?)",
                              (info.id, stamp, file_name, file_sha256, len(answers), total))
            import_id = int(cur.lastrowid or 0)
            replaced = con.execute("UPDATE review_answers SET superseded_at = ? "
                                   "WHERE round_id = ? AND superseded_at IS NULL",
                                   (stamp, info.id)).rowcount
            con.execute("UPDATE review_comments SET superseded_at = ? "
                        "WHERE round_id = ? AND superseded_at IS NULL", (stamp, info.id))
            con.executemany("INSERT INTO review_answers (round_id, case_id, rule_id, answer, "
                            "import_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                            [(info.id, c, r, a, import_id, stamp) for c, r, a in answers])
            con.executemany("INSERT INTO review_comments (round_id, case_id, comment, import_id, "
                            "created_at) VALUES (?, ?, ?, ?, ?)",
                            [(info.id, c, text, import_id, stamp) for c, text in comments.items()])
        return ImportResult(name, import_id, len(answers), total, replaced)

    def reviewed_case_ids(self) -> set[str]:
        """Cases that have at least one review answer in any round."""
        return {r[0] for r in self.con.execute(
            "SELECT DISTINCT case_id FROM review_answers WHERE superseded_at IS NULL")}

    def sampled_case_ids(self) -> set[str]:
        """Cases drawn in any round."""
        return {r[0] for r in self.con.execute("SELECT DISTINCT case_id FROM sampled_cases")}


def _refuse_local_tokens(cases: pd.DataFrame) -> None:
    """A round keeps keyed pseudonyms, which link a person across rounds; a run-local token
    (``load_extract(keyed=False)``) would link nothing and must never be stored."""
    from ivoaudit.normalise.pseudonyms import LOCAL_TOKEN_PREFIX

    if "person_id" not in cases:
        return
    ids = cases["person_id"].dropna().astype(str)
    if ids.str.startswith(LOCAL_TOKEN_PREFIX).any():
        raise ValueError("person_id holds run-local tokens; load the extract with keyed=True to store it")

