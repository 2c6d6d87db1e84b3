"""`ivoaudit sample`: draw a reproducible sample, store it as a round, write the review form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ivoaudit.errors import UsageError
from ivoaudit.i18n import get_language, t

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _size(value: str | None) -> int | str | None:
    if value is None or value == "auto":
        return value
    try:
        size = int(value)
    except ValueError:
        size = -1
    if size < 0:
        raise UsageError(t("--size ska vara ett heltal eller auto (fick {v}).",
                           "--size must be a whole number or auto (got {v}).", v=value))
    return size


@click.command(
    "sample",
    help=t(
        "Dra ett stickprov ur ett ärendeuttag, spara det som en granskningsomgång och skriv "
        "granskningsformuläret (Excel).\n\n"
        "Samma uttag, samma val och samma frö (--seed) ger samma ärenden, oavsett radordning i "
        "uttaget. Urvalsprotokollet (metod, urvalsvillkor, populationens storlek, frö, uttagets "
        "fingeravtryck) skrivs ut, sparas med omgången och står i formuläret.\n\n"
        "Metoder: random (obundet slumpmässigt urval), stratified (proportionellt per enhet, "
        "handläggare eller område; eller --per-stratum K), ivo (som IVO: --not-opened N "
        "förhandsbedömningar som inte ledde till utredning och --completed M avslutade "
        "utredningar). --size auto räknar fram urvalsstorleken (attributurval, binomial).",
        "Draw a sample from a case extract, store it as an audit round and write the review "
        "form (Excel).\n\n"
        "The same extract, options and seed (--seed) give the same cases whatever the row order "
        "of the extract. The sampling record (method, filters, population size, seed, extract "
        "fingerprint) is printed, stored with the round and written into the form.\n\n"
        "Strategies: random (simple random sample), stratified (proportional by unit, caseworker "
        "or area; or --per-stratum K), ivo (as IVO: --not-opened N preliminary assessments that "
        "did not lead to an investigation and --completed M completed investigations). --size "
        "auto computes the sample size (attribute sampling, binomial).",
    ),
)
@click.argument("extract", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=t("Mappningsfil (YAML) för uttagets rubriker och koder.",
                     "Mapping file (YAML) for the extract's headers and codes."))
@click.option("--size", "size_text", help=t("Antal ärenden, eller auto.", "Number of cases, or auto."))
@click.option("--strategy", type=click.Choice(["random", "stratified", "ivo"]), default="random",
              show_default=True, help=t("Urvalsmetod.", "Sampling strategy."))
@click.option("--stratify", type=click.Choice(["unit", "caseworker", "area"]), default=None,
              help=t("Skikta efter (med --strategy stratified; standard unit).",
                     "Stratify by (with --strategy stratified; default unit)."))
@click.option("--per-stratum", type=click.IntRange(min=1),
              help=t("Lika många ärenden ur varje skikt.", "The same number of cases from each stratum."))
@click.option("--not-opened", type=click.IntRange(min=0),
              help=t("ivo: antal förhandsbedömningar som inte ledde till utredning.",
                     "ivo: preliminary assessments that did not lead to an investigation."))
@click.option("--completed", type=click.IntRange(min=0),
              help=t("ivo: antal avslutade utredningar.", "ivo: completed investigations."))
@click.option("--from", "date_from", type=_DATE, help=t("Inkom tidigast (ÅÅÅÅ-MM-DD).",
                                                         "Received on or after (YYYY-MM-DD)."))
@click.option("--to", "date_to", type=_DATE, help=t("Inkom senast (ÅÅÅÅ-MM-DD).",
                                                     "Received on or before (YYYY-MM-DD)."))
@click.option("--area", type=click.Choice(["barn_unga", "funktionshinder", "missbruk", "aldre"]),
              help=t("Bara ärenden inom området.", "Only cases in this area."))
@click.option("--only-deviations", is_flag=True,
              help=t("Bara ärenden med minst ett ej uppfyllt eller försenat resultat.",
                     "Only cases with at least one fail or overdue result."))
@click.option("--seed", type=click.IntRange(min=0),
              help=t("Frö för slumpen; utan det dras ett som skrivs ut och sparas.",
                     "Random seed; without it one is drawn, printed and stored."))
@click.option("--round", "round_name", help=t("Namn på omgången (standard: omg-DATUM).",
                                              "Name of the round (default: omg-DATE)."))
@click.option("--extend", help=t("Utöka en tidigare omgång med --size ärenden till; de redan dragna "
                                 "ärendena ändras inte.",
                                 "Add --size more cases to an earlier round; the cases already "
                                 "drawn stay unchanged."))
@click.option("--exclude-reviewed", is_flag=True,
              help=t("Utelämna ärenden som ingått i tidigare omgångar.",
                     "Leave out cases that were in earlier rounds."))
@click.option("--as-of", type=_DATE, help=t("Granskningsdatum (standard: i dag).",
                                            "Check date (default: today)."))
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help=t("--size auto: konfidensgrad.", "--size auto: confidence level."))
@click.option("--tolerable", type=click.FloatRange(0.001, 0.5), default=0.10, show_default=True,
              help=t("--size auto: tolerabel avvikelsegrad.", "--size auto: tolerable deviation rate."))
@click.option("--expected", type=click.FloatRange(0.0, 0.5), default=0.0, show_default=True,
              help=t("--size auto: förväntad avvikelsegrad.", "--size auto: expected deviation rate."))
@click.option("--events", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=t("Händelsetabell (överväganden, journal) för intervallregler, som i `check`.",
                     "Events table (reviews, journal) for interval rules, as in `check`."))
@click.option("--events-mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=t("Mappningsfil för händelsetabellen.", "Mapping file for the events table."))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help=t("Granskningsdatabas (standard: IVOAUDIT_DB eller användarens datamapp).",
                     "Audit store (default: IVOAUDIT_DB or the user data folder)."))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help=t("Granskningsformuläret att skriva (.xlsx).", "The review form to write (.xlsx)."))
def command(extract, mapping, size_text, strategy, stratify, per_stratum, not_opened, completed,
            date_from, date_to, area, only_deviations, seed, round_name, extend, exclude_reviewed,
            as_of, confidence, tolerable, expected, events, events_mapping, db, out) -> None:
    """Parse options, draw and store the sample, print the sampling record."""
    from ivoaudit.review.answers import load_population, sample_round
    from ivoaudit.sample.draw import SampleSpec
    from ivoaudit.sample.stats import attribute_sample_size
    from ivoaudit.store import open_store

    size = _size(size_text)
    calculation = None
    if size == "auto":
        try:
            calc = attribute_sample_size(confidence, tolerable, expected)
        except ValueError as exc:
            raise UsageError(t("Urvalsstorleken kan inte beräknas: {e}. Förväntad avvikelsegrad "
                               "måste vara lägre än den tolerabla.",
                               "The sample size cannot be computed: {e}. The expected rate must be "
                               "below the tolerable rate.", e=exc)) from exc
        size = calc.n
        calculation = {"method": "attribute_binomial", "confidence": confidence, "tolerable": tolerable,
                       "expected": expected, "n": calc.n, "allowed_deviations": calc.allowed_deviations,
                       "risk": round(calc.risk, 6), "explanation": calc.explain(get_language())}
    if strategy == "ivo" and (not_opened is None or completed is None):
        raise UsageError(t("--strategy ivo kräver --not-opened N och --completed M.",
                           "--strategy ivo needs --not-opened N and --completed M."))
    if strategy != "ivo" and size is None and per_stratum is None:
        raise UsageError(t("Ange --size N (eller --size auto).", "Give --size N (or --size auto)."))
    if extend and round_name:
        raise UsageError(t("Ange antingen --round eller --extend.", "Give either --round or --extend."))
    if date_from and date_to and date_from > date_to:
        raise UsageError(t("--from är senare än --to.", "--from is after --to."))
    check_date = as_of.date() if as_of else date.today()
    spec = SampleSpec(strategy=strategy, size=size, stratify=stratify, per_stratum=per_stratum,
                      not_opened=not_opened, completed=completed,
                      date_from=date_from.date() if date_from else None,
                      date_to=date_to.date() if date_to else None, area=area,
                      only_deviations=only_deviations, seed=seed)
    population = load_population(extract, mapping, check_date, events=events, events_mapping=events_mapping)
    with open_store(db) as store:
        started = sample_round(store, population, spec, out=out, as_of=check_date, name=round_name,
                               extend=extend, exclude_reviewed=exclude_reviewed,
                               size_calculation=calculation)
    for line in started.lines:
        click.echo(line)
    if started.extended:
        click.echo(t("Omgången {n} utökad med {k} ärenden.", "Round {n} extended by {k} cases.",
                     n=started.name, k=started.record["size_drawn"]))
    else:
        click.echo(t("Omgång: {n}", "Round: {n}", n=started.name))
    click.echo(t("Granskningsformulär: {p}", "Review form: {p}", p=started.form))
