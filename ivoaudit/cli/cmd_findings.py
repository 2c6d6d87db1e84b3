"""``ivoaudit findings``: faults to act on, proposed from a measurement or entered by hand."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from ivoaudit.cli.options import ISO_DATE, db_option, echo, new_group, option
from ivoaudit.cli.tracking_options import by_option, format_option
from ivoaudit.i18n import t


@new_group("findings", help=(
    "Brister att åtgärda: föreslagna ur en mätning (varje regel under sitt mål) eller "
    "inlagda för hand (t.ex. ur en lex Sarah-rapport eller ett klagomål).",
    "Findings to act on: proposed from a measurement (every rule below its target) or entered by "
    "hand (e.g. from a lex Sarah report or a complaint)."))
def command() -> None:
    """The findings command group."""


def _figure(f) -> str:
    """`` (82,5 %, 33 av 40)`` for a finding from a measurement (internal: the terminal)."""
    if not f.denominator:
        return ""
    from ivoaudit.report.labels import count, pct

    return t(" ({p}, {k} av {n})", " ({p}, {k} of {n})", p=pct(f.passed / f.denominator, 1), k=count(f.passed),
             n=count(f.denominator))


@command.command("propose", help=(
    "Föreslå en brist för varje regel i mätningen MEASUREMENT som ligger under sitt mål. "
    "Bekräfta dem sedan med `ivoaudit findings edit ID --status open` (eller avfärda).",
    "Propose a finding for every rule of measurement MEASUREMENT that is below its target. "
    "Then confirm them with `ivoaudit findings edit ID --status open` (or dismiss)."))
@click.argument("measurement")
@option("--targets", type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help=("Kommunens målfil (YAML) om målen ska skilja sig från checklistornas.",
              "The municipality's targets file (YAML) when targets differ from the checklists'."))
@db_option
@by_option
def propose(measurement: str, targets: Path | None, db: Path | None, by: str | None) -> None:
    """Propose findings from MEASUREMENT."""
    from ivoaudit.i18n import get_language
    from ivoaudit.store import open_store
    from ivoaudit.targets import load_targets
    from ivoaudit.tracking.findings import propose_findings

    goals = load_targets(targets) if targets else None
    with open_store(db) as store:
        added = propose_findings(store, measurement, targets=goals, by=by, lang=get_language())
    if not added:
        echo(t("Inga nya brister: varje mätt regel når sitt mål eller är redan föreslagen.",
                     "No new findings: every measured rule meets its target or was proposed already."))
    for f in added:
        echo(t("Föreslagen brist {i}: {x}", "Proposed finding {i}: {x}", i=f.id, x=f.title) + _figure(f))


@command.command("add", help=("Lägg till en brist för hand.", "Add a finding by hand."))
@option("--text", required=True, help=("Bristen i ord.", "The fault in words."))
@option("--found", "found_on", type=ISO_DATE, help=("Dagen den upptäcktes (standard: i dag).",
                                                   "The day it was found (default: today)."))
@option("--origin", default="", help=("Hur den upptäcktes, t.ex. lex Sarah-rapport 2026-03.",
                                      "How it was found, e.g. lex Sarah report 2026-03."))
@option("--rule", "rules", multiple=True, metavar="RULE_ID",
        help=("Regel som bristen gäller; kan upprepas.", "A rule the finding concerns; may be repeated."))
@option("--demand", metavar="DNR:N", help=("IVO-kravet bristen kommer från.", "The IVO demand it comes from."))
@db_option
@by_option
def add(text: str, found_on: date | None, origin: str, rules: tuple[str, ...], demand: str | None,
        db: Path | None, by: str | None) -> None:
    """Add a finding; prints its id."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.findings import record_finding

    with open_store(db) as store:
        f = record_finding(store, text, found_on=found_on or date.today(), rules=rules, origin=origin,
                           source="ivo" if demand else "manual", demand=demand, by=by)
    echo(f.id)


@command.command("list", help=("Lista bristerna.", "List the findings."))
@option("--status", type=click.Choice(["proposed", "open", "closed", "dismissed"]),
        help=("Bara brister med denna status.", "Only findings with this status."))
@db_option
@format_option(("text", "json"), "text")
def list_(status: str | None, db: Path | None, fmt: str) -> None:
    """One line per finding."""
    from ivoaudit.store import open_store
    from ivoaudit.store.findings import list_findings
    from ivoaudit.tracking.words import FINDING_STATUS, word

    with open_store(db) as store:
        found = [f for f in list_findings(store) if status is None or f.status == status]
    if fmt == "json":
        echo(json.dumps([{k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(f).items()}
                               for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        echo(t("Inga brister.", "No findings."))
    for f in found:
        echo(f"{f.id:>4}  {f.found_on}  {word(FINDING_STATUS, f.status):<11} {f.title}{_figure(f)}"
                   + (f"  [{', '.join(f.rules)}]" if f.rules else ""))


@command.command("edit", help=("Ändra en brist: status (bekräfta, avfärda, åtgärdad) eller text.",
                               "Change a finding: status (confirm, dismiss, closed) or text."))
@click.argument("finding_id", type=int)
@option("--status", type=click.Choice(["proposed", "open", "closed", "dismissed"]),
        help=("open bekräftar, dismissed avfärdar, closed = åtgärdad.",
              "open confirms, dismissed dismisses, closed = remedied."))
@option("--text", "title", help=("Ny text.", "New text."))
@option("--note", help=("Anteckning i historiken, t.ex. varför den avfärdades.",
                        "A note in the history, e.g. why it was dismissed."))
@db_option
@by_option
def edit(finding_id: int, status: str | None, title: str | None, note: str | None, db: Path | None,
         by: str | None) -> None:
    """Change finding FINDING_ID."""
    from ivoaudit.store import open_store
    from ivoaudit.store.findings import update_finding

    changes = {k: v for k, v in {"status": status, "title": title}.items() if v is not None}
    if not changes:
        raise click.UsageError(t("Ange --status eller --text.", "Give --status or --text."))
    with open_store(db) as store:
        f = update_finding(store, finding_id, changes, by=by, note=note)
    echo(t("Brist {i} ändrad.", "Finding {i} changed.", i=f.id))
