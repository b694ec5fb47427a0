"""The NIP (Nomor Induk Pegawai) parser: 18 digits = birth date, TMT CPNS, gender, sequence."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, assume, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from labinov.people.nip import Nip, normalize_nip, parse_nip, validate_nip

EXAMPLE = "198010242006041009"
TODAY = datetime.date.today()
KNOWN_CODES = {"nip_digits", "nip_length", "nip_birth", "nip_tmt_month", "nip_tmt_age", "nip_tmt_future", "nip_gender", "nip_sequence"}

# No example database on disk (the repository is shared); deterministic enough for CI.
PROPERTY = hsettings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _code(value: str) -> str:
    with pytest.raises(ValidationError) as info:
        parse_nip(value)
    return info.value.code


# --- the documented example -------------------------------------------------------------------


def test_documented_example_parses():
    nip = parse_nip(EXAMPLE)
    assert nip == Nip(
        birth_date=datetime.date(1980, 10, 24), tmt_year=2006, tmt_month=4, gender="male", sequence=9
    )


def test_female_digit_gives_female():
    assert parse_nip("198010242006042009").gender == "female"


@pytest.mark.parametrize(
    "typed",
    ["19801024 200604 1 009", "19801024.200604.1.009", " 198010242006041009 ", "19801024-200604-1-009", "19801024\t200604 1 009\n"],
)
def test_spaces_dots_and_dashes_are_normalised(typed):
    assert normalize_nip(typed) == EXAMPLE
    assert parse_nip(typed) == parse_nip(EXAMPLE)


def test_normalize_of_none_and_empty():
    assert normalize_nip(None) == ""
    assert normalize_nip("") == ""


def test_validate_nip_accepts_empty_because_the_field_is_optional():
    validate_nip("")  # PPPK and non-ASN have no NIP
    with pytest.raises(ValidationError):
        validate_nip("123")


# --- each kind of invalid NIP has its own code ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param("19801024200604100", "nip_length", id="17-digits"),
        pytest.param("1980102420060410090", "nip_length", id="19-digits"),
        pytest.param("", "nip_length", id="empty"),
        pytest.param("19801024200604100A", "nip_digits", id="non-digit"),
        pytest.param("198013322006041009", "nip_birth", id="birth-month-13-day-32"),
        pytest.param("198002302006041009", "nip_birth", id="birth-30-february"),
        pytest.param("000010242006041009", "nip_birth", id="birth-year-0"),
        pytest.param("198010242006131009", "nip_tmt_month", id="tmt-month-13"),
        pytest.param("198010242006001009", "nip_tmt_month", id="tmt-month-00"),
        pytest.param("198010241998041009", "nip_tmt_age", id="tmt-before-18th-birthday"),
        pytest.param("198010241998091009", "nip_tmt_age", id="tmt-one-month-before-18"),
        pytest.param(f"19801024{TODAY.year + 2}041009", "nip_tmt_future", id="tmt-in-future"),
        pytest.param("198010242006043009", "nip_gender", id="gender-3"),
        pytest.param("198010242006040009", "nip_gender", id="gender-0"),
        pytest.param("198010242006041000", "nip_sequence", id="sequence-000"),
    ],
)
def test_invalid_nip_error_code(value, code):
    assert _code(value) == code


def test_tmt_in_the_month_of_the_18th_birthday_is_accepted():
    nip = parse_nip("198010241998101009")
    assert (nip.tmt_year, nip.tmt_month) == (1998, 10)


def test_tmt_next_year_is_accepted_but_not_the_year_after():
    assert parse_nip(f"19801024{TODAY.year + 1}011009").tmt_year == TODAY.year + 1
    assert _code(f"19801024{TODAY.year + 2}011009") == "nip_tmt_future"


def test_error_messages_name_the_offending_digits():
    with translation.override("en"):
        with pytest.raises(ValidationError) as birth:
            parse_nip("198013322006041009")
        with pytest.raises(ValidationError) as month:
            parse_nip("198010242006151009")
        with pytest.raises(ValidationError) as gender:
            parse_nip("198010242006043009")
    assert "19801332" in birth.value.messages[0]
    assert "15" in month.value.messages[0]
    assert "3" in gender.value.messages[0]


def test_every_invalid_kind_has_a_distinct_code():
    samples = {
        "length": "19801024200604100",
        "non-digits": "19801024200604100A",
        "birth": "198013322006041009",
        "tmt-month": "198010242006131009",
        "tmt-age": "198010241998041009",
        "gender": "198010242006043009",
        "sequence": "198010242006041000",
    }
    codes = {kind: _code(v) for kind, v in samples.items()}
    assert len(set(codes.values())) == len(samples), codes


def test_non_ascii_digits_are_refused():
    fullwidth = "１９８０１０２４２００６０４1００９"  # full-width digits, ASCII gender digit
    with pytest.raises(ValidationError):
        parse_nip(fullwidth)


# --- properties ---------------------------------------------------------------------------------

MAX_BIRTH_YEAR = TODAY.year + 1 - 18


@st.composite
def nip_parts(draw):
    birth = draw(st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(MAX_BIRTH_YEAR, 12, 31)))
    earliest = birth.year + 18
    tmt_year = draw(st.integers(min_value=earliest, max_value=TODAY.year + 1))
    tmt_month = draw(st.integers(min_value=birth.month if tmt_year == earliest else 1, max_value=12))
    assume((tmt_year, tmt_month) >= (earliest, birth.month))
    gender = draw(st.sampled_from(["male", "female"]))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return Nip(birth, tmt_year, tmt_month, gender, sequence)


def _format(parts: Nip) -> str:
    g = "1" if parts.gender == "male" else "2"
    b = parts.birth_date
    return f"{b.year:04d}{b.month:02d}{b.day:02d}{parts.tmt_year:04d}{parts.tmt_month:02d}{g}{parts.sequence:03d}"


@PROPERTY
@given(nip_parts())
@example(Nip(datetime.date(1980, 10, 24), 2006, 4, "male", 9))
@example(Nip(datetime.date(1980, 2, 29), 1998, 2, "female", 999))
def test_every_nip_built_from_valid_parts_parses_back(parts):
    text = _format(parts)
    assert len(text) == 18
    assert parse_nip(text) == parts


@PROPERTY
@given(nip_parts(), st.lists(st.sampled_from([" ", ".", "-"]), min_size=18, max_size=18))
def test_separators_between_digits_do_not_change_the_result(parts, separators):
    text = _format(parts)
    typed = "".join(d + s for d, s in zip(text, separators))
    assert parse_nip(typed) == parts


@PROPERTY
@given(nip_parts())
def test_tmt_one_month_before_the_18th_birthday_is_refused(parts):
    birth = parts.birth_date
    year, month = birth.year + 18, birth.month - 1
    if month == 0:
        year, month = year - 1, 12
    g = "1" if parts.gender == "male" else "2"
    assert _code(f"{birth.year:04d}{birth.month:02d}{birth.day:02d}{year:04d}{month:02d}{g}{parts.sequence:03d}") == "nip_tmt_age"


@PROPERTY
@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_random_18_digit_strings_parse_or_raise_validation_error(text):
    try:
        nip = parse_nip(text)
    except ValidationError as e:
        assert e.code in KNOWN_CODES
        return
    # Whatever parses must agree with the digits it came from.
    assert _format(nip) == text


@PROPERTY
@given(st.text(max_size=30))
def test_arbitrary_text_never_raises_anything_but_validation_error(text):
    try:
        parse_nip(text)
    except ValidationError as e:
        assert e.code in KNOWN_CODES
