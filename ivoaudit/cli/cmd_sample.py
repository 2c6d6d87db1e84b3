"""`ivoaudit sample`: draw a reproducible sample, store it as a round, write the review form."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import ExtractArgs, db_option, echo, extract_options, new_command, option
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


@new_command(
    "sample",
    help=(
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
@extract_options
@option("--size", "size_text", help=("Antal ärenden, eller auto.", "Number of cases, or auto."))
@option("--strategy", type=click.Choice(["random", "stratified", "ivo"]), default="random",
              show_default=True, help=("Urvalsmetod.", "Sampling strategy."))
@option("--stratify", type=click.Choice(["unit", "caseworker", "area"]), default=None,
        help=("Skikta efter (med --strategy stratified; standard unit).",
                     "Stratify by (with --strategy stratified; default unit)."))
@option("--per-stratum", type=click.IntRange(min=1),
        help=("Lika många ärenden ur varje skikt.", "The same number of cases from each stratum."))
@option("--not-opened", type=click.IntRange(min=0),
        help=("ivo: antal förhandsbedömningar som inte ledde till utredning.",
                     "ivo: preliminary assessments that did not lead to an investigation."))
@option("--completed", type=click.IntRange(min=0),
        help=("ivo: antal avslutade utredningar.", "ivo: completed investigations."))
@option("--from", "date_from", type=_DATE, help=("Inkom tidigast (ÅÅÅÅ-MM-DD).",
                                                         "Received on or after (YYYY-MM-DD)."))
@option("--to", "date_to", type=_DATE, help=("Inkom senast (ÅÅÅÅ-MM-DD).",
                                                     "Received on or before (YYYY-MM-DD)."))
@option("--area", type=click.Choice(["barn_unga", "funktionshinder", "missbruk", "aldre"]),
        help=("Bara ärenden inom området.", "Only cases in this area."))
@option("--only-deviations", is_flag=True,
        help=("Bara ärenden med minst ett ej uppfyllt eller försenat resultat.",
                     "Only cases with at least one fail or overdue result."))
@option("--seed", type=click.IntRange(min=0),
        help=("Frö för slumpen; utan det dras ett som skrivs ut och sparas.",
                     "Random seed; without it one is drawn, printed and stored."))
@option("--round", "round_name", help=("Namn på omgången (standard: omg-DATUM).",
                                              "Name of the round (default: omg-DATE)."))
@option("--extend", help=("Utöka en tidigare omgång med --size ärenden till; de redan dragna "
                                 "ärendena ändras inte.",
                                 "Add --size more cases to an earlier round; the cases already "
                                 "drawn stay unchanged."))
@option("--exclude-reviewed", is_flag=True,
        help=("Utelämna ärenden som ingått i tidigare omgångar.",
                     "Leave out cases that were in earlier rounds."))
@option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
        help=("--size auto: konfidensgrad.", "--size auto: confidence level."))
@option("--tolerable", type=click.FloatRange(0.001, 0.5), default=0.10, show_default=True,
        help=("--size auto: tolerabel avvikelsegrad.", "--size auto: tolerable deviation rate."))
@option("--expected", type=click.FloatRange(0.0, 0.5), default=0.0, show_default=True,
        help=("--size auto: förväntad avvikelsegrad.", "--size auto: expected deviation rate."))
@db_option
@option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help=("Granskningsformuläret att skriva (.xlsx).", "The review form to write (.xlsx)."))
def command(source: ExtractArgs, size_text, strategy, stratify, per_stratum, not_opened, completed,
            date_from, date_to, area, only_deviations, seed, round_name, extend, exclude_reviewed,
            confidence, tolerable, expected, db, out) -> None:
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
    check_date = source.check_date()
    spec = SampleSpec(strategy=strategy, size=size if isinstance(size, int) else None, stratify=stratify, per_stratum=per_stratum,
                      not_opened=not_opened, completed=completed,
                      date_from=date_from.date() if date_from else None,
                      date_to=date_to.date() if date_to else None, area=area,
                      only_deviations=only_deviations, seed=seed)
    population = load_population(source.path, source.mapping, check_date, events=source.events,
                                 events_mapping=source.events_mapping, sheet=source.sheet,
                                 checklists=source.checklists, read_options=source.read_options)
    with open_store(db) as store:
        started = sample_round(store, population, spec, out=out, as_of=check_date, name=round_name,
                               extend=extend, exclude_reviewed=exclude_reviewed,
                               size_calculation=calculation)
    for line in started.lines:
        echo(line)
    if started.extended:
        echo(t("Omgången {n} utökad med {k} ärenden.", "Round {n} extended by {k} cases.",
                     n=started.name, k=started.record["size_drawn"]))
    else:
        echo(t("Omgång: {n}", "Round: {n}", n=started.name))
    echo(t("Granskningsformulär: {p}", "Review form: {p}", p=started.form))
