"""The problem catalogue: one typed record per code, texts in both languages, docs generated."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from ivoaudit.i18n import use_language
from ivoaudit.normalise.quarantine import ProblemLog
from ivoaudit.problems import (
    CATALOGUE,
    problem_message,
    problem_title,
    problem_type,
    render_markdown,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_problem_has_both_languages_and_the_same_placeholders(code):
    record = problem_type(code)
    for sv, en in (record.title, record.description, record.template):
        assert sv and en and sv != en
    fields = [{name for _, name, _, _ in string.Formatter().parse(text) if name} for text in record.template]
    assert fields[0] == fields[1], code
    params = dict.fromkeys(fields[0], "X")
    assert problem_message(code, **params)
    with use_language("en"):
        assert problem_message(code, **params) == record.template[1].format(**params)


def test_unknown_codes_are_refused():
    with pytest.raises(KeyError, match="unknown problem code"):
        problem_type("no_such_code")
    with pytest.raises(KeyError):
        ProblemLog().add("no_such_code", [2])
    assert problem_title("from_an_older_version") == "from_an_older_version"


def test_every_code_the_code_records_is_in_the_catalogue():
    # Every literal code handed to ProblemLog.add, or a code tuple of the parsers, is a record.
    from ivoaudit.normalise.dates import DATE_PROBLEM_CODES
    from ivoaudit.normalise.personnummer import PNR_PROBLEM_CODES

    used = set(DATE_PROBLEM_CODES) | set(PNR_PROBLEM_CODES)
    for path in (REPO / "ivoaudit").rglob("*.py"):
        used |= set(re.findall(r'(?:quarantine|problems|log)\.add\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used and used <= set(CATALOGUE), used - set(CATALOGUE)


@pytest.mark.parametrize("lang", ["sv"])
def test_docs_are_generated_from_the_catalogue(lang):
    committed = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    assert committed == render_markdown(lang), "docs/problems.md is stale: python -m ivoaudit.problems > docs/problems.md"
    assert all(f"`{code}`" in committed for code in CATALOGUE)
