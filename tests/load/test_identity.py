"""ivoaudit.normalise.personnummer: personnummer parsing (checked against the `personnummer` library),
pseudonyms, masking and the secret file."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from personnummer import personnummer as reference

from ivoaudit.errors import UserError
from ivoaudit.i18n import use_language
from ivoaudit.normalise.personnummer import PNR_PROBLEM_CODES, mask_personnummer, parse_personnummer
from ivoaudit.normalise.pseudonyms import load_or_create_secret, pseudonymise
from ivoaudit.problems import problem_message

REF = dt.date(2026, 3, 1)


def luhn(nine: str) -> str:
    """Independent Luhn check digit (written out here, not taken from the code under test)."""
    total = 0
    for i, ch in enumerate(nine):
        v = int(ch) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return str((10 - total % 10) % 10)


def pnr(yyyymmdd: str, serial: str) -> str:
    return f"{yyyymmdd}-{serial}{luhn(yyyymmdd[2:] + serial)}"


def one(value, ref=REF) -> dict:
    return (
        parse_personnummer(pd.Series([value], dtype=object), reference_date=ref).iloc[0].to_dict()
    )


def test_known_valid_number_all_forms():
    # 19121212-1212 is Skatteverket's published example number.
    for form in ("19121212-1212", "191212121212", "121212+1212", " 19121212 - 1212 ", 191212121212):
        row = one(form)
        assert row["problem"] is None, form
        assert row["canonical"] == "191212121212"
        assert row["kind"] == "personnummer"
        assert row["sex"] == "M"  # ninth digit 1 is odd
        assert row["birth_date"] == pd.Timestamp("1912-12-12")


def test_ten_digit_without_plus_is_under_100():
    row = one("121212-1212")
    assert row["canonical"] == "201212121212" and row["birth_date"] == pd.Timestamp("2012-12-12")
    assert one("1212121212")["canonical"] == "201212121212"


@pytest.mark.parametrize(
    ("yymmdd", "sep", "expected_year"),
    [
        # Reference date 2026-03-01: a person born 1926-03-01 turns 100 that day.
        ("260301", "-", 2026),  # born today: age 0
        ("260302", "-", 1926),  # 2026-03-02 is after the reference date: age 99
        ("260301", "+", 1926),  # exactly 100 today
        ("260302", "+", 1826),  # 1926-03-02 is 99, so '+' means 1826
        ("990101", "-", 1999),
        ("990101", "+", 1899),
        ("000101", "-", 2000),
    ],
)
def test_century_around_the_100_year_boundary(yymmdd, sep, expected_year):
    serial = "123"
    number = f"{yymmdd}{sep}{serial}{luhn(yymmdd + serial)}"
    row = one(number)
    assert row["problem"] is None
    assert row["canonical"][:4] == str(expected_year)
    assert row["birth_date"].year == expected_year


def test_leap_days():
    assert one(pnr("20000229", "123"))["birth_date"] == pd.Timestamp("2000-02-29")
    assert one(pnr("20240229", "123"))["problem"] is None
    assert one(pnr("19000229", "123"))["problem"] == "pnr_date"  # 1900 was not a leap year
    assert one(pnr("20230229", "123"))["problem"] == "pnr_date"
    # 000229+NNNC: 1900-02-29 does not exist, so no valid reading
    assert one("000229+1234")["problem"] in ("pnr_date", "pnr_checksum")
    body = "000229123"
    assert one(f"000229+123{luhn(body)}")["problem"] == "pnr_date"


def test_samordningsnummer():
    number = pnr("19121272", "122")  # day 72 = 12 + 60
    row = one(number)
    assert row["problem"] is None
    assert row["kind"] == "samordningsnummer"
    assert row["canonical"] == number.replace("-", "")
    assert row["birth_date"] == pd.Timestamp("1912-12-12")
    assert row["sex"] == "F"  # ninth digit 2 is even
    assert one(pnr("19121292", "122"))["problem"] == "pnr_date"  # 92 - 60 = 32


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19121212-1213", "pnr_checksum"),
        ("121212-1213", "pnr_checksum"),
        ("19121312-1212", "pnr_date"),
        ("19121200-1212", "pnr_date"),
        ("19121245-1212", "pnr_date"),  # day 32-60 is neither
        ("1912121212-1", "pnr_format"),
        ("19121212-121", "pnr_format"),
        ("9121212-1212", "pnr_format"),
        ("abc", "pnr_format"),
        ("19121212_1212", "pnr_format"),
        ("1912-12-12-1212", "pnr_format"),
        ("19121212-12121", "pnr_format"),
        ("19121212-0000", "pnr_format"),  # birth number 000 is never issued
        ("00121212-1212", "pnr_date"),  # century 00 holds nobody
    ],
)
def test_problems(value, code):
    row = one(value)
    assert row["problem"] == code
    assert row["canonical"] is None and row["kind"] is None and row["sex"] is None
    assert pd.isna(row["birth_date"])


def test_future_birth_date():
    number = pnr("20260302", "123")  # one day after the reference date
    assert one(number)["problem"] == "pnr_future"
    assert one(number, ref=dt.date(2026, 3, 2))["problem"] is None


def test_sex_from_ninth_digit():
    assert one(pnr("19800101", "001"))["sex"] == "M"
    assert one(pnr("19800101", "002"))["sex"] == "F"
    assert one(pnr("19800101", "119"))["sex"] == "M"
    assert one(pnr("19800101", "990"))["sex"] == "F"


@pytest.mark.parametrize(
    ("value", "canonical", "birth"),
    [
        ("19121212-T123", "19121212T123", "1912-12-12"),
        ("20010101-tf01", "20010101TF01", "2001-01-01"),
        ("19121212XX12", "19121212XX12", "1912-12-12"),
        ("121212-XX12", "20121212XX12", "2012-12-12"),
        ("19991399-T123", "19991399T123", None),  # no real date part: still a reserve number
        ("991212121234", "991212121234", None),
        ("98121212-1234", "981212121234", None),
    ],
)
def test_reserve_numbers(value, canonical, birth):
    row = one(value)
    assert row["problem"] is None
    assert row["kind"] == "reserve"
    assert row["canonical"] == canonical
    assert row["sex"] is None
    assert (birth is None and pd.isna(row["birth_date"])) or row["birth_date"] == pd.Timestamp(
        birth
    )


def test_blank_and_index():
    values = pd.Series([None, "", "  ", pnr("19800101", "001")], index=[10, 11, 12, 13])
    frame = parse_personnummer(values, reference_date=REF)
    assert list(frame.index) == [10, 11, 12, 13]
    assert list(frame.columns) == ["canonical", "kind", "sex", "birth_date", "problem"]
    assert frame["problem"].iloc[:3].isna().all() and frame["canonical"].iloc[:3].isna().all()
    assert frame["birth_date"].dtype == "datetime64[ns]"
    assert frame.loc[13, "canonical"] == "198001010019"


def test_duplicates_and_str_dtype_column():
    a, b = pnr("19800101", "001"), pnr("19121212", "121")
    values = pd.Series([a, b, a, None, b, "x"] * 100, dtype="str")
    frame = parse_personnummer(values, reference_date=REF)
    assert frame["canonical"].iloc[:6].tolist() == [
        a.replace("-", ""),
        b.replace("-", ""),
        a.replace("-", ""),
        None,
        b.replace("-", ""),
        None,
    ]
    assert frame["problem"].iloc[5] == "pnr_format"
    assert frame["problem"].notna().sum() == 100


def test_default_reference_date_is_today():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    future = pnr(tomorrow.strftime("%Y%m%d"), "123")
    past = pnr(yesterday.strftime("%Y%m%d"), "123")
    frame = parse_personnummer(pd.Series([future, past]))
    assert frame["problem"].tolist() == ["pnr_future", None]


# --- the reference library as oracle -------------------------------------------------

birth_dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2025, 12, 31))
serials = st.integers(1, 999).map(lambda n: f"{n:03d}")


@pytest.fixture
def frozen_library_today(monkeypatch):
    # The library picks the century from today's *year*; our rule uses the full reference
    # date. On 31 December of the reference year the two rules agree exactly.
    today = dt.date(REF.year, 12, 31)
    monkeypatch.setattr(reference, "_get_current_date", lambda: today)
    return today


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    birth=birth_dates,
    serial=serials,
    coordination=st.booleans(),
    form=st.sampled_from(["long", "long_nosep", "short", "short_nosep"]),
    corrupt=st.integers(0, 9) | st.none(),
)
def test_agrees_with_personnummer_library(
    frozen_library_today, birth, serial, coordination, form, corrupt
):
    day = birth.day + (60 if coordination else 0)
    date_part = f"{birth.year:04d}{birth.month:02d}{day:02d}"
    check = luhn(date_part[2:] + serial)
    if corrupt is not None:
        check = str(corrupt)
    full = f"{date_part}-{serial}{check}"
    age_100 = (birth.year + 100, birth.month, birth.day) <= (frozen_library_today.year, 12, 31)
    text = {
        "long": full,
        "long_nosep": full.replace("-", ""),
        "short": full[2:] if not age_100 else full[2:].replace("-", "+"),
        "short_nosep": full[2:].replace("-", ""),
    }[form]
    assume(not (form == "short_nosep" and age_100))  # a 10-digit number without '+' is < 100
    ours = one(text, ref=frozen_library_today)
    valid = reference.valid(text)
    assert (ours["problem"] is None) == valid, (text, ours)
    if valid:
        lib = reference.parse(text)
        assert ours["birth_date"] == pd.Timestamp(lib.get_date())
        assert ours["sex"] == ("M" if lib.is_male() else "F")
        assert ours["canonical"] == lib.format(long_format=True)
        assert ours["kind"] == (
            "samordningsnummer" if lib.is_coordination_number() else "personnummer"
        )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    century=st.sampled_from(["18", "19", "20"]),
    rest=st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_random_twelve_digit_strings_agree_with_library(frozen_library_today, century, rest):
    digits = century + rest
    ours = one(digits, ref=frozen_library_today)
    assume(ours["problem"] != "pnr_future")  # the library has no notion of a future birth
    assert (ours["problem"] is None) == reference.valid(digits), digits


# --- pseudonyms, masking, texts ------------------------------------------------------


def test_pseudonyms_are_deterministic_and_keyed():
    values = pd.Series(["191212121212", None, "191212121212", "198001010019"], index=[5, 6, 7, 8])
    first = pseudonymise(values, b"a" * 32)
    again = pseudonymise(values, b"a" * 32)
    other_key = pseudonymise(values, b"b" * 32)
    assert first.tolist() == again.tolist()
    assert list(first.index) == [5, 6, 7, 8]
    assert first[6] is None
    assert first[5] == first[7] != first[8]
    assert first[5] != other_key[5] and first[8] != other_key[8]
    assert all(p.startswith("P") and len(p) == 17 for p in (first[5], first[8]))
    int(first[5][1:], 16)  # hex digits
    # An independent computation of the documented formula.
    import hashlib
    import hmac

    expected = "P" + hmac.new(b"a" * 32, b"191212121212", hashlib.sha256).hexdigest()[:16]
    assert first[5] == expected
    # Keys longer than SHA-256's block are hashed first (RFC 2104); the fast path must agree.
    long_key = bytes(range(100))
    expected_long = "P" + hmac.new(long_key, b"198001010019", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise(values, long_key)[8] == expected_long
    assert "191212121212" not in "".join(p for p in first if p)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("19121212-1212", "19121212-****"),
        ("191212121212", "19121212-****"),
        ("121212-1212", "121212-****"),
        ("1212121212", "121212-****"),
        ("121212+1212", "121212-****"),
        ("19121212-T123", "19121212-****"),
        ("1212", "****"),
        ("Anna Andersson", "****"),
        ("12345", "****"),
        ("", "****"),
        (None, ""),
        (191212121212, "19121212-****"),
    ],
)
def test_mask(raw, masked):
    assert mask_personnummer(raw) == masked
    if raw:
        digits = "".join(c for c in str(raw) if c.isdigit())
        if len(digits) >= 10:
            assert digits[-4:] not in mask_personnummer(raw).replace("-", "")[-4:]


@pytest.mark.parametrize("code", PNR_PROBLEM_CODES)
def test_problem_texts_in_both_languages(code):
    swedish = problem_message(code)
    with use_language("en"):
        english = problem_message(code)
    assert swedish and english and swedish != english


# --- the secret file -----------------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def test_secret_created_once_and_reused(tmp_path):
    path = tmp_path / "new-dir" / "secret.key"
    first = load_or_create_secret(path)
    assert len(first) == 32
    assert path.read_text().strip() == first.hex()
    assert load_or_create_secret(path) == first
    assert load_or_create_secret(tmp_path / "other.key") != first
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no temp file left


@posix_only
def test_secret_permissions(tmp_path):
    path = tmp_path / "made" / "secret.key"
    load_or_create_secret(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_secret_path_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.key"
    monkeypatch.setenv("IVOAUDIT_SECRET_FILE", str(path))
    key = load_or_create_secret()
    assert path.exists() and bytes.fromhex(path.read_text().strip()) == key


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_secret_readable_by_others_is_refused(tmp_path, mode):
    path = tmp_path / "secret.key"
    load_or_create_secret(path)
    os.chmod(path, mode)
    with pytest.raises(UserError) as info:
        load_or_create_secret(path)
    assert "chmod 600" in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("content", ["", "not hex", "ab" * 31, "ab" * 33])
def test_malformed_secret_is_refused(tmp_path, content):
    path = tmp_path / "secret.key"
    path.write_text(content)
    os.chmod(path, 0o600)
    with pytest.raises(UserError) as info:
        load_or_create_secret(path)
    assert str(path) in str(info.value)
    assert path.read_text() == content  # never silently replaced


def test_concurrent_first_use_gives_one_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "race" / "secret.key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(lambda _: load_or_create_secret(path), range(16)))
    assert len(set(keys)) == 1
    assert bytes.fromhex(path.read_text().strip()) == keys[0]
