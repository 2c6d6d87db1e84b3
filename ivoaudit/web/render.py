"""What every page module uses: the app's state, rendering a template, redirecting after a
POST, reading a form (with its CSRF check), and error pages a person can act on."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ivoaudit import __version__
from ivoaudit.errors import ReviewFormError
from ivoaudit.i18n import get_language, t
from ivoaudit.web.config import WebConfig
from ivoaudit.web.jobs import Jobs
from ivoaudit.web.security import Refused, check_csrf
from ivoaudit.web.uploads import Form, read_form
from ivoaudit.web.workdir import Workdir

HERE = Path(__file__).resolve().parent


@dataclass
class AppState:
    """What every route reaches through ``request.app.state.web``."""

    config: WebConfig
    workdir: Workdir
    jobs: Jobs
    env: jinja2.Environment

    def root_of(self, record: dict[str, Any]) -> Path:
        """The folder a record's outputs are in (``folder``, relative to the working folder)."""
        return self.workdir.root / record["folder"]

    @property
    def incoming(self) -> Path:
        """Where uploads arrive before their content is checked (hidden, never served)."""
        from ivoaudit.atomic import make_dir

        return make_dir(self.workdir.root / ".incoming")


def web(request: Request) -> AppState:
    return request.app.state.web


def environment() -> jinja2.Environment:
    # autoescape=True for every template, whatever its name: extract text is hostile.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from ivoaudit.web import view

    env.globals.update(t=t, version=__version__, **view.TEMPLATE_HELPERS)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``templates/<template>`` with the helpers every page needs."""
    state = web(request)
    html = state.env.get_template(template).render(
        lang=get_language(), csrf=state.config.csrf, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """After a POST: see the result with a GET (so reloading does not post again)."""
    return RedirectResponse(url, status_code=303)


FormHandler = Callable[[Request, Form], Response]


def form_post(handler: FormHandler) -> Callable[[Request], Awaitable[Response]]:
    """Make a POST endpoint of ``handler(request, form)``: the form is read (files into the
    hidden incoming folder), its CSRF token checked, the handler run on a worker thread;
    uploaded files the handler did not move away are removed."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        state = web(request)
        form = await read_form(request, state.incoming, state.config.upload_limit)
        try:
            check_csrf(state.config, form.fields.get("csrf"))
            return await run_in_threadpool(handler, request, form)
        finally:
            form.discard()

    endpoint.form_post = True  # type: ignore[attr-defined]
    return endpoint


async def refused_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return render(request, "error.html", status=exc.status, title=t("Avvisat", "Refused"),
                  message=t(exc.sv, exc.en), problems=[])


async def user_error_page(request: Request, exc: Exception) -> Response:
    problems = exc.problems if isinstance(exc, ReviewFormError) else []
    return render(request, "error.html", status=422, title=t("Det gick inte", "That did not work"),
                  message=str(exc), problems=problems)


async def not_found_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    if status == 405:
        return render(request, "error.html", status=405, title=t("Fel metod", "Wrong method"),
                      message=t("Den här adressen tar inte emot sådana anrop.",
                                "This address does not accept such requests."), problems=[])
    return render(request, "error.html", status=404, title=t("Hittades inte", "Not found"),
                  message=t("Sidan eller filen finns inte (längre) i appens arbetsmapp.",
                            "The page or file does not exist (any more) in the app's working "
                            "folder."), problems=[])
