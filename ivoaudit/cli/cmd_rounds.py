"""`ivoaudit rounds`: the audit rounds in the store, their progress and results."""

from __future__ import annotations

import click

from ivoaudit.cli.options import db_option, echo, new_group, option
from ivoaudit.i18n import t


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.0f} %"


@new_group("rounds", help=("Granskningsomgångar: lista, visa och ta bort.", "Audit rounds: list, show and delete."))
def command() -> None:
    """The rounds command group."""


@command.command("list", help=("Lista omgångarna med framsteg.", "List the rounds with progress."))
@db_option
def list_(db) -> None:
    """One line per round: name, date, cases, answered / questions."""
    from ivoaudit.review.overview import round_overview
    from ivoaudit.store import open_store

    with open_store(db) as store:
        rounds = store.list_rounds()
        if not rounds:
            echo(t("Inga granskningsomgångar ännu. Börja med `ivoaudit sample`.",
                         "No audit rounds yet. Start with `ivoaudit sample`."))
            return
        for info in rounds:
            o = round_overview(store, info.name)
            echo(t("{n}  {d}  {c} ärenden  {a}/{q} frågor besvarade  ({s})",
                         "{n}  {d}  {c} cases  {a}/{q} questions answered  ({s})",
                         n=info.name, d=info.as_of or info.created_at[:10], c=o.cases, a=o.answered,
                         q=o.questions, s=info.records[0].get("strategy") if info.records else "–"))


@command.command("show", help=(
    "Visa en omgång: urvalsprotokoll, framsteg och resultat per regel. Andelen uppfyllda visas "
    "med 95 % konfidensintervall (Wilson), eftersom ett stickprov säger mindre än det ser ut.",
    "Show a round: sampling record, progress and results per rule. The compliance rate is shown "
    "with its 95 % confidence interval (Wilson), because a sample says less than it seems."))
@click.argument("name")
@db_option
def show(name, db) -> None:
    """Sampling record, progress and per-rule results of round NAME."""
    from ivoaudit.review.overview import round_overview
    from ivoaudit.sample.draw import describe_record
    from ivoaudit.store import open_store

    with open_store(db) as store:
        o = round_overview(store, name)
    echo(t("Omgång {n} (granskningsdatum {d})", "Round {n} (check date {d})",
                 n=o.info.name, d=o.info.as_of or "–"))
    for seq, record in enumerate(o.info.records):
        echo(t("Urval {i}:", "Draw {i}:", i=seq + 1))
        for line in describe_record(record):
            echo(f"  {line}")
    echo(t("Framsteg: {a} av {q} frågor besvarade, {c} ärenden, {i} inläsningar.",
                 "Progress: {a} of {q} questions answered, {c} cases, {i} imports.",
                 a=o.answered, q=o.questions, c=o.cases, i=len(o.imports)))
    echo("")
    echo(t("{r:<24} {p:>5} {f:>5} {o:>5} {w:>7}  {c:>10}  {k}",
                 "{r:<24} {p:>5} {f:>5} {o:>5} {w:>7}  {c:>10}  {k}",
                 r=t("Regel", "Rule"), p=t("Uppf", "Pass"), f=t("Ej", "Fail"), o=t("Förs", "Over"),
                 w=t("Ogransk", "Unrev"), c=t("Andel", "Rate"), k=t("95 % KI (Wilson)", "95 % CI (Wilson)")))
    for _, row in o.summary.iterrows():
        ci = ("–" if row["ci_low"] is None or row["ci_low"] != row["ci_low"]
              else f"{_pct(row['ci_low'])}–{_pct(row['ci_high'])}")
        rate = "–" if not row["denominator"] else f"{_pct(row['compliance'])} ({row['pass']}/{row['denominator']})"
        echo(f"{row['rule_id']:<24} {row['pass']:>5} {row['fail']:>5} {row['overdue']:>5} "
                   f"{row['needs_review']:>7}  {rate:>10}  {ci}")


@command.command("delete", help=(
    "Ta bort en omgång med allt den innehåller. En omgång med svar från granskningen tas bara bort "
    "med --force. Borttagningen antecknas i databasen (namn, tid, antal ärenden och svar).",
    "Delete a round with everything it holds. A round with review answers is deleted only with "
    "--force. The deletion is recorded in the store (name, time, number of cases and answers)."))
@click.argument("name")
@option("--force", is_flag=True, help=("Ta bort omgången även om den har svar (svaren går förlorade).",
                                       "Delete the round even if it has answers (the answers are lost)."))
@db_option
def delete(name, force, db) -> None:
    """Delete round NAME (refused with answers unless --force)."""
    from ivoaudit.store import open_store
    from ivoaudit.store.review_checks import delete_round

    with open_store(db) as store:
        done = delete_round(store, name, force=force)
    echo(t("Omgången {n} är borttagen ({c} ärenden, {a} svar). Borttagningen är antecknad.",
                 "The round {n} was deleted ({c} cases, {a} answers). The deletion is recorded.",
                 n=done.name, c=done.cases, a=done.answers))
