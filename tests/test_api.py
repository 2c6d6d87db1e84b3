"""The library API: every name in ``ivoaudit.__all__`` imports, has a docstring and a line in
docs/api.md; ``import ivoaudit`` alone does not import pandas (the CLI starts fast)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ivoaudit

API_DOC = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
NAMES = [n for n in ivoaudit.__all__ if n != "__version__"]


@pytest.mark.parametrize("name", NAMES)
def test_each_name_imports_and_is_documented(name):
    value = getattr(ivoaudit, name)
    assert (value.__doc__ or "").strip(), f"ivoaudit.{name} has no docstring"
    assert f"`{name}`" in API_DOC, f"ivoaudit.{name} is not in docs/api.md"


def test_the_api_doc_lists_nothing_that_is_not_exported():
    listed = {line.split("`")[1] for line in API_DOC.splitlines() if line.startswith("| ") and "`" in line}
    assert listed == set(NAMES)


def test_import_is_light():
    code = "import sys, ivoaudit; print('pandas' in sys.modules, ivoaudit.__version__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == "False"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        ivoaudit.no_such_thing  # noqa: B018


def test_all_and_the_lazy_table_agree():
    assert set(ivoaudit.__all__) == {"__version__", *ivoaudit._API}
