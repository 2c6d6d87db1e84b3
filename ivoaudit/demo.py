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
from datetime import date, timedelta
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
    quarterly: QuarterlyDemo | None = None
    tracking: TrackingDemo | None = None


def run_demo(out_dir: str | Path, data_dir: str | Path | None = None, as_of: date | None = None,
             lang: str | None = None) -> DemoResult:
    """Run check → sample → review form → reports on the Lifecare-style sample set."""
    from ivoaudit.check import run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports
    from ivoaudit.report.check_summary import write_check_summary
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
    write_check_outputs(result, extract, check_dir, report=write_check_summary)

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
    quarterly = run_quarterly_demo(out, extract, store, day, lang)
    tracking = run_tracking_demo(out / "6-atgarder", store, result, day, lang)
    return DemoResult(check_dir, started.form, started.name, database, reports, result, started.lines, quarterly,
                      tracking)


@dataclass(frozen=True)
class QuarterlyDemo:
    """The quarter's report on the bundled decisions, and a regional comparison."""

    quarter_dir: Path
    report: object  # ivoaudit.tracking.unexecuted.QuarterReport
    quarter_files: dict[str, Path]
    compare_dir: Path
    comparison: object  # ivoaudit.tracking.compare.Comparison
    compare_files: dict[str, Path]


def run_quarterly_demo(out: Path, extract, store, day: date, lang: str) -> QuarterlyDemo:
    """Decisions not executed and the regional comparison (issue 18), under ``out``.

    The quarter is the last one ended before the sample data's date (2026-Q3 for
    2026-10-31). The quarter before it is drawn up and recorded first, as it would have
    been reported then, so the quarter's list shows what was reported before and what has
    been executed since; each is drawn up on the last day of its reporting window at the
    latest (the sample data's date), so no late-report warning is shown. The comparison
    puts three synthetic municipalities side by side (``ivoaudit.synthetic.municipalities``),
    each generated, checked and summarised as a municipality would (check → public JSON).
    """
    from ivoaudit.report.unexecuted_files import write_quarter_files
    from ivoaudit.tracking.quarters import Quarter
    from ivoaudit.tracking.unexecuted_record import draw_up_quarter

    quarter = Quarter.containing(day).previous()
    earlier = quarter.previous()
    draw_up_quarter(extract, earlier, store, produced_on=min(day, earlier.window.closes))
    report, _ = draw_up_quarter(extract, quarter, store, produced_on=min(day, quarter.window.closes))
    quarter_dir = out / "4-ej-verkstallda"
    _, quarter_files = write_quarter_files(report, quarter_dir, lang=lang)
    compare_dir, comparison, compare_files = _region(out / "5-jamforelse", day, lang)
    return QuarterlyDemo(quarter_dir, report, quarter_files, compare_dir, comparison, compare_files)


def _region(folder: Path, day: date, lang: str):
    from ivoaudit.check import run_check
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports
    from ivoaudit.report.compare_render import write_compare_files
    from ivoaudit.results import write_check_outputs
    from ivoaudit.synthetic import write_set
    from ivoaudit.synthetic.municipalities import REGION, generate_municipality
    from ivoaudit.tracking.compare import compare_summaries, read_summaries

    summaries = []
    checklist = load_checklists()
    for municipality in REGION:
        home = folder / "kommuner" / municipality.name
        files = write_set(generate_municipality(municipality, as_of=day), home / "uttag")
        loaded = load_extract(files["extract"], mapping=files["mapping"], keyed=False)
        events = load_events(files["events"], mapping=files["events_mapping"])
        write_check_outputs(run_check(loaded, checklist, day, events=events), loaded, home / "kontroll")
        made = generate_reports(ResultsDirSource(home / "kontroll"), ReportOptions(audience="public", lang=lang),
                                ["json"], home)
        summaries.append((municipality.name, made.files["json"]))
    comparison = compare_summaries(read_summaries(summaries))
    return folder, comparison, write_compare_files(comparison, folder, lang=lang)


# -- Step 6 (issue 17): an IVO decision, its action plan, the answer and the follow-up -----------
DEMO_DNR = "8.5-12345/2026-1"
DEMO_DEMANDS = (
    # (IVO's text, rules, IVO's figure: faults found / cases examined), like Flen's 2018 decision
    ("Att beslut om att inleda eller inte inleda utredning fattas utan dröjsmål och senast inom fjorton "
     "dagar från det att anmälan kommit in.", ("BU-FORHAND-14D",), "3/10"),
    ("Att utredningar avslutas inom fyra månader, eller att beslut om förlängd utredningstid fattas när det "
     "finns särskilda skäl.", ("BU-UTR-4M",), "2/7"),
    ("Att barnets åsikter och inställning framgår av utredningen.", ("BU-BARN-ASIKT",), "5/7"),
    ("Att nämnden säkerställer att handläggarna har förutsättningar att hantera ärendena inom lagstadgad tid.",
     (), None),
)


@dataclass(frozen=True)
class TrackingDemo:
    """What step 6 recorded and wrote."""

    folder: Path
    dnr: str
    measurement: str
    files: list[Path]
    action_ids: list[int]


def run_tracking_demo(folder: Path, store, result, day: date, lang: str) -> TrackingDemo:
    """Record IVO's decision (dated eleven weeks before ``day``) with four demands like Flen's,
    actions against them by role and (made-up) person, the check of ``day`` as the later
    measurement, then write the action plan (internal and public), the answer to IVO (due
    after an extension, written ten days after ``day``) and the follow-up report. IVO's own
    figures are the baselines: the committee had measured nothing before IVO came. The effects
    are the tool's proposals on synthetic data, nothing more."""
    from ivoaudit.report.action_plan import write_action_plan
    from ivoaudit.report.followup import write_followup
    from ivoaudit.report.ivo_answer import write_answer
    from ivoaudit.tracking.actions import create_action, edit_action
    from ivoaudit.tracking.answer import build_answer
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.followup import build_followup
    from ivoaudit.tracking.ivo import record_decision, record_demand
    from ivoaudit.tracking.measure import record_check
    from ivoaudit.tracking.plan import build_plan

    decided = day - timedelta(days=78)  # 2026-08-14 for the sample data's 2026-10-31

    def on(days: int) -> date:
        return decided + timedelta(days=days)

    record_decision(store, DEMO_DNR, decision_date=decided, received_date=on(3), answer_due=on(75),
                    extended_due=on(105), extension_reason="nämndens sammanträdesplan", committee="Socialnämnden",
                    our_dnr="SN 2026/41", units="Barn och unga, mottagning och utredning", by="demo",
                    summary="IVO har granskat tio förhandsbedömningar och sju avslutade barnavårdsutredningar "
                            "och funnit brister i handläggningstider och i dokumentationen av barnets åsikter.")
    for text, rules, figure in DEMO_DEMANDS:
        record_demand(store, DEMO_DNR, text, rules=rules, ivo_figure=figure, by="demo")
    plan = [  # measure, role, person, start, deadline, follow-up, demand, done after (days) or None
        ("Veckovis bevakningslista över anmälningar som närmar sig fjorton dagar; gås igenom på "
         "gruppmötet varje måndag.", "Gruppledare", "Kim Lind", on(10), on(40), on(75), 1, 32),
        ("Mall för utredningsplan med tidsplan och påminnelse i verksamhetssystemet efter tre månader.",
         "Enhetschef", "Sam Berg", on(10), on(60), on(140), 2, 55),
        ("Checklista för samtal med barnet och för att dokumentera barnets åsikter; utbildning i BBIC för "
         "alla handläggare.", "Enhetschef", "Sam Berg", on(15), on(120), on(200), 3, None),
        ("Översyn av bemanning och ärendefördelning i utredningsgruppen.", "Socialchef", "Alex Ek", on(10),
         on(45), None, 4, None),
    ]
    ids = []
    for measure, role, person, start, deadline, followup, number, done in plan:
        action = create_action(store, measure, role, responsible_person=person, start=start, deadline=deadline,
                               followup_date=followup, followup_method="ny egenkontroll av samma regler" if followup
                               else None, demands=[f"{DEMO_DNR}:{number}"], by="demo")
        if done is not None:
            edit_action(store, action.id, {"status": "done", "done_on": on(done),
                                           "evidence": "Protokoll från arbetsplatsträff"}, by="demo")
        ids.append(action.id)
    measurement = f"egenkontroll-{day.isoformat()}"
    record_check(store, measurement, result, by="demo")
    data = load_tracking(store)
    files: list[Path] = []
    for public in (False, True):
        files += write_action_plan(build_plan(data, day, public=public, lang=lang), folder, ("docx", "html", "xlsx"))
    files += write_answer(build_answer(data, DEMO_DNR, day + timedelta(days=10), lang=lang), folder,
                          ("docx", "html"))
    files += write_followup(build_followup(data, day, lang=lang), folder, ("docx", "html"))
    return TrackingDemo(folder, DEMO_DNR, measurement, files, ids)
