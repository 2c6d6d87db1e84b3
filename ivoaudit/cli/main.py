"""The ``ivoaudit`` group, its commands, and the one error boundary.

``program`` is the click group without error handling (tests may invoke it); ``main`` runs
it inside the error boundary: a user error becomes a one-paragraph message and its exit
code (2 usage, 3 input), an operating-system error on a file we read or write becomes
exit 3 with what to do, anything else exit 1 with a short message (the traceback only with
``--traceback``). A new command is one ``cmd_NAME.py`` module, listed in :data:`COMMANDS`.
"""

from __future__ import annotations

import io
import sys
import traceback

import click

from ivoaudit.cli import (
    cmd_actions,
    cmd_app,
    cmd_check,
    cmd_compare,
    cmd_demo,
    cmd_findings,
    cmd_followup,
    cmd_generate,
    cmd_inspect,
    cmd_ivo,
    cmd_measurements,
    cmd_report,
    cmd_review,
    cmd_rounds,
    cmd_rules,
    cmd_sample,
    cmd_unexecuted,
)
from ivoaudit.cli.options import Group, Option, apply_language, echo
from ivoaudit.errors import ReviewFormError, UserError, os_error_message
from ivoaudit.i18n import t
from ivoaudit.version import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    "ivoaudit",
    cls=Group,
    context_settings=CONTEXT_SETTINGS,
    help=("ivoaudit – egenkontroll inför IVO:s tillsyn av socialtjänstens ärenden.\n\n"
          "Läser ärendeuttag (CSV/XLSX), granskar dem mot lagens tidsfrister och "
          "dokumentationskrav, drar stickprov och skriver rapporter.",
          "ivoaudit – inspection readiness for Swedish social-services case handling.\n\n"
          "Reads case extracts (CSV/XLSX), checks them against legal deadlines and "
          "documentation duties, draws samples and writes reports."),
)
@click.option("--traceback", "show_traceback", is_flag=True, default=False, cls=Option,
              help=("Visa fullständig felsökningsinformation vid fel.", "Show the full traceback on errors."))
@click.version_option(__version__, prog_name="ivoaudit", cls=Option,
                      help=("Visa versionen och avsluta.", "Show the version and exit."))
def program(show_traceback: bool) -> None:
    """The command group (``--lang`` and ``--traceback`` are read before it runs)."""


COMMANDS = (
    cmd_inspect.command,
    cmd_check.command,
    cmd_sample.command,
    cmd_review.command,
    cmd_rounds.command,
    cmd_report.command,
    cmd_measurements.command,
    cmd_findings.command,
    cmd_actions.command,
    cmd_ivo.command,
    cmd_followup.command,
    cmd_unexecuted.command,
    cmd_compare.command,
    cmd_rules.command,
    cmd_generate.command,
    cmd_demo.command,
    cmd_app.command,
)
for _command in COMMANDS:
    program.add_command(_command)


def language_in(args: list[str]) -> str | None:
    """The ``--lang`` value among ``args`` (the last one wins), so that usage errors click
    finds before any option is processed are already in the user's language."""
    lang = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang


def _quiet_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An OSError while Python closes a file a library left open after its write failed (the
    zip of a Word or Excel file on a full disk): the user has been told already, so no second
    message and no traceback. Anything else is printed as usual."""
    if isinstance(unraisable.exc_value, OSError):
        return
    sys.__unraisablehook__(unraisable)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the program inside the error boundary; exits the process."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    sys.unraisablehook = _quiet_unraisable
    apply_language(language_in(args))
    try:
        program.main(args=args, prog_name="ivoaudit", standalone_mode=False)
    except click.exceptions.Abort:
        echo(t("Avbrutet.", "Aborted."), err=True)
        sys.exit(1)
    except click.exceptions.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)  # the usage line and click's message, which may quote a value
        echo(shown.getvalue(), err=True, nl=False)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except UserError as exc:
        if show_traceback:
            traceback.print_exc()
        echo(t("Fel: {msg}", "Error: {msg}", msg=exc), err=True)
        if isinstance(exc, ReviewFormError):
            for number, problem in enumerate(exc.problems, start=1):
                echo(f"  {number}. {problem}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        # Not a bug: a full disk, a read-only folder, a file open in Excel, a path too long.
        if show_traceback:
            traceback.print_exc()
        echo(t("Fel: {msg}", "Error: {msg}", msg=os_error_message(exc)), err=True)
        sys.exit(3)
    except Exception as exc:  # noqa: BLE001 - the one error boundary
        if show_traceback:
            traceback.print_exc()
        echo(t(
            "Internt fel i ivoaudit ({kind}: {msg}). Detta är ett programfel, inte ett fel i "
            "dina data. Kör igen med --traceback och skicka utskriften till den som "
            "förvaltar verktyget.",
            "Internal error in ivoaudit ({kind}: {msg}). This is a bug, not a problem with "
            "your data. Run again with --traceback and send the output to whoever maintains "
            "the tool.", kind=type(exc).__name__, msg=exc), err=True)
        sys.exit(1)
    sys.exit(0)


__all__ = ["COMMANDS", "language_in", "main", "program"]
