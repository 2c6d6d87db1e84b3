"""Guards for text from the extract written into office documents.

Formula injection: a text cell that starts with ``= + - @`` (or a tab or CR) is evaluated
by Excel or LibreOffice once a user edits it or saves the sheet as CSV and opens that. The
``quotePrefix`` cell style alone does not survive "save as CSV", so such text is stored with
a leading apostrophe as part of the value (the OWASP CSV-injection advice, and the same
prefix the review form and the CSV files use): it stays inert in every format and the
apostrophe tells the reader the text was neutralised. Stable interface: the other report
modules use :func:`neutralise` and :func:`clean_text`.
"""

from __future__ import annotations

import re

from ivoaudit.safe_text import FORMULA_START  # one definition for CSV, xlsx and docx
from ivoaudit.safe_text import PREFIX as NEUTRALISING_PREFIX

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_formula_like(value: object) -> bool:
    """True for a string Excel would treat as a formula if written as is."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def clean_text(value: str) -> str:
    """Drop control characters XML (and so xlsx/docx) cannot hold."""
    return _CONTROL.sub("", value)


def neutralise(value: str) -> str:
    """Text that spreadsheets show as text and never evaluate (see the module docstring)."""
    text = clean_text(value)
    return NEUTRALISING_PREFIX + text if text.startswith(FORMULA_START) else text
