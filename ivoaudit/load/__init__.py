"""Load case extracts (CSV/XLSX) and mapping files into canonical frames.

``load_extract`` and ``load_events`` return an :class:`ivoaudit.schema.LoadedExtract`;
``read_mapping`` validates a mapping file on its own; ``inspect_file`` reports what was seen.
The modules, in the order a file goes through them: ``files`` (open, refuse special files),
``sniff`` (format, encoding, delimiter), ``csv_reader``/``xlsx_reader`` (cells, with ``lines``
accounting for every CSV line), ``headers``/``columns``/``mapping`` (which column is which
field), ``extract`` (the frames), ``inspection`` (the report of ``ivoaudit inspect``).
"""

from __future__ import annotations

from ivoaudit.load.columns import resolve_columns
from ivoaudit.load.extract import load_events, load_extract
from ivoaudit.load.inspection import inspect_file
from ivoaudit.load.mapping import MappingSpec, read_mapping

__all__ = ["MappingSpec", "inspect_file", "load_events", "load_extract", "read_mapping", "resolve_columns"]
