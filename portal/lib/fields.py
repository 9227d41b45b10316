"""Form fields shared by every app."""

import re

from django import forms

from portal.npi import validate_npi

_NON_DIGITS = re.compile(r"\D")


class USPhoneField(forms.CharField):
    """A ten-digit US phone or fax number, stored as (602) 555-0100."""

    default_error_messages = {"invalid": "Enter a 10-digit phone number, e.g. (602) 555-0100."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        digits = _NON_DIGITS.sub("", value)
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10 or digits[0] in "01":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


class NPIField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("min_length", 10)
        kwargs.setdefault("label", "NPI")
        super().__init__(**kwargs)
        self.validators.append(validate_npi)
        self.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]{10}"})

    def to_python(self, value):
        return _NON_DIGITS.sub("", super().to_python(value) or "")


class RowChoiceField(forms.ChoiceField):
    """A choice among a few rows the caller already holds (reference rows kept between requests,
    portal/lib/refcache.py), cleaned to the row itself: what ModelChoiceField does, without one
    query to list the choices and another to clean the answer."""

    default_error_messages = {
        # ModelChoiceField's words: never echo the submitted id back to the user.
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices."
    }

    def __init__(self, *, empty_label: str | None = None, **kwargs):
        self.empty_label = empty_label
        self.rows: dict[str, object] = {}
        super().__init__(choices=[], **kwargs)

    def set_rows(self, rows, label=str) -> None:
        self.rows = {str(row.pk): row for row in rows}
        choices = [(pk, label(row)) for pk, row in self.rows.items()]
        self.choices = ([("", self.empty_label)] if self.empty_label is not None else []) + choices

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        return super().to_python(self.prepare_value(value))

    def clean(self, value):
        value = super().clean(value)
        return self.rows.get(value) if value else None
