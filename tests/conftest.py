"""Shared test fixtures.

Every test runs with its own pseudonymisation secret, audit database and language, so no
test touches the user's data directory and results do not depend on the environment.
"""

from __future__ import annotations

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


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("ivoaudit-home")
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
