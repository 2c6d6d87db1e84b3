"""Status words, legend and number formats (ivoaudit.wording)."""

from __future__ import annotations

import pytest

from ivoaudit import wording


def test_every_status_has_a_word_and_a_legend_in_both_languages():
    for status in wording.STATUS_WORDS:
        for lang in ("sv", "en"):
            assert wording.status_word(status, lang)
            assert wording.status_legend(status, lang).endswith(".")
    assert wording.STATUS_LEGEND.keys() == wording.STATUS_WORDS.keys()


def test_legend_explains_late_and_still_not_done():
    fail = wording.status_legend("fail", "sv")
    overdue = wording.status_legend("overdue", "sv")
    assert "Ej uppfyllt (+21 d)" in fail and "för sent" in fail
    assert "inte gjort" in overdue
    assert [w for w, _ in wording.legend(lang="sv")][:3] == ["Uppfyllt", "Ej uppfyllt", "Försenat"]


@pytest.mark.parametrize(("rate", "lang", "text"), [
    (0.893, "sv", "89,3\u00a0%"), (0.893, "en", "89.3%"), (1.0, "sv", "100,0\u00a0%"),
    (None, "sv", "–"), (float("nan"), "en", "–"),
])
def test_percent(rate, lang, text):
    assert wording.percent(rate, lang=lang) == text


def test_numbers_and_nouns_agree():
    assert wording.counted(1, "rule", "sv") == "1 regel"
    assert wording.counted(2, "rule", "sv") == "2 regler"
    assert wording.counted(1515, "case", "sv") == "1\u00a0515 ärenden"
    assert wording.counted(1515, "case", "en") == "1,515 cases"
    assert f"frist 1 {wording.noun(1, 'day', 'sv')}" == "frist 1 dag"
    assert wording.noun(0, "day", "en") == "days"


def test_status_with_days():
    assert wording.status_with_days("fail", 21.0, "sv") == "Ej uppfyllt (+21 d)"
    assert wording.status_with_days("overdue", "3", "en") == "Overdue (+3 d)"
    assert wording.status_with_days("fail", None, "sv") == "Ej uppfyllt"
    assert wording.status_with_days("pass", 5, "sv") == "Uppfyllt"
