"""The format checks behind the contact and master-data forms (no Textual here)."""

from __future__ import annotations

import pytest

from kiptui.i18n import set_language, t
from kiptui.validate import (
    MASK,
    cpr_birth_date,
    mask_cpr,
    normalise_cpr,
    normalise_phone_dk,
    validate_cpr,
    validate_email,
    validate_phone_dk,
)


@pytest.mark.parametrize("s", [
    "", "lone.hansen@naestved.dk", "k+tag@eksempel.dk", "a@b.dk", "anders.holm@regionsjaelland.dk",
    "ole@æblehaven.dk", "  spaces.around@x.dk  ", "x@sub.domain-with-dash.org",
])
def test_email_accepted(s: str) -> None:
    assert validate_email(s) is None


@pytest.mark.parametrize(("s", "code"), [
    ("lone hansen@x.dk", "validate.email_spaces"),
    ("lone.hansen.x.dk", "validate.email_at"),
    ("a@b@x.dk", "validate.email_at"),
    ("@x.dk", "validate.email_local"),
    (".lone@x.dk", "validate.email_local"),
    ("lo..ne@x.dk", "validate.email_local"),
    ("lone@kommune", "validate.email_domain"),
    ("lone@kommune.", "validate.email_domain"),
    ("lone@.dk", "validate.email_domain"),
    ("lone@-kommune.dk", "validate.email_domain"),
    ("lone@kommune.d", "validate.email_domain"),
    ("lone@kommune.d1", "validate.email_domain"),
    ("lone@kom_mune.dk", "validate.email_domain"),
    ("<script>@x.dk", "validate.email_local"),
])
def test_email_refused(s: str, code: str) -> None:
    assert validate_email(s) == code


@pytest.mark.parametrize(("s", "normal"), [
    ("12345678", "+45 12 34 56 78"),
    ("12 34 56 78", "+45 12 34 56 78"),
    ("+45 12 34 56 78", "+45 12 34 56 78"),
    ("+4512345678", "+45 12 34 56 78"),
    ("0045 1234 5678", "+45 12 34 56 78"),
    ("  1 2 3 4 5 6 7 8 ", "+45 12 34 56 78"),
])
def test_phone_accepted_and_normalised(s: str, normal: str) -> None:
    assert validate_phone_dk(s) is None
    assert normalise_phone_dk(s) == normal
    assert validate_phone_dk(normalise_phone_dk(s)) is None


@pytest.mark.parametrize(("s", "code"), [
    ("1234567", "validate.phone_length"),
    ("123456789", "validate.phone_length"),
    ("+45 1234 567", "validate.phone_length"),
    ("+46 12345678", "validate.phone_chars"),  # "+46..." is not a Danish prefix
    ("12-34-56-78", "validate.phone_chars"),
    ("tlf 12345678", "validate.phone_chars"),
    ("１２３４５６７８", "validate.phone_chars"),  # full-width digits are not ASCII digits
])
def test_phone_refused(s: str, code: str) -> None:
    assert validate_phone_dk(s) == code
    assert normalise_phone_dk(s) == s.strip()  # an invalid number is never rewritten


def test_empty_phone_is_fine() -> None:
    assert validate_phone_dk("") is None
    assert validate_phone_dk("   ") is None


@pytest.mark.parametrize(("s", "born"), [
    ("010190-4821", (1990, 1, 1)),
    ("0101904821", (1990, 1, 1)),
    ("290200-4000", (2000, 2, 29)),   # 7th digit 4, yy <= 36: 2000s, a leap day
    ("311299-9000", (1999, 12, 31)),  # 7th digit 9, yy > 36: 1900s
    ("010158-5000", (1858, 1, 1)),    # 7th digit 5, yy > 57: 1800s
    ("010157-5000", (2057, 1, 1)),
    ("150537-3000", (1937, 5, 15)),
])
def test_cpr_accepted(s: str, born: tuple[int, int, int]) -> None:
    assert validate_cpr(s) is None
    d = cpr_birth_date(s)
    assert d is not None and (d.year, d.month, d.day) == born


@pytest.mark.parametrize(("s", "code"), [
    ("010190-482", "validate.cpr_format"),
    ("010190 4821", "validate.cpr_format"),
    ("0101-904821", "validate.cpr_format"),
    ("01019a-4821", "validate.cpr_format"),
    ("320190-4821", "validate.cpr_date"),
    ("011390-4821", "validate.cpr_date"),
    ("290290-1234", "validate.cpr_date"),  # 1990 is no leap year
    ("290200-1234", "validate.cpr_date"),  # 7th digit 1: 1900, no leap year
])
def test_cpr_refused(s: str, code: str) -> None:
    assert validate_cpr(s) == code


def test_cpr_optional_and_normalised() -> None:
    assert validate_cpr("") is None
    assert normalise_cpr("0101904821") == "010190-4821"
    assert normalise_cpr(" 010190-4821 ") == "010190-4821"
    assert normalise_cpr("nonsense") == "nonsense"


@pytest.mark.parametrize(("s", "masked"), [
    ("010190-4821", "010190-••••"),
    ("0101904821", "010190••••"),
    ("010190-48", "010190-••"),
    ("0101", "0101"),
    ("0101-4821", "0101-••••"),   # mistyped: nothing after the first dash shows
    ("", ""),
])
def test_mask_cpr(s: str, masked: str) -> None:
    assert mask_cpr(s) == masked
    assert len(mask_cpr(s)) == len(s)


@pytest.mark.parametrize("s", ["010190-4821", "0101904821", "010190-4821 ", "01019-04821", "x10190-4821"])
def test_mask_never_shows_the_last_four(s: str) -> None:
    masked = mask_cpr(s)
    assert "4821" not in masked and "821" not in masked
    assert masked.count(MASK) >= 4


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_code_has_a_message(lang: str) -> None:
    set_language(lang)
    try:
        codes = {
            validate_email("a b@x.dk"), validate_email("ab"), validate_email("@x.dk"), validate_email("a@x"),
            validate_phone_dk("1234"), validate_phone_dk("abcdefgh"),
            validate_cpr("12"), validate_cpr("999999-9999"),
        }
        assert None not in codes and len(codes) == 8
        for code in codes:
            assert code is not None and t(code) != code
    finally:
        set_language("da")
