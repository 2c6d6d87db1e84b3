"""Shared test fixtures.

Every test runs with its own pseudonymisation secret, audit database and language, so no
test touches the user's data directory and results do not depend on the environment.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example time limit: on a machine shared by many (CI, seven engineers on two cores)
# an example that takes 40 ms alone takes 400 ms at times, and Hypothesis's 200 ms deadline
# then fails a test that found nothing wrong. Tests that set their own deadline keep it.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"


def pytest_collection_modifyitems(items):
    """The browser tests first, then those marked slow, then the rest in their usual order.

    ``pytest -n 2`` (pytest-xdist's ``worksteal``, pyproject.toml) gives each worker half of
    the collection and lets the one that runs out take half of the other's rest: with the
    long tests first, many short ones are left to even the workers out at the end, instead
    of one worker ending a long journey while the other idles. Keeping the browser tests
    together also keeps them on one worker, so their module's browser and app are started
    once. The order changes nothing a test asserts.
    """
    def rank(item) -> int:
        if item.get_closest_marker("browser"):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=rank)  # stable: within a rank, collection order


@pytest.fixture(scope="session")
def _homes(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ivoaudit-homes")


@pytest.fixture
def tmp_path(request, tmp_path_factory) -> Path:
    """A new empty folder for each test, named after it, under pytest's base folder, like
    pytest's own ``tmp_path``. Pytest numbers its folders by listing every folder already
    there, once per test: some 3 000 listings of a folder growing to 3 000 entries per run,
    seconds of the suite. ``mkdtemp`` makes a unique folder in one step."""
    name = re.sub(r"\W", "_", request.node.name)[:30]
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp_path_factory.getbasetemp()))


@pytest.fixture(autouse=True)
def _isolated_environment(_homes, monkeypatch):
    home = Path(tempfile.mkdtemp(prefix="home-", dir=_homes))  # empty, this test's own
    monkeypatch.setenv("IVOAUDIT_SECRET_FILE", str(home / "secret.key"))
    monkeypatch.setenv("IVOAUDIT_DB", str(home / "ivoaudit.db"))
    monkeypatch.delenv("IVOAUDIT_LANG", raising=False)
    from ivoaudit.i18n import set_language

    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def run_cli():
    """Run the real entry point (error boundary included) in-process.

    Returns ``(exit_code, stdout, stderr)``. Use it for every CLI test so exit codes and
    messages are asserted as a user would see them.
    """
    import contextlib
    import io

    from ivoaudit.cli import main

    def _run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return code, out.getvalue(), err.getvalue()

    return _run
