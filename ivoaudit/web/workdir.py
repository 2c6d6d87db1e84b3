"""The app's working folder: uploaded extracts and forms, check folders, reports, mappings.

Everything the app writes lives here (never in the package), owner-only, under names the
app makes up: a user's file name is kept only as a label in the record beside it. Each
kind of thing has a folder and one small JSON record per item; downloads are served only
from inside this folder (:meth:`Workdir.resolve` refuses anything that leads out).
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from ivoaudit.atomic import make_dir, write_text

KINDS = ("extracts", "checks", "rounds", "reports", "mappings", "runs", "answers")
_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")


class NotInWorkdir(Exception):
    """A path that does not lead to a file inside the working folder."""


def new_id() -> str:
    """A sortable, unguessable id: ``YYYYMMDD-HHMMSS-xxxxxx``."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def safe_name(filename: str, suffix: str, default: str) -> str:
    """A user's file name reduced to letters, digits, space, ``-``, ``_`` and ``.`` (no
    folders, no leading dot), with ``suffix``: messages about the file then name it as the
    user knows it, and the folder it goes into is still one the app made up."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[: -len(suffix)] if base.lower().endswith(suffix) else base
    kept = "".join(c for c in stem if c.isalnum() or c in " -_.").strip(" .")[:80]
    return (kept or default) + suffix


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


class Workdir:
    """The folder and its records."""

    def __init__(self, root: str | Path):
        self.root = make_dir(Path(root)).resolve()
        for kind in KINDS:
            make_dir(self.root / kind)

    def folder(self, kind: str, item: str) -> Path:
        """``<root>/<kind>/<item>/``, made owner-only."""
        if kind not in KINDS or not valid_id(item):
            raise NotInWorkdir(f"{kind}/{item}")
        return make_dir(self.root / kind / item)

    def save(self, kind: str, item: str, record: dict[str, Any]) -> dict[str, Any]:
        """Write ``record`` (with its ``id``) as the item's record; returns it."""
        record = {**record, "id": item}
        write_text(self.folder(kind, item) / "record.json",
                   json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))
        return record

    def load(self, kind: str, item: str) -> dict[str, Any] | None:
        """The item's record, or None when there is none (or the id is not one of ours)."""
        if kind not in KINDS or not valid_id(item):
            return None
        path = self.root / kind / item / "record.json"
        if not path.is_file():
            return None
        return json.loads(path.read_text("utf-8"))

    def list(self, kind: str) -> list[dict[str, Any]]:
        """Every record of a kind, newest first."""
        out = []
        for entry in sorted((self.root / kind).iterdir(), reverse=True):
            record = self.load(kind, entry.name) if entry.is_dir() else None
            if record is not None:
                out.append(record)
        return out

    def relative(self, path: Path) -> str:
        """``path`` as written in records and download links (``/`` separated)."""
        return path.resolve().relative_to(self.root).as_posix()

    def resolve(self, relative: str) -> Path:
        """The file at ``relative`` inside the folder; anything else is refused.

        Refused: absolute paths, ``..`` anywhere, backslashes and drive letters, hidden
        names (temporary files), records, and links that lead out of the folder.
        """
        parts = relative.split("/")
        if (not relative or relative.startswith("/") or "\\" in relative or ":" in relative
                or any(p in ("", ".", "..") or p.startswith(".") for p in parts)
                or parts[-1] == "record.json"):
            raise NotInWorkdir(relative)
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise NotInWorkdir(relative)
        return path
