import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.npi import npi_check_digit, npi_is_valid, validate_npi


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1234567893", True),  # the CMS worked example
        ("1245319599", True),
        ("1972281863", True),
        ("1234567890", False),  # wrong check digit
        ("123456789", False),  # nine digits
        ("12345678931", False),  # eleven digits
        ("12345678a3", False),
        ("", False),
        (None, False),
        ("１２３４５６７８９３", False),  # full-width digits are not ASCII digits
    ],
)
def test_npi_is_valid(value, valid):
    assert npi_is_valid(value) is valid


def test_validate_npi_explains_check_digit():
    with pytest.raises(ValidationError) as exc:
        validate_npi("1234567890")
    assert exc.value.code == "npi_check_digit"
    with pytest.raises(ValidationError) as exc:
        validate_npi("12345")
    assert exc.value.code == "npi_format"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_always_makes_a_valid_npi(stem):
    assert npi_is_valid(stem + npi_check_digit(stem))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check(stem, position, delta):
    npi = stem + npi_check_digit(stem)
    digits = list(npi)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not npi_is_valid("".join(digits))
