"""Every file ivoaudit writes is whole or absent: written beside its final name, then renamed.

A killed process, a full disk or an exception leaves the old file (or none), never a
half-written one: the data goes to a temporary file in the same folder (so the rename
stays on one file system and is atomic), is flushed to disk, and ``os.replace`` puts it in
place. Files are created owner-only (0600) and folders made here owner-only (0700),
whatever the umask: outputs hold confidential social-services data (OSL 26 kap.).

Use :func:`atomic_path` for libraries that write to a path (openpyxl, python-docx,
matplotlib), :func:`atomic_open` for a file handle, :func:`write_bytes`/:func:`write_text`
for data in memory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_PREFIX = ".ivoaudit-tmp-"


def make_dir(path: str | Path) -> Path:
    """Create ``path`` (and missing parents) owner-only; an existing folder is left as it is."""
    folder = Path(path)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        os.stat(folder)  # the real reason, e.g. a loop of symbolic links (ELOOP)
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None
    for made in missing:
        with contextlib.suppress(OSError):
            os.chmod(made, DIR_MODE)
    return folder


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    make_dir(target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)  # mkstemp creates it 0600
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync(tmp)
        os.chmod(tmp, FILE_MODE)  # a library may have recreated the file with the umask
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno is not None and exc.filename in (str(tmp), tmp, None):
            # The user asked for ``target``: name it, not our temporary file.
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@overload
def atomic_open(path: str | Path, mode: Literal["wb"] = ...) -> contextlib.AbstractContextManager[IO[bytes]]: ...
@overload
def atomic_open(path: str | Path, mode: Literal["w"], *, encoding: str = ...,
                newline: str | None = ...) -> contextlib.AbstractContextManager[IO[str]]: ...


def atomic_open(path: str | Path, mode: str = "wb", *, encoding: str = "utf-8",
                newline: str | None = None) -> contextlib.AbstractContextManager[IO[Any]]:
    """Open a file for writing that appears under ``path`` only when the block ends well."""
    return _atomic_open(path, mode, encoding, newline)


@contextlib.contextmanager
def _atomic_open(path: str | Path, mode: str, encoding: str, newline: str | None) -> Iterator[IO[Any]]:
    if mode not in ("w", "wb"):
        raise ValueError("atomic_open writes only: mode 'w' or 'wb'")
    with atomic_path(path) as tmp:
        if mode == "wb":
            with open(tmp, "wb") as fh:
                yield fh
        else:
            with open(tmp, "w", encoding=encoding, newline=newline) as fh:
                yield fh


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (``\\n`` line ends kept as written)."""
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


__all__ = ["DIR_MODE", "FILE_MODE", "atomic_open", "atomic_path", "make_dir", "write_bytes", "write_text"]
