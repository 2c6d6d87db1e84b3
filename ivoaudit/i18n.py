"""User-facing language: Swedish by default, English on request.

Texts are written inline as pairs, ``t("Filen är tom", "The file is empty")``, so a
message's two languages stand side by side where it is raised. The current language is a
context variable set once by the CLI (``--lang`` or ``IVOAUDIT_LANG``); library callers may
set it with :func:`use_language`.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator

LANGUAGES = ("sv", "en")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("ivoaudit_lang", default=None)


def normalise_language(value: str | None) -> str:
    """Map ``sv``/``en`` (any case, ``sv_SE`` style accepted) to a supported code; default ``sv``."""
    if not value:
        return "sv"
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else "sv"


def get_language() -> str:
    """The language in force: the context's, else ``IVOAUDIT_LANG``, else Swedish."""
    lang = _current.get()
    if lang is None:
        lang = normalise_language(os.environ.get("IVOAUDIT_LANG"))
    return lang


def set_language(lang: str | None) -> None:
    """Set the language for the rest of this context (the CLI calls this once)."""
    _current.set(normalise_language(lang) if lang else None)


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Temporarily use ``lang`` (e.g. to render an English report from a Swedish session)."""
    token = _current.set(normalise_language(lang))
    try:
        yield
    finally:
        _current.reset(token)


def t(sv: str, en: str, /, **params: object) -> str:
    """Pick the text for the current language and fill ``{placeholders}`` from ``params``."""
    text = en if get_language() == "en" else sv
    return text.format(**params) if params else text
