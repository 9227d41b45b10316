"""National Provider Identifier check digit: Luhn over the "80840" prefix plus the NPI.

python-stdnum has no NPI module, and the rule is a few lines (CMS, "Requirements for NPI check
digit"), so it lives here.
"""

from django.core.exceptions import ValidationError

NPI_PREFIX = "80840"


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def npi_is_valid(value: object) -> bool:
    text = str(value or "").strip()
    if len(text) != 10 or not text.isdigit() or not text.isascii():
        return False
    return _luhn_sum(NPI_PREFIX + text) % 10 == 0


def npi_check_digit(first_nine: str) -> str:
    """The tenth digit that makes `first_nine` a valid NPI (used to make synthetic directories)."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NPI stem is nine digits")
    return str((10 - _luhn_sum(NPI_PREFIX + first_nine + "0") % 10) % 10)


def validate_npi(value: object) -> None:
    text = str(value or "").strip()
    if len(text) != 10 or not text.isdigit():
        raise ValidationError("An NPI is exactly 10 digits.", code="npi_format")
    if not npi_is_valid(text):
        raise ValidationError(
            "This is not a valid NPI: its check digit does not match. Please check the number.",
            code="npi_check_digit",
        )
