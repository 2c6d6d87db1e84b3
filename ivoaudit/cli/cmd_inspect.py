"""`ivoaudit inspect`: what the loader sees in an extract, before any checking."""

from __future__ import annotations

import json

import click

from ivoaudit.cli.options import ExtractArgs, echo, extract_options, new_command, option
from ivoaudit.i18n import t

# ivoaudit.load.inspection (and pandas with it) is imported when the command runs, not when the CLI
# starts: the CLI imports every command module to build its help. Same as
# ivoaudit.load.inspection.DEFAULT_EXAMPLES (a test compares them).
DEFAULT_EXAMPLES = 5


@new_command(
    "inspect",
    help=(
        "Visa vad som känns igen i ett uttag (CSV eller XLSX).\n\n"
        "Visar teckenkodning, avgränsare eller blad, antal rader, vilka kolumner som tolkats "
        "som vilka fält och vilka som inte känns igen, hur många värden som är ifyllda och "
        "ogiltiga per fält, datumintervallet och datakvalitetsproblemen (rad, kolumn, värde, "
        "problem). Med --events visas händelsetabellen också; med --checklist vilka av "
        "checklistans regler som inte kan bedömas på uttaget. Ingenting skrivs till disk.",
        "Show what is recognised in an extract (CSV or XLSX).\n\n"
        "Shows the encoding, delimiter or sheet, the row count, which columns were read as "
        "which fields and which were not recognised, how many values are filled and invalid "
        "per field, the date range and the data-quality problems (row, column, value, "
        "problem). With --events the events table is shown too; with --checklist which of the "
        "checklist's rules cannot be evaluated on the extract. Nothing is written to disk.",
    ),
)
@extract_options
@option("--kind", type=click.Choice(["cases", "events"]), default="cases", show_default=True,
        help=("Vad EXTRACT innehåller: ärenden, eller en händelsetabell (en rad per "
              "journalanteckning eller beslut).",
              "What EXTRACT holds: cases, or an events table (one row per journal entry or "
              "decision)."))
@option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help=("Utdataformat.", "Output format."))
@option("--examples", type=click.IntRange(0, 1000), default=DEFAULT_EXAMPLES, show_default=True,
        help=("Antal exempel som visas per problemtyp.", "Examples shown per kind of problem."))
def command(source: ExtractArgs, kind: str, output_format: str, examples: int) -> None:
    from ivoaudit.load.inspection import inspect_file, render_text

    report = inspect_file(source.path, mapping=source.mapping, sheet=source.sheet,
                          events=kind == "events", examples=examples, **source.read_options)
    if source.events:
        report["events"] = inspect_file(source.events, mapping=source.events_mapping, events=True,
                                        examples=examples)
    if source.checklists:
        report["not_evaluable"] = _not_evaluable(source)
    if output_format == "json":
        echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    echo(render_text(report), nl=False)
    if source.events:
        echo("")
        echo(render_text(report["events"]), nl=False)
    if source.checklists:
        echo("")
        echo(_render_not_evaluable(report["not_evaluable"]))


def _not_evaluable(source: ExtractArgs) -> list[dict[str, object]]:
    """The checklist's rules that cannot be evaluated on this extract, as ``check`` finds them."""

    from ivoaudit.check import run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract

    checklist = load_checklists(list(source.checklists))
    loaded = load_extract(source.path, mapping=source.mapping, sheet=source.sheet,
                          keyed=False, **source.read_options)
    events = load_events(source.events, mapping=source.events_mapping) if source.events else None
    meta = run_check(loaded, checklist, source.check_date(), events=events).meta
    return list(meta.get("not_evaluable", []))


def _render_not_evaluable(rules: list[dict[str, object]]) -> str:
    if not rules:
        return t("Alla checklistans regler kan bedömas på uttaget.",
                 "Every rule of the checklist can be evaluated on the extract.")
    lines = [t("Regler som inte kan bedömas (fält saknas i uttaget):",
               "Rules that cannot be evaluated (fields the extract lacks):")]
    for rule in rules:
        missing = rule.get("missing_fields", [])
        fields = ", ".join(missing) if isinstance(missing, list) else str(missing)
        lines.append(f"  {rule.get('rule_id')}: {fields}")
    return "\n".join(lines)
