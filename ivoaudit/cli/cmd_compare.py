"""``ivoaudit compare``: a regional comparison from the municipalities' public summaries."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import echo, new_command, option
from ivoaudit.i18n import t


@new_command(
    "compare",
    help=(
        "Jämför kommuner regel för regel utifrån deras offentliga sammanställningar (public-summary.json från "
        "`ivoaudit report --format json`): andel uppfyllda med nämnare, 95 % konfidensintervall och rang. "
        "Skyddade uppgifter förblir skyddade. Ge varje fil som FIL eller NAMN=FIL (namnet visas i "
        "jämförelsen; annars filens eller mappens namn). Skriver HTML, Excel och Word i --out.",
        "Compare municipalities rule by rule from their public summaries (public-summary.json from "
        "`ivoaudit report --format json`): share compliant with its denominator, 95% confidence interval "
        "and rank. Protected figures stay protected. Give each file as FILE or NAME=FILE (the name shown "
        "in the comparison; else the file's or folder's name). Writes HTML, Excel and Word into --out."),
)
@click.argument("summaries", nargs=-1, required=True)
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp att skriva jämförelsen i.", "Folder to write the comparison into."))
@option("--strict", is_flag=True, default=False,
              help=("Vägra sammanställningar som inte är mätta på samma sätt (i stället för att visa dem "
                             "var för sig).",
                             "Refuse summaries not measured alike (instead of showing them apart)."))
def command(summaries: tuple[str, ...], out_dir: Path, strict: bool) -> None:
    from ivoaudit.i18n import get_language
    from ivoaudit.report.compare_render import write_compare_files
    from ivoaudit.tracking.compare import compare_summaries, read_summaries

    comparison = compare_summaries(read_summaries(parse_items(summaries)), strict=strict)
    files = write_compare_files(comparison, out_dir, lang=get_language())
    for w in comparison.warnings:
        echo(t("VARNING: {w}", "WARNING: {w}", w=w))
    for i, group in enumerate(comparison.groups, start=1):
        echo(t("Grupp {i}: {n} kommuner ({labels}), {r} regler", "Group {i}: {n} municipalities ({labels}), "
                     "{r} rules", i=i, n=len(group.labels), labels=", ".join(group.labels), r=len(group.rules)))
    echo(t("Jämförelsen är skriven till {p}:", "The comparison is written to {p}:", p=out_dir))
    for path in files.values():
        echo(f"  {path.name}")


def parse_items(items: tuple[str, ...]) -> list[tuple[str | None, Path]]:
    """``NAME=FILE`` or ``FILE`` → (name or None, path); a file whose own name holds ``=`` is a file."""
    out: list[tuple[str | None, Path]] = []
    for item in items:
        name, sep, rest = item.partition("=")
        if sep and name.strip() and rest and not Path(item).exists():
            out.append((name.strip(), Path(rest)))
        else:
            out.append((None, Path(item)))
    return out
