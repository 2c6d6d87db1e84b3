"""Option parsing shared by several commands."""

from __future__ import annotations

from datetime import date

import click

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t


def parse_date_option(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Click callback: an ISO date (``YYYY-MM-DD``) or None; anything else is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        option = param.opts[0] if param.opts else param.name
        raise UsageError(t("{o} {v} är inget datum. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2026-10-31.",
                           "{o} {v} is not a date. Write it as YYYY-MM-DD, e.g. 2026-10-31.",
                           o=option, v=value)) from None
