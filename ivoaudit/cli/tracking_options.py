"""Options the tracking commands share (actions, findings, ivo, measurements, followup)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ivoaudit.cli.options import ISO_DATE, option

F = TypeVar("F", bound=Callable[..., Any])


def _login(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value:
        return value.strip() or None
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container, a service account)
        return None


by_option = option(
    "--by", "by", callback=_login,
    help=("Vem som gör ändringen, för historiken (standard: ditt inloggningsnamn).",
          "Who makes the change, for the history (default: your login name)."))

as_of_option = option(
    "--as-of", "as_of", type=ISO_DATE,
    help=("Dag att bedöma per, t.ex. vad som är försenat (standard: i dag).",
          "Day to judge as of, e.g. what is overdue (default: today)."))


def format_option(choices: tuple[str, ...], default: str) -> Callable[[F], F]:
    """``--format`` with ``choices``."""
    return option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                  help=("Utdataformat.", "Output format."))


def formats_option(choices: tuple[str, ...], default: str) -> Callable[[F], F]:
    """``--format a,b`` (comma-separated, each one of ``choices``)."""

    def check(_ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        wanted = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
        bad = [w for w in wanted if w not in choices]
        if bad or not wanted:
            raise click.BadParameter(", ".join(bad) or value, param=param)
        return wanted

    return option("--format", "formats", default=default, show_default=True, callback=check,
                  help=(f"Format, kommaseparerade: {', '.join(choices)}.",
                        f"Formats, comma-separated: {', '.join(choices)}."))
