"""`ivoaudit demo`: the whole cycle on the bundled sample data."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import echo, new_command, option
from ivoaudit.i18n import t


@new_command(
    "demo",
    help=(
        "Kör hela kedjan på den medföljande, påhittade exempeldatan: granska alla ärenden, dra ett "
        "stickprov som IVO gör (10 förhandsbedömningar som inte ledde till utredning och 7 "
        "avslutade utredningar) till ett granskningsformulär, och skriv interna och offentliga "
        "rapporter. Allt hamnar i --out, med en egen granskningsdatabas.",
        "Run the whole cycle on the bundled, synthetic sample data: check every case, draw a "
        "sample as IVO does (10 preliminary assessments that did not lead to an investigation and "
        "7 completed investigations) into a review form, and write internal and public reports. "
        "Everything goes into --out, with its own audit database.",
    ),
)
@option("--out", "out_dir", default="reports/demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp att skriva allt i.", "Folder to write everything into."))
@option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help=("Mapp med exempeldata (standard: förrådets sample_data/).",
                             "Sample data folder (default: the repository's sample_data/)."))
def command(out_dir: Path, data_dir: Path | None) -> None:
    from ivoaudit.cli.cmd_check import render_summary
    from ivoaudit.demo import run_demo

    result = run_demo(out_dir, data_dir)
    echo(t("1. Granskning av alla ärenden → {p}", "1. Check of every case → {p}", p=result.check_dir))
    echo(render_summary(result.check))
    echo("")
    echo(t("2. Stickprov till granskningsomgången '{r}' → {p}",
                 "2. Sample into the audit round '{r}' → {p}", r=result.round_name, p=result.form))
    for line in result.sampling_lines:
        echo(f"   {line}")
    echo("")
    echo(t("3. Rapporter → {p}", "3. Reports → {p}", p=next(iter(result.reports.values())).parent))
    for path in sorted({p.name for p in result.reports.values()}):
        echo(f"   {path}")
    if result.quarterly is not None:
        _echo_quarterly(result.quarterly)
    if result.tracking is not None:
        _echo_tracking(result.tracking, result.database)
    echo("")
    echo(t(
        "Nästa steg: fyll i formuläret i Excel och läs in det med\n"
        "  ivoaudit review import {form} --db {db}\n"
        "och skriv rapporten för omgången med\n"
        "  ivoaudit report --round {r} --db {db} --out {out}",
        "Next: fill in the form in Excel, read it back with\n"
        "  ivoaudit review import {form} --db {db}\n"
        "and write the round's report with\n"
        "  ivoaudit report --round {r} --db {db} --out {out}",
        form=result.form, db=result.database, r=result.round_name, out=Path(out_dir) / "7-omgang"))


def _echo_quarterly(q) -> None:
    """Steps 4 and 5 of the demo: decisions not executed, and the regional comparison."""
    from ivoaudit.cli.cmd_unexecuted import render_result

    echo("")
    echo(t("4. Ej verkställda beslut {q} → {p}", "4. Decisions not executed {q} → {p}",
                 q=q.report.quarter.label, p=q.quarter_dir))
    for line in render_result(q.report).splitlines():
        echo(f"   {line}")
    for path in q.quarter_files.values():
        echo(f"   {path.name}")
    echo("")
    echo(t("5. Regional jämförelse av tre påhittade kommuner → {p}",
                 "5. Regional comparison of three made-up municipalities → {p}", p=q.compare_dir))
    echo(f"   {', '.join(i.label for i in q.comparison.inputs)}")
    for path in q.compare_files.values():
        echo(f"   {path.name}")


def _echo_tracking(tr, database: Path) -> None:
    """Step 6 of the demo: an IVO decision, the action plan, the answer and the follow-up."""
    echo("")
    echo(t("6. IVO-beslut {d} med krav, åtgärder, ny mätning ({m}), handlingsplan, svar till IVO och "
                 "uppföljning → {p}",
                 "6. IVO decision {d} with demands, actions, a new measurement ({m}), action plan, answer to "
                 "IVO and follow-up → {p}", d=tr.dnr, m=tr.measurement, p=tr.folder))
    for path in tr.files:
        echo(f"   {path.name}")
    echo(t("   Se åtgärderna med: ivoaudit actions list --db {db}",
                 "   See the actions with: ivoaudit actions list --db {db}", db=database))
