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

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ivoaudit.atomic import FILE_MODE
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


async def _multipart(request: Request, boundary: bytes, folder: Path, limit: int) -> Form:
    form = Form()
    state: dict = {"headers": {}, "name": b"", "value": b"", "file": None, "fh": None,
                   "total": 0, "error": None}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["hname"] = state.get("hname", b"") + data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["hvalue"] = state.get("hvalue", b"") + data[start:end]

    def on_header_end() -> None:
        state["headers"][state.pop("hname", b"").lower()] = state.pop("hvalue", b"")

    def on_headers_finished() -> None:
        _, disp = parse_options_header(state["headers"].get(b"content-disposition", b""))
        state["name"] = disp.get(b"name", b"").decode("utf-8", "replace")
        state["value"] = b""
        if b"filename" in disp:
            path = folder / f".upload-{secrets.token_hex(8)}"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            state["fh"] = os.fdopen(fd, "wb")
            upload = UploadedFile(path, disp[b"filename"].decode("utf-8", "replace"))
            state["file"] = upload
            if state["name"] in form.files:
                form.files[state["name"]].discard()
            form.files[state["name"]] = upload

    def on_part_data(data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        upload: UploadedFile | None = state["file"]
        if upload is None:
            state["value"] += chunk
            if len(state["value"]) > MAX_FIELD:
                state["error"] = _too_large(MAX_FIELD)
            return
        upload.size += len(chunk)
        if len(upload.head) < HEAD:
            upload.head += chunk[:HEAD - len(upload.head)]
        state["fh"].write(chunk)

    def on_part_end() -> None:
        if state["file"] is not None:
            state["fh"].close()
            state["fh"], state["file"] = None, None
        else:
            value = state["value"].decode("utf-8", "replace")
            form.fields[state["name"]] = value
            form.lists.setdefault(state["name"], []).append(value)
            if len(form.fields) > MAX_FIELDS:
                state["error"] = Refused(400, "För många fält i formuläret.", "Too many form fields.")
        state["headers"] = {}

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        async for chunk in request.stream():
            state["total"] += len(chunk)
            if state["total"] > limit:
                raise _too_large(limit)
            parser.write(chunk)
            if state["error"] is not None:
                raise state["error"]
        parser.finalize()
    except BaseException:
        if state["fh"] is not None:
            state["fh"].close()
        form.discard()
        raise
    return form
