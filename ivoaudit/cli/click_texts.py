"""Click's own texts (usage line, usage errors, help headings) in the user's language.

Click marks its messages for translation with :mod:`gettext` (``_("Usage:")``) and looks
them up in the process's text domain, in the languages of the ``LANGUAGE`` variable. The
CLI points that domain at ivoaudit's catalogue (``ivoaudit/locale/sv/LC_MESSAGES/ivoaudit.po``,
compiled to ``ivoaudit.mo`` beside it) and sets ``LANGUAGE`` to the language chosen with
``--lang``/``IVOAUDIT_LANG``: Swedish texts come from the catalogue, and English is click's
own text (there is no English catalogue). A message id missing from the catalogue, e.g. one
a newer click adds, stays in click's English: never an error.

A few words in click's help screens are not gettext messages (``[OPTIONS]``,
``COMMAND [ARGS]...`` and type names such as ``INTEGER``); our command and option classes
in :mod:`ivoaudit.cli.options` say those in the chosen language.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "ivoaudit"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

# Help-screen words that are not gettext messages, in Swedish.
SV_METAVARS = {
    "[OPTIONS]": "[ALTERNATIV]",
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
    "INTEGER": "HELTAL",
    "INTEGER RANGE": "HELTAL",
    "FLOAT": "DECIMALTAL",
    "FLOAT RANGE": "DECIMALTAL",
    "BOOLEAN": "JA/NEJ",
    "TEXT": "TEXT",
    "PATH": "SÖKVÄG",
    "FILE": "FIL",
    "DIRECTORY": "MAPP",
    "ENCODING": "KODNING",
    "DELIMITER": "TECKEN",
}


def use_catalogue(lang: str) -> None:
    """Make click's messages come out in ``lang`` (``"sv"`` or ``"en"``) in this process.

    Binds gettext's text domain to ivoaudit's catalogue and sets ``LANGUAGE``; both are
    process-wide, which is what a command-line program wants (the CLI calls this, the
    library never does). Safe to call again with another language.
    """
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang


def metavar(text: str, lang: str) -> str:
    """A help-screen word (``[OPTIONS]``, ``INTEGER``…) in ``lang``."""
    if lang != "sv":
        return text
    suffix = "..." if text.endswith("...") and text not in SV_METAVARS else ""
    return SV_METAVARS.get(text.removesuffix(suffix) if suffix else text, text.removesuffix(suffix)) + suffix


__all__ = ["DOMAIN", "LOCALE_DIR", "SV_METAVARS", "metavar", "use_catalogue"]
