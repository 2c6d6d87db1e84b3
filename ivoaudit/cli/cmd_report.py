"""`ivoaudit report`: reports for each reader from a check folder or an audit round."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import db_option, echo, new_command, option
from ivoaudit.errors import UsageError
from ivoaudit.i18n import get_language, t


@new_command(
    "report",
    help=(
        "Skriv rapporter (HTML, Excel, Word, JSON) från en granskning.\n\n"
        "Underlaget är antingen mappen som `ivoaudit check --out` skrev (--results) eller en "
        "granskningsomgång i databasen (--round). Den interna rapporten visar ärenden och "
        "handläggare; den offentliga (--audience public) är avidentifierad och döljer små antal.",
        "Write reports (HTML, Excel, Word, JSON) from a review.\n\n"
        "The input is either the folder `ivoaudit check --out` wrote (--results) or an audit "
        "round in the store (--round). The internal report shows cases and caseworkers; the "
        "public one (--audience public) is de-identified and hides small counts.",
    ),
)
@option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp från `ivoaudit check --out`.", "Folder from `ivoaudit check --out`."))
@option("--round", "round_name", help=("Granskningsomgång i databasen.", "Audit round in the store."))
@db_option
@option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help=("internal: med ärenden och handläggare. public: avidentifierad, för nämnden.",
                     "internal: with cases and caseworkers. public: de-identified, for the committee."))
@option("--format", "formats", default="html,xlsx,docx,json", show_default=True,
              help=("Kommaseparerade format: html, xlsx, docx, json.",
                     "Comma-separated formats: html, xlsx, docx, json."))
@option("--min-count", type=click.IntRange(1, 100), default=5, show_default=True,
              help=("Offentlig version: antal under detta döljs.", "Public version: counts below this are hidden."))
@option("--targets", "targets_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=("YAML-fil med mål per regel (default: {green: 95, yellow: 80}, rules: {ID: {...}}).",
                     "YAML file with targets per rule (default: {green: 95, yellow: 80}, rules: {ID: {...}})."))
@option("--green", type=float, help=("Mål för grönt i procent (standard 95).", "Green target in percent (default 95)."))
@option("--yellow", type=float, help=("Gräns för gult i procent (standard 80).", "Yellow threshold in percent (default 80)."))
@option("--title", help=("Rapportens rubrik.", "The report's title."))
@option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help=("Mapp med egna mallar (report.html.j2) som ersätter de inbyggda.",
                     "Folder with your own templates (report.html.j2) overriding the built-in ones."))
@option("--checklists", "checklist_dirs", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help=("Mapp med egna checklistor (regelrubriker, lagrum, mål); kan anges flera gånger.",
                     "Folder with your own checklists (rule titles, references, targets); repeatable."))
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp att skriva rapporterna i.", "Folder to write the reports to."))
@option("--unit-codes", "unit_codes", type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help=("Offentlig version: YAML-fil med de enhetskoder kommunen publicerar (units: {namn: kod}); "
              "andra enheter visas som Enhet 1, 2 …",
              "Public version: YAML file with the unit codes the municipality publishes (units: {name: "
              "code}); other units show as Unit 1, 2 …"))
def command(results_dir, round_name, db, audience, formats, min_count, targets_file, green, yellow, title,
            template_dir, checklist_dirs, unit_codes, out_dir) -> None:
    """Parse options, generate the reports, list the files written."""
    # Imported here, not at the top: every command module is imported when the CLI starts.
    from ivoaudit.report import (
        ReportOptions,
        ResultsDirSource,
        generate_reports,
        load_targets,
        parse_formats,
        round_source,
    )
    from ivoaudit.report.units import load_unit_codes

    if bool(results_dir) == bool(round_name):
        raise UsageError(t("Ange antingen --results MAPP eller --round NAMN (inte båda).",
                           "Give either --results DIR or --round NAME (not both)."))
    source = ResultsDirSource(results_dir) if results_dir else round_source(round_name, db=db)
    options = ReportOptions(audience=audience, lang=get_language(), min_count=min_count,
                            targets=load_targets(targets_file, green, yellow), title=title,
                            checklist_dirs=tuple(str(p) for p in checklist_dirs),
                            unit_codes=load_unit_codes(unit_codes) if unit_codes else None)
    result = generate_reports(source, options, parse_formats(formats), out_dir, template_dir)
    for fmt, path in result.files.items():
        echo(f"{fmt:5} {path}")
    if result.report.public:
        echo(t("Offentlig version: inga ärende-id, handläggare eller fritext; antal under {m} dolda.",
                     "Public version: no case ids, caseworkers or free text; counts below {m} hidden.",
                     m=min_count))
