"""A broken municipal checklist is explained in Swedish by default and wholly in English with
--lang en: no pydantic or English text inside a Swedish sentence (issue 13)."""

from __future__ import annotations

import re

import pytest

from ivoaudit.checklist import load_checklists
from ivoaudit.errors import ChecklistError
from ivoaudit.i18n import use_language
from tests.rules.test_checklists import ERRORS, _rule, _write

MORE = [
    ("empty-title", "rules:" + _rule().replace('sv: "Titel"', 'sv: ""'), "title.sv"),
    ("target-above-one", "rules:" + _rule(extra="    target: 1.5\n"), "target"),
    ("lower-case-id", "rules:" + _rule(id="lok-test"), "id"),
    ("basis-typo", "rules:" + _rule(basis="lokal"), "basis"),
    ("same-start-and-end", "rules:" + _rule(params="{start: decision_date, end: decision_date, days: 14}"),
     "params"),
    ("start-not-a-date", "rules:" + _rule(params="{start: area, end: decision_date, days: 14}"), "start"),
    ("no-reference", "rules:" + _rule().replace('{law: "FL (2017:900) 9 §"}', "{}"), "references"),
    ("only-old-law", "rules:" + _rule().replace('{law: "FL (2017:900) 9 §"}', '{old: "SoL 11:1"}'), "references"),
    ("title-not-a-mapping", "rules:" + _rule().replace('{sv: "Titel", en: "Title"}', '"Titel"'), "title"),
    ("negative-period", "rules:" + _rule(params="{start: received_date, end: decision_date, days: -3}"),
     "params"),
    ("condition-field-without-codes", "rules:" + _rule(extra="    applies_when: {field: unit, in: [A]}\n"),
     "applies_when"),
    ("condition-two-forms", "rules:" + _rule(extra="    applies_when: {field: area, in: [aldre], present: true}\n"),
     "applies_when"),
    ("not-yes-no", "rules:" + _rule(kind="documented", params="{field: area}", local="[field]",
                                    extra="    question: {sv: F, en: Q}\n"), "field"),
    ("extends-not-a-list", "extends: 5\n", "extends"),
]
CASES = [(e[0], e[1]) for e in ERRORS] + [(m[0], m[1]) for m in MORE]

# English words (as pydantic writes them, or ours) that have no place in a Swedish sentence.
ENGLISH = re.compile(r"\b(should|must|Input|input|give|unknown|allowed|supported|valid|Value|error|Field|"
                     r"required|String|least|most|the|not|number|only|take|has|no codes)\b")
SWEDISH = re.compile(r"\b(ska|får|okänd|okänt|saknas|ogiltigt|tillåtna|inte|eller|fältet|ange|regel|nyckeln|"
                     r"och|finns|lokala?)\b|[åäöÅÄÖ]")


def _message(tmp_path, body: str, lang: str) -> tuple[str, str]:
    path = _write(tmp_path, body)
    with use_language(lang), pytest.raises(ChecklistError) as info:
        load_checklists([path])
    return str(info.value), str(path)


@pytest.mark.parametrize("body", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_checklist_is_explained_in_swedish(tmp_path, body):
    message, path = _message(tmp_path, body, "sv")
    assert message.startswith(f"Checklistan {path}: regel ") and message.endswith("Rätta filen och kör igen.")
    # the file name, keys and the values quoted from the file may be anything: look at the rest
    words = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[_/]\S*", "", message.replace(path, ""))
    assert not ENGLISH.search(words), message


@pytest.mark.parametrize("body", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_checklist_is_explained_in_english(tmp_path, body):
    message, path = _message(tmp_path, body, "en")
    assert message.startswith(f"Checklist {path}: rule ") and message.endswith("Fix the file and run again.")
    words = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[_/]\S*", "", message.replace(path, ""))
    assert not SWEDISH.search(words), message


def test_the_swedish_and_english_texts_say_the_same_thing(tmp_path):
    body = "rules:" + _rule(extra="    target: 1.5\n")
    sv, _ = _message(tmp_path, body, "sv")
    en, _ = _message(tmp_path, body, "en")
    assert "får vara högst 1.0, inte 1.5" in sv and "must be at most 1.0, not 1.5" in en
