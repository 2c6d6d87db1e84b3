"""Who gets in, and what a request may do: every refusal of issue 19's "Who gets in"."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from starlette.routing import Route

from tests.conftest import SAMPLE_DATA
from tests.web.conftest import HOSTILE, make_client, write_hostile_extract

TEMPLATES = Path(__file__).resolve().parents[2] / "ivoaudit" / "web" / "templates"


def anonymous(c):
    """A client of the same app without the session cookie."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(c.app, base_url=f"http://127.0.0.1:{c.config.port}")


def form_post_routes(c) -> list[str]:
    return [r.path for r in c.app.app.routes
            if isinstance(r, Route) and "POST" in (r.methods or ()) and getattr(r.endpoint, "form_post", False)]


def get_routes(c) -> list[str]:
    return [r.path for r in c.app.app.routes if isinstance(r, Route) and "GET" in (r.methods or ())]


def test_every_request_without_the_session_cookie_gets_403(prepared):
    c = prepared["client"]
    stranger = anonymous(c)
    paths = [p.replace("{id}", prepared["check"]).replace("{rule}", "BU-SKYDD").replace("{path:path}", "x")
             for p in get_routes(c)]
    assert len(paths) >= 10
    for path in [*paths, "/static/app.css", f"/files/checks/{prepared['check']}/out/summary.csv"]:
        r = stranger.get(path)
        assert r.status_code == 403, path
        assert "ivoaudit app" in r.text
        assert "summary" not in r.text.lower() or path.startswith("/files")  # nothing of the data
    # a cookie with another value is no better
    stranger.cookies.set(c.config.cookie_name, "guess")
    assert stranger.get("/").status_code == 403


def test_login_needs_this_starts_token_and_sets_a_strict_httponly_cookie(client):
    stranger = anonymous(client)
    assert stranger.get("/login?token=wrong").status_code == 403
    assert stranger.get("/login").status_code == 403
    assert stranger.post("/login?token=" + client.config.token,
                         headers={"origin": client.config.origin}).status_code == 403
    r = stranger.get("/login?token=" + client.config.token, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"ivoaudit_{client.config.port}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert client.config.token not in cookie  # the URL's token is not the session
    assert stranger.get("/").status_code == 200


def test_a_new_start_does_not_accept_the_old_token_or_cookie(tmp_path, client):
    other = make_client(tmp_path / "second")
    stranger = anonymous(other)
    assert stranger.get("/login?token=" + client.config.token).status_code == 403
    stranger.cookies.set(other.config.cookie_name, client.config.session)
    assert stranger.get("/").status_code == 403


@pytest.mark.parametrize("host", ["evil.example:8765", "localhost:8765", "127.0.0.1:9999", "127.0.0.1", ""])
def test_host_header_must_be_the_loopback_address_listened_on(client, host):
    r = client.get("/", headers={"host": host})
    assert r.status_code == 403
    assert client.get("/").status_code == 200


def test_every_form_post_refuses_a_missing_or_wrong_csrf_token(prepared):
    c = prepared["client"]
    routes = form_post_routes(c)
    assert {"/extracts", "/checks", "/rounds", "/rounds/answers", "/reports", "/lang"} <= set(routes)
    for path in routes:
        path = path.replace("{id}", prepared["extract"])
        assert c.post(path, {}, csrf=False).status_code == 403, path
        assert c.post(path, {"csrf": "not-the-token"}).status_code == 403, path


def test_every_post_route_is_a_checked_form():
    """No POST endpoint bypasses the CSRF-checking form reader."""
    from ivoaudit.web.app import create_app
    from ivoaudit.web.config import WebConfig

    app = create_app(WebConfig(workdir=Path(os.environ["IVOAUDIT_DB"]).parent / "w", port=1))
    posts = [r for r in app.app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert posts and all(getattr(r.endpoint, "form_post", False) for r in posts)


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "http://127.0.0.1:9999"},
    {"origin": "null"},
    {"origin": "", "referer": ""},
    {"origin": "http://127.0.0.1:8765", "sec-fetch-site": "cross-site"},
])
def test_cross_site_posts_are_refused_even_with_the_token(client, headers):
    r = client.http.post("/lang", data={"csrf": client.config.csrf, "lang": "en"},
                         headers={k: v for k, v in headers.items() if v or k == "origin"} if headers.get("origin")
                         else {}, follow_redirects=False)
    assert r.status_code == 403


def test_a_post_with_only_a_same_origin_referer_is_accepted(client):
    r = client.http.post("/lang", data={"csrf": client.config.csrf, "lang": "en", "back": "/"},
                         headers={"referer": client.config.origin + "/extracts"}, follow_redirects=False)
    assert r.status_code == 303


def test_uploads_over_the_limit_are_refused_by_length_and_by_bytes_received(tmp_path):
    c = make_client(tmp_path, upload_limit=4096)
    big = b"case_id;unit\n" + b"1;a\n" * 5000
    r = c.post("/extracts", files={"extract": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    assert "för stor" in r.text

    def chunks():  # no Content-Length: the limit is counted on the stream
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="csrf"\r\n\r\n' + c.config.csrf.encode() + b"\r\n"
        yield boundary + b'Content-Disposition: form-data; name="extract"; filename="big.csv"\r\n\r\n'
        for _ in range(100):
            yield b"1;a\n" * 100
        yield b"\r\n--xyz--\r\n"

    r = c.http.post("/extracts", content=chunks(), headers={
        "origin": c.config.origin, "content-type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413
    assert not list((c.state.workdir.root / "extracts").iterdir())
    assert not list(c.state.incoming.iterdir())  # the partial upload is gone


@pytest.mark.parametrize("name,data", [
    ("arenden.csv", b"%PDF-1.7\n..."),
    ("arenden.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    ("arenden.csv", b""),
    ("gammal.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
])
def test_uploads_are_typed_by_content_not_by_name(client, name, data):
    r = client.post("/extracts", files={"extract": (name, data, "text/csv")})
    assert r.status_code == 422
    assert not list((client.state.workdir.root / "extracts").iterdir())
    assert not list(client.state.incoming.iterdir())


def test_uploads_are_stored_under_generated_names(client, tmp_path):
    extract = client.upload(SAMPLE_DATA / "lifecare" / "arenden.csv", name="../../../../tmp/evil name.csv")
    folder = client.state.workdir.root / "extracts" / extract
    assert sorted(p.name for p in folder.iterdir()) == ["draft.json", "extract.csv", "inspect.en.json", "inspect.sv.json", "record.json"]
    assert not Path("/tmp/evil name.csv").exists()
    assert client.state.workdir.load("extracts", extract)["original_name"] == "evil name.csv"
    assert (folder / "extract.csv").stat().st_mode & 0o077 == 0  # owner-only


def test_an_xlsx_named_csv_is_read_as_xlsx(client):
    extract = client.upload(SAMPLE_DATA / "treserva" / "arenden.xlsx", name="uttag.csv")
    record = client.state.workdir.load("extracts", extract)
    assert record["format"] == "xlsx" and record["file"].endswith("extract.xlsx")


@pytest.mark.parametrize("path", [
    "../store.db", "..%2Fstore.db", "%2e%2e/store.db", "extracts/../../store.db", "/etc/passwd",
    "%2Fetc%2Fpasswd", "..\\store.db", "C:/Windows/win.ini", ".incoming/x", "extracts/{e}/record.json",
    "extracts/{e}/../../../store.db", "extracts/{e}", "",
])
def test_downloads_only_from_inside_the_working_folder(prepared, path):
    c = prepared["client"]
    path = path.replace("{e}", prepared["extract"])
    for prefix in ("/files/", "/raw/", "/view/"):
        r = c.get(prefix + path)
        assert r.status_code == 404, prefix + path
        assert "store" not in r.headers.get("content-disposition", "")


def test_a_link_leading_out_of_the_working_folder_is_refused(prepared, tmp_path):
    c = prepared["client"]
    secret = tmp_path / "outside.txt"
    secret.write_text("secret")
    link = c.state.workdir.root / "extracts" / prepared["extract"] / "link.csv"
    link.symlink_to(secret)
    try:
        assert c.get(f"/files/extracts/{prepared['extract']}/link.csv").status_code == 404
    finally:
        link.unlink()
    ok = c.get(f"/files/extracts/{prepared['extract']}/extract.csv")
    assert ok.status_code == 200 and ok.headers["content-disposition"].startswith("attachment")


def test_every_response_carries_the_security_headers(prepared):
    c = prepared["client"]
    for path in ["/", "/extracts", "/static/app.css", "/nope", f"/files/extracts/{prepared['extract']}/extract.csv"]:
        h = c.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert "http" not in csp  # no external source of any kind
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "same-origin"
        assert h["cache-control"] == "no-store"
    refused = anonymous(c).get("/")
    assert "script-src 'self'" in refused.headers["content-security-policy"]


def test_reports_shown_in_place_are_sandboxed_without_scripts(prepared):
    c = prepared["client"]
    html = f"checks/{prepared['check']}/out/report.html"
    r = c.get("/raw/" + html)
    csp = r.headers["content-security-policy"]
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert c.get("/view/" + html).status_code == 200


def test_templates_have_no_inline_script_or_event_handler():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert "javascript:" not in text and "http://" not in text and "https://" not in text, path.name


def test_extract_text_is_escaped_on_every_page(client, tmp_path):
    """<script> and <img onerror> in every text column, a header, a code and the file name."""
    path = write_hostile_extract(tmp_path / "hostile.csv")
    extract = client.upload(path, name=HOSTILE[1] + ".csv")
    pages = ["/extracts", f"/extracts/{extract}", f"/extracts/{extract}/mapping"]
    check = client.run_job(client.post("/checks", {"extract": extract, "as_of": "2026-10-31"}))
    pages += [check, "/checks", "/", "/rounds", "/reports"]
    page = client.get(check).text
    pages += sorted(set(re.findall(r'href="(/checks/[^"]+/rules/[^"]+)"', page)))
    round_page = client.run_job(client.post("/rounds", {"extract": extract, "as_of": "2026-10-31",
                                                        "strategy": "random", "size": "5", "seed": "1",
                                                        "name": HOSTILE[0]}))
    pages.append(round_page)
    shown = 0
    for url in pages:
        html = client.get(url).text
        for bad in HOSTILE:
            assert bad not in html, url
        assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), url
        shown += html.count("&lt;script&gt;alert(1)&lt;/script&gt;") + html.count("&lt;img src=x onerror=alert(2)&gt;")
    assert len([u for u in pages if "/rules/" in u]) >= 1
    assert shown >= 20  # the text is there, as text


@pytest.mark.parametrize("given,expected", [
    ("formulär.xlsx", "formulär.xlsx"), ("../../etc/passwd.xlsx", "passwd.xlsx"),
    ("C:\\Users\\x\\svar.xlsx", "svar.xlsx"), (".hidden.xlsx", "hidden.xlsx"), ("<script>.xlsx", "script.xlsx"),
    ("", "formular.xlsx"), ("...", "formular.xlsx"),
])
def test_kept_file_names_are_reduced_to_plain_characters(given, expected):
    from ivoaudit.web.workdir import safe_name

    assert safe_name(given, ".xlsx", "formular") == expected
