"""Build a :class:`~ivoaudit.schema.LoadedExtract` directly from columns.

For tests, the benchmark and library callers who already hold canonical data: date fields
are converted to ``datetime64`` (ISO strings accepted), every other field kept as given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ivoaudit.fields import DATE_FIELDS
from ivoaudit.schema import LoadedExtract, SourceInfo, empty_problems


def build_extract(columns: Mapping[str, Iterable[Any]], invalid: Mapping[str, Iterable[bool]] | None = None,
                  *, path: str = "<memory>") -> LoadedExtract:
    """A LoadedExtract whose ``cases`` hold exactly ``columns`` (absent field = absent column)."""
    cases = pd.DataFrame({k: list(v) for k, v in columns.items()})
    for name in cases.columns:
        if name in DATE_FIELDS:
            cases[name] = pd.to_datetime(cases[name], format="ISO8601").astype("datetime64[ns]")
        elif name != "_row":
            cases[name] = cases[name].astype(object).where(cases[name].notna(), None)
    cases["_row"] = range(2, len(cases) + 2)
    flags = pd.DataFrame(False, index=cases.index, columns=[c for c in cases.columns if c != "_row"])
    for name, values in (invalid or {}).items():
        flags[name] = list(values)
    digest = hashlib.sha256(pd.util.hash_pandas_object(cases, index=False).to_numpy().tobytes()).hexdigest()
    source = SourceInfo(path=path, format="csv", rows=len(cases), fingerprint=digest)
    return LoadedExtract(cases=cases, invalid=flags, problems=empty_problems(), quarantine=empty_problems(),
                         source=source, columns={c: c for c in cases.columns if c != "_row"})
