"""One SQLite file opened safely: owner-only, WAL, foreign keys, one write transaction at a
time, SQLite's answers (full disk, read-only, busy) turned into a ``StoreError`` saying what
to do. The audit store (``repository.Store``) is built on it; the schema is not known here.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from ivoaudit.atomic import FILE_MODE, make_dir
from ivoaudit.errors import StoreError, os_error_message
from ivoaudit.i18n import t

BUSY_TIMEOUT_S = 60.0  # how long to wait for another process's write lock


def _private_file(path: Path) -> None:
    """Create ``path`` (and its missing folders) owner-only, whatever the umask: the store
    holds confidential data. An existing store readable by others is made owner-only too.
    SQLite gives its journal files the database file's permissions."""
    make_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        if os.name == "posix" and os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    """What went wrong, as a sentence."""
    return os_error_message(exc) if isinstance(exc, OSError) else f"({exc})."


def default_db_path() -> Path:
    """``IVOAUDIT_DB`` if set, else ``ivoaudit.db`` in the user's data directory."""
    env = os.environ.get("IVOAUDIT_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ivoaudit", appauthor=False)) / "ivoaudit.db"


def now_iso() -> str:
    """The current UTC time, ISO 8601 with microseconds (orders history entries)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")



class Database:
    """A connection to one store file; ``Store`` adds the schema and the audit data."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._depth = 0  # open transaction() blocks (see there)
        try:
            _private_file(self.path)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves (see transaction()).
            # timeout: wait for another process's write (e.g. its first-use migration).
            self.con = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(t(
                "Kan inte öppna granskningsdatabasen {p}. {e} Ange en annan fil med --db.",
                "Cannot open the audit store {p}. {e} Give another file with --db.",
                p=self.path, e=_reason(exc))) from exc
        self.con.row_factory = sqlite3.Row
        try:
            self.con.execute("PRAGMA foreign_keys = ON")
            self._use_wal()
            self._migrate()
        except sqlite3.OperationalError as exc:
            self.con.close()
            raise StoreError(t(
                "Granskningsdatabasen {p} kan inte användas just nu ({e}). Vänta tills andra "
                "körningar mot den är klara och försök igen.",
                "The audit store {p} cannot be used right now ({e}). Wait until other runs "
                "against it are done and try again.", p=self.path, e=exc)) from exc
        except sqlite3.DatabaseError as exc:
            self.con.close()
            raise StoreError(t(
                "Filen {p} är ingen granskningsdatabas ({e}). Ange rätt fil med --db.",
                "The file {p} is not an audit store ({e}). Give the right file with --db.",
                p=self.path, e=exc)) from exc

    def _use_wal(self) -> None:
        """Switch a new store to WAL (the mode is kept in the file, so later opens find it set).

        Several processes opening a brand-new store at once all try to switch; SQLite answers
        "locked" at once instead of waiting (its busy handler is not used there, to avoid a
        deadlock), so the switch is retried until the usual busy timeout has passed.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.con.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any exception.

        Re-entrant: a transaction opened inside another joins it, so a caller can make several
        writes (and a file written with them, e.g. a round and its review form) one unit.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.con
            finally:
                self._depth -= 1
            return
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._store_error(exc) from exc
        self._depth = 1
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):  # a full disk may have ended it already
                self.con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise self._store_error(exc) from exc
            raise
        finally:
            self._depth = 0

    def _store_error(self, exc: sqlite3.OperationalError) -> Exception:
        """A write the user can fix (full disk, read-only drive, another run holding the lock)
        as a StoreError saying what to do; anything else stays as it is (a bug)."""
        name = getattr(exc, "sqlite_errorname", None) or ""
        texts = {
            "SQLITE_FULL": ("Disken är full: ändringen i granskningsdatabasen {p} gjordes inte. Frigör "
                            "utrymme och försök igen.",
                            "The disk is full: the change to the audit store {p} was not made. Free "
                            "some space and try again."),
            "SQLITE_READONLY": ("Granskningsdatabasen {p} går inte att skriva i (skrivskyddad). Ange en "
                                "fil du kan skriva i med --db.",
                                "The audit store {p} cannot be written (read-only). Give a file you "
                                "can write with --db."),
            "SQLITE_BUSY": ("Granskningsdatabasen {p} används av en annan körning. Vänta tills den är "
                            "klar och försök igen.",
                            "The audit store {p} is in use by another run. Wait until it is done and "
                            "try again."),
        }
        key = next((k for k in texts if name.startswith(k)), None)
        if key is None and name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
            return StoreError(t("Läs- eller skrivfel i granskningsdatabasen {p} ({e}). Kontrollera "
                                "enheten och försök igen; ingen ändring gjordes.",
                                "A read or write error in the audit store {p} ({e}). Check the drive "
                                "and try again; no change was made.", p=self.path, e=exc))
        if key is None:
            return exc
        return StoreError(t(*texts[key], p=self.path))

    def _migrate(self) -> None:
        """Bring the schema up to date (``Store`` knows the schema); run while opening."""

    def schema_version(self) -> int:
        """The highest migration applied."""
        row = self.con.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

