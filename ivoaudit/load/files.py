"""Open an extract file: refuse what is not a regular file, read its bytes, and hand them to
the CSV or XLSX reader."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from ivoaudit.errors import InputError, os_error_message
from ivoaudit.i18n import t
from ivoaudit.load.csv_reader import read_csv_table
from ivoaudit.load.limits import MAX_FILE_BYTES, megabytes
from ivoaudit.load.raw_table import RawTable
from ivoaudit.load.sniff import sniff_format
from ivoaudit.load.xlsx_reader import read_xlsx_table


def read_table(path: str | Path, sheet: str | None = None, *, encoding: str | None = None,
               delimiter: str | None = None, header_row: int | None = None) -> RawTable:
    """Read ``path`` (CSV or XLSX, by content) into a :class:`RawTable`.

    ``encoding``/``delimiter`` override what is sniffed (CSV); ``header_row`` is the row that
    holds the column names (default: the first row that is not empty). Raises
    :class:`~ivoaudit.errors.InputError` for a missing, special, empty, unreadable or
    unsupported file, a missing sheet or a missing header row.
    """
    path = Path(path)
    data = read_file_bytes(path, t("Uttagsfilen", "The extract file"))
    kind = sniff_format(data, path.name)
    if kind == "xlsx":
        table = read_xlsx_table(path.name, data, sheet, header_row=header_row)
    else:
        table = read_csv_table(path.name, data, encoding=encoding, delimiter=delimiter,
                               header_row=header_row)
    table.fingerprint = hashlib.sha256(data).hexdigest()
    return table


SPLIT_ADVICE = ("Dela upp uttaget (t.ex. per år eller verksamhetsområde).",
                "Split the extract (e.g. by year or area).")


def read_file_bytes(path: Path, what: str, limit: int = MAX_FILE_BYTES,
                    advice: tuple[str, str] = SPLIT_ADVICE) -> bytes:
    """The bytes of a regular file, or an :class:`InputError` saying why not (``what`` names
    the kind of file in the message, e.g. "Uttagsfilen"; ``advice`` what to do with one too big)."""
    try:
        info = os.stat(path)  # follows links; a FIFO or device is not opened (it could block)
    except OSError as exc:
        raise InputError(_cannot_open(what, path, exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(t("{what} {file} är en mapp, inte en fil. Ange filen (CSV eller XLSX).",
                           "{what} {file} is a folder, not a file. Give the file (CSV or XLSX).",
                           what=what, file=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(t(
            "{what} {file} är ingen vanlig fil utan en {kind}. Spara innehållet som en vanlig fil och "
            "ange den.",
            "{what} {file} is not a regular file but a {kind}. Save the content as a regular file and "
            "give that.", what=what, file=path, kind=_kind(info.st_mode)))
    if info.st_size > limit:
        raise InputError(t(
            "{what} {file} är {size} MB; den största som läses är {limit} MB. ",
            "{what} {file} is {size} MB; the largest read is {limit} MB. ", what=what, file=path,
            size=megabytes(info.st_size), limit=megabytes(limit)) + t(*advice))
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise InputError(_cannot_open(what, path, exc)) from None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return t("namngiven rörledning (FIFO)", "named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("enhet (t.ex. /dev/zero)", "device (e.g. /dev/zero)")
    if stat.S_ISSOCK(mode):
        return t("socket", "socket")
    return t("specialfil", "special file")


def _cannot_open(what: str, path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return t("{what} {file} finns inte. Kontrollera sökvägen och filnamnet.",
                 "{what} {file} does not exist. Check the path and file name.", what=what, file=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return t("{what} {file} kan inte läsas: du saknar behörighet, eller så har ett annat program "
                 "låst den (stäng den i Excel om den är öppen där) och försök igen.",
                 "{what} {file} cannot be read: you lack permission, or another program has locked "
                 "it (close it in Excel if it is open there) and try again.", what=what, file=path)
    exc.filename = str(path)
    return t("{what} kan inte läsas: ", "{what} cannot be read: ", what=what) + os_error_message(exc)
