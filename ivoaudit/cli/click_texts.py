"""Click's own texts (usage line, usage errors, help headings) in Swedish.

Click marks its messages for translation with :mod:`gettext`: each of its modules binds
``_`` (and ``ngettext``) at import time and calls them with the English text as message
id. We localise click the way it is meant to be: by answering those calls from a table
of Swedish translations. :func:`install` rebinds ``_``/``ngettext`` in click's modules for
Swedish and puts click's own functions back for English, so a process can switch
language between programs (the tests do). A message id missing from the table, e.g. one
a newer click adds, falls back to click's English text: never an error.

A few words in click's help screens are not gettext messages (``[OPTIONS]``,
``COMMAND [ARGS]...`` and type names such as ``INTEGER``); :func:`localise_command`
sets those on our own command objects.
"""

from __future__ import annotations

import functools
import gettext
import importlib
import re
import string
import sys
from collections.abc import Callable
from types import ModuleType

import click

# Every click module that binds ``_``/``ngettext`` from gettext (click 8.4; a test checks
# this list against the installed click). ``_winconsole`` only imports on Windows.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "click._winconsole",
)

# Message id (click's English text, placeholders and all) -> Swedish. A translation may
# leave out a placeholder when the sentence reads better without it (str.format ignores
# unused fields) but never adds one. Developer-only messages (bad decorators and the like)
# are left in English on purpose.
SV: dict[str, str] = {
    # usage line, hints and the error prefix
    "Usage:": "Användning:",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Error: {message}": "Fel: {message}",
    "Aborted!": "Avbrutet!",
    # help screens
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa denna hjälp och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "obligatoriskt",
    "(dynamic)": "(beräknas)",
    "deprecated": "utgår",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Varning: kommandot {name!r} kommer att tas bort.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Varning: {param_type} {name!r} kommer att tas bort.{extra_message}",
    # missing things; click appends the parameter: "Du måste ange alternativet '--out'."
    "Missing command.": "Du måste ange ett kommando.",
    "Missing argument": "Du måste ange argumentet",
    "Missing option": "Du måste ange alternativet",
    "Missing parameter": "Du måste ange parametern",
    "Missing {param_type}": "Du måste ange {param_type}",
    "Missing parameter: {param_name}": "Du måste ange parametern {param_name}",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    # unknown options and commands
    "No such option {name!r}.": "Det finns inget alternativ {name!r}.",
    "No such command {name!r}.": "Det finns inget kommando {name!r}.",
    "Option {name!r} does not take a value.": "Alternativet {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i alternativet ({option})",
    # invalid values
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inte ett giltigt ja/nej-värde. Giltiga värden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    # paths: "Fel: Ogiltigt värde för 'EXTRACT': 'x.csv' finns inte." ({name} is left out:
    # "Fil 'x.csv' finns inte" is not Swedish, and the parameter is named already)
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "{filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{filename!r} är en fil, inte en mapp.",
    "{name} {filename!r} is a directory.": "{filename!r} är en mapp, inte en fil.",
    "{name} {filename!r} is not readable.": "{filename!r} går inte att läsa (saknar du behörighet?).",
    "{name} {filename!r} is not writable.": "{filename!r} går inte att skriva till (saknar du behörighet?).",
    "{name} {filename!r} is not executable.": "{filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "unknown error": "okänt fel",
    # prompts (click.confirm, click.prompt, click.pause, click.edit)
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: De två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltigt svar",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta ...",
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "Windows error: {error}": "Windows-fel: {error}",
}

# (singular id, plural id) -> (Swedish singular, Swedish plural). Swedish has English's
# plural rule (one / other), so the count picks the form the same way.
SV_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Alternativet {name!r} behöver ett värde.", "Alternativet {name!r} behöver {nargs} värden."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("{value!r} följer inte formatet {format}.", "{value!r} följer inte något av formaten {formats}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men 1 angavs.", "Tar {nargs} värden men {len} angavs."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} värden krävs men {len_value} angavs.", "{len_type} värden krävs men {len_value} angavs."),
}

# Words click fills into a translated sentence from plain attributes (type names, the
# parameter kind), not through gettext: "'abc' är inte ett giltigt heltal".
_SV_WORDS = {
    "integer": "heltal",
    "integer range": "heltal",
    "float": "decimaltal",
    "float range": "decimaltal",
    "option": "alternativet",
    "argument": "argumentet",
    "parameter": "parametern",
}
_WORD_FIELDS = ("number_type", "param_type")

# Help-screen words that are not gettext messages.
_SV_OPTIONS_METAVAR = {"[OPTIONS]": "[ALTERNATIV]"}
_SV_SUBCOMMAND_METAVAR = {
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
    "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": "KOMMANDO1 [ARGUMENT]... [KOMMANDO2 [ARGUMENT]...]...",
}
_SV_TYPE_METAVARS = {
    "integer": "HELTAL",
    "integer range": "HELTAL",
    "float": "DECIMALTAL",
    "float range": "DECIMALTAL",
    "boolean": "JA/NEJ",
}


class _SwedishText(str):
    """A translated text whose ``format`` also translates the type words in it."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        for field in _WORD_FIELDS:
            value = kwargs.get(field)
            if isinstance(value, str) and value in _SV_WORDS:
                kwargs[field] = _SV_WORDS[value]
        return str.format(self, *args, **kwargs)


@functools.cache
def _text(translated: str) -> str:
    # Only texts with a type-word field need the formatting hook; the rest stay plain str.
    return _SwedishText(translated) if placeholders(translated) & set(_WORD_FIELDS) else translated


def gettext_sv(message: str) -> str:
    """Click's ``_``: the Swedish text for a click message id, else the id itself."""
    translated = SV.get(message)
    return message if translated is None else _text(translated)


def ngettext_sv(singular: str, plural: str, n: int) -> str:
    """Click's ``ngettext``: the Swedish form for ``n``, else click's English form."""
    forms = SV_PLURAL.get((singular, plural))
    if forms is None:
        return singular if n == 1 else plural
    return _text(forms[0] if n == 1 else forms[1])


_SWEDISH: dict[str, Callable[..., str]] = {"_": gettext_sv, "ngettext": ngettext_sv}
# What each click module had bound before we first touched it: put back for English.
_originals: dict[str, dict[str, object]] = {}


def _click_modules() -> list[ModuleType]:
    modules = []
    for name in CLICK_MODULES:
        if name == "click._winconsole" and sys.platform != "win32":
            continue  # asserts win32 on import
        try:
            modules.append(importlib.import_module(name))
        except Exception:  # noqa: BLE001 - a module a future click drops or moves
            continue
    return modules


def install(lang: str) -> None:
    """Make click speak ``lang``: Swedish texts for ``"sv"``, click's own for anything else.

    Call before the commands are built: some texts (type names, the version line) are
    taken when a command is defined. Safe to call again with another language.
    """
    swedish = lang == "sv"
    for module in _click_modules():
        saved = _originals.setdefault(module.__name__, {})
        for attr, ours in _SWEDISH.items():
            current = getattr(module, attr, None)
            if current is None:
                continue
            if current is not ours:
                saved[attr] = current
            setattr(module, attr, ours if swedish else saved.get(attr, _default(attr)))


def _default(attr: str) -> object:
    return gettext.gettext if attr == "_" else gettext.ngettext


def localise_command(command: click.Command, lang: str) -> None:
    """Swedish help-screen words on ``command`` and its subcommands (no-op for English)."""
    if lang != "sv":
        return
    if command.options_metavar in _SV_OPTIONS_METAVAR:
        command.options_metavar = _SV_OPTIONS_METAVAR[command.options_metavar]
    if isinstance(command, click.Group) and command.subcommand_metavar in _SV_SUBCOMMAND_METAVAR:
        command.subcommand_metavar = _SV_SUBCOMMAND_METAVAR[command.subcommand_metavar]
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            metavar = _SV_TYPE_METAVARS.get(param.type.name)
            if metavar is not None:
                param.metavar = metavar + ("..." if param.nargs != 1 else "")
    for sub in getattr(command, "commands", {}).values():
        localise_command(sub, lang)


def placeholders(text: str) -> set[str]:
    """The ``{field}`` and ``%(field)s`` names in a message (for checking translations)."""
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    fields |= {f"%({name})" for name in re.findall(r"%\((\w+)\)", text)}
    return fields


__all__ = ["CLICK_MODULES", "SV", "SV_PLURAL", "gettext_sv", "install", "localise_command",
           "ngettext_sv", "placeholders"]
