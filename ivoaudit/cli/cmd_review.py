"""`ivoaudit review`: read a filled-in review form back, or write a round's form again."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import db_option, echo, new_group, option
from ivoaudit.i18n import t


@new_group("review", help=("Granskningsformulär: läs in svar, skriv formulär.",
                              "Review forms: import answers, write forms."))
def command() -> None:
    """The review command group."""


@command.command("import", help=(
    "Läs in ett ifyllt granskningsformulär.\n\nHela filen kontrolleras först; är något fel läses "
    "ingenting in och problemen listas numrerade. En ny inläsning ersätter omgångens svar (de "
    "tidigare sparas i historiken). Filen ändras aldrig.",
    "Import a filled-in review form.\n\nThe whole file is checked first; if anything is wrong "
    "nothing is imported and the problems are listed, numbered. A new import replaces the round's "
    "answers (the earlier ones are kept in the history). The file is never changed."))
@click.argument("form", type=click.Path(dir_okay=False, path_type=Path))
@option("--round", "round_name", help=("Vägra formuläret om det hör till en annan omgång.",
                                              "Refuse the form if it belongs to another round."))
@option("--require-complete", is_flag=True,
              help=("Vägra formuläret om någon fråga är obesvarad.",
                     "Refuse the form if any question is unanswered."))
@db_option
def import_(form, round_name, require_complete, db) -> None:
    """Validate and import the form; print what was stored."""
    from ivoaudit.review.answers import import_review_form
    from ivoaudit.store import open_store

    with open_store(db) as store:
        result = import_review_form(store, form, expected_round=round_name,
                                    require_complete=require_complete)
    echo(t("Formuläret lästes in i omgången {n}: {a} av {k} frågor besvarade.",
                 "The form was imported into round {n}: {a} of {k} questions answered.",
                 n=result.round_name, a=result.answered, k=result.total))
    if result.checks:
        echo(t("{c} automatiska resultat stämdes av mot akten; {w} stämmer inte och redovisas som brister "
                     "i uppgifterna.",
                     "{c} automatic results were checked against the case file; {w} do not match and are "
                     "reported as data-quality findings.", c=result.checks, w=result.wrong))
    if result.masked:
        echo(t("Obs: kommentarerna innehöll {m} personnummer. De har maskerats (t.ex. 19121212-****) "
                     "innan de sparades. Skriv inte personnummer i formuläret.",
                     "Note: the comments held {m} personal identity numbers. They were masked (e.g. "
                     "19121212-****) before they were stored. Do not write identity numbers in the form.",
                     m=result.masked))
    if result.replaced:
        echo(t("{r} tidigare svar ersattes (de finns kvar i historiken).",
                     "{r} earlier answers were replaced (kept in the history).", r=result.replaced))


@command.command("form", help=("Skriv omgångens granskningsformulär igen (med svaren hittills).",
                                "Write the round's review form again (with the answers so far)."))
@click.argument("name")
@option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help=("Formuläret att skriva (.xlsx).", "The form to write (.xlsx)."))
@db_option
def form_(name, out, db) -> None:
    """Write the form of round NAME."""
    from ivoaudit.review.answers import write_round_form
    from ivoaudit.store import open_store

    with open_store(db) as store:
        path = write_round_form(store, name, out)
    echo(t("Granskningsformulär: {p}", "Review form: {p}", p=path))
