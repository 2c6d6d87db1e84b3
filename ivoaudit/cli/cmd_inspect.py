"""`ivoaudit inspect`: what the loader sees in an extract, before any checking."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ivoaudit.i18n import set_language, t

# ivoaudit.load.inspect (and pandas with it) is imported when the command runs, not when the CLI
# starts: the CLI imports every command module to build its help. Same as
# ivoaudit.load.inspect.DEFAULT_EXAMPLES (a test compares them).
DEFAULT_EXAMPLES = 5


@click.command(
    "inspect",
    help=t(
        "Visa vad som känns igen i ett uttag (CSV eller XLSX).\n\n"
        "Visar teckenkodning, avgränsare eller blad, antal rader, vilka kolumner som tolkats "
        "som vilka fält och vilka som inte känns igen, hur många värden som är ifyllda och "
        "ogiltiga per fält, datumintervallet och datakvalitetsproblemen (rad, kolumn, värde, "
        "problem). Ingenting skrivs till disk.",
        "Show what is recognised in an extract (CSV or XLSX).\n\n"
        "Shows the encoding, delimiter or sheet, the row count, which columns were read as "
        "which fields and which were not recognised, how many values are filled and invalid "
        "per field, the date range and the data-quality problems (row, column, value, "
        "problem). Nothing is written to disk.",
    ),
)
@click.argument("extract", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help=t(
        "Mappningsfil (YAML) för uttagets rubriker och koder.",
        "Mapping file (YAML) for the extract's headers and codes.",
    ),
)
@click.option(
    "--sheet",
    help=t(
        "Blad i en Excel-arbetsbok (standard: det första).",
        "Sheet of an Excel workbook (default: the first).",
    ),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=t("Utdataformat.", "Output format."),
)
@click.option(
    "--events",
    is_flag=True,
    default=False,
    help=t(
        "Filen är en händelsetabell (en rad per journalanteckning eller beslut).",
        "The file is an events table (one row per journal entry or decision).",
    ),
)
@click.option(
    "--examples",
    type=click.IntRange(0, 1000),
    default=DEFAULT_EXAMPLES,
    show_default=True,
    help=t("Antal exempel som visas per problemtyp.", "Examples shown per kind of problem."),
)
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default=None,
    help=t("Språk för utdata (standard: sv).", "Output language (default: sv)."),
)
def command(
    extract: Path,
    mapping: Path | None,
    sheet: str | None,
    output_format: str,
    events: bool,
    examples: int,
    lang: str | None,
) -> None:
    from ivoaudit.load.inspect import inspect_file, render_text

    if lang:
        set_language(lang)
    report = inspect_file(extract, mapping=mapping, sheet=sheet, events=events, examples=examples)
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report), nl=False)
