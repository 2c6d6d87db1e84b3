"""Codes, text, header recognition: the rules, and that normalising twice changes nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivoaudit.fields import FIELDS, FIELDS_BY_NAME, YES_NO_SPELLINGS
from ivoaudit.load.headers import ascii_fold, fold, looks_like_data, recognise
from ivoaudit.normalise.codes import normalise_codes
from ivoaudit.normalise.text import strip_text


def _codes(field, values, extra=None):
    codes, bad = normalise_codes(
        strip_text(pd.Series(values, dtype="str")), FIELDS_BY_NAME[field], extra
    )
    return [None if pd.isna(c) else c for c in codes], bad.tolist()


def test_area_spellings():
    codes, bad = _codes(
        "area",
        ["Barn och unga", "BARN_UNGA", " äldreomsorg ", "LSS", "missbruk", "Skola", None, ""],
    )
    assert codes == [
        "barn_unga",
        "barn_unga",
        "aldre",
        "funktionshinder",
        "missbruk",
        None,
        None,
        None,
    ]
    assert bad == [False, False, False, False, False, True, False, False]


def test_yes_no_spellings_and_reason_only_where_allowed():
    values = ["Ja", "NEJ", " j ", "1", "0", "true", "Skäl angivet", "kanske"]
    codes, bad = _codes("child_informed", values)
    assert codes == ["yes", "no", "yes", "yes", "no", "yes", "reason", None]
    assert bad == [False] * 7 + [True]
    codes, bad = _codes("appeal_information", ["skäl angivet", "ja"])
    assert codes == [None, "yes"] and bad == [True, False]


def test_every_builtin_yes_no_spelling_is_accepted():
    codes, bad = _codes("child_views", list(YES_NO_SPELLINGS))
    assert codes == list(YES_NO_SPELLINGS.values()) and not any(bad)


def test_outcomes_as_exports_word_them():
    # Participles as case systems export them; a word that is neither stays unreadable.
    codes, bad = _codes("decision_outcome",
                        ["Beviljat", "beviljad", "Delvis beviljat", "Delvis avslag", "Avslaget", "avslås",
                         "Avslutat"])
    assert codes == ["granted", "granted", "partly_granted", "partly_granted", "rejected", "rejected", None]
    assert bad == [False] * 6 + [True]
    codes, bad = _codes("preliminary_outcome", ["Inledd", "Ej inledd", "Ingen utredning", "Utredning inleds"])
    assert codes == ["open", "not_open", "not_open", "open"] and not any(bad)


def test_mapping_values_extend_the_table():
    codes, bad = _codes("preliminary_outcome", ["Utredn", "inleds ej", "x"], {"utredn": "open"})
    assert codes == ["open", "not_open", None] and bad == [False, False, True]


def test_legal_basis_case_insensitive():
    codes, _ = _codes("legal_basis", ["sol", "LSS", "Lvu"])
    assert codes == ["SoL", "LSS", "LVU"]


@pytest.mark.parametrize("field", [f.name for f in FIELDS if f.codes])
def test_codes_are_idempotent(field):
    spec = FIELDS_BY_NAME[field]
    first, bad = normalise_codes(pd.Series(list(spec.codes), dtype="str"), spec)
    second, bad2 = normalise_codes(first, spec)
    assert first.tolist() == list(spec.codes) == second.tolist()
    assert not bad.any() and not bad2.any()


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=20))
def test_strip_text_is_idempotent(values):
    once = strip_text(pd.Series(values, dtype="str"))
    twice = strip_text(once)
    pd.testing.assert_series_equal(once, twice)
    assert all(pd.isna(v) or (v == v.strip() and v) for v in once)


@given(st.lists(st.sampled_from(["Ja", "nej", "skäl", "x", " YES ", None]), max_size=20))
def test_codes_idempotent_on_any_input(values):
    spec = FIELDS_BY_NAME["child_views"]
    once, _ = normalise_codes(strip_text(pd.Series(values, dtype="str")), spec)
    twice, bad = normalise_codes(once, spec)
    pd.testing.assert_series_equal(once, twice)
    assert not bad.any()


def test_fold_headers():
    assert fold("  Ärende-Nr. ") == "ärende nr"
    assert fold("Anmälan_inkom") == "anmälan inkom"
    assert ascii_fold("Handläggare") == "handlaggare"


def test_recognise_by_synonym_case_punctuation_and_ascii():
    headers = ["ÄRENDENR", "Anmälan-inkom", "Handlaggare", "Okänd", "Arendenr"]
    found = recognise(headers, FIELDS)
    assert found == {"case_id": 0, "received_date": 1, "caseworker": 2}


def test_swedish_letters_stay_significant_when_an_exact_match_exists():
    # "Avslutad" is a synonym of investigation_end; the ASCII-fold fallback must not
    # take a header that folds exactly onto another field's synonym
    found = recognise(["Avslutad", "Inledd"], FIELDS)
    assert found == {"investigation_end": 0, "investigation_start": 1}


def test_no_header_name_is_claimed_by_two_fields():
    # A name two fields claimed would be left out (never guessed); the built-in names are
    # kept free of such clashes, so every one of them is recognised.
    owner: dict[str, str] = {}
    clashes = set()
    for spec in FIELDS:
        for name in (spec.name, spec.sv, spec.en, *spec.synonyms):
            if owner.setdefault(fold(name), spec.name) != spec.name:
                clashes.add(name)
    assert clashes == set()


def test_a_header_two_fields_claim_is_not_guessed():
    from ivoaudit.fields import FieldSpec, FieldType

    fields = (FieldSpec("a", FieldType.TEXT, "A", "A", synonyms=("beslut",)),
              FieldSpec("b", FieldType.TEXT, "Beslut", "B"))
    assert recognise(["Beslut"], fields) == {}


def test_looks_like_data():
    assert looks_like_data(["1001", "19121212-1212", "2024-01-05", "x"])
    assert looks_like_data(["121212-1212", "5"])
    assert not looks_like_data(["Ärendenr", "Personnr", "2024"])
    assert not looks_like_data(["Ärendenr", "Inkom"])
