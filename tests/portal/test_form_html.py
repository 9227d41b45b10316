"""Form fields as Bootstrap markup, built in Python (portal/lib/form_html.py)."""

import pytest
from django import forms

from portal.lib.form_html import field_html


class Sample(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As on the card.")
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<i>B</i>")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    pick = forms.ChoiceField(choices=[("", "Choose"), ("1", "One"), ("2", "Two")])
    grouped = forms.ChoiceField(choices=[("Group <1>", [("g", "G")])], required=False)
    agree = forms.BooleanField(label="I agree")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False)


def html_of(data=None, name="name"):
    form = Sample(data)
    if data is not None:
        form.is_valid()
    return str(field_html(form[name]))


@pytest.mark.parametrize(
    ("data", "name", "expected", "absent"),
    [
        # Labels, values and choices are escaped.
        (None, "name", ['Name &lt;b&gt;<span class="asteriskField">*</span>'], ["<b>"]),
        ({"name": '"><script>'}, "name", ['value="&quot;&gt;&lt;script&gt;"'], ["<script>"]),
        ({"notes": "</textarea><x>"}, "notes", ["&lt;/textarea&gt;&lt;x&gt;</textarea>"], ["<x>"]),
        (None, "kind", ["A &amp; B", "&lt;i&gt;B&lt;/i&gt;"], ["<i>"]),
        (None, "grouped", ['<optgroup label="Group &lt;1&gt;">'], []),
        # Help text, required and optional fields.
        (None, "name", ['id="id_name_helptext" class="form-text">As on the card.'], []),
        (None, "email", ['type="email"', 'class="form-control"'], ["required", "asterisk"]),
        # Errors: marked on the control and described.
        ({}, "name", ["is-invalid", 'aria-invalid="true"', "This field is required."], []),
        ({}, "kind", ['class="form-check-input is-invalid"'], []),
        ({}, "agree", ['class="form-check-input is-invalid"', "invalid-feedback"], []),
        # What was chosen stays chosen.
        ({"kind": "b"}, "kind", ['value="b" id="id_kind_1" checked'], []),
        ({"many": ["x", "y"]}, "many", ['id="id_many_0" checked', 'id="id_many_1" checked'], []),
        ({"pick": "2"}, "pick", ['<option value="2" selected>Two</option>'], []),
        ({"agree": "on"}, "agree", ["checked"], ["is-invalid"]),
        # A select is a form-select; hidden fields are the bare input; unknown widgets: Django's.
        (None, "pick", ['class="form-select"'], []),
        (None, "secret", ['<input type="hidden" name="secret" id="id_secret">'], ["<label"]),
        (None, "upload", ['type="file"', 'class="form-control"'], []),
    ],
)
def test_field_markup(data, name, expected, absent):
    html = html_of(data, name)
    for part in expected:
        assert part in html, (part, html)
    for part in absent:
        assert part not in html, (part, html)


def test_a_radio_list_is_a_fieldset_with_a_legend():
    html = html_of({}, "kind")
    assert html.count('class="form-check"') == 2
    assert '<fieldset aria-describedby="id_kind_error">' in html
    assert '<legend class="form-label fs-6 requiredField">' in html
