"""The web app in a real browser (Playwright driving Debian's Chromium): the user journeys
done with the keyboard alone, with zero console errors, no request leaving 127.0.0.1, axe-core's
WCAG 2 A/AA rules (labels, contrast) on every page visited, and screenshots of each page at
1366×768 and at 200 % zoom written to ``artifacts/web/`` (or ``$IVOAUDIT_ARTIFACTS``)."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import REPO, SAMPLE_DATA

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"]
ARTIFACTS = Path(os.environ.get("IVOAUDIT_ARTIFACTS", REPO / "artifacts")) / "web"
# 200 % zoom as a 683×384 CSS-pixel window drawn at twice the density (1366×768 pixels)
ZOOM = os.environ.get("IVOAUDIT_ZOOM_SHOTS", "1") != "0"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by uvicorn on a free loopback port, in a thread of this process."""
    import uvicorn

    from ivoaudit.web.app import create_app
    from ivoaudit.web.config import WebConfig
    from ivoaudit.web.server import bind

    tmp = tmp_path_factory.mktemp("web-browser")
    sock = bind("127.0.0.1", 0)
    config = WebConfig(workdir=tmp / "work", db=tmp / "store.db", port=sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield config
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


class Session:
    """One browser page with everything the tests assert on recorded."""

    def __init__(self, page, config, name: str):
        from axe_playwright_python.base import AXE_SCRIPT

        self.page, self.config, self.name = page, config, name
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.violations: list[str] = []
        self.shots = 0
        self.zoom = None
        self.date_order = "ymd"
        self.axe = AXE_SCRIPT
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: self.errors.append("dialog: " + d.message))
        # File choosers stay intercepted for the page's whole life. Playwright turns interception
        # on when the first "filechooser" listener appears and off when the last goes, without
        # waiting for Chromium to apply it; under load the Space key then raced it, and a chooser
        # opened while not intercepted never answers in headless Chromium, which queues every
        # later chooser of the tab behind it (CI: "expect_file_chooser: Timeout 30000ms").
        page.on("filechooser", lambda chooser: None)

    def tab_to(self, selector: str, limit: int = 250) -> None:
        """Press Tab until the element matching ``selector`` has the focus."""
        for _ in range(limit):
            if self.page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                visible = self.page.evaluate("() => getComputedStyle(document.activeElement, ':focus-visible')"
                                             ".outlineStyle")
                assert visible != "none", f"{selector}: focus not visible"
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def type_date(self, selector: str, iso: str) -> None:
        """A date typed into Chromium's date field, segment by segment (two digits move on to
        the next; the year takes up to six, so → does). The segments' order follows the browser's own locale, not the
        page's, so each common order is tried until the field holds the date."""
        year, month, day = iso.split("-")
        orders = {"ymd": (year, month, day), "mdy": (month, day, year), "dmy": (day, month, year)}
        for name in sorted(orders, key=lambda k: k != self.date_order):
            order = orders[name]
            self.tab_to(selector)
            for n, part in enumerate(order):
                self.page.keyboard.type(part)
                if n < 2 and part is year:  # a month or day moves on by itself
                    self.page.keyboard.press("ArrowRight")
            if self.page.evaluate("s => document.querySelector(s).value", selector) == iso:
                self.date_order = name
                return
            for _ in range(4):  # Shift+Tab goes back a segment, then out: the next try starts afresh
                self.page.keyboard.press("Shift+Tab")
                if not self.page.evaluate("s => document.activeElement.matches(s)", selector):
                    break
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{selector}: could not type {iso}")

    def choose(self, selector: str, value: str) -> None:
        """Pick an option of a <select> with the arrow keys."""
        self.tab_to(selector)
        for key in ("Home", *["ArrowDown"] * 30):
            if self.page.evaluate("s => document.activeElement.value", selector) == value:
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"{selector}: no option {value}")

    def attach(self, selector: str, path: Path) -> None:
        """A file input reached with Tab, then given the file the way the system's file dialog
        would. Pressing Space on it is not used: Chromium opens a file chooser only while the
        page has transient user activation, which lasts 5 s from the key going down, and the
        chooser opens on the key coming *up*; on the shared CI machine (load 20 on 2 cores)
        the two halves of one key press came more than 5 s apart, Chromium logged "File
        chooser dialog can only be shown with a user activation" and no chooser opened. The
        dialog is the operating system's own, not the app's; what the app owns is that a
        keyboard user reaches the labelled input with visible focus, asserted here."""
        self.tab_to(selector)
        focused = self.page.evaluate_handle("document.activeElement").as_element()
        assert focused is not None and focused.evaluate("(e, s) => e.matches(s)", selector)
        focused.set_input_files(str(path))
        assert focused.evaluate("e => e.files.length") == 1

    def press_and_wait(self, selector: str, key: str = "Enter") -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")

    def settle(self, url_part: str, timeout: float = 60) -> None:
        """Wait until a job page has moved on to ``url_part``."""
        self.page.wait_for_url(re.compile(re.escape(url_part)), timeout=timeout * 1000)
        self.page.wait_for_load_state("load")

    def look(self, label: str) -> None:
        """axe-core's WCAG A/AA rules on the page, then screenshots at 100 % and 200 %."""
        self.page.evaluate(self.axe)
        result = self.page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']},"
            " resultTypes: ['violations']})")
        for v in result["violations"]:
            targets = [n["target"] for n in v["nodes"]][:3]
            self.violations.append(f"{label}: {v['id']} ({v['impact']}) {targets}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        stem = f"{self.name}-{self.shots:02d}-{label}"
        self.page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        if ZOOM and not self.page.url.endswith("/answers"):  # a POST's answer cannot be loaded again
            if self.zoom is None:
                self.zoom = self.page.context.browser.new_page(viewport={"width": 683, "height": 384},
                                                               device_scale_factor=2)
                self.zoom.context.add_cookies(self.page.context.cookies())
            self.zoom.goto(self.page.url)
            self.zoom.screenshot(path=str(ARTIFACTS / f"{stem}-200pct.png"))

    def expect_refusal_status(self, status: int) -> None:
        """A page refused on purpose is served with its HTTP status, which Chromium logs as a
        console error; take exactly that one off the list."""
        wanted = [e for e in self.errors if e.startswith("Failed to load resource") and f"status of {status}" in e]
        assert len(wanted) == 1, self.errors
        self.errors.remove(wanted[0])

    def assert_clean(self) -> None:
        origin = self.config.origin + "/"
        outside = [u for u in self.requests if not u.startswith((origin, "data:", "about:", "blob:"))]
        assert outside == [], "requests left 127.0.0.1"
        assert any(u.startswith(origin) for u in self.requests)
        assert self.errors == []
        assert self.violations == []


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def open_session(browser, config, name: str) -> Session:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                  locale="sv-SE")
    page = context.new_page()
    session = Session(page, config, name)
    page.goto(config.login_url)
    page.wait_for_load_state("load")
    assert page.url == config.origin + "/"
    return session


def test_upload_inspect_check_drill_down_by_keyboard(server, browser, tmp_path):
    s = open_session(browser, server, "1-granskning")
    page = s.page
    s.look("start-tom")
    s.press_and_wait('nav a[href="/extracts"]')
    s.look("las-in")
    s.attach("#extract", SAMPLE_DATA / "lifecare" / "arenden.csv")
    s.press_and_wait('form[action="/extracts"] button[type=submit]')
    assert "/extracts/" in page.url, page.content()[-3000:]
    s.attach("#mapping_file", SAMPLE_DATA / "mappings" / "lifecare.yaml")
    s.press_and_wait('form[action$="/choose-mapping"] button[type=submit]')
    assert "lifecare.yaml" in page.content()
    assert page.get_by_role("heading", name="Kolumner som känns igen").is_visible()
    s.look("uttaget")
    s.press_and_wait('a[href$="/mapping"].button')
    s.look("mappning")
    page.go_back()
    page.wait_for_load_state("load")
    s.press_and_wait('form[action="/checks"] button[type=submit]')
    s.settle("/checks/")
    assert page.locator("table tbody tr").count() >= 10
    s.look("granskningen")
    s.press_and_wait('a[href*="/rules/BU-FORHAND-14D"]')
    rows = page.locator("table tbody tr")
    assert rows.count() > 10
    assert page.locator("h1").inner_text().startswith("BU-FORHAND-14D")
    s.look("avvikelser")
    # the check's own HTML report, in place
    page.go_back()
    page.wait_for_load_state("load")
    s.press_and_wait('a[href^="/view/"]')
    frame = page.frame_locator("iframe.report-frame")
    assert frame.locator("h1, h2").first.is_visible()
    s.look("rapport-pa-plats")
    s.assert_clean()


def fill_form(path: Path, answer: str) -> None:
    """The reviewer's part: every answer cell (a dropdown) of the form gets ``answer``."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    filled = 0
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":  # the correct date beside a date check stays blank
            continue
        for cell_range in validation.sqref.ranges:
            for row in sheet[cell_range.coord] if ":" in cell_range.coord else [[sheet[cell_range.coord]]]:
                for cell in row:
                    cell.value = answer
                    filled += 1
    assert filled > 0
    book.save(path)


def test_sample_form_fill_upload_round_view_by_keyboard(server, browser, tmp_path):
    s = open_session(browser, server, "2-omgang")
    page = s.page
    if not page.locator('a[href^="/checks/"]').count():  # the first journey loads the extract
        s.press_and_wait('nav a[href="/extracts"]')
        s.attach("#extract", SAMPLE_DATA / "lifecare" / "arenden.csv")
        s.press_and_wait('form[action="/extracts"] button[type=submit]')
        s.attach("#mapping_file", SAMPLE_DATA / "mappings" / "lifecare.yaml")
        s.press_and_wait('form[action$="/choose-mapping"] button[type=submit]')
    s.press_and_wait('nav a[href="/rounds"]')
    s.look("omgangar")
    s.choose("#strategy", "ivo")
    s.type_into("#seed", "42")
    s.type_into("#name", "Webbomgång BU")
    s.press_and_wait('form[action="/rounds"] button[type=submit]')
    s.settle("/rounds/view")
    assert "Webbomgång BU" in page.locator("h1").inner_text()
    s.look("omgangen")
    s.tab_to('form[action="/rounds/form"] button')
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    form = tmp_path / "formular.xlsx"
    download.value.save_as(form)
    # a wrong answer first: refused, every problem numbered, nothing stored
    fill_form(form, "Kanske")
    s.attach("#form", form)
    s.press_and_wait('form[action="/rounds/answers"] button[type=submit]')
    assert page.get_by_role("heading", name="Formuläret lästes inte in").is_visible()
    assert page.locator("ol.problems li").count() >= 1
    s.expect_refusal_status(422)
    s.look("vagrat")
    fill_form(form, "Ja")
    s.attach("#form", form)
    s.press_and_wait('form[action="/rounds/answers"] button[type=submit]')
    assert page.get_by_role("status").filter(has_text="Formuläret lästes in").is_visible()
    assert page.get_by_role("heading", name="Inlästa svar").is_visible()
    s.look("inlast")
    s.assert_clean()


def test_the_pages_render_with_the_network_shut_off(server, browser):
    """Every asset is in the package: offline, the stylesheet and script still load."""
    s = open_session(browser, server, "3-offline")
    s.page.context.set_offline(False)
    s.page.context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort())
    s.page.goto(server.origin + "/rounds")
    styled = s.page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert styled == "rgb(8, 58, 102)"
    assert s.page.evaluate("[...document.styleSheets].length") >= 1
    s.assert_clean()


def test_ivo_decision_demand_action_and_the_answer_download_by_keyboard(server, browser, tmp_path):
    import docx

    s = open_session(browser, server, "4-ivo-svar")
    page = s.page
    dnr = "8.5-4321/2026-7"
    s.press_and_wait('nav a[href="/actions"]')
    s.type_into("#dnr", dnr)
    s.type_date("#decision_date", "2026-09-01")
    s.type_date("#answer_due", "2026-10-30")
    s.press_and_wait('form[action="/ivo"] button[type=submit]')
    s.type_into('form[action="/ivo/demands"] input[name=text]', "Handläggningen ska dokumenteras löpande")
    s.type_into('form[action="/ivo/demands"] input[name=figure]', "4 av 10")
    s.press_and_wait('form[action="/ivo/demands"] button[type=submit]')
    assert page.get_by_text("Handläggningen ska dokumenteras löpande").is_visible()
    s.type_into("#measure", "Journalgenomgång varje vecka")
    s.type_into("#role", "Enhetschef utredning")
    s.type_into("#person", "Hemlig Person")
    s.type_date("#start", "2026-09-14")
    s.type_date("#deadline", "2026-12-18")
    s.type_into("#demands", f"{dnr}:1")
    s.press_and_wait('form[action="/actions"] button[type=submit]')
    assert "/actions/" in page.url and "Journalgenomgång varje vecka" in page.locator("h1").inner_text()
    s.look("atgard")
    s.press_and_wait('nav a[href="/actions"]')
    s.look("ivo-beslut")
    s.tab_to("form[action='/ivo/answer'] button[type=submit]")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    answer = tmp_path / "svar.docx"
    download.value.save_as(answer)
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(str(answer))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Handläggningen ska dokumenteras löpande" in text and dnr in text
    assert "Journalgenomgång varje vecka" in text and "Enhetschef utredning" in text and "2026-12-18" in text
    assert "Hemlig Person" not in text
    s.assert_clean()
