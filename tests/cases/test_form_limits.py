"""What a wizard step accepts must fit the column the submission writes it to: a longer value
would pass its step and then fail the final submit (after the earlier steps are locked)."""

import pytest
from django.db import models

from cases.forms import ClinicalForm, ProviderForm, ServiceForm, SiteChoiceForm
from cases.models import Attachment, Case, CaseProcedure, CaseStatus, Laterality, Requester, Urgency
from cases.uploads import MAX_NAME
from portal.models import DirectoryProvider, Office
from tests.cases.test_wizard import PROVIDER, build, post
from tests.conftest import login


def _form_limit(form, name):
    return form.base_fields[name].max_length


def _longest(values):
    return max(len(v) for v in values)


def _address_limit(model):
    """provider_address is "<line 1>, <city>, <state> <zip>" of the practitioner or office."""
    parts = ("address_line1", "city", "state", "zip_code")
    return sum(model._meta.get_field(p).max_length for p in parts) + len(", , ")


# Where each text column of what case_submit writes gets its value from, and the longest value
# that source can give. A column added without a line here fails the walk below.
SOURCES = {
    (Case, "case_number"): 12,  # generated: A + 11 digits
    (Case, "authorization_number"): 12,
    (Case, "status"): _longest(CaseStatus.values),
    (Case, "provider_address"): max(_address_limit(DirectoryProvider), _address_limit(Office)),
    (Case, "contact_name"): _form_limit(ProviderForm, "contact_name"),
    (Case, "contact_phone"): _form_limit(ProviderForm, "contact_phone"),
    (Case, "contact_phone_ext"): _form_limit(ProviderForm, "contact_phone_ext"),
    (Case, "contact_fax"): _form_limit(ProviderForm, "contact_fax"),
    (Case, "contact_cell"): _form_limit(ProviderForm, "contact_cell"),
    (Case, "contact_email"): _form_limit(ProviderForm, "contact_email"),
    (Case, "site_email"): _form_limit(SiteChoiceForm, "site_email"),
    (Case, "site_of_care_reason"): _form_limit(SiteChoiceForm, "site_of_care_reason"),
    (Case, "place_of_service"): _longest(
        [v for v, _ in ServiceForm.PLACES] + ["hospital_outpatient", "office", "freestanding"]
    ),
    (Case, "urgency"): _longest(Urgency.values),
    (Case, "notes"): _form_limit(ClinicalForm, "notes"),
    (Case, "requester"): _longest(Requester.values),
    (CaseProcedure, "laterality"): _longest(Laterality.values),
    (CaseProcedure, "modifiers"): 0,  # not written by the wizard
    (Attachment, "original_name"): MAX_NAME,
    (Attachment, "stored_name"): 32 + len(".docx"),  # uuid4 hex + extension
    (Attachment, "file"): len("attachments/") + 32 + len(".docx"),
    (Attachment, "content_type"): _longest(
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    ),
    (Attachment, "sha256"): 64,
}


def _text_columns():
    for model in (Case, CaseProcedure, Attachment):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.FileField):
                yield model, field


@pytest.mark.parametrize(
    ("model", "field"), list(_text_columns()), ids=lambda v: getattr(v, "name", str(v))
)
def test_every_text_column_the_wizard_writes_fits_what_its_form_accepts(model, field):
    assert (model, field.name) in SOURCES, f"say where {model.__name__}.{field.name} comes from"
    longest = SOURCES[(model, field.name)]
    if isinstance(field, models.TextField) and field.max_length is None:
        return  # no limit in the column (the form's own keeps the page usable)
    assert longest is not None, f"{model.__name__}.{field.name}: the form sets no limit"
    assert longest <= field.max_length, f"{model.__name__}.{field.name}"


def test_an_overlong_email_is_refused_on_the_first_page(client, alice, world):
    from clinical.models import Program

    login(client, alice)
    token, _ = build(client, world, upto="provider")
    email = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 50}.org"  # valid, 308 characters
    assert len(email) > 254
    data = {
        **PROVIDER,
        "contact_email": email,
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
        "health_plan": world["plan"].pk,
    }
    response = post(client, token, "provider", data)
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    assert response.context["form"]["contact_email"].value() == email  # kept as typed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site_of_care_reason", "Needs sedation. " * 40),  # 640 characters
        ("site_email", f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 50}.org"),
    ],
)
def test_overlong_site_answers_are_refused_on_the_site_page(client, alice, world, field, value):
    login(client, alice)
    token, _ = build(client, world, upto="service")
    response = post(client, token, "site", {"site": world["site"].pk, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"][field].value() == value
