"""Non-executed decisions (the quarter's individual list and council report) and the regional
comparison of public summaries: produced by the library, downloaded from here."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ivoaudit.errors import InputError, UsageError
from ivoaudit.i18n import get_language, t
from ivoaudit.store import open_store
from ivoaudit.web.jobs import Progress
from ivoaudit.web.render import form_post, redirect, render, web
from ivoaudit.web.security import Refused
from ivoaudit.web.uploads import Form
from ivoaudit.web.view import in_both
from ivoaudit.web.workdir import new_id, safe_name


def page(request: Request) -> Response:
    from datetime import date

    from ivoaudit.tracking.quarters import Quarter, next_report

    state = web(request)
    runs = [r for r in state.workdir.list("runs") if r.get("state") == "done"]
    return render(request, "quarterly.html", extracts=state.workdir.list("extracts"), runs=runs,
                  quarter=str(next_report(date.today())), last=str(Quarter.containing(date.today()).previous()))


def unexecuted(request: Request, form: Form) -> Response:
    from ivoaudit.tracking.quarters import Quarter
    from ivoaudit.web.pages_extracts import mapping_path, read_options

    state = web(request)
    extract = state.workdir.load("extracts", form.get("extract"))
    if extract is None:
        raise InputError(t("Välj ett inläst uttag med beslut.", "Choose a loaded extract with decisions."))
    quarter = Quarter.parse(form.get("quarter").strip())
    record_it = form.get("record") == "on"
    item = new_id()
    out = state.workdir.folder("runs", item) / "out"
    source, mapping = state.workdir.resolve(extract["file"]), mapping_path(state, extract)
    def label() -> str:
        return t("Ej verkställda beslut {q} ({f})", "Decisions not executed {q} ({f})", q=quarter.label,
                 f=extract["original_name"])

    record: dict[str, Any] = {"label": label(), "labels": in_both(label),
                              "state": "running", "created_at": datetime.now().isoformat(timespec="seconds")}
    state.workdir.save("runs", item, record)

    def work(progress: Progress) -> str:
        from ivoaudit.load import load_extract
        from ivoaudit.report.unexecuted_files import write_quarter_files
        from ivoaudit.tracking.unexecuted_record import draw_up_quarter

        try:
            progress(t("Läser in beslutsuttaget …", "Loading the decisions …"), 0.2)
            loaded = load_extract(source, mapping=mapping, sheet=extract.get("sheet") or None, keyed=False,
                                  **read_options(extract))
            progress(t("Tar fram listan och rapporten …", "Drawing up the list and the report …"), 0.6)
            with open_store(state.config.db) as store:
                report, _ = draw_up_quarter(loaded, quarter, store, record=record_it)
                _, files = write_quarter_files(report, out, lang=get_language())
            record.update(state="done", files={p.name: state.workdir.relative(p) for p in files.values()},
                          window=report.window.text(), windows=in_both(report.window.text),
                          window_state=report.window_state)
        except BaseException:
            record["state"] = "failed"
            raise
        finally:
            state.workdir.save("runs", item, record)
        return f"/quarterly/{item}"

    job = state.jobs.start(record["label"], work)
    return redirect(f"/jobs/{job.id}")


def compare(request: Request, form: Form) -> Response:
    """Compare the public JSON summaries uploaded (each named by its file)."""
    from ivoaudit.report.compare_render import write_compare_files
    from ivoaudit.tracking.compare import compare_summaries, read_summaries

    state = web(request)
    item = new_id()
    folder = state.workdir.folder("runs", item)
    uploads = [f for key, f in form.files.items() if key.startswith("summary") and f.filename and f.size]
    if len(uploads) < 2:
        raise UsageError(t("Välj minst två sammanfattningar (public-summary.json).",
                           "Choose at least two summaries (public-summary.json)."))
    items = []
    for n, upload in enumerate(uploads, start=1):
        target = folder / f"{n}-{safe_name(upload.filename, '.json', 'kommun')}"
        os.replace(upload.path, target)
        label = form.get(f"label{n}").strip() or None
        items.append((label, target))
    comparison = compare_summaries(read_summaries(items))
    files = write_compare_files(comparison, folder / "out", lang=get_language())
    state.workdir.save("runs", item, {
        "label": t("Jämförelse av {n} kommuner", "Comparison of {n} municipalities", n=len(items)),
        "labels": in_both(lambda: t("Jämförelse av {n} kommuner", "Comparison of {n} municipalities", n=len(items))),
        "state": "done", "warnings": list(comparison.warnings),
        "files": {p.name: state.workdir.relative(p) for p in files.values()},
        "created_at": datetime.now().isoformat(timespec="seconds")})
    return redirect(f"/quarterly/{item}")


def show(request: Request) -> Response:
    record = web(request).workdir.load("runs", request.path_params["id"])
    if record is None or record.get("state") != "done":
        raise Refused(404, "Finns inte.", "Does not exist.")
    return render(request, "run.html", record=record)


routes = [
    Route("/quarterly", page),
    Route("/quarterly/unexecuted", form_post(unexecuted), methods=["POST"]),
    Route("/quarterly/compare", form_post(compare), methods=["POST"]),
    Route("/quarterly/{id}", show),
]
