"""Load case extracts (CSV/XLSX) and mapping files into canonical frames.

``load_extract`` and ``load_events`` return an :class:`ivoaudit.model.LoadedExtract`;
``read_mapping`` validates a mapping file on its own. See ``docs/CONTRACTS.md``.
"""

from ivoaudit.load.extract import load_events, load_extract, resolve_columns
from ivoaudit.load.mapping import MappingSpec, read_mapping

__all__ = ["MappingSpec", "load_events", "load_extract", "read_mapping", "resolve_columns"]
