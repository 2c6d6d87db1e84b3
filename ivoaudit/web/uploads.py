"""Reading a form with a file from the request stream straight into the working folder.

The body is parsed as it arrives (python-multipart's streaming parser), so an extract of
hundreds of megabytes is never held in memory nor spooled to the system's temporary folder:
file parts go to a hidden file in the folder the caller names, text fields are kept. The
size limit is enforced on the bytes received, whatever Content-Length said. The caller
checks the content (:func:`ivoaudit.load.sniff.sniff_format`) and gives the file its
generated name; an upload that is refused leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ivoaudit.atomic import FILE_MODE

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks
from ivoaudit.web.security import Refused

MAX_FIELD = 64 * 1024  # a text field (a mapping form has many small ones)
MAX_FIELDS = 2000
HEAD = 64 * 1024  # bytes kept from the start of each file, for the content check


@dataclass
class UploadedFile:
    """A file part as received: where it is, what the user called it, its first bytes."""

    path: Path
    filename: str
    size: int = 0
    head: bytes = b""

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


@dataclass
class Form:
    """Text fields (last value wins; ``lists`` has all) and files by field name."""

    fields: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def discard(self) -> None:
        for f in self.files.values():
            f.discard()


def _too_large(limit: int) -> Refused:
    mb = limit // 2**20
    return Refused(413, f"Filen är för stor (gränsen är {mb} MB).",
                   f"The file is too large (the limit is {mb} MB).")


async def read_form(request: Request, folder: Path, limit: int) -> Form:
    """Parse a urlencoded or multipart form; files go to hidden files in ``folder``."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype == b"application/x-www-form-urlencoded":
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FIELD * 16:
                raise _too_large(MAX_FIELD * 16)
        from urllib.parse import parse_qsl

        form = Form()
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            form.fields[key] = value
            form.lists.setdefault(key, []).append(value)
        return form
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        return Form()  # not a form: no fields, so no CSRF token, and it is refused as such
    try:
        return await _multipart(request, params[b"boundary"], folder, limit)
    except MultipartParseError:
        raise Refused(400, "Formuläret kunde inte läsas.", "The form could not be read.") from None


class _PartReader:
    """python-multipart's callbacks for one form: text fields kept, file parts written as they
    arrive to a hidden owner-only file in ``folder``; a limit crossed is kept in ``error``
    (a callback cannot stop the parser) and raised by the caller after the chunk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.form = Form()
        self.headers: dict[bytes, bytes] = {}
        self.header_name = b""
        self.header_value = b""
        self.name = ""
        self.value = b""
        self.file: UploadedFile | None = None
        self.fh: BinaryIO | None = None
        self.error: Refused | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {"on_header_field": self.on_header_field, "on_header_value": self.on_header_value,
                "on_header_end": self.on_header_end, "on_headers_finished": self.on_headers_finished,
                "on_part_data": self.on_part_data, "on_part_end": self.on_part_end}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_name.lower()] = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, disp = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = disp.get(b"name", b"").decode("utf-8", "replace")
        self.value = b""
        if b"filename" in disp:
            path = self.folder / f".upload-{secrets.token_hex(8)}"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            self.fh = os.fdopen(fd, "wb")
            self.file = UploadedFile(path, disp[b"filename"].decode("utf-8", "replace"))
            if self.name in self.form.files:
                self.form.files[self.name].discard()
            self.form.files[self.name] = self.file

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.file is None or self.fh is None:
            self.value += chunk
            if len(self.value) > MAX_FIELD:
                self.error = _too_large(MAX_FIELD)
            return
        self.file.size += len(chunk)
        if len(self.file.head) < HEAD:
            self.file.head += chunk[:HEAD - len(self.file.head)]
        self.fh.write(chunk)

    def on_part_end(self) -> None:
        if self.file is not None:
            self.close()
        else:
            value = self.value.decode("utf-8", "replace")
            self.form.fields[self.name] = value
            self.form.lists.setdefault(self.name, []).append(value)
            if len(self.form.fields) > MAX_FIELDS:
                self.error = Refused(400, "För många fält i formuläret.", "Too many form fields.")
        self.headers = {}

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.fh, self.file = None, None


async def _multipart(request: Request, boundary: bytes, folder: Path, limit: int) -> Form:
    reader = _PartReader(folder)
    parser = MultipartParser(boundary, reader.callbacks())
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _too_large(limit)
            parser.write(chunk)
            if reader.error is not None:
                raise reader.error
        parser.finalize()
    except BaseException:
        reader.close()
        reader.form.discard()
        raise
    return reader.form
