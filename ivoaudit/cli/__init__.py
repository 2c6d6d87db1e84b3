"""The command line: a thin shell over the library.

``program`` is the click group without error handling; ``main`` wraps it with the one error
boundary: user errors become a one-paragraph message and their exit code (2 usage, 3
input), anything else exit 1 with a short message (the traceback only with
``--traceback``). Commands live in ``ivoaudit/cli/cmd_*.py``, each defining ``command``
(a click command or group); they are registered in name order.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Iterator

# Before numpy is first imported (commands import it lazily): on Linux numpy asks for
# transparent huge pages for every array of 4 MB or more, and the kernel then zeroes 2 MB
# per fault. For this program's many short-lived column arrays that cost more than it saved:
# `ivoaudit check` on a million cases took 3.7-3.8 s with it off against 4.2-4.4 s on
# (3 alternating runs each, /usr/bin/time; system time 1.2-1.4 s against 1.7-2.0 s). A
# value the user has set is kept. No effect on other systems.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

import click

from ivoaudit import __version__
from ivoaudit.cli import click_texts
from ivoaudit.errors import IvoauditError, ReviewFormError, UserError
from ivoaudit.i18n import get_language, set_language, t


def prefer_jemalloc() -> None:
    """Let Arrow allocate with jemalloc where this pyarrow has it (Linux and macOS wheels).

    Arrow's default, mimalloc, returns freed memory to the kernel eagerly, and on this
    program's pattern (many column-sized arrays freed and made again) the kernel's work of
    unmapping and faulting pages back in dominated: `ivoaudit check` on a million cases
    took a median 3.75 s with jemalloc against 4.02 s with mimalloc (8 alternating runs
    each; system time 1.60 s against 2.15 s; peak memory 1.18 GB against 1.25 GB). Called
    by `ivoaudit check` before its first Arrow allocation. A pool
    the user chose with ``ARROW_DEFAULT_MEMORY_POOL`` is kept; where jemalloc is not built
    in (Windows wheels) Arrow's default stays. Results do not depend on the allocator.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off for the block (as it was before, after it).

    For `ivoaudit check`: its data are Arrow and numpy buffers, freed by reference counting
    the moment they are dropped, and the collector mostly walked the objects of the modules
    it imports, again and again. A small gain: on a million cases 2.24 s against 2.31 s,
    2.26 against 2.30 s and 2.25 against 2.27 s in three trials (medians of 12 alternating
    runs each; 0.04-0.09 s less processor time), within the noise in a fourth; peak memory
    11-36 MB higher, the cyclic garbage left until the end.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Group whose help texts follow the chosen language (``--lang`` is read early)."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[override]
        _apply_early_language(args)
        return super().make_context(info_name, args, parent=parent, **extra)


def _apply_early_language(args: list[str]) -> None:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            set_language(args[i + 1])
        elif arg.startswith("--lang="):
            set_language(arg.split("=", 1)[1])


def localized(sv: str, en: str) -> str:
    """Help text in the language in force when the CLI is built."""
    return t(sv, en)


def build_program() -> click.Group:
    """Build the click group with every ``cmd_*`` module's command registered.

    Click's own texts (usage errors, help headings) follow the language in force; they are
    switched first because click takes some of them while the commands are defined.
    """
    lang = get_language()
    click_texts.install(lang)

    @click.group(
        cls=_Group,
        context_settings=CONTEXT_SETTINGS,
        help=t(
            "ivoaudit – egenkontroll inför IVO:s tillsyn av socialtjänstens ärenden.\n\n"
            "Läser ärendeuttag (CSV/XLSX), granskar dem mot lagens tidsfrister och "
            "dokumentationskrav, drar stickprov och skriver rapporter.",
            "ivoaudit – inspection readiness for Swedish social-services case handling.\n\n"
            "Reads case extracts (CSV/XLSX), checks them against legal deadlines and "
            "documentation duties, draws samples and writes reports.",
        ),
    )
    @click.option("--lang", type=click.Choice(["sv", "en"]), default=None,
                  help=t("Språk för utdata (standard: sv, eller IVOAUDIT_LANG).",
                         "Output language (default: sv, or IVOAUDIT_LANG)."))
    @click.option("--traceback", "show_traceback", is_flag=True, default=False,
                  help=t("Visa fullständig felsökningsinformation vid fel.",
                         "Show the full traceback on errors."))
    @click.version_option(__version__, prog_name="ivoaudit",
                          help=t("Visa versionen och avsluta.", "Show the version and exit."))
    @click.pass_context
    def program(ctx: click.Context, lang: str | None, show_traceback: bool) -> None:
        if lang:
            set_language(lang)
        ctx.ensure_object(dict)
        ctx.obj["traceback"] = show_traceback

    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            name = f"{__name__}.{info.name}"
            # Help texts are evaluated when a command module is executed; re-executing it
            # lets a second program in the same process (tests, --lang) get its language.
            module = importlib.reload(sys.modules[name]) if name in sys.modules else importlib.import_module(name)
            program.add_command(module.command)
    _localise_help_options(program)
    click_texts.localise_command(program, lang)
    return program


def _localise_help_options(command: click.Command) -> None:
    """Give every command's ``--help`` option a text in the chosen language.

    Click builds the help option lazily with an English text; pre-building it (the cache
    attribute exists since click 8.1.8) keeps the help screens free of mixed languages.
    """
    if hasattr(command, "_help_option") and command.add_help_option:
        click.help_option(*CONTEXT_SETTINGS["help_option_names"],
                          help=t("Visa denna hjälp och avsluta.", "Show this message and exit."))(command)
        command._help_option = command.params.pop()
    for sub in getattr(command, "commands", {}).values():
        _localise_help_options(sub)


# What a command returns when everything it made is written and closed, and nothing is
# left to do in this process: the console entry point then ends the process at once.
# Python's own teardown (freeing every object one by one) takes about 0.2 s after
# `ivoaudit check` on a million cases for no one's benefit. Only the real entry point does
# this (``main()`` without ``argv``): tests calling ``main(argv)`` in-process are unaffected.
DONE_SKIP_TEARDOWN = object()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the program inside the error boundary."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    _apply_early_language(args)
    program = build_program()
    try:
        returned = program.main(args=args, prog_name="ivoaudit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("Avbrutet.", "Aborted."), err=True)
        sys.exit(1)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except UserError as exc:
        if show_traceback:
            traceback.print_exc()
        click.echo(t("Fel: {msg}", "Error: {msg}", msg=exc), err=True)
        if isinstance(exc, ReviewFormError):
            for number, problem in enumerate(exc.problems, start=1):
                click.echo(f"  {number}. {problem}", err=True)
        sys.exit(exc.exit_code)
    except PermissionError as exc:
        # Not a bug: on Windows a file open in Excel or Word cannot be replaced, and a folder
        # may be read-only. Commands that can check early (check) say so themselves first.
        if show_traceback:
            traceback.print_exc()
        click.echo(
            t(
                "Fel: {file} kan inte öppnas eller skrivas (åtkomst nekad). Stäng filen om den är "
                "öppen i Excel, Word eller något annat program, eller välj en annan mapp, och "
                "försök igen.",
                "Error: {file} cannot be opened or written (access denied). Close the file if it "
                "is open in Excel, Word or another program, or choose another folder, and try "
                "again.",
                file=exc.filename or t("en fil", "a file"),
            ),
            err=True,
        )
        sys.exit(3)
    except (IvoauditError, Exception) as exc:  # noqa: BLE001 - the one error boundary
        if show_traceback:
            traceback.print_exc()
        click.echo(
            t(
                "Internt fel i ivoaudit ({kind}: {msg}). Detta är ett programfel, inte ett fel i "
                "dina data. Kör igen med --traceback och skicka utskriften till den som "
                "förvaltar verktyget.",
                "Internal error in ivoaudit ({kind}: {msg}). This is a bug, not a problem with "
                "your data. Run again with --traceback and send the output to whoever maintains "
                "the tool.",
                kind=type(exc).__name__,
                msg=exc,
            ),
            err=True,
        )
        sys.exit(1)
    if argv is None and returned is DONE_SKIP_TEARDOWN:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    sys.exit(0)


__all__ = ["DONE_SKIP_TEARDOWN", "build_program", "main", "get_language", "localized"]
