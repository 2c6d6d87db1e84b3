"""``ivoaudit measurements``: the checks recorded in the store, and the review rounds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ivoaudit.cli.options import db_option, echo, new_group, option
from ivoaudit.cli.tracking_options import by_option, format_option
from ivoaudit.i18n import t


@new_group("measurements", help=(
    "Mätningar: granskningar av hela uttag som sparats med `check --record`, och "
    "granskningsomgångarna. Bara antal per regel sparas, inga ärenden.",
    "Measurements: checks of whole extracts recorded with `check --record`, and the review "
    "rounds. Only counts per rule are kept, no cases."))
def command() -> None:
    """The measurements command group."""


@command.command("list", help=("Lista mätningarna i datumordning.", "List the measurements by date."))
@db_option
@format_option(("text", "json"), "text")
def list_(db: Path | None, fmt: str) -> None:
    """One line per measurement: name, kind, as-of date, rules measured."""
    from ivoaudit.store import open_store
    from ivoaudit.store.measurements import list_measurements
    from ivoaudit.tracking.words import MEASUREMENT_KIND, word

    with open_store(db) as store:
        found = list_measurements(store)
    if fmt == "json":
        echo(json.dumps([{
            "name": m.name, "kind": m.kind, "as_of": m.as_of.isoformat(), "checklists": m.checklists,
            "extract_fingerprint": m.extract_fingerprint,
            "rules": [{"rule_id": r.rule_id, "evaluable": r.evaluable, "pass": r.passed, "fail": r.failed,
                       "overdue": r.overdue, "pending": r.pending, "missing_data": r.missing_data,
                       "needs_review": r.needs_review, "denominator": r.denominator,
                       "compliance": r.rate} for r in m.rules]} for m in found],
            ensure_ascii=False, indent=2))
        return
    if not found:
        echo(t("Inga mätningar ännu. Spara en med `ivoaudit check … --record NAMN`.",
                     "No measurements yet. Record one with `ivoaudit check … --record NAME`."))
        return
    for m in found:
        measured = sum(1 for r in m.rules if r.rate is not None)
        echo(t("{d}  {n}  ({k}, {r} regler mätta)", "{d}  {n}  ({k}, {r} rules measured)",
                     d=m.as_of.isoformat(), n=m.name, k=word(MEASUREMENT_KIND, m.kind), r=measured))


@command.command("show", help=("Visa en mätning: antal och andel uppfyllda per regel.",
                               "Show a measurement: counts and share compliant per rule."))
@click.argument("name")
@db_option
def show(name: str, db: Path | None) -> None:
    """Per rule: pass, fail, overdue, share compliant with n."""
    from ivoaudit.store import open_store
    from ivoaudit.store.measurements import get_measurement

    with open_store(db) as store:
        m = get_measurement(store, name)
    from ivoaudit.i18n import get_language
    from ivoaudit.report.labels import count, field_label, pct
    from ivoaudit.tracking.rules import rule_catalogue
    from ivoaudit.tracking.words import MEASUREMENT_KIND, word

    titles = {k: v.title(get_language()) for k, v in rule_catalogue([m]).items()}
    echo(t("{n}: per {d} ({k})", "{n}: as of {d} ({k})", n=m.name, d=m.as_of.isoformat(),
           k=word(MEASUREMENT_KIND, m.kind).lower()))
    for r in m.rules:
        title = titles.get(r.rule_id, "")
        if not r.evaluable:
            share = t("inte mätbar: uttaget saknar {f}", "not evaluable: the extract lacks {f}",
                      f=", ".join(field_label(f) for f in r.missing_fields) or "–")
        elif r.rate is None and r.needs_review:
            share = t("inte bedömd ännu: {n} ärenden väntar på granskarens svar",
                      "not assessed yet: {n} cases await the reviewer's answer", n=count(r.needs_review))
        elif r.rate is None:
            share = t("inga ärenden att bedöma", "no cases to assess")
        else:
            share = t("{p:>7}  ({k} av {n})", "{p:>7}  ({k} of {n})", p=pct(r.rate, 1), k=count(r.passed),
                      n=count(r.denominator))
        echo(f"  {r.rule_id:<24} {title[:44]:<44} {share}")


@command.command("record", help=(
    "Spara en kontroll som `ivoaudit check --out MAPP` skrev som en mätning (antal per regel).",
    "Record a check that `ivoaudit check --out FOLDER` wrote as a measurement (counts per rule)."))
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@option("--name", required=True, help=("Mätningens namn, t.ex. 2026-kv3.", "The measurement's name, e.g. 2026-q3."))
@db_option
@by_option
def record(folder: Path, name: str, db: Path | None, by: str | None) -> None:
    """Record FOLDER's summary as measurement NAME."""
    from ivoaudit.store import open_store
    from ivoaudit.tracking.measure import record_check_folder

    with open_store(db) as store:
        m = record_check_folder(store, name, folder, by=by)
    echo(t("Mätningen {n} (per {d}) sparad: {r} regler.", "Measurement {n} (as of {d}) recorded: {r} rules.",
                 n=m.name, d=m.as_of.isoformat(), r=len(m.rules)))
