"""Reports: produce any report of a check or a round (internal or public; HTML, Excel,
Word, JSON), download it, and read the HTML ones in place."""

from __future__ import annotations

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
from ivoaudit.web.workdir import new_id

FORMATS = ("html", "xlsx", "docx", "json")


def list_reports(request: Request) -> Response:
    state = web(request)
    with open_store(state.config.db) as store:
        rounds = [r.name for r in store.list_rounds()][::-1]
    checks = [c for c in state.workdir.list("checks") if c.get("state") == "done"]
    return render(request, "reports.html", reports=state.workdir.list("reports"), checks=checks, rounds=rounds,
                  chosen_check=request.query_params.get("check", ""),
                  chosen_round=request.query_params.get("round", ""))


def produce(request: Request, form: Form) -> Response:
    from ivoaudit.report import ReportOptions, load_targets

    state = web(request)
    source_key = form.get("source")
    kind, _, key = source_key.partition(":")
    formats = [f for f in form.lists.get("format", []) if f in FORMATS]
    if not formats:
        raise UsageError(t("Välj minst ett format.", "Choose at least one format."))
    audience = form.get("audience", "internal")
    if audience not in ("internal", "public"):
        raise UsageError(t("Okänd mottagare.", "Unknown audience."))
    lang = form.get("report_lang", "sv") if form.get("report_lang") in ("sv", "en") else "sv"
    min_count = int(form.get("min_count") or 5) if form.get("min_count", "5").isdigit() else 5
    check: dict[str, Any] = {}
    if kind == "check":
        check = state.workdir.load("checks", key) or {}
        if check.get("state") != "done":
            raise InputError(t("Välj en färdig granskning.", "Choose a finished check."))
        labels = in_both(lambda: t("Granskning {d} av {f}", "Check of {f} as of {d}", d=check["as_of"],
                                   f=check["extract_name"]))
    elif kind == "round":
        labels = in_both(lambda: t("Omgång {n}", "Round {n}", n=key))
    else:
        raise InputError(t("Välj vad rapporten ska bygga på.", "Choose what the report is built on."))
    options = ReportOptions(audience=audience, lang=lang, min_count=max(1, min(min_count, 100)),
                            targets=load_targets())
    item = new_id()
    out = state.workdir.folder("reports", item) / "out"
    label = labels["en" if get_language() == "en" else "sv"]
    record: dict[str, Any] = {"label": label, "labels": labels, "audience": audience, "formats": formats, "lang": lang,
                              "state": "running", "folder": f"reports/{item}/out",
                              "created_at": datetime.now().isoformat(timespec="seconds")}
    state.workdir.save("reports", item, record)

    def work(progress: Progress) -> str:
        from ivoaudit.report import ReportSource, ResultsDirSource, generate_reports, round_source

        try:
            progress(t("Bygger rapporten …", "Building the report …"), None)
            if kind == "check":
                folder = ResultsDirSource(state.root_of(check))
                folder.label = check["extract_name"]  # the report's "Underlag:", not the app's folder "out"
                source: ReportSource = folder
            else:
                source = round_source(key, db=state.config.db)
            result = generate_reports(source, options, formats, out)
            record.update(state="done", files={f: state.workdir.relative(p) for f, p in result.files.items()})
        except BaseException:
            record["state"] = "failed"
            raise
        finally:
            state.workdir.save("reports", item, record)
        return f"/reports/{item}"

    job = state.jobs.start(t("Rapport: {l}", "Report: {l}", l=label), work)
    return redirect(f"/jobs/{job.id}")


def show_report(request: Request) -> Response:
    state = web(request)
    record = state.workdir.load("reports", request.path_params["id"])
    if record is None or record.get("state") != "done":
        raise Refused(404, "Rapporten finns inte.", "The report does not exist.")
    return render(request, "report.html", record=record)


routes = [
    Route("/reports", list_reports),
    Route("/reports", form_post(produce), methods=["POST"]),
    Route("/reports/{id}", show_report),
]
