"""Actions and IVO: the action register (add, edit with history, overdue and due for
follow-up, links to rules and demands, effect), IVO decisions with their demands, and a
check recorded as a measurement. Every figure and verdict is the tracking library's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ivoaudit.errors import UsageError
from ivoaudit.i18n import t
from ivoaudit.store import open_store
from ivoaudit.web.pages_check import parse_day
from ivoaudit.web.render import form_post, redirect, render, web
from ivoaudit.web.security import Refused
from ivoaudit.web.uploads import Form
from ivoaudit.web.workdir import new_id

STATUSES = ("planned", "in_progress", "done", "effective", "not_effective", "cancelled")


def _day(form: Form, name: str, label: str, required: bool = False) -> date | None:
    text = form.get(name).strip()
    if not text:
        if required:
            raise UsageError(t("{l} saknas.", "{l} is missing.", l=label))
        return None
    return parse_day(text, label)


def _words(form: Form, name: str) -> list[str]:
    return [w for part in form.lists.get(name, []) for w in part.replace(",", " ").split() if w]


def _as_of(request: Request) -> date:
    text = request.query_params.get("as_of", "")
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        return date.today()


def register(request: Request) -> Response:
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.due import due_for_followup, overdue, status_light

    as_of = _as_of(request)
    shown = request.query_params.get("filter", "all")
    with open_store(web(request).config.db) as store:
        data = load_tracking(store)
    actions = list(data.actions)
    if shown == "overdue":
        actions = overdue(actions, as_of)
    elif shown == "followup":
        actions = due_for_followup(actions, as_of)
    lights = {a.id: status_light(a, as_of) for a in actions}
    answers: dict[str, list[dict[str, Any]]] = {}
    for record in web(request).workdir.list("answers"):
        answers.setdefault(record["dnr"], []).append(record)
    return render(request, "actions.html", data=data, actions=actions, lights=lights, shown=shown,
                  answers=answers, today=date.today().isoformat(),
                  as_of=as_of.isoformat(), overdue=len(overdue(data.actions, as_of)),
                  followup=len(due_for_followup(data.actions, as_of)), statuses=STATUSES,
                  rules=sorted(data.catalogue))


def add_action(request: Request, form: Form) -> Response:
    from ivoaudit.tracking.actions import create_action

    with open_store(web(request).config.db) as store:
        action = create_action(
            store, form.get("measure").strip(), form.get("role").strip(),
            start=_day(form, "start", t("Start", "Start"), True),  # type: ignore[arg-type]
            deadline=_day(form, "deadline", t("Klart senast", "Deadline"), True),  # type: ignore[arg-type]
            responsible_person=form.get("person").strip() or None,
            followup_date=_day(form, "followup", t("Uppföljning", "Follow-up")),
            followup_method=form.get("followup_method").strip() or None,
            evidence=form.get("evidence").strip() or None, rules=_words(form, "rules"),
            demands=_words(form, "demands"), by=form.get("by").strip() or None)
    return redirect(f"/actions/{action.id}")


def show_action(request: Request) -> Response:
    from ivoaudit.store.history import history
    from ivoaudit.tracking.data import load_tracking
    from ivoaudit.tracking.due import status_light

    try:
        action_id = int(request.path_params["id"])
    except ValueError:
        action_id = -1
    with open_store(web(request).config.db) as store:
        data = load_tracking(store)
        action = data.action(action_id)
        if action is None:
            raise Refused(404, "Åtgärden finns inte.", "The action does not exist.")
        changes = history(store, "action", action_id)
    return render(request, "action.html", a=action, effect=data.effect(action), changes=changes,
                  light=status_light(action, date.today()), statuses=STATUSES, data=data)


def edit(request: Request, form: Form) -> Response:
    from ivoaudit.tracking.actions import edit_action

    action_id = int(request.path_params["id"]) if request.path_params["id"].isdigit() else -1
    changes: dict[str, Any] = {}
    if form.get("status") in STATUSES:
        changes["status"] = form.get("status")
    for name, label in (("deadline", t("Klart senast", "Deadline")), ("followup_date", t("Uppföljning", "Follow-up"))):
        if form.get(name).strip():
            changes[name] = _day(form, name, label)
    for name in ("responsible_person", "evidence", "followup_method"):
        if form.get(name).strip():
            changes[name] = form.get(name).strip()
    if not changes:
        raise UsageError(t("Ingen ändring angiven.", "No change given."))
    with open_store(web(request).config.db) as store:
        edit_action(store, action_id, changes, by=form.get("by").strip() or None,
                    note=form.get("note").strip() or None)
    return redirect(f"/actions/{action_id}")


def add_decision(request: Request, form: Form) -> Response:
    from ivoaudit.tracking.ivo import record_decision

    with open_store(web(request).config.db) as store:
        decision = record_decision(
            store, form.get("dnr").strip(),
            decision_date=_day(form, "decision_date", t("Beslutsdatum", "Decision date"), True),  # type: ignore[arg-type]
            answer_due=_day(form, "answer_due", t("Svara senast", "Answer due"), True),  # type: ignore[arg-type]
            received_date=_day(form, "received_date", t("Inkom", "Received")),
            committee=form.get("committee").strip() or None, summary=form.get("summary").strip() or None)
    return redirect(f"/actions?dnr={decision.dnr}#ivo")


def add_demand(request: Request, form: Form) -> Response:
    from ivoaudit.tracking.ivo import record_demand

    with open_store(web(request).config.db) as store:
        record_demand(store, form.get("dnr"), form.get("text").strip(), rules=_words(form, "rules"),
                      ivo_figure=form.get("figure").strip() or None)
    return redirect("/actions#ivo")


def write_answer(request: Request, form: Form) -> Response:
    """The committee's answer to an IVO decision (Word and HTML, as ``ivoaudit ivo answer``
    writes it) into the working folder; the browser is sent on to download the Word file."""
    from ivoaudit.i18n import get_language
    from ivoaudit.report.ivo_answer import write_answer as write_files
    from ivoaudit.tracking.answer import build_answer
    from ivoaudit.tracking.data import load_tracking

    state = web(request)
    dnr = form.get("dnr").strip()
    written_on = _day(form, "written_on", t("Skrivelsens datum", "Date of the report")) or date.today()
    with open_store(state.config.db) as store:
        model = build_answer(load_tracking(store), dnr, written_on, lang=get_language())
    item = new_id()
    out = state.workdir.folder("answers", item) / "out"
    files = {p.suffix.lstrip("."): state.workdir.relative(p) for p in write_files(model, out, ("docx", "html"))}
    state.workdir.save("answers", item, {"dnr": dnr, "written_on": written_on.isoformat(), "files": files,
                                         "created_at": datetime.now().isoformat(timespec="seconds")})
    return redirect("/files/" + quote(files["docx"]))


def record_check(request: Request, form: Form) -> Response:
    """A finished check recorded in the store as a measurement (counts per rule only)."""
    from ivoaudit.tracking.measure import record_check_folder

    state = web(request)
    check = state.workdir.load("checks", request.path_params["id"])
    if check is None or check.get("state") != "done":
        raise Refused(404, "Granskningen finns inte.", "The check does not exist.")
    with open_store(state.config.db) as store:
        measurement = record_check_folder(store, form.get("name").strip(), state.root_of(check))
    check["measurement"] = measurement.name
    state.workdir.save("checks", check["id"], check)
    return redirect(f"/checks/{check['id']}")


routes = [
    Route("/actions", register),
    Route("/actions", form_post(add_action), methods=["POST"]),
    Route("/actions/{id}", show_action),
    Route("/actions/{id}", form_post(edit), methods=["POST"]),
    Route("/ivo", form_post(add_decision), methods=["POST"]),
    Route("/ivo/demands", form_post(add_demand), methods=["POST"]),
    Route("/ivo/answer", form_post(write_answer), methods=["POST"]),
    Route("/checks/{id}/record", form_post(record_check), methods=["POST"]),
]
