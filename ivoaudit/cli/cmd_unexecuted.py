"""``ivoaudit unexecuted``: the quarter's list of decisions not executed, and the council report."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import ExtractArgs, db_option, echo, new_command, option, read_options
from ivoaudit.i18n import t


@new_command(
    "unexecuted",
    help=(
        "Ej verkställda beslut för ett kvartal (SoL 34 kap., LSS 28 f–h §§): per kvartalets sista dag "
        "listas varje bifallet beslut som inte verkställts inom tre månader och varje avbrott som inte "
        "återupptagits inom tre månader. Skriver individlistan för IVO:s e-tjänst och revisorerna (intern, "
        "Excel och CSV) och statistikrapporten till kommunfullmäktige (offentlig, HTML, Word och Excel) i "
        "--out, och sparar listan i granskningsdatabasen så att nästa kvartal vet vad som rapporterats.",
        "Decisions not executed for a quarter (SoL ch. 34, LSS s. 28 f–h): as of the quarter's last day, "
        "every granted decision not executed within three months and every interruption not resumed within "
        "three months. Writes the individual list for IVO's e-service and the auditors (internal, Excel and "
        "CSV) and the statistics for the municipal council (public, HTML, Word and Excel) into --out, and "
        "records the list in the audit store so the next quarter knows what was reported."),
)
@read_options
@option("--quarter", required=True,
              help=("Kvartalet, t.ex. 2026-Q3 (eller 2026Q3).", "The quarter, e.g. 2026-Q3 (or 2026Q3)."))
@db_option
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp att skriva listan och rapporten i.", "Folder to write the list and report into."))
@option("--min-count", default=5, show_default=True, type=click.IntRange(1, 100),
              help=("Minsta antal som visas i den offentliga rapporten.",
                             "Smallest count shown in the public report."))
@option("--no-record", is_flag=True, default=False,
              help=("Spara inte listan i granskningsdatabasen (till exempel för en förhandstitt).",
                             "Do not record the list in the audit store (for a preview, say)."))
def command(source: ExtractArgs, quarter: str, db: Path | None, out_dir: Path, min_count: int,
            no_record: bool) -> None:
    from ivoaudit.i18n import get_language
    from ivoaudit.load import load_extract
    from ivoaudit.report.unexecuted_files import write_quarter_files
    from ivoaudit.store import open_store
    from ivoaudit.tracking.quarters import Quarter
    from ivoaudit.tracking.unexecuted_record import draw_up_quarter

    q = Quarter.parse(quarter)  # a usage error before the extract is read
    loaded = load_extract(source.path, mapping=source.mapping, sheet=source.sheet, keyed=False,
                          **source.read_options)
    with open_store(db) as store:
        report, recorded = draw_up_quarter(loaded, q, store, record=not no_record)
        _, files = write_quarter_files(report, out_dir, lang=get_language(), min_count=min_count)
        where = store.path
    echo(render_result(report))
    echo(t("Filer i {p}:", "Files in {p}:", p=out_dir))
    for path in files.values():
        echo(f"  {path.name}")
    if recorded is not None:
        echo(t("Listan för {q} är sparad i {db}.", "The list for {q} is recorded in {db}.", q=q.label, db=where))
    elif no_record:
        echo(t("Listan sparades inte (--no-record).", "The list was not recorded (--no-record)."))
    else:
        echo(t("Listan sparades inte: kvartalet är inte slut.", "The list was not recorded: the quarter has "
                     "not ended."))


def render_result(report) -> str:
    """The quarter, IVO's window, warnings, counts and notes, as printed by the command."""
    from ivoaudit.report.unexecuted_council import CouncilRow
    from ivoaudit.report.unexecuted_council_render import change_text

    state = {"before": t("inte öppen ännu", "not open yet"), "open": t("öppen", "open"),
             "closed": t("stängd", "closed")}[report.window_state]
    lines = [t("Ej verkställda beslut {q}, läget per {d}", "Decisions not executed {q}, as of {d}",
               q=report.quarter.label, d=report.as_of.isoformat()),
             t("Rapporteringsperiod hos IVO: {w} – {s} (listan tas fram {p})",
               "IVO's reporting window: {w} – {s} (the list is drawn up on {p})",
               w=report.window.text(), s=state, p=report.produced_on.isoformat())]
    lines += [t("VARNING: {w}", "WARNING: {w}", w=w.text) for w in report.warnings]
    kinds = report.statistics.counts["kind"]
    line = t("Att rapportera: {n} ({a} ej verkställda beslut, {b} avbrott)",
             "To report: {n} ({a} decisions not executed, {b} interruptions)", n=len(report.listed),
             a=kinds.get("not_executed", 0), b=kinds.get("interrupted", 0))
    if report.previous is not None:
        change = CouncilRow("", report.statistics.total, report.previous.total,
                            report.statistics.total - report.previous.total)
        line += t("; förra kvartalet {m} ({c})", "; previous quarter {m} ({c})", m=report.previous.total,
                  c=change_text(change))
    lines.append(line)
    lines.append(t("Verkställda, att rapportera med datum: {n}", "Executed, to report with the date: {n}",
                   n=len(report.executed)))
    if report.dropped:
        lines.append(t("På förra listan men varken kvar eller verkställda (kontrollera): {n}",
                       "On the last list but neither listed nor executed (check): {n}", n=len(report.dropped)))
    if report.unjudged:
        lines.append(t("Kan inte bedömas (rätta uppgifterna): {n}", "Cannot be judged (correct the data): {n}",
                       n=len(report.unjudged)))
    lines += [t("Obs: {n}", "Note: {n}", n=n.text) for n in report.notes]
    return "\n".join(lines)
