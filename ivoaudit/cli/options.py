"""What every command shares: bilingual help, ``--lang``, and the option sets defined once.

Write a command like this (``cli/cmd_check.py`` is the model)::

    @new_command("check", help=("Granska alla ärenden …", "Check every case …"))
    @extract_options
    @option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
            help=("Mapp att skriva resultaten i.", "Folder to write the results into."))
    def check(source: ExtractArgs, out_dir: Path) -> None: ...

- ``help`` is a pair ``(svenska, English)``; it is shown in the language in force when the
  help is printed, so one process can show both (the tests do) and nothing is re-imported.
- Every command and group made with :func:`new_command`/:func:`new_group` accepts ``--lang``.
- :func:`extract_options` gives every command that reads an extract the same ``EXTRACT``
  argument and ``--mapping --sheet --checklist --events --events-mapping --as-of --encoding
  --delimiter``, handed to the command as one :class:`ExtractArgs` (``source``).
- :data:`db_option` is ``--db PATH`` for every command that uses the audit store; it
  honours ``IVOAUDIT_DB``.

Then register the command in ``cli/main.py`` (``COMMANDS``) and give it a section in the
README (``tests/cli/test_commands.py`` checks both).
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ivoaudit.cli.click_texts import metavar, use_catalogue
from ivoaudit.i18n import get_language, set_language, t
from ivoaudit.safe_text import terminal_text

Texts = tuple[str, str]  # (svenska, English)
F = TypeVar("F", bound=Callable[..., Any])


def _text(texts: Texts | str | None) -> str | None:
    if isinstance(texts, tuple):
        return t(*texts)
    return texts


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print for the user: ``click.echo`` without any escape sequence or control character a
    text from an extract may carry (see :func:`ivoaudit.safe_text.terminal_text`). Every
    command prints through this."""
    click.echo(terminal_text(str(message)), err=err, nl=nl)


def apply_language(lang: str | None) -> None:
    """Use ``lang`` (else ``IVOAUDIT_LANG``, else Swedish) for our texts and click's."""
    set_language(lang)
    use_catalogue(get_language())


def _lang_callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        apply_language(value)


def _lang_option() -> click.Option:
    return Option(["--lang"], type=click.Choice(["sv", "en"]), default=None, expose_value=False,
                  is_eager=True, callback=_lang_callback,
                  help=("Språk för utdata och hjälp (standard: sv, eller IVOAUDIT_LANG).",
                        "Language of output and help (default: sv, or IVOAUDIT_LANG)."))


class Option(click.Option):
    """A click option whose ``help`` may be a ``(svenska, English)`` pair."""

    def __init__(self, param_decls: list[str] | None = None, *, help: Texts | str | None = None,
                 **attrs: Any):
        self.help_texts = help if isinstance(help, tuple) else None
        super().__init__(param_decls, help=help if isinstance(help, str) else None, **attrs)

    @property
    def help(self) -> str | None:
        return _text(self.help_texts) if self.help_texts else self._plain_help

    @help.setter
    def help(self, value: str | None) -> None:
        self._plain_help = value

    def make_metavar(self, ctx: click.Context) -> str:
        return metavar(super().make_metavar(ctx), get_language())


class _Localised:
    """What our commands and groups add to click's: bilingual help, and the usage line's
    words (``[ALTERNATIV]``, ``KOMMANDO [ARGUMENT]...``) in the language in force."""

    help_texts: Texts | None
    _plain_help: str | None

    def _localise(self, help: Texts | str | None) -> str | None:
        self.help_texts = help if isinstance(help, tuple) else None
        return None if self.help_texts else help  # type: ignore[return-value]

    @property
    def help(self) -> str | None:
        return _text(self.help_texts) if self.help_texts else self._plain_help

    @help.setter
    def help(self, value: str | None) -> None:
        self._plain_help = value

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [metavar(piece, get_language()) for piece in pieces]  # [OPTIONS], COMMAND [ARGS]...

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        found: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if found is not None:  # click makes it once, in the language of that moment
            found.help = t("Visa denna hjälp och avsluta.", "Show this message and exit.")
        return found


class Command(_Localised, click.Command):
    """A click command with bilingual help and ``--lang``."""

    def __init__(self, name: str | None, *, help: Texts | str | None = None, **attrs: Any):
        super().__init__(name, help=self._localise(help), **attrs)
        self.params.append(_lang_option())


class Group(_Localised, click.Group):
    """A click group with bilingual help and ``--lang``; its subcommands are :class:`Command`."""

    command_class = Command
    group_class = type  # subgroups are of this class too

    def __init__(self, name: str | None = None, *, help: Texts | str | None = None, **attrs: Any):
        super().__init__(name, help=self._localise(help), **attrs)
        self.params.append(_lang_option())


def new_command(name: str, *, help: Texts, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """``click.command`` with bilingual help and ``--lang``."""
    return click.command(name, cls=Command, help=help, **attrs)


def new_group(name: str, *, help: Texts, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """``click.group`` with bilingual help and ``--lang``."""
    return click.group(name, cls=Group, help=help, **attrs)


def option(*param_decls: str, help: Texts | None = None, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` with bilingual help."""
    return click.option(*param_decls, cls=Option, help=help, **attrs)


# --- value types ---------------------------------------------------------------------------------

class IsoDate(click.ParamType):
    """A date written ``YYYY-MM-DD``."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(t("{v} är inget datum. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2026-10-31.",
                        "{v} is not a date. Write it as YYYY-MM-DD, e.g. 2026-10-31.", v=value),
                      param, ctx)


class Encoding(click.ParamType):
    """A text encoding Python knows (``utf-8``, ``cp1252``, ``latin-1``, ``utf-16``…)."""

    name = "encoding"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return codecs.lookup(str(value)).name
        except LookupError:
            self.fail(t("{v} är ingen känd teckenkodning. Vanliga är utf-8, cp1252 och latin-1.",
                        "{v} is not a known encoding. Common ones are utf-8, cp1252 and latin-1.",
                        v=value), param, ctx)


class Delimiter(click.ParamType):
    """The CSV field separator: one character, or ``tab``."""

    name = "delimiter"
    WORDS = {"tab": "\t", "\\t": "\t", "tabb": "\t"}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        text = self.WORDS.get(text.lower(), text)
        if len(text) != 1 or text in "\r\n\"":
            self.fail(t("{v} duger inte som avgränsare. Ange ett tecken, t.ex. ; eller , eller tab.",
                        "{v} cannot be the delimiter. Give one character, e.g. ; or , or tab.",
                        v=value), param, ctx)
        return text


ISO_DATE = IsoDate()


# --- the shared option sets ----------------------------------------------------------------------

@dataclass(frozen=True)
class ExtractArgs:
    """The extract a command reads and how to read it (what :func:`extract_options` parsed)."""

    path: Path
    mapping: Path | None = None
    sheet: str | None = None
    checklists: tuple[str, ...] = ()
    events: Path | None = None
    events_mapping: Path | None = None
    as_of: date | None = None
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def read_options(self) -> dict[str, Any]:
        """``encoding``/``delimiter`` for the loader, only those the user gave (the default is
        to sniff them)."""
        given = {"encoding": self.encoding, "delimiter": self.delimiter}
        return {k: v for k, v in given.items() if v is not None}

    def check_date(self) -> date:
        """``--as-of``, else today."""
        return self.as_of or date.today()


_FILE = click.Path(dir_okay=False, path_type=Path)
_EXTRACT_OPTIONS: dict[str, Callable[[F], F]] = {
    "extract": click.argument("extract", type=_FILE),
    "mapping": option("--mapping", type=_FILE,
           help=("Mappningsfil (YAML) för uttagets rubriker och koder; utan den känns vanliga "
                 "rubriker igen.",
                 "Mapping file (YAML) for the extract's headers and codes; without it common "
                 "headers are recognised.")),
    "sheet": option("--sheet", help=("Blad i en Excel-arbetsbok (standard: det första).",
                            "Sheet of an Excel workbook (default: the first).")),
    "checklists": option("--checklist", "checklists", multiple=True,
           help=("Inbyggd checklista (t.ex. barn_unga) eller en egen YAML-fil; kan upprepas "
                 "(standard: alla inbyggda).",
                 "Shipped checklist (e.g. barn_unga) or your own YAML file; may be repeated "
                 "(default: all shipped).")),
    "events": option("--events", type=_FILE,
           help=("Händelsetabell (journal, överväganden) för intervallregler.",
                 "Events table (journal entries, reviews) for interval rules.")),
    "events_mapping": option("--events-mapping", type=_FILE,
           help=("Mappningsfil för händelsetabellen.", "Mapping file for the events table.")),
    "as_of": option("--as-of", "as_of", type=ISO_DATE,
           help=("Granskningsdag (standard: i dag).", "Check date (default: today).")),
    "encoding": option("--encoding", type=Encoding(),
           help=("Teckenkodning för en CSV-fil när den gissas fel (t.ex. cp1252, utf-8).",
                 "Encoding of a CSV file when it is guessed wrong (e.g. cp1252, utf-8).")),
    "delimiter": option("--delimiter", type=Delimiter(),
           help=("Avgränsare för en CSV-fil när den gissas fel (; , eller tab).",
                 "Delimiter of a CSV file when it is guessed wrong (; , or tab).")),
}
_EXTRACT_PARAMS = ("extract", "mapping", "sheet", "checklists", "events", "events_mapping", "as_of",
                   "encoding", "delimiter")
_READ_PARAMS = ("extract", "mapping", "sheet", "encoding", "delimiter")


def _bundle(func: F, names: tuple[str, ...]) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in names}
        source = ExtractArgs(path=given.pop("extract"), **given)
        return func(*args, source=source, **kwargs)

    for name in reversed(names):
        wrapper = _EXTRACT_OPTIONS[name](wrapper)
    return wrapper  # type: ignore[return-value]


def extract_options(func: F) -> F:
    """The extract argument and every option for reading and checking it
    (``--mapping --sheet --checklist --events --events-mapping --as-of --encoding
    --delimiter``), passed to ``func`` as ``source: ExtractArgs``. For commands that run the
    rules on an extract: ``inspect``, ``check``, ``sample``."""
    return _bundle(func, _EXTRACT_PARAMS)


def read_options(func: F) -> F:
    """The extract argument and the options for reading it (``--mapping --sheet --encoding
    --delimiter``), as ``source: ExtractArgs``: for commands that read an extract without
    running the checklist's rules (e.g. ``unexecuted``)."""
    return _bundle(func, _READ_PARAMS)


db_option = option(
    "--db", type=_FILE, envvar="IVOAUDIT_DB", show_envvar=True,
    help=("Granskningsdatabasen (standard: IVOAUDIT_DB, annars ivoaudit.db i användarens datamapp).",
          "The audit store (default: IVOAUDIT_DB, else ivoaudit.db in the user's data folder)."))


__all__ = ["ISO_DATE", "Command", "Delimiter", "Encoding", "ExtractArgs", "Group", "IsoDate", "Option", "read_options",
           "Texts", "apply_language", "db_option", "echo", "extract_options", "new_command", "new_group", "option"]
