"""``ivoaudit ivo``: IVO decisions and their demands, and the committee's answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from ivoaudit.cli.options import ISO_DATE, db_option, echo, new_group, option
from ivoaudit.cli.tracking_options import by_option, formats_option
from ivoaudit.i18n import t


@new_group("ivo", help=(
    "IVO:s beslut: diarienummer, datum, svarsdag och anstånd, kraven med de regler som mäter dem, "
    "och nämndens svar (tjänsteskrivelse).",
    "IVO decisions: diarienummer, dates, answer due date and extension, the demands with the rules "
    "that measure them, and the committee's answer (tjänsteskrivelse)."))
def command() -> None:
    """The ivo command group."""


_DECISION_OPTIONS = [
    option("--received", "received_date", type=ISO_DATE,
           help=("Dagen beslutet kom in till nämnden.", "The day the decision reached the committee.")),
    option("--extended-due", "extended_due", type=ISO_DATE,
           help=("Ny svarsdag efter anstånd.", "New due date after an extension (anstånd).")),
    option("--extension-reason", help=("Skälet till anståndet.", "The reason for the extension.")),
    option("--committee", help=("Nämnden som svarar, t.ex. Socialnämnden.",
                                "The committee that answers, e.g. Socialnämnden.")),
    option("--our-dnr", "our_dnr", help=("Nämndens eget diarienummer för ärendet.",
                                          "The committee's own diarienummer for the matter.")),
    option("--units", help=("Enheter som beslutet gäller.", "Units the decision concerns.")),
    option("--summary", help=("IVO:s sammanfattning av beslutet.", "IVO's summary of the decision.")),
]


def _decision_options(func: Any) -> Any:
    for decorator in reversed(_DECISION_OPTIONS):
        func = decorator(func)
    return func


@command.command("add", help=("Registrera ett IVO-beslut.", "Record an IVO decision."))
@option("--dnr", required=True, help=("IVO:s diarienummer, t.ex. 8.5-25231/2017-1.",
                                      "IVO's diarienummer, e.g. 8.5-25231/2017-1."))
@option("--date", "decision_date", required=True, type=ISO_DATE, help=("Beslutsdatum.", "Decision date."))
@option("--due", "answer_due", required=True, type=ISO_DATE,
        help=("Dagen nämndens svar ska vara hos IVO.", "The day the committee's answer is due at IVO."))
@_decision_options
@db_option
@by_option
def add(dnr: str, db: Path | None, by: str | None, **fields: object) -> None:
    """Record decision DNR."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.ivo import record_decision

    with open_store(db) as store:
        decision = record_decision(store, dnr, by=by, **fields)  # type: ignore[arg-type]
    echo(t("IVO-beslutet {d} registrerat; svaret ska vara inne {due}. Lägg till kraven med "
                 "`ivoaudit ivo demand add {d} --text …`.",
                 "IVO decision {d} recorded; the answer is due {due}. Add the demands with "
                 "`ivoaudit ivo demand add {d} --text …`.", d=decision.dnr, due=decision.due))


@command.command("edit", help=("Ändra ett IVO-beslut: status, anstånd, dag då svaret antogs och skickades.",
                               "Change an IVO decision: status, extension, the days the answer was "
                               "adopted and sent."))
@click.argument("dnr")
@option("--status", type=click.Choice(["open", "answered", "closed"]),
        help=("open (öppet), answered (besvarat), closed (avslutat).",
              "open, answered (the answer was sent), closed."))
@option("--date", "decision_date", type=ISO_DATE, help=("Beslutsdatum.", "Decision date."))
@option("--due", "answer_due", type=ISO_DATE, help=("Svarsdag.", "Answer due date."))
@option("--adopted", "adopted_on", type=ISO_DATE, help=("Dagen nämnden antog svaret.",
                                                        "The day the committee adopted the answer."))
@option("--sent", "sent_on", type=ISO_DATE, help=("Dagen svaret skickades till IVO.",
                                                  "The day the answer was sent to IVO."))
@_decision_options
@db_option
@by_option
def edit(dnr: str, db: Path | None, by: str | None, **fields: object) -> None:
    """Change decision DNR."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.ivo import edit_decision

    changes = {k: v for k, v in fields.items() if v is not None}
    if not changes:
        raise click.UsageError(t("Ange minst en ändring, t.ex. --status answered.",
                                 "Give at least one change, e.g. --status answered."))
    with open_store(db) as store:
        decision = edit_decision(store, dnr, changes, by=by)
    echo(t("IVO-beslutet {d} ändrat.", "IVO decision {d} changed.", d=decision.dnr))


@command.command("list", help=("Lista IVO-besluten.", "List the IVO decisions."))
@db_option
def list_(db: Path | None) -> None:
    """One line per decision."""
    from ivoaudit.store import open_store
    from ivoaudit.store.ivo import list_decisions
    from ivoaudit.tracking.words import DECISION_STATUS, word

    with open_store(db) as store:
        decisions = list_decisions(store)
    if not decisions:
        echo(t("Inga IVO-beslut ännu. Registrera ett med `ivoaudit ivo add`.",
                     "No IVO decisions yet. Record one with `ivoaudit ivo add`."))
    for d in decisions:
        echo(t("{dnr}  beslut {b}  svar senast {due}  {n} krav  {s}",
                     "{dnr}  decided {b}  answer due {due}  {n} demands  {s}",
                     dnr=d.dnr, b=d.decision_date or "–", due=d.due or "–", n=len(d.demands),
                     s=word(DECISION_STATUS, d.status)))


@command.command("show", help=("Visa ett IVO-beslut med dess krav.", "Show an IVO decision with its demands."))
@click.argument("dnr")
@db_option
def show(dnr: str, db: Path | None) -> None:
    """The decision, then each demand with its rules and IVO's figure."""
    from ivoaudit.store import open_store
    from ivoaudit.store.ivo import get_decision
    from ivoaudit.tracking.words import DECISION_STATUS, word

    with open_store(db) as store:
        d = get_decision(store, dnr)
    echo(t("IVO-beslut {dnr} ({s})", "IVO decision {dnr} ({s})", dnr=d.dnr, s=word(DECISION_STATUS, d.status)))
    for label, value in ((t("Beslutsdatum", "Decision date"), d.decision_date),
                         (t("Inkom", "Received"), d.received_date),
                         (t("Svar senast", "Answer due"), d.answer_due),
                         (t("Anstånd till", "Extended to"), d.extended_due),
                         (t("Skäl för anstånd", "Reason for extension"), d.extension_reason),
                         (t("Nämnd", "Committee"), d.committee), (t("Vårt dnr", "Our dnr"), d.our_dnr),
                         (t("Antaget", "Adopted"), d.adopted_on), (t("Skickat", "Sent"), d.sent_on)):
        if value:
            echo(f"  {label}: {value}")
    for demand in d.demands:
        echo("")
        echo(t("Krav {n}: {x}", "Demand {n}: {x}", n=demand.number, x=demand.text))
        echo(t("  Regler: {r}", "  Rules: {r}", r=", ".join(demand.rules) or "–"))
        if demand.ivo_assessed:
            echo(t("  IVO:s siffra: brist i {d} av {a} ärenden", "  IVO's figure: a fault in {d} of {a} cases",
                         d=demand.ivo_deviations, a=demand.ivo_assessed))


@command.group("demand", help=("Kraven i ett IVO-beslut.", "The demands of an IVO decision."))
def demand() -> None:
    """The demand subgroup."""


@demand.command("add", help=(
    "Lägg till ett krav i beslutet DNR: IVO:s text, de regler som mäter kravet (inga för krav "
    "som ingen regel mäter, t.ex. bemanning) och IVO:s egen siffra om beslutet har en.",
    "Add a demand to decision DNR: IVO's text, the rules that measure it (none for demands no rule "
    "measures, e.g. staffing) and IVO's own figure if the decision gives one."))
@click.argument("dnr")
@option("--text", required=True, help=("Kravet som IVO skrev det.", "The demand as IVO wrote it."))
@option("--rule", "rules", multiple=True, metavar="RULE_ID",
        help=("Regel som mäter kravet; kan upprepas. Se `ivoaudit rules list`.",
              "A rule that measures the demand; may be repeated. See `ivoaudit rules list`."))
@option("--ivo-figure", help=("IVO:s siffra som BRISTER/GRANSKADE, t.ex. 3/10.",
                              "IVO's figure as FAULTS/EXAMINED, e.g. 3/10."))
@option("--number", type=click.IntRange(min=1), help=("Kravets nummer (standard: nästa).",
                                                      "The demand's number (default: the next)."))
@db_option
@by_option
def demand_add(dnr: str, text: str, rules: tuple[str, ...], ivo_figure: str | None, number: int | None,
               db: Path | None, by: str | None) -> None:
    """Add a demand to DNR."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.ivo import record_demand

    with open_store(db) as store:
        added = record_demand(store, dnr, text, rules=rules, ivo_figure=ivo_figure, number=number, by=by)
    echo(t("Krav {r} tillagt. Koppla åtgärder till det med --demand {r}.",
                 "Demand {r} added. Link actions to it with --demand {r}.", r=added.ref))


@command.command("template", help=(
    "Skriv en Excel-mall för ett IVO-beslut och dess krav; fyll i den och läs in den med "
    "`ivoaudit ivo import`.",
    "Write an Excel template for an IVO decision and its demands; fill it in and read it with "
    "`ivoaudit ivo import`."))
@option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help=("Filen att skriva (.xlsx).", "The file to write (.xlsx)."))
def template(out: Path) -> None:
    """Write the template to --out."""
    from ivoaudit.tracking.ivo_xlsx import write_decision_template

    write_decision_template(out)
    echo(t("Mall skriven: {p}", "Template written: {p}", p=out))


@command.command("import", help=(
    "Läs in ett IVO-beslut från en ifylld mall. Allt eller inget: vid fel sparas ingenting och "
    "varje problem listas.",
    "Read an IVO decision from a filled-in template. All or nothing: on any problem nothing is "
    "stored and every problem is listed."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@by_option
def import_(file: Path, db: Path | None, by: str | None) -> None:
    """Import FILE."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.ivo_xlsx import import_decision

    with open_store(db) as store:
        decision = import_decision(store, file, by=by)
    echo(t("IVO-beslutet {d} inläst med {n} krav.", "IVO decision {d} read with {n} demands.",
                 d=decision.dnr, n=len(decision.demands)))


@command.command("answer", help=(
    "Skriv nämndens svar till IVO som tjänsteskrivelse (Word och HTML): varje krav citerat, "
    "läget enligt IVO och enligt egenkontrollen, åtgärder med ansvarig och tidsplan, uppföljning. "
    "Offentlig: roller, aldrig namn; små antal skyddas.",
    "Write the committee's answer to IVO as a tjänsteskrivelse (Word and HTML): each demand quoted, "
    "the situation per IVO and per the self-audit, measures with responsible and timeline, "
    "follow-up. Public: roles, never names; small counts protected."))
@click.argument("dnr")
@formats_option(("docx", "html"), "docx,html")
@option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
        help=("Mapp att skriva i.", "Folder to write into."))
@option("--date", "written_on", type=ISO_DATE, help=("Tjänsteskrivelsens datum (standard: i dag).",
                                                     "The date of the tjänsteskrivelse (default: today)."))
@db_option
def answer(dnr: str, formats: tuple[str, ...], out: Path, written_on: date | None, db: Path | None) -> None:
    """Write the answer to decision DNR."""
    from ivoaudit.i18n import get_language
    from ivoaudit.report.ivo_answer import write_answer
    from ivoaudit.store import open_store
    from ivoaudit.tracking.answer import build_answer
    from ivoaudit.tracking.data import load_tracking

    with open_store(db) as store:
        model = build_answer(load_tracking(store), dnr, written_on or date.today(), lang=get_language())
    for path in write_answer(model, out, formats):
        echo(t("Skrivet: {p}", "Written: {p}", p=path))
