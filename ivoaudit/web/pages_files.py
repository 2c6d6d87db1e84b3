"""Downloads from the working folder, and HTML reports shown in place."""

from __future__ import annotations

import mimetypes

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ivoaudit.web.render import render, web
from ivoaudit.web.security import REPORT_CSP

TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".yaml": "application/x-yaml; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
}


def download(request: Request) -> Response:
    """A file of the working folder as an attachment (never rendered by the browser)."""
    path = web(request).workdir.resolve(request.path_params["path"])
    media = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=path.name, content_disposition_type="attachment")


def raw_report(request: Request) -> Response:
    """An HTML report as written, sandboxed: its own styles and embedded charts, no script."""
    path = web(request).workdir.resolve(request.path_params["path"])
    if path.suffix.lower() != ".html":
        return download(request)
    response = FileResponse(path, media_type="text/html; charset=utf-8", content_disposition_type="inline")
    response.headers["content-security-policy"] = REPORT_CSP
    return response


def view_report(request: Request) -> Response:
    """A page with the HTML report in a frame, with a way back and a download link."""
    relative = request.path_params["path"]
    path = web(request).workdir.resolve(relative)
    return render(request, "view.html", relative=relative, name=path.name)


routes = [
    Route("/files/{path:path}", download),
    Route("/raw/{path:path}", raw_report),
    Route("/view/{path:path}", view_report),
]
