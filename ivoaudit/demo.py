"""``ivoaudit demo``: the whole cycle on the bundled, synthetic sample data.

Check every case, draw an IVO-style sample into an audit round with its review form, and
write the internal and public reports, all under one output folder with its own audit
database, so a newcomer sees every product of the tool without touching their own store.
The check date defaults to the one the sample data's ground truth was written for, so the
figures are the documented ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ivoaudit.errors import InputError
from ivoaudit.i18n import get_language, t

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "sample_data"
DEMO_SEED = 20261031
DEMO_ROUND = "demo-barn-unga"


@dataclass(frozen=True)
class DemoResult:
    """Where the demo wrote what, and the headline figures it printed."""

    check_dir: Path
    form: Path
    round_name: str
    database: Path
    reports: dict[str, Path]
    check: object  # ivoaudit.check.CheckResult
    sampling_lines: list[str]


def run_demo(out_dir: str | Path, data_dir: str | Path | None = None, as_of: date | None = None,
             lang: str | None = None) -> DemoResult:
    """Run check → sample → review form → reports on the Lifecare-style sample set."""
    from ivoaudit.check import run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports
    from ivoaudit.results import write_check_outputs
    from ivoaudit.review.answers import Population, questions_from_checklist, sample_round
    from ivoaudit.sample.draw import SampleSpec
    from ivoaudit.store import open_store

    lang = lang or get_language()
    data = Path(data_dir) if data_dir else DEFAULT_DATA
    folder = data / "lifecare"
    if not (folder / "arenden.csv").exists():
        raise InputError(t(
            "Exempeldata saknas i {p}. Kör demo från en klon av ivoaudit-förrådet, eller ange "
            "mappen med --data.",
            "No sample data in {p}. Run the demo from a clone of the ivoaudit repository, or give "
            "the folder with --data.", p=folder))
    day = as_of or date.fromisoformat(json.loads((folder / "meta.json").read_text("utf-8"))["as_of"])
    out = Path(out_dir)
    check_dir, review_dir, report_dir = out / "1-kontroll", out / "2-granskning", out / "3-rapporter"

    extract = load_extract(folder / "arenden.csv", mapping=data / "mappings" / "lifecare.yaml")
    events = load_events(folder / "handelser.csv", mapping=data / "mappings" / "lifecare_events.yaml")
    checklist = load_checklists()
    result = run_check(extract, checklist, day, events=events)
    write_check_outputs(result, extract, check_dir)

    database = out / "demo.db"
    if database.exists():  # a rerun starts a fresh round rather than piling up demo rounds
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    store = open_store(database)
    titles = {rule.id: (rule.title.get("sv", rule.id), rule.title.get("en", rule.id)) for rule in checklist.rules}
    population = Population(extract.cases, result.results,
                            questions_from_checklist(checklist.rules, result.results),
                            extract.source.fingerprint, titles)
    spec = SampleSpec(strategy="ivo", not_opened=10, completed=7, area="barn_unga", seed=DEMO_SEED)
    started = sample_round(store, population, spec, out=review_dir / "granskningsformular.xlsx", as_of=day,
                           name=DEMO_ROUND, lang=lang)

    reports: dict[str, Path] = {}
    for audience in ("internal", "public"):
        generated = generate_reports(ResultsDirSource(check_dir), ReportOptions(audience=audience, lang=lang),
                                     ["html", "xlsx", "docx", "json"], report_dir)
        for fmt, path in generated.files.items():
            reports[f"{audience}-{fmt}"] = path
    return DemoResult(check_dir, started.form, started.name, database, reports, result, started.lines)
