"""Pseudonyms: a keyed hash of each personnummer, so the same person can be followed across
rounds and nobody without the key can reverse it.

A pseudonym is ``"P"`` + the first 16 hex digits of HMAC-SHA256(key, number) (``hmac.digest``
once per distinct number). The key is kept beside the local store, owner-only
(:func:`load_or_create_secret`). A load that keeps no person ids (``check``, ``inspect``) needs
no key: :func:`local_tokens` numbers the persons instead (``"L0"``, ``"L1"``, …), which is all
the rules need; the store refuses such tokens (they link nothing across runs).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.atomic import make_dir
from ivoaudit.errors import UserError, os_error_message
from ivoaudit.i18n import t

SECRET_ENV = "IVOAUDIT_SECRET_FILE"
KEYED_PREFIX = "P"
LOCAL_TOKEN_PREFIX = "L"  # run-local person tokens: valid within one load only


def pseudonym_column(canonical: pa.Array | pa.ChunkedArray, secret: bytes,
                     prefix: str = KEYED_PREFIX) -> pa.Array:
    """Pseudonyms of an Arrow column of canonical numbers (null stays null)."""
    encoded = pc.dictionary_encode(canonical)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    digests = [prefix + hmac.digest(secret, number.encode("utf-8"), "sha256")[:8].hex()
               for number in encoded.dictionary.to_pylist()]
    return pa.array(digests, type=pa.string()).take(encoded.indices)


def pseudonymise(canonical: pd.Series, secret: bytes) -> pd.Series:
    """Keyed pseudonyms of a pandas column of canonical numbers; missing values stay ``None``."""
    texts = pa.array([None if pd.isna(v) else str(v) for v in canonical], type=pa.string())
    values = pseudonym_column(texts, secret).to_pylist()
    return pd.Series(values, index=canonical.index, name=canonical.name, dtype=object)


def throwaway_key() -> bytes:
    """A random key, for a load whose pseudonyms are not kept (``inspect`` of an events table)."""
    return secrets.token_bytes(32)


def local_tokens(canonical: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Run-local person tokens: ``"L"`` + the rank of the number's first appearance (null stays
    null). Equal numbers get equal tokens, so grouping by token is grouping by person, but a
    token carries nothing of the number and means nothing outside this load."""
    encoded = pc.dictionary_encode(canonical)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return pc.binary_join_element_wise(LOCAL_TOKEN_PREFIX, encoded.indices.cast(pa.string()), "")


def secret_path(path: Path | None = None) -> Path:
    """Where the secret lives: ``path``, else ``IVOAUDIT_SECRET_FILE``, else the user data dir."""
    if path is not None:
        return Path(path)
    env = os.environ.get(SECRET_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ivoaudit")) / "secret.key"


def load_or_create_secret(path: Path | None = None) -> bytes:
    """The 32-byte pseudonymisation key, created (hex, owner-only) on first use.

    Raises :class:`~ivoaudit.errors.UserError` when the file is readable by others
    (POSIX) or is not 64 hex digits: pseudonyms made with a leaked or damaged key would
    protect no one, and a silently replaced key would break links between rounds.
    """
    target = secret_path(path)
    try:
        if not target.exists():
            _create_secret(target)
        return _read_secret(target)
    except OSError as exc:
        raise UserError(t("Nyckelfilen för pseudonymer kan inte användas: {why}",
                          "The key file for pseudonyms cannot be used: {why}",
                          why=os_error_message(exc))) from None


def _read_secret(target: Path) -> bytes:
    info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UserError(t("Nyckelfilen {path} är ingen vanlig fil. Ange en fil med --secret-fil eller "
                          "miljövariabeln {env}, eller ta bort det som ligger där.",
                          "The key file {path} is not a regular file. Point {env} at a file, or remove "
                          "what is there.", path=target, env=SECRET_ENV))
    if os.name == "posix":
        mode = info.st_mode & 0o777
        if mode & 0o077:
            raise UserError(
                t(
                    "Nyckelfilen {path} kan läsas av andra än du (rättigheter {mode:o}). Gör den "
                    "privat med: chmod 600 {path}",
                    "The key file {path} can be read by others than you (mode {mode:o}). Make it "
                    "private with: chmod 600 {path}",
                    path=target,
                    mode=mode,
                )
            )
    with open(target, "rb") as handle:
        text = handle.read(200)
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise UserError(
            t(
                "Nyckelfilen {path} är skadad (den ska innehålla 64 hexadecimala tecken). "
                "Återställ den från säkerhetskopia; en ny nyckel ger nya pseudonymer som inte "
                "går att koppla till tidigare omgångar.",
                "The key file {path} is damaged (it should hold 64 hexadecimal characters). "
                "Restore it from a backup; a new key gives new pseudonyms that cannot be linked "
                "to earlier rounds.",
                path=target,
            )
        )
    return key


def _create_secret(target: Path) -> None:
    """Write a new key atomically: a private temp file, then a link that fails if taken."""
    parent = make_dir(target.parent)  # owner-only if made here; a loop of links is named as one
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=parent)  # created with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(32).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # link() (and rename() on Windows) refuse an existing target, so two processes
            # starting at once both end up with the first one's key.
            os.link(tmp, target)
        except FileExistsError:
            pass
        except OSError:
            if os.name == "posix":
                raise
            with contextlib.suppress(FileExistsError):
                os.rename(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
