"""Review rounds: draw a sample into a round with its review form, read the filled form
back (or see its numbered refusals), and follow the round's results with intervals."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ivoaudit.errors import InputError, ReviewFormError, UsageError
from ivoaudit.i18n import get_language, t
from ivoaudit.store import open_store
from ivoaudit.web.jobs import Progress
from ivoaudit.web.pages_check import parse_day
from ivoaudit.web.render import form_post, redirect, render, web
from ivoaudit.web.security import Refused
from ivoaudit.web.uploads import Form
from ivoaudit.web.workdir import new_id, safe_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(form: Form, name: str, label: str, cast: type = int) -> Any:
    text = form.get(name).strip().replace(",", ".")
    if not text:
        return None
    try:
        value = cast(text)
    except ValueError:
        raise UsageError(t("{l}: {v} är inget tal.", "{l}: {v} is not a number.", l=label, v=text)) from None
    if value < 0:
        raise UsageError(t("{l} kan inte vara negativt.", "{l} cannot be negative.", l=label))
    return value


def size_calculation(confidence: float, tolerable: float, expected: float) -> dict[str, Any]:
    """The attribute-sampling size and its explanation, as ``sample --size auto`` records it."""
    from ivoaudit.sample.stats import attribute_sample_size

    try:
        calc = attribute_sample_size(confidence, tolerable, expected)
    except ValueError as exc:
        raise UsageError(t("Urvalsstorleken kan inte beräknas: {e}. Förväntad avvikelsegrad måste vara "
                           "lägre än den tolerabla.", "The sample size cannot be computed: {e}. The "
                           "expected rate must be below the tolerable rate.", e=exc)) from exc
    return {"method": "attribute_binomial", "confidence": confidence, "tolerable": tolerable,
            "expected": expected, "n": calc.n, "allowed_deviations": calc.allowed_deviations,
            "risk": round(calc.risk, 6), "explanation": calc.explain(get_language())}


def list_rounds(request: Request) -> Response:
    state = web(request)
    with open_store(state.config.db) as store:
        rounds = store.list_rounds()[::-1]
    calc = None
    query = request.query_params
    if "confidence" in query:
        try:
            calc = size_calculation(float(query["confidence"]) / 100, float(query["tolerable"]) / 100,
                                    float(query.get("expected") or 0) / 100)
        except (ValueError, KeyError):
            raise UsageError(t("Skriv procentsatserna som tal, t.ex. 95.", "Write the percentages as numbers, "
                               "e.g. 95.")) from None
    return render(request, "rounds.html", rounds=rounds, extracts=state.workdir.list("extracts"),
                  chosen=query.get("extract", ""), as_of=query.get("as_of", datetime.now().date().isoformat()),
                  calc=calc, query=dict(query))


def draw(request: Request, form: Form) -> Response:
    """Draw a sample from a loaded extract into a new round (a job: the extract is checked first)."""
    from ivoaudit.sample.draw import SampleSpec
    from ivoaudit.web.pages_extracts import mapping_path, read_options

    state = web(request)
    extract = state.workdir.load("extracts", form.get("extract"))
    if extract is None:
        raise InputError(t("Välj ett inläst uttag.", "Choose a loaded extract."))
    as_of = parse_day(form.get("as_of"), t("Granskningsdag", "Check date"))
    strategy = form.get("strategy", "random")
    if strategy not in ("random", "stratified", "ivo"):
        raise UsageError(t("Okänd urvalsmetod.", "Unknown sampling strategy."))
    calculation = None
    size = _number(form, "size", t("Antal ärenden", "Number of cases"))
    if form.get("size_auto") == "on":
        calculation = size_calculation(_number(form, "confidence", t("Konfidensgrad", "Confidence"), float) / 100,
                                       _number(form, "tolerable", t("Tolerabel avvikelse", "Tolerable rate"), float) / 100,
                                       (_number(form, "expected", t("Förväntad avvikelse", "Expected rate"), float) or 0) / 100)
        size = calculation["n"]
    spec = SampleSpec(
        strategy=strategy, size=size, stratify=form.get("stratify") or None if strategy == "stratified" else None,
        per_stratum=_number(form, "per_stratum", t("Per skikt", "Per stratum")) if strategy == "stratified" else None,
        not_opened=_number(form, "not_opened", t("Ej inledda", "Not opened")) if strategy == "ivo" else None,
        completed=_number(form, "completed", t("Avslutade", "Completed")) if strategy == "ivo" else None,
        date_from=parse_day(form.get("from"), t("Från", "From")) if form.get("from") else None,
        date_to=parse_day(form.get("to"), t("Till", "To")) if form.get("to") else None,
        area=form.get("area") or None, only_deviations=form.get("only_deviations") == "on",
        seed=_number(form, "seed", t("Frö", "Seed")))
    if strategy == "ivo" and (spec.not_opened is None or spec.completed is None):
        raise UsageError(t("IVO-urval kräver antal ej inledda och antal avslutade utredningar.",
                           "An IVO-style sample needs the numbers of not-opened and completed investigations."))
    if strategy != "ivo" and spec.size is None and spec.per_stratum is None:
        raise UsageError(t("Ange antal ärenden (eller räkna fram det).", "Give the number of cases (or compute it)."))
    name = form.get("name").strip() or None
    item = new_id()
    out = state.workdir.folder("rounds", item) / "granskningsformular.xlsx"
    source, mapping = state.workdir.resolve(extract["file"]), mapping_path(state, extract)
    exclude = form.get("exclude_reviewed") == "on"

    def work(progress: Progress) -> str:
        from ivoaudit.review.answers import load_population, sample_round

        progress(t("Läser in och granskar uttaget …", "Loading and checking the extract …"), 0.2)
        population = load_population(source, mapping, as_of, sheet=extract.get("sheet") or None,
                                     read_options=read_options(extract))
        progress(t("Drar stickprovet och skriver formuläret …", "Drawing the sample and writing the form …"), 0.7)
        with open_store(state.config.db) as store:
            started = sample_round(store, population, spec, out=out, as_of=as_of, name=name,
                                   exclude_reviewed=exclude, size_calculation=calculation)
        state.workdir.save("rounds", item, {"name": started.name, "form": state.workdir.relative(out),
                                            "lines": started.lines, "extract_name": extract["original_name"],
                                            "created_at": datetime.now().isoformat(timespec="seconds")})
        from urllib.parse import quote

        return f"/rounds/view?name={quote(started.name)}"

    job = state.jobs.start(t("Stickprov ur {f}", "Sample from {f}", f=extract["original_name"]), work)
    return redirect(f"/jobs/{job.id}")


def _round_page(request: Request, name: str, status: int = 200, **extra: Any) -> Response:
    from ivoaudit.review.overview import round_overview
    from ivoaudit.sample.draw import describe_record

    state = web(request)
    with open_store(state.config.db) as store:
        if not store.has_round(name):
            raise Refused(404, "Omgången finns inte.", "The round does not exist.")
        overview = round_overview(store, name)
        answers = store.current_answers(name)
    records = [describe_record(r) for r in overview.info.records]
    return render(request, "round.html", status=status, o=overview, records=records,
                  answers=answers.to_dict("records"), imported=request.query_params.get("imported"),
                  problems=extra.get("problems"), refusal=extra.get("refusal"))


def show_round(request: Request) -> Response:
    return _round_page(request, request.query_params.get("name", ""))


def import_answers(request: Request, form: Form) -> Response:
    """Read a filled-in form back: all of it, or nothing with every problem numbered."""
    from ivoaudit.review.answers import import_review_form
    from ivoaudit.web.pages_extracts import _content_format

    state = web(request)
    name = form.get("name")
    upload = form.files.get("form")
    if upload is None or not upload.filename:
        raise InputError(t("Välj det ifyllda formuläret.", "Choose the filled-in form."))
    _content_format(upload, ("xlsx",))
    target = state.workdir.folder("rounds", new_id()) / safe_name(upload.filename, ".xlsx", "formular")
    os.replace(upload.path, target)
    try:
        with open_store(state.config.db) as store:
            result = import_review_form(store, target, expected_round=name,
                                        require_complete=form.get("require_complete") == "on")
    except ReviewFormError as exc:
        return _round_page(request, name, status=422, problems=exc.problems, refusal=str(exc))
    from urllib.parse import quote

    return redirect(f"/rounds/view?name={quote(result.round_name)}&imported={result.answered}")


def form_again(request: Request, form: Form) -> Response:
    """The round's review form written anew (with the answers so far), as a download."""
    from ivoaudit.review.answers import write_round_form

    state = web(request)
    name = form.get("name")
    target = state.workdir.folder("rounds", new_id()) / "granskningsformular.xlsx"
    with open_store(state.config.db) as store:
        if not store.has_round(name):
            raise Refused(404, "Omgången finns inte.", "The round does not exist.")
        write_round_form(store, name, target)
    return FileResponse(target, media_type=XLSX, filename=f"granskningsformular-{_slug(name)}.xlsx",
                        content_disposition_type="attachment")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:60] or "omgang"


routes = [
    Route("/rounds", list_rounds),
    Route("/rounds", form_post(draw), methods=["POST"]),
    Route("/rounds/view", show_round),
    Route("/rounds/answers", form_post(import_answers), methods=["POST"]),
    Route("/rounds/form", form_post(form_again), methods=["POST"]),
]
