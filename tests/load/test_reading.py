"""``ivoaudit.load.reading``: the file read on a thread gives the same extract, and its
errors reach the caller unchanged, in the caller's language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ivoaudit.errors import MappingError
from ivoaudit.i18n import use_language
from ivoaudit.load import load_extract
from ivoaudit.load.reading import start_reading

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
EXTRACT = SAMPLE / "lifecare_messy" / "arenden.csv"
MAPPING = SAMPLE / "mappings" / "lifecare.yaml"


def test_a_prefetched_reading_loads_the_same_extract():
    direct = load_extract(EXTRACT, mapping=MAPPING, keyed=False)
    prefetched = load_extract(EXTRACT, mapping=MAPPING, keyed=False, reading=start_reading(EXTRACT, MAPPING))
    pd.testing.assert_frame_equal(direct.cases, prefetched.cases)
    pd.testing.assert_frame_equal(direct.invalid, prefetched.invalid)
    pd.testing.assert_frame_equal(direct.problems, prefetched.problems)
    pd.testing.assert_frame_equal(direct.quarantine, prefetched.quarantine)
    assert direct.source == prefetched.source


@pytest.mark.parametrize(("lang", "words"), [("sv", "finns inte i"), ("en", "is not in")])
def test_errors_of_the_thread_are_raised_when_waited_for_in_the_starting_language(tmp_path, lang, words):
    bad = tmp_path / "map.yaml"
    bad.write_text('columns:\n  case_id: "Ingen sådan rubrik"\n', encoding="utf-8")
    with use_language(lang):
        wait = start_reading(EXTRACT, bad)
    with use_language("en" if lang == "sv" else "sv"), pytest.raises(MappingError, match=words):
        wait()


def test_reading_needs_no_pandas():
    # What lets `ivoaudit check` parse while pandas is imported on the main thread.
    code = (
        "import sys; from ivoaudit.load.reading import read_extract; "
        f"read_extract({str(EXTRACT)!r}, {str(MAPPING)!r}); print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
