"""Words for result statuses, the same in every output a person reads.

The check report, the review form and the reports all name statuses with these words, so
a unit manager never meets "brist" in one file and "Ej uppfyllt" in another.
"""

from __future__ import annotations

from ivoaudit.i18n import get_language

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "pass": ("Uppfyllt", "Pass"),
    "fail": ("Ej uppfyllt", "Fail"),
    "overdue": ("Försenat", "Overdue"),
    "pending": ("Pågår", "Pending"),
    "missing_data": ("Uppgift saknas", "Missing data"),
    "needs_review": ("Granskas manuellt", "Needs review"),
    "not_applicable": ("Ej tillämplig", "Not applicable"),
}


def status_word(status: str, lang: str | None = None) -> str:
    """The word for ``status`` in ``lang`` (default: the language in force)."""
    words = STATUS_WORDS.get(status)
    if words is None:
        return status
    return words[1] if (lang or get_language()) == "en" else words[0]
