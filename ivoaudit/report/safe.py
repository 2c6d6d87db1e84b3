"""Guards for text from the extract written into office documents."""

from __future__ import annotations

import re

# Characters that make Excel (and LibreOffice) read a cell as a formula or DDE command.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(value: object) -> bool:
    """True for a string Excel would treat as a formula if written as is."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def clean_text(value: str) -> str:
    """Drop control characters XML (and so xlsx/docx) cannot hold."""
    return _CONTROL.sub("", value)
