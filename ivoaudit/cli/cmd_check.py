"""``ivoaudit check``: check every case against the rules and write the result files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ivoaudit.cli import DONE_SKIP_TEARDOWN, localized, prefer_jemalloc, without_cycle_collection
from ivoaudit.cli.options import parse_date_option
from ivoaudit.i18n import t


@click.command(
    "check",
    help=localized(
        "Granska alla ärenden i EXTRACT mot reglerna och skriv results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json och report.html i --out.\n\n"
        "Utan --checklist körs alla inbyggda regler vars verksamhetsområde matchar ärendenas.",
        "Check every case in EXTRACT against the rules and write results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json and report.html into --out.\n\n"
        "Without --checklist every shipped rule whose area matches the cases' area runs."),
)
@click.argument("extract", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help=localized("Mappningsfil (YAML) för uttagets rubriker och koder.",
                             "Mapping file (YAML) for the extract's headers and codes."))
@click.option("--sheet", help=localized("Blad i XLSX-filen.", "Sheet in the XLSX file."))
@click.option("--checklist", "checklists", multiple=True,
              help=localized("Inbyggd checklista (t.ex. barn_unga) eller en egen YAML-fil; kan upprepas.",
                             "Shipped checklist (e.g. barn_unga) or your own YAML file; may be repeated."))
@click.option("--as-of", "as_of", callback=parse_date_option,
              help=localized("Granskningsdag ÅÅÅÅ-MM-DD (standard: i dag).",
                             "Check date YYYY-MM-DD (default: today)."))
@click.option("--events", type=click.Path(dir_okay=False, path_type=Path),
              help=localized("Händelsetabell (journal, överväganden) för intervallregler.",
                             "Events table (journal entries, reviews) for interval rules."))
@click.option("--events-mapping", type=click.Path(dir_okay=False, path_type=Path),
              help=localized("Mappningsfil för händelsetabellen.", "Mapping file for the events table."))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=localized("Mapp att skriva resultaten i.", "Folder to write the results into."))
def command(extract: Path, mapping: Path | None, sheet: str | None, checklists: tuple[str, ...],
            as_of: date | None, events: Path | None, events_mapping: Path | None, out_dir: Path) -> object:
    with without_cycle_collection():
        prefer_jemalloc()
        from ivoaudit.load.reading import start_reading

        # The file is parsed on a thread while pandas and the rule engine are imported (Arrow's
        # parse releases the GIL); errors come out in the same order as before: checklists first.
        reading = start_reading(extract, mapping, sheet)
        from ivoaudit.checklist import load_checklists
        from ivoaudit.load import load_events, load_extract
        from ivoaudit.results import check_and_write

        day = as_of or date.today()
        checklist = load_checklists(list(checklists) or None)
        # The files of a check hold no person ids: run-local tokens serve the rules
        # (see load_extract).
        loaded = load_extract(extract, mapping=mapping, sheet=sheet, keyed=False, reading=reading)
        loaded_events = load_events(events, mapping=events_mapping) if events else None
        result, _ = check_and_write(loaded, checklist, day, out_dir, events=loaded_events, progress=True)
        click.echo(render_summary(result))
        click.echo(t("Resultat skrivna till {p}", "Results written to {p}", p=out_dir))
    return DONE_SKIP_TEARDOWN  # every file is closed: no need to free a million cases one by one


def render_summary(result) -> str:
    """A short fixed-width table: rule, applicable, pass, fail, overdue, compliance."""
    head = [t("Regel", "Rule"), t("Tillämpl.", "Applic."), t("Godk.", "Pass"), t("Brist", "Fail"),
            t("Förs.", "Overdue"), t("Saknas", "Missing"), t("Följsamhet", "Compliance")]
    rows = []
    for r in result.summary.to_dict("records"):
        comp = r["compliance"]
        denom = r["pass"] + r["fail"] + r["overdue"]
        comp_text = "–" if comp is None or comp != comp else f"{float(comp) * 100:.1f} % (n={denom})"
        local = "*" if r["local_change"] else ""
        rows.append([r["rule_id"] + local, r["applicable"], r["pass"], r["fail"], r["overdue"],
                     r["missing_data"], comp_text])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    lines = ["  ".join(str(v).ljust(w) if i in (0, 6) else str(v).rjust(w) for i, (v, w) in
                       enumerate(zip(row, widths, strict=True))) for row in [head, *rows]]
    meta = result.meta
    lines.insert(0, t("Granskningsdag {d}, {n} ärenden", "Check date {d}, {n} cases", d=meta["as_of"],
                      n=meta["cases_loaded"]))
    if meta.get("local_changes"):
        lines.append(t("* lokalt ändrat mål", "* locally changed target"))
    return "\n".join(lines)
