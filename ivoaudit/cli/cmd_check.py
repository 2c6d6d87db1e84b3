"""``ivoaudit check``: check every case against the rules and write the result files."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import ExtractArgs, db_option, echo, extract_options, new_command, option
from ivoaudit.i18n import t


@new_command(
    "check",
    help=(
        "Granska alla ärenden i EXTRACT mot reglerna och skriv results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json och report.html i --out.\n\n"
        "Utan --checklist körs alla inbyggda regler vars verksamhetsområde matchar ärendenas.",
        "Check every case in EXTRACT against the rules and write results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json and report.html into --out.\n\n"
        "Without --checklist every shipped rule whose area matches the cases' area runs."),
)
@extract_options
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
        help=("Mapp att skriva resultaten i.", "Folder to write the results into."))
@option("--record", "record_as", metavar="NAME",
        help=("Spara också kontrollen som mätningen NAME i granskningsdatabasen (antal per regel, "
              "inga ärenden), för uppföljning och effekt av åtgärder.",
              "Also record the check as measurement NAME in the audit store (counts per rule, no "
              "cases), for follow-up and the effect of actions."))
@db_option
def command(source: ExtractArgs, out_dir: Path, record_as: str | None, db: Path | None) -> None:
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.report.check_summary import write_check_summary
    from ivoaudit.results import check_and_write

    if record_as:  # a taken name is refused before the check runs, not after
        from ivoaudit.store import open_store
        from ivoaudit.store.measurements import check_free_name

        with open_store(db) as store:
            check_free_name(store, record_as)
    checklist = load_checklists(list(source.checklists) or None)
    # The files of a check hold no person ids: run-local tokens serve the rules (see load_extract).
    loaded = load_extract(source.path, mapping=source.mapping, sheet=source.sheet, keyed=False,
                          **source.read_options)
    events = load_events(source.events, mapping=source.events_mapping) if source.events else None
    result, _ = check_and_write(loaded, checklist, source.check_date(), out_dir, events=events,
                                progress=True, report=write_check_summary)
    echo(render_summary(result))
    echo(t("Resultat skrivna till {p}", "Results written to {p}", p=out_dir))
    if record_as:
        from ivoaudit.tracking.measure import record_check

        with open_store(db) as store:
            record_check(store, record_as, result)
        echo(t("Sparad som mätningen {n}.", "Recorded as measurement {n}.", n=record_as))


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
