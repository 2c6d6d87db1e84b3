"""The HTML report in a real browser (headless Chromium): no console errors, charts load."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivoaudit.report import ReportOptions, ResultsDirSource, generate_reports

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; each test opens its own page."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_html_report_renders_in_chromium(browser, results_dir, tmp_path, audience):
    html = generate_reports(ResultsDirSource(results_dir), ReportOptions(audience=audience), ["html"],
                            tmp_path / "out").files["html"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(html.as_uri())
        n_images = page.evaluate("document.images.length")
        loaded = page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        alts = page.evaluate("[...document.images].every(i => i.alt.length > 20)")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.context.close()
    assert errors == []
    assert requests == []  # nothing leaves the machine
    assert n_images >= 3 and loaded and alts
    assert shot.stat().st_size > 10_000
