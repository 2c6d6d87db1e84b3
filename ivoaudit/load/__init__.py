"""Load case extracts (CSV/XLSX) and mapping files into canonical frames.

``load_extract`` and ``load_events`` return an :class:`ivoaudit.schema.LoadedExtract`;
``read_mapping`` validates a mapping file on its own. See ``docs/CONTRACTS.md``.

The names are imported on first use (PEP 562), so that ``ivoaudit.load.reading`` can be
imported, and a file parsed, before pandas is (see that module).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "load_extract": "ivoaudit.load.extract",
    "load_events": "ivoaudit.load.extract",
    "MappingSpec": "ivoaudit.load.mapping",
    "read_mapping": "ivoaudit.load.mapping",
    "resolve_columns": "ivoaudit.load.reading",
}

if TYPE_CHECKING:
    from ivoaudit.load.extract import load_events, load_extract
    from ivoaudit.load.mapping import MappingSpec, read_mapping
    from ivoaudit.load.reading import resolve_columns


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


__all__ = ["MappingSpec", "load_events", "load_extract", "read_mapping", "resolve_columns"]
