"""Unit names in public reports: the codes a municipality chooses to publish, else "Enhet 1…N".

A unit name is free text from the extract (a personnummer typed into a unit cell once
reached every public format), so a public report never prints it. The municipality may
publish its own codes with a small YAML file (``--unit-codes``)::

    # unit name as in the extract: the code to publish
    units:
      "Barn och unga Nord": "BU-N"
      "Barn och unga Syd": "BU-S"

Units the file does not name are numbered "Enhet 1", "Enhet 2", … in the sorted order of
their names. A published code is checked too: only letters, digits, spaces and ``- _ . /``,
at most 40 characters, so the file cannot smuggle a name with a number in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from ivoaudit.errors import InputError
from ivoaudit.i18n import t

CODE_PATTERN = re.compile(r"^[0-9A-Za-zÅÄÖåäöÉé _./-]{1,40}$")
_DIGIT_RUN = re.compile(r"\d{6,}")


def public_unit_labels(names: Iterable[object], codes: dict[str, str] | None = None) -> dict[str, str]:
    """Unit name → the label a public report shows."""
    codes = codes or {}
    import pandas as pd

    unique = pd.Series(pd.unique(pd.Series(names, dtype=object)), dtype=object)  # once per distinct name
    distinct = sorted({str(n).strip() for n in unique if isinstance(n, str) and n.strip()})
    out: dict[str, str] = {}
    number = 0
    for name in distinct:
        if name in codes:
            out[name] = codes[name]
        else:
            number += 1
            out[name] = t("Enhet {n}", "Unit {n}", n=number)
    return out


def load_unit_codes(path: str | Path) -> dict[str, str]:
    """Read a unit-code file (see the module docstring); an :class:`InputError` names the problem."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(t("Kan inte läsa enhetskoderna i {p}: {e}. Skriv filen som YAML med 'units:'.",
                           "Cannot read the unit codes in {p}: {e}. Write the file as YAML with 'units:'.",
                           p=path, e=type(exc).__name__)) from None
    units = doc.get("units") if isinstance(doc, dict) else None
    if not isinstance(units, dict):
        raise InputError(t("{p} ska ha nyckeln 'units:' med enhetsnamn och koden som ska publiceras.",
                           "{p} must have the key 'units:' with unit names and the code to publish.", p=path))
    out = {}
    for i, (name, code) in enumerate(units.items(), start=1):
        text = str(code).strip()
        if not CODE_PATTERN.match(text) or _DIGIT_RUN.search(text):
            raise InputError(t(
                "{p}, post {i}: koden för en enhet får bara ha bokstäver, siffror, mellanslag och - _ . / "
                "(högst 40 tecken, inga långa sifferföljder). Ändra koden.",
                "{p}, entry {i}: a unit's code may hold only letters, digits, spaces and - _ . / "
                "(at most 40 characters, no long runs of digits). Change the code.", p=path, i=i))
        out[str(name).strip()] = text
    return out
