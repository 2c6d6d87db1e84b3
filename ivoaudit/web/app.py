"""The web app: one Starlette application behind the :class:`~ivoaudit.web.security.Guard`.

Routes parse the request, call the library, render a template (``templates/``). Pages are
grouped by step in ``pages_*.py`` (each with its ``routes``); this module wires them.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ivoaudit.errors import UserError
from ivoaudit.web.config import WebConfig
from ivoaudit.web.jobs import Jobs
from ivoaudit.web.render import (
    HERE,
    AppState,
    environment,
    not_found_page,
    refused_page,
    user_error_page,
)
from ivoaudit.web.security import Guard, Refused
from ivoaudit.web.workdir import NotInWorkdir, Workdir


def create_app(config: WebConfig) -> Guard:
    """The whole app for ``config``, ready for uvicorn or a test client."""
    from ivoaudit.web import (
        pages_check,
        pages_extracts,
        pages_files,
        pages_quarterly,
        pages_reports,
        pages_rounds,
        pages_start,
        pages_tracking,
    )

    routes: list[Route | Mount] = [
        *pages_start.routes, *pages_extracts.routes, *pages_check.routes, *pages_rounds.routes,
        *pages_reports.routes, *pages_files.routes, *pages_tracking.routes, *pages_quarterly.routes,
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        Refused: refused_page, UserError: user_error_page, NotInWorkdir: not_found_page,
        HTTPException: not_found_page,
    })
    app.state.web = AppState(config, Workdir(config.workdir), Jobs(), environment())
    return Guard(app, config)
