"""Who gets in, and what a page may do once it is in.

One ASGI middleware in front of every route:

- the Host header must be the address the app listens on (a page on another site that
  rebinds its DNS name to 127.0.0.1 sends its own name, and is refused);
- ``/login?token=…`` with the token of this start sets an HttpOnly, SameSite=Strict session
  cookie and sends the browser on to the start page; every other request without that
  cookie gets 403 (other users of the machine and other pages in the browser have no cookie);
- a request that changes anything is a POST whose Origin (or, without one, Referer) is this
  app; the form token is checked where the form is read (:func:`check_csrf`);
- uploads larger than the limit are refused before they are read;
- every response says: no scripts but our own file, nothing from elsewhere, not framed by
  others, not cached, a referrer only to itself (the headers below).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ivoaudit.i18n import use_language
from ivoaudit.web.config import WebConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LANG_COOKIE = "ivoaudit_lang"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; "
       "base-uri 'none'")
# HTML reports are shown as they were written (their own inline styles, embedded charts),
# never with a script, and sandboxed so they cannot reach the app.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
SAFE_METHODS = ("GET", "HEAD")


class Refused(Exception):
    """A request the app will not serve: ``status`` and a message in both languages."""

    def __init__(self, status: int, sv: str, en: str):
        super().__init__(en)
        self.status, self.sv, self.en = status, sv, en


def check_csrf(config: WebConfig, value: object) -> None:
    """Refuse a form whose ``csrf`` field is not this start's token."""
    if not isinstance(value, str) or not secrets.compare_digest(value, config.csrf):
        raise Refused(403, "Formuläret saknar giltig säkerhetskod. Ladda om sidan och försök igen.",
                      "The form lacks a valid security code. Reload the page and try again.")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is simply no cookie
        return {}
    return {k: m.value for k, m in jar.items()}


def _same_origin(config: WebConfig, headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is not None:
        return origin == config.origin
    referer = headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == config.origin
    return False


class Guard:
    """The middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, config: WebConfig):
        self.app, self.config = app, config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers)
        lang = cookies.get(LANG_COOKIE, "sv")
        lang = lang if lang in ("sv", "en") else "sv"
        try:
            self._admit(scope, headers, cookies)
        except Refused as refused:
            await _refusal(send, refused, lang)
            return
        if scope["path"] == "/login":
            await self._login(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CSP.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        with use_language(lang):
            await self.app(scope, receive, send_with_headers)

    def _admit(self, scope: Scope, headers: dict[str, str], cookies: dict[str, str]) -> None:
        config = self.config
        if headers.get("host") not in config.allowed_hosts():
            raise Refused(403, "Fel värdnamn: öppna adressen som skrevs ut när appen startade.",
                          "Wrong host name: open the address printed when the app started.")
        if scope["path"] == "/login":
            token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
            if scope["method"] not in SAFE_METHODS or not secrets.compare_digest(token, config.token):
                raise Refused(403, "Fel eller gammal inloggningslänk. Öppna adressen som skrevs ut "
                                   "när appen startade (den är ny vid varje start).",
                              "Wrong or old login link. Open the address printed when the app "
                              "started (it is new at every start).")
            return
        session = cookies.get(config.cookie_name, "")
        if not secrets.compare_digest(session, config.session):
            raise Refused(403, "Ingen åtkomst. Öppna adressen som skrevs ut när appen startade "
                               "(ivoaudit app); bara den som startade appen kommer in.",
                          "No access. Open the address printed when the app started (ivoaudit "
                          "app); only the person who started the app gets in.")
        if scope["method"] not in SAFE_METHODS:
            if not _same_origin(config, headers) or headers.get("sec-fetch-site", "same-origin") not in (
                    "same-origin", "none"):
                raise Refused(403, "Begäran kom inte från appens egna sidor och avvisades.",
                              "The request did not come from the app's own pages and was refused.")
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > config.upload_limit:
                raise Refused(413, f"Filen är för stor (gränsen är {config.upload_limit // 2**20} MB). Starta appen med en "
                                   "högre gräns (--upload-limit) om filen ska läsas in."
                              ,
                              f"The file is too large (the limit is {config.upload_limit // 2**20} MB). Start the app with a "
                              "higher limit (--upload-limit) to read it in."
                              )

    async def _login(self, send: Send) -> None:
        cookie = (f"{self.config.cookie_name}={self.config.session}; Path=/; HttpOnly; "
                  "SameSite=Strict")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode()), *HEADERS,
                                (b"content-security-policy", CSP.encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


async def _refusal(send: Send, refused: Refused, lang: str) -> None:
    from html import escape

    text = refused.en if lang == "en" else refused.sv
    title = "Ingen åtkomst" if lang != "en" else "No access"
    if refused.status == 413:
        title = "För stor fil" if lang != "en" else "File too large"
    body = (f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)} – ivoaudit</title></head><body><h1>{escape(title)}</h1>"
            f"<p>{escape(text)}</p></body></html>").encode()
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *HEADERS,
                            (b"content-security-policy", CSP.encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
