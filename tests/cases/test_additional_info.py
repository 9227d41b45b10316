"""The clinical page's end, as reference/002 "Medical Review": a Yes/No question on additional
information first (Yes offers notes and an upload), then the attestation in the reference's
words. Alice builds, Charlie is elsewhere."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.forms import ATTESTATION, ClinicalForm
from cases.models import Attachment, Case
from tests.cases.test_uploads import PDF
from tests.cases.test_wizard import build, post, step_url
from tests.cases.test_wizard_rules import CLINICAL
from tests.conftest import login

QUESTION = (
    "Is there any additional information specific to the member's condition you would like "
    "to provide?"
)
REFERENCE_ATTESTATION = (
    "I acknowledge that the clinical information submitted to support this authorization "
    "request is accurate and specific to this member, and that all information has been "
    "provided. I have no further information to provide at this time."
)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_attestation_has_the_reference_wording():
    assert ATTESTATION == REFERENCE_ATTESTATION
    assert ClinicalForm.base_fields["attest"].label == REFERENCE_ATTESTATION


def test_the_page_asks_yes_or_no_first_and_yes_offers_notes_and_upload(
    client, alice, charlie, world
):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    html = unescape(client.get(step_url(token, "clinical")).content.decode())
    assert QUESTION in html
    inside = html.split('<fieldset class="additional-info', 1)[1].split(REFERENCE_ATTESTATION)[0]
    assert 'name="additional_info" value="yes"' in inside
    assert re.search(r'name="additional_info" value="no"[^>]*checked', inside)  # No by default
    # What Yes reveals (static/css/wizard.css hides it while No is ticked, without JavaScript).
    details = inside.split('class="additional-details"', 1)[1]
    assert 'name="notes"' in details and 'type="file" name="files"' in details
    assert "Enter text in the space provided below or continue." in details
    assert html.index(QUESTION) < html.index(REFERENCE_ATTESTATION)
    assert "wizard.css" in html
    login(client, charlie)
    assert client.get(step_url(token, "clinical")).status_code == 404


def test_yes_with_notes_keeps_the_notes_on_the_case(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    extra = {"additional_info": "yes", "notes": "Locking episodes twice a week"}
    assert post(client, token, "clinical", {**CLINICAL, **extra}).status_code == 302
    assert Case.objects.get().notes == "Locking episodes twice a week"


def test_yes_with_a_document_and_no_notes_is_enough(client, alice, world, private_media):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = client.post(
        step_url(token, "clinical"),
        {
            **CLINICAL,
            "additional_info": "yes",
            "files": [SimpleUploadedFile("note.pdf", PDF)],
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.get().case == Case.objects.get()


def test_yes_with_nothing_added_asks_for_it(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = post(client, token, "clinical", {**CLINICAL, "additional_info": "yes"})
    assert response.status_code == 200 and not Case.objects.exists()
    html = response.content.decode()
    assert "Type the additional information or upload a document, or answer No." in html
    assert re.search(r'<fieldset class="additional-info mb-3 additional-open"', html)  # shown


def test_no_with_notes_typed_is_said_and_the_notes_kept(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    typed = {**CLINICAL, "additional_info": "no", "notes": "Swelling after each run"}
    response = post(client, token, "clinical", typed)
    assert response.status_code == 200 and not Case.objects.exists()
    html = response.content.decode()
    assert "You answered No" in html and "Swelling after each run" in html
    assert re.search(r'<fieldset class="additional-info mb-3 additional-open"', html)


def test_no_is_the_plain_path_and_records_no_notes(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    assert post(client, token, "clinical", {**CLINICAL, "additional_info": "no"}).status_code == 302
    assert Case.objects.get().notes == ""
