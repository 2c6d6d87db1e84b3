"""Check: run every rule over a loaded extract (a job with its stage shown), see the
per-rule results with their denominators, drill down to the deviating cases, download the
result files."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ivoaudit.errors import InputError, UsageError
from ivoaudit.i18n import t
from ivoaudit.web.jobs import Progress
from ivoaudit.web.render import AppState, form_post, redirect, render, web
from ivoaudit.web.security import Refused
from ivoaudit.web.uploads import Form
from ivoaudit.web.view import number
from ivoaudit.web.workdir import new_id

PAGE_SIZE = 100


def parse_day(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(t("{l}: {v} är inget datum. Skriv det som ÅÅÅÅ-MM-DD.",
                           "{l}: {v} is not a date. Write it as YYYY-MM-DD.", l=label, v=text)) from None


def _check(state: AppState, check_id: str) -> dict[str, Any]:
    record = state.workdir.load("checks", check_id)
    if record is None:
        raise Refused(404, "Granskningen finns inte.", "The check does not exist.")
    return record


def start_check(request: Request, form: Form) -> Response:
    from ivoaudit.web.pages_extracts import _content_format, mapping_path, read_options

    state = web(request)
    extract = state.workdir.load("extracts", form.get("extract"))
    if extract is None:
        raise InputError(t("Välj ett inläst uttag.", "Choose a loaded extract."))
    as_of = parse_day(form.get("as_of"), t("Granskningsdag", "Check date"))
    checklists = [c for c in form.lists.get("checklist", []) if c]
    item = new_id()
    folder = state.workdir.folder("checks", item)
    events = form.files.get("events")
    events_file = None
    if events is not None and events.filename and events.size:
        fmt = _content_format(events, ("csv", "xlsx"))
        events_file = folder / f"events.{fmt}"
        os.replace(events.path, events_file)
    mapping = mapping_path(state, extract)
    record = state.workdir.save("checks", item, {
        "extract_id": extract["id"], "extract_name": extract["original_name"], "as_of": as_of.isoformat(),
        "checklists": checklists, "mapping": extract["mapping"].get("label", ""),
        "folder": f"checks/{item}/out",
        "events": events_file is not None, "state": "running",
        "created_at": datetime.now().isoformat(timespec="seconds")})
    source = state.workdir.resolve(extract["file"])
    sheet = extract.get("sheet") or None
    read = read_options(extract)

    def work(progress: Progress) -> str:
        from ivoaudit.checklist import load_checklists
        from ivoaudit.load import load_events, load_extract
        from ivoaudit.report.check_summary import write_check_summary
        from ivoaudit.results import check_and_write

        try:
            progress(t("Läser checklistorna …", "Reading the checklists …"), 0.05)
            checklist = load_checklists(checklists or None)
            progress(t("Läser in uttaget …", "Loading the extract …"), 0.15)
            loaded = load_extract(source, mapping=mapping, sheet=sheet, keyed=False, **read)
            loaded_events = load_events(events_file) if events_file else None
            progress(t("Granskar {n} ärenden mot reglerna och skriver resultatfilerna …",
                       "Checking {n} cases against the rules and writing the result files …",
                       n=number(len(loaded.cases))), 0.5)
            result, _ = check_and_write(loaded, checklist, as_of, state.root_of(record), events=loaded_events,
                                        report=write_check_summary)
            record.update(state="done", cases=int(result.meta["cases_loaded"]))
            from ivoaudit.report.check_folder import deviating_cases

            # read results.csv once now, so the first drill-down does not wait for it
            deviating_cases(state.root_of(record), "", limit=0)
        except BaseException:
            record["state"] = "failed"
            raise
        finally:
            state.workdir.save("checks", item, record)
        return f"/checks/{item}"

    job = state.jobs.start(t("Granskning av {f}", "Check of {f}", f=extract["original_name"]), work)
    return redirect(f"/jobs/{job.id}")


def list_checks(request: Request) -> Response:
    return render(request, "checks.html", checks=web(request).workdir.list("checks"))


def show_check(request: Request) -> Response:
    from ivoaudit.report.check_folder import read_meta, rule_lines

    state = web(request)
    record = _check(state, request.path_params["id"])
    if record.get("state") != "done":
        raise Refused(404, "Granskningen blev inte klar; kör den igen.", "The check did not finish; run it again.")
    folder = state.root_of(record)
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return render(request, "check.html", record=record, lines=rule_lines(folder), meta=read_meta(folder),
                  files=files, folder=record["folder"], recordable=True)


def drill_down(request: Request) -> Response:
    from ivoaudit.report.check_folder import deviating_cases, rule_lines

    state = web(request)
    record = _check(state, request.path_params["id"])
    rule_id = request.path_params["rule"]
    folder = state.root_of(record)
    line = next((ln for ln in rule_lines(folder) if ln.rule_id == rule_id), None)
    if line is None:
        raise Refused(404, "Regeln finns inte i granskningen.", "The rule is not in the check.")
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    total, rows = deviating_cases(folder, rule_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, "drill.html", record=record, line=line, rows=rows, total=total, page=page,
                  pages=pages)


def job_page(request: Request) -> Response:
    job = web(request).jobs.get(request.path_params["id"])
    if job is None:
        raise Refused(404, "Uppgiften finns inte (appen kan ha startats om).",
                      "The task does not exist (the app may have been restarted).")
    if job.state == "done" and request.query_params.get("stay") != "1":
        return redirect(job.target)
    return render(request, "job.html", job=job)


def job_status(request: Request) -> Response:
    job = web(request).jobs.get(request.path_params["id"])
    if job is None:
        return JSONResponse({"state": "missing"}, status_code=404)
    return JSONResponse({"state": job.state, "stage": job.stage, "fraction": job.fraction,
                         "target": job.target, "seconds": round(job.seconds, 1)})


routes = [
    Route("/checks", list_checks),
    Route("/checks", form_post(start_check), methods=["POST"]),
    Route("/checks/{id}", show_check),
    Route("/checks/{id}/rules/{rule}", drill_down),
    Route("/jobs/{id}", job_page),
    Route("/jobs/{id}/status", job_status),
]
