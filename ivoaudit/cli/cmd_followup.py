"""``ivoaudit followup``: the quality coordinator's follow-up report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ivoaudit.cli.options import db_option, echo, new_command, option
from ivoaudit.cli.tracking_options import as_of_option, formats_option
from ivoaudit.i18n import t


@new_command("followup", help=(
    "Uppföljningen: försenade åtgärder, åtgärder som väntar på uppföljning, effekten per åtgärd, "
    "återkommande brister och utvecklingen per regel över jämförbara mätningar. Skrivs ut i korthet "
    "och, med --out, som Word och HTML.",
    "The follow-up: overdue actions, actions due for follow-up, the effect per action, repeat findings "
    "and the trend per rule over comparable measurements. Printed in brief and, with --out, written as "
    "Word and HTML."))
@as_of_option
@option("--out", type=click.Path(file_okay=False, path_type=Path),
        help=("Mapp att skriva rapporten i.", "Folder to write the report into."))
@formats_option(("docx", "html"), "docx,html")
@db_option
def command(as_of: date | None, out: Path | None, formats: tuple[str, ...], db: Path | None) -> None:
    """Print the follow-up; write it with --out."""
    from ivoaudit.i18n import get_language
    from ivoaudit.report.followup import write_followup
    from ivoaudit.store import open_store
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.followup import build_followup
    from ivoaudit.tracking.words import VERDICT, word

    day = as_of or date.today()
    with open_store(db) as store:
        report = build_followup(load_tracking(store), day, lang=get_language())
    echo(t("Uppföljning per {d}. Åtgärder i registret: {n}.", "Follow-up as of {d}. Actions in the register: {n}.",
           d=day,
                 n=report.actions_total))
    echo(t("Försenade: {n}", "Overdue: {n}", n=len(report.overdue)))
    for r in report.overdue:
        echo(t("  {i}  {m} ({w}), klart senast {d}, {n} dagar sen",
                     "  {i}  {m} ({w}), deadline {d}, {n} days late", i=r.action.id, m=r.action.measure,
                     w=r.action.responsible_role, d=r.action.deadline, n=r.days_overdue))
    echo(t("Väntar på uppföljning: {n}", "Due for follow-up: {n}", n=len(report.due_for_followup)))
    for r in report.due_for_followup:
        echo(t("  {i}  {m}: förslag {v}", "  {i}  {m}: proposal {v}", i=r.action.id, m=r.action.measure,
                     v=word(VERDICT, r.proposed or "")))
    echo(t("Återkommande brister: {n}", "Repeat findings: {n}", n=len(report.repeats)))
    for rep in report.repeats:
        echo(t("  {r} under målet i {m} ({d}) efter åtgärd {a}",
                     "  {r} below target in {m} ({d}) after action {a}", r=rep.rule_id, m=rep.measurement,
                     d=rep.as_of, a=rep.action_id))
    if out is not None:
        for path in write_followup(report, out, formats):
            echo(t("Skrivet: {p}", "Written: {p}", p=path))
