"""`ivoaudit generate`: synthetic sample extracts with their ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import ISO_DATE, echo, new_command, option
from ivoaudit.fields import AREAS
from ivoaudit.i18n import t


@new_command(
    "generate",
    help=(
        "Skapa påhittade ärendeuttag att öva och testa på, med facit.\n\n"
        "Skriver uttaget (lifecare: CSV med semikolon i cp1252; treserva: XLSX), händelser, "
        "ground_truth.csv (förväntat resultat per ärende och regel), meta.json, mappningsfiler "
        "och med --messy även faults.csv med de fel som lagts in. Alla personer är påhittade. "
        "Samma frö ger exakt samma filer.",
        "Create synthetic case extracts to practise and test on, with the expected results.\n\n"
        "Writes the extract (lifecare: semicolon CSV in cp1252; treserva: XLSX), events, "
        "ground_truth.csv (expected status per case and rule), meta.json, mapping files and, "
        "with --messy, faults.csv listing the injected faults. All persons are invented. "
        "The same seed gives exactly the same files.",
    ),
)
@option("--cases", "n_cases", type=click.IntRange(1), required=True,
              help=("Antal ärenden.", "Number of cases."))
@option("--seed", type=int, required=True,
              help=("Slumpfrö (samma frö ger samma data).", "Random seed (same seed, same data)."))
@option("--system", type=click.Choice(["lifecare", "treserva"]), default="lifecare", show_default=True,
              help=("Verksamhetssystemets stil.", "The case system's style."))
@option("--area", "areas", multiple=True, type=click.Choice(list(AREAS)),
              help=("Verksamhetsområde (kan anges flera gånger; standard: alla).",
                     "Area (repeatable; default: all)."))
@option("--messy", is_flag=True, default=False,
              help=("Lägg in realistiska fel (datumformat, ogiltiga datum, dubbletter, ...).",
                     "Inject realistic faults (date forms, invalid dates, duplicates, ...)."))
@option("--as-of", "as_of", type=ISO_DATE,
              help=("Granskningsdatum som facit gäller (standard 2026-10-31).",
                     "Check date the expected results are for (default 2026-10-31)."))
@option("--name", default="arenden", show_default=True,
              help=("Filnamn (utan ändelse) för uttaget.", "File name (without suffix) of the extract."))
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp att skriva filerna i.", "Folder to write the files to."))
def command(n_cases, seed, system, areas, messy, as_of, name, out_dir) -> None:
    """Parse options, generate the set, list the files written."""
    from ivoaudit.synthetic import DEFAULT_AS_OF, generate, write_set

    gset = generate(n_cases, seed, system=system, areas=tuple(areas) or AREAS, messy=messy,
                    as_of=as_of or DEFAULT_AS_OF)
    files = write_set(gset, out_dir, name)
    for role, path in files.items():
        echo(f"{role:15} {path}")
    meta = gset.meta
    echo(t("{n} ärenden, {g} rader facit, {f} inlagda fel, granskningsdatum {d}.",
                 "{n} cases, {g} ground-truth rows, {f} injected faults, check date {d}.",
                 n=meta["n_cases"], g=meta["ground_truth_rows"], f=meta["faults"], d=meta["as_of"]))
