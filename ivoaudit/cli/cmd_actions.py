"""``ivoaudit actions``: the action register (åtgärder) with responsible, timeline and status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from ivoaudit.cli.options import ISO_DATE, db_option, echo, new_group, option
from ivoaudit.cli.tracking_options import as_of_option, by_option, format_option, formats_option
from ivoaudit.i18n import t

STATUSES = ["planned", "in_progress", "done", "effective", "not_effective", "cancelled"]


@new_group("actions", help=(
    "Åtgärdsregistret: åtgärd, ansvarig roll och person, start, klart senast, uppföljning, status "
    "och vilka brister, IVO-krav och regler den gäller. Varje ändring sparas i en historik.",
    "The action register: measure, responsible role and person, start, deadline, follow-up, status "
    "and the findings, IVO demands and rules it answers. Every change is kept in a history."))
def command() -> None:
    """The actions command group."""


_RULE = option("--rule", "rules", multiple=True, metavar="RULE_ID",
               help=("Regel som åtgärden ska förbättra; kan upprepas.",
                     "A rule the action should improve; may be repeated."))
_DEMAND = option("--demand", "demands", multiple=True, metavar="DNR:N",
                 help=("IVO-krav som åtgärden svarar på, t.ex. 8.5-25231/2017-1:2; kan upprepas.",
                       "An IVO demand the action answers, e.g. 8.5-25231/2017-1:2; may be repeated."))
_FINDING = option("--finding", "findings", multiple=True, type=int, metavar="ID",
                  help=("Brist som åtgärden svarar på; kan upprepas.", "A finding the action answers; may be repeated."))


@command.command("add", help=("Lägg till en åtgärd; skriver ut dess id.", "Add an action; prints its id."))
@option("--measure", required=True, help=("Åtgärden i ord.", "The measure in words."))
@option("--responsible", required=True, help=("Ansvarig roll, t.ex. enhetschef.", "Responsible role, e.g. unit manager."))
@option("--person", help=("Ansvarig person (syns bara i interna utdata).",
                          "Responsible person (shown in internal outputs only)."))
@option("--start", required=True, type=ISO_DATE, help=("Startdag.", "Start date."))
@option("--deadline", required=True, type=ISO_DATE, help=("Klart senast.", "Deadline (done by)."))
@option("--followup", type=ISO_DATE, help=("Dag för uppföljning av effekten.", "Day to follow up the effect."))
@option("--followup-method", help=("Hur effekten följs upp, t.ex. ny egenkontroll kvartal 3.",
                                   "How the effect is followed up, e.g. a new self-audit in Q3."))
@option("--evidence", help=("Underlag (text eller dokumentreferens).", "Evidence (text or a document reference)."))
@_RULE
@_DEMAND
@_FINDING
@db_option
@by_option
def add(measure: str, responsible: str, person: str | None, start: date, deadline: date,
        followup: date | None, followup_method: str | None, evidence: str | None, rules: tuple[str, ...],
        demands: tuple[str, ...], findings: tuple[int, ...], db: Path | None, by: str | None) -> None:
    """Add an action; prints its id."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.actions import create_action

    with open_store(db) as store:
        action = create_action(store, measure, responsible, responsible_person=person, start=start,
                               deadline=deadline, followup_date=followup, followup_method=followup_method,
                               evidence=evidence, rules=rules, demands=demands, findings=findings, by=by)
    echo(action.id)


@command.command("list", help=(
    "Lista åtgärderna. En åtgärd är försenad när dagen för klart senast har passerat (själva "
    "dagen räknas inte) och den inte är genomförd, bedömd eller avbruten; den väntar på "
    "uppföljning när den är genomförd och uppföljningsdagen har passerat utan bedömning.",
    "List the actions. An action is overdue when its deadline has passed (the deadline day itself "
    "does not count) and it is not done, judged or cancelled; it is due for follow-up when done "
    "and its follow-up day has passed without a verdict."))
@option("--overdue", is_flag=True, help=("Bara försenade åtgärder.", "Only overdue actions."))
@option("--due-for-followup", is_flag=True, help=("Bara åtgärder som väntar på uppföljning.",
                                                 "Only actions due for follow-up."))
@as_of_option
@format_option(("text", "json"), "text")
@db_option
def list_(overdue: bool, due_for_followup: bool, as_of: date | None, fmt: str, db: Path | None) -> None:
    """One line per action (or JSON)."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.register import register
    from ivoaudit.tracking.words import ACTION_STATUS, word

    day = as_of or date.today()
    with open_store(db) as store:
        rows = register(load_tracking(store), day, only_overdue=overdue, only_due_for_followup=due_for_followup)
    if fmt == "json":
        echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        echo(t("Inga åtgärder att visa per {d}.", "No actions to show as of {d}.", d=day))
    for r in rows:
        a = r.action
        flag = (t("FÖRSENAD {n} d", "OVERDUE {n} d", n=r.days_overdue) if r.overdue
                else t("VÄNTAR PÅ UPPFÖLJNING", "DUE FOR FOLLOW-UP") if r.due_for_followup else "")
        who = a.responsible_role + (f" ({a.responsible_person})" if a.responsible_person else "")
        echo(f"{a.id:>4}  {word(ACTION_STATUS, a.status):<20} {a.deadline or '–'}  {who}: {a.measure}"
                   + (f"  [{flag}]" if flag else ""))


@command.command("edit", help=(
    "Ändra en åtgärd. --status done sparar dagen den blev klar (--done-on, standard --as-of eller i "
    "dag); effective/not_effective är din bedömning av en genomförd åtgärd, och historiken sparar "
    "vilken effekt verktyget föreslog när du bedömde.",
    "Change an action. --status done records the day it was done (--done-on, default --as-of or "
    "today); effective/not_effective is your verdict on a done action, and the history keeps the "
    "effect the tool proposed when you judged."))
@click.argument("action_id", type=int)
@option("--status", type=click.Choice(STATUSES), help=("Ny status.", "New status."))
@option("--measure", help=("Ny text för åtgärden.", "New text for the measure."))
@option("--responsible", "responsible_role", help=("Ansvarig roll.", "Responsible role."))
@option("--person", "responsible_person", help=("Ansvarig person.", "Responsible person."))
@option("--start", "start_date", type=ISO_DATE, help=("Startdag.", "Start date."))
@option("--deadline", type=ISO_DATE, help=("Klart senast.", "Deadline."))
@option("--followup", "followup_date", type=ISO_DATE, help=("Uppföljningsdag.", "Follow-up day."))
@option("--followup-method", help=("Hur effekten följs upp.", "How the effect is followed up."))
@option("--evidence", help=("Underlag.", "Evidence."))
@option("--done-on", "done_on", type=ISO_DATE, help=("Dagen åtgärden blev klar.", "The day the action was done."))
@option("--rule", "rules", multiple=True, metavar="RULE_ID",
        help=("Ersätter åtgärdens regler; kan upprepas.", "Replaces the action's rules; may be repeated."))
@option("--demand", "demands", multiple=True, metavar="DNR:N",
        help=("Ersätter åtgärdens IVO-krav; kan upprepas.", "Replaces the action's IVO demands; may be repeated."))
@option("--finding", "findings", multiple=True, type=int, metavar="ID",
        help=("Ersätter åtgärdens brister; kan upprepas.", "Replaces the action's findings; may be repeated."))
@option("--note", help=("Anteckning i historiken.", "A note in the history."))
@as_of_option
@db_option
@by_option
def edit(action_id: int, note: str | None, as_of: date | None, db: Path | None, by: str | None,
         **fields: Any) -> None:
    """Change action ACTION_ID."""
    from ivoaudit.store import open_store
    from ivoaudit.store.history import history
    from ivoaudit.tracking.actions import edit_action
    from ivoaudit.tracking.words import ACTION_STATUS, VERDICT, word

    changes = {k: v for k, v in fields.items() if v is not None and v != ()}
    if not changes:
        raise click.UsageError(t("Ange minst en ändring, t.ex. --status in_progress.",
                                 "Give at least one change, e.g. --status in_progress."))
    with open_store(db) as store:
        action = edit_action(store, action_id, changes, by=by, note=note, as_of=as_of)
        last = history(store, "action", action_id)[-1]
    echo(t("Åtgärd {i}: {s}.", "Action {i}: {s}.", i=action.id, s=word(ACTION_STATUS, action.status)))
    if last.proposal is not None:
        echo(t("Verktygets förslag när du bedömde: {v}.", "The tool's proposal when you judged: {v}.",
                     v=word(VERDICT, last.proposal.get("verdict") or "")))


@command.command("show", help=("Visa en åtgärd: uppgifter, kopplingar, effekt per regel och historik.",
                               "Show an action: details, links, effect per rule and history."))
@click.argument("action_id", type=int)
@as_of_option
@db_option
def show(action_id: int, as_of: date | None, db: Path | None) -> None:
    """Everything about action ACTION_ID."""
    from ivoaudit.report.tracking_text import rate_text, when
    from ivoaudit.store import open_store
    from ivoaudit.store.actions import get_action
    from ivoaudit.store.history import history
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.register import register
    from ivoaudit.tracking.words import ACTION_STATUS, LIGHT, VERDICT, change_text, word

    with open_store(db) as store:
        get_action(store, action_id)  # an unknown id: the store's error, naming what to do
        data = load_tracking(store)
        entries = history(store, "action", action_id)
    row = next(r for r in register(data, as_of or date.today()) if r.action.id == action_id)
    a = row.action
    echo(t("Åtgärd {i}: {m}", "Action {i}: {m}", i=a.id, m=a.measure))
    for label, value in ((t("Status", "Status"), f"{word(ACTION_STATUS, a.status)} ({word(LIGHT, row.light)})"),
                         (t("Ansvarig", "Responsible"), a.responsible_role + (f", {a.responsible_person}"
                                                                             if a.responsible_person else "")),
                         (t("Start", "Start"), a.start_date), (t("Klart senast", "Deadline"), a.deadline),
                         (t("Klar", "Done on"), a.done_on), (t("Uppföljning", "Follow-up"),
                                                             " ".join(str(x) for x in (a.followup_date, a.followup_method) if x)),
                         (t("Underlag", "Evidence"), a.evidence), (t("IVO-krav", "IVO demands"), ", ".join(a.demands)),
                         (t("Brister", "Findings"), ", ".join(map(str, a.findings))),
                         (t("Regler", "Rules"), ", ".join(row.target_rules))):
        if value:
            echo(f"  {label}: {value}")
    effect = data.effect(a)
    echo(t("Effekt (förslag): {v}", "Effect (proposal): {v}", v=word(VERDICT, effect.verdict or "")))
    for e in effect.rules:
        echo(f"    {e.rule_id}: {word(VERDICT, e.verdict)}")
        for label, r in ((t("före", "before"), e.baseline), (t("första efter", "first after"), e.first_after),
                         (t("senaste efter", "latest after"), e.latest_after)):
            echo(f"      {label + ':':<15} " + (f"{rate_text(r, public=False)}  {when(r)}" if r is not None
                                              else t("ingen mätning", "no measurement")))
    echo(t("Historik:", "History:"))
    for h in entries:
        echo(f"    {h.changed_at[:19].replace('T', ' ')}  {h.changed_by or '–'}  "
             + change_text(h.field, h.old_value, h.new_value) + (f"  ({h.note})" if h.note else ""))


@command.command("export", help=(
    "Skriv åtgärdsregistret till Excel (listor för status, datum kontrolleras). Ändra där och läs "
    "tillbaka med `ivoaudit actions import`.",
    "Write the action register to Excel (dropdowns for status, dates validated). Edit it there and "
    "read it back with `ivoaudit actions import`."))
@option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help=("Filen att skriva (.xlsx).", "The file to write (.xlsx)."))
@as_of_option
@db_option
def export(out: Path, as_of: date | None, db: Path | None) -> None:
    """Write the register to --out."""
    from ivoaudit.i18n import get_language
    from ivoaudit.store import open_store
    from ivoaudit.tracking.register_xlsx import export_register

    with open_store(db) as store:
        path = export_register(store, out, as_of=as_of or date.today(), lang=get_language())
    echo(t("Åtgärdsregistret skrivet: {p}", "Action register written: {p}", p=path))


@command.command("import", help=(
    "Läs tillbaka ett åtgärdsregister från Excel. Allt eller inget: vid minsta fel sparas "
    "ingenting och varje problem listas med rad och kolumn. Rader utan id blir nya åtgärder.",
    "Read an action register back from Excel. All or nothing: on any problem nothing is stored "
    "and every problem is listed with row and column. Rows without an id become new actions."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
@db_option
@by_option
def import_(file: Path, as_of: date | None, db: Path | None, by: str | None) -> None:
    """Import FILE."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.register_xlsx import import_register

    with open_store(db) as store:
        result = import_register(store, file, by=by, as_of=as_of or date.today())
    echo(t("Inläst: {n} nya åtgärder, {c} ändrade, {u} oförändrade.",
                 "Read: {n} new actions, {c} changed, {u} unchanged.",
                 n=len(result.added), c=len(result.changed), u=result.unchanged))


@command.command("report", help=(
    "Skriv handlingsplanen (Word, HTML, Excel): per brist eller IVO-krav bristen, lagrummet, "
    "varje åtgärd med ansvarig, klart senast, uppföljning, status som trafikljus, underlag och "
    "uppmätt effekt. Intern med namn, offentlig med roller och skyddade små antal.",
    "Write the action plan (Word, HTML, Excel): per finding or IVO demand the fault, the legal "
    "reference, each measure with responsible, deadline, follow-up, status as a traffic light, "
    "evidence and measured effect. Internal with names, public with roles and small counts protected."))
@formats_option(("docx", "html", "xlsx"), "docx,html,xlsx")
@option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
        help=("internal (med namn och underlag) eller public (roller, skyddade små antal).",
              "internal (names and evidence) or public (roles, small counts protected)."))
@option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
        help=("Mapp att skriva i.", "Folder to write into."))
@as_of_option
@db_option
def report(formats: tuple[str, ...], audience: str, out: Path, as_of: date | None, db: Path | None) -> None:
    """Write the action plan."""
    from ivoaudit.i18n import get_language
    from ivoaudit.report.action_plan import write_action_plan
    from ivoaudit.store import open_store
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.plan import build_plan

    with open_store(db) as store:
        plan = build_plan(load_tracking(store), as_of or date.today(), public=audience == "public",
                          lang=get_language())
    for path in write_action_plan(plan, out, formats):
        echo(t("Skrivet: {p}", "Written: {p}", p=path))
