"""The start page (where things stand) and the language switch."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ivoaudit.web.render import form_post, redirect, render, web
from ivoaudit.web.security import LANG_COOKIE
from ivoaudit.web.uploads import Form


def start(request: Request) -> Response:
    from ivoaudit.web import status

    return render(request, "start.html", overview=status.overview(web(request)))


def switch_language(request: Request, form: Form) -> Response:
    lang = form.get("lang")
    back = form.get("back", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = redirect(back)
    if lang in ("sv", "en"):
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path="/")
    return response


routes = [
    Route("/", start),
    Route("/lang", form_post(switch_language), methods=["POST"]),
]
