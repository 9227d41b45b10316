"""The case page shows everything the case holds; its documents download only for its office."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cases.models import Attachment, CaseProcedure
from portal.models import AccessLog
from portal.roles import Role
from tests.conftest import login
from tests.factories import (
    CaseFactory,
    DiagnosisCodeFactory,
    ProcedureCodeFactory,
    SiteFactory,
    UserFactory,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attach(case, name, content, content_type, stored):
    attachment = Attachment(
        case=case,
        original_name=name,
        stored_name=stored,
        content_type=content_type,
        size=len(content),
        sha256="0" * 64,
        uploaded_by=case.created_by,
    )
    attachment.file.save(stored, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def case(alice, bob, settings, tmp_path):
    """An urgent request of alice's office, with a secondary diagnosis and two documents."""
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory(
        office=alice.office,
        created_by=bob,
        urgency="urgent",
        secondary_diagnosis=DiagnosisCodeFactory(code="R07.9", description="Chest pain"),
        notes="Symptoms worse after the fall in March.",
    )
    CaseProcedure.objects.create(case=case, procedure_code=ProcedureCodeFactory())
    _attach(case, "clinic-note.pdf", PDF, "application/pdf", "a1.pdf")
    _attach(case, "x-ray report.docx", b"PK\x03\x04docx", DOCX_TYPE, "a2.docx")
    return case


def _document(case, name):
    return case.attachments.get(original_name=name)


def _download_url(case, name):
    return reverse("case_attachment", args=[case.case_number, _document(case, name).pk])


@pytest.fixture
def outsiders(charlie, paula):
    """Everyone but the case's office and the reviewers: another office, the plan
    administrator, a facility (a nurse opens the documents from the review page)."""
    facility = UserFactory(username="fran", role=Role.FACILITY, office=None, facility=SiteFactory())
    return [charlie, paula, facility]


def test_the_page_shows_urgency_documents_notes_and_secondary_diagnosis(client, bob, case):
    login(client, bob)
    html = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert 'id="case-urgency"' in html and "Urgent" in html
    assert "R07.9 Chest pain" in html
    assert "Symptoms worse after the fall in March." in html
    assert f'href="{_download_url(case, "clinic-note.pdf")}"' in html
    assert "clinic-note.pdf" in html and "x-ray report.docx" in html


def test_a_case_without_documents_says_so(client, bob, alice):
    case = CaseFactory(office=alice.office, created_by=bob)
    CaseProcedure.objects.create(case=case, procedure_code=ProcedureCodeFactory())
    login(client, bob)
    html = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "No documents were uploaded" in html and "Standard" in html


def test_a_pdf_opens_in_the_browser_and_the_download_is_logged(client, bob, case):
    login(client, bob)
    response = client.get(_download_url(case, "clinic-note.pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="clinic-note.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD)
    assert entry.user == bob and entry.object_id == str(case.pk)
    assert entry.content_type.model == "case"
    assert f"attachment {_document(case, 'clinic-note.pdf').pk}" in entry.detail


def test_a_word_document_is_downloaded_not_shown(client, alice, case):
    login(client, alice)
    response = client.get(_download_url(case, "x-ray report.docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="x-ray report.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_row_claiming_html_is_never_served_as_html(client, alice, case):
    # Uploads are checked by content, so no row says text/html; if one ever did, it must not be
    # a page the portal serves (a script running under the portal's address).
    doc = _attach(case, "page.pdf", b"<script>alert(1)</script>", "text/html", "a3.pdf")
    login(client, alice)
    response = client.get(reverse("case_attachment", args=[case.case_number, doc.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_no_one_outside_the_office_gets_a_document(client, case, outsiders):
    url = _download_url(case, "clinic-note.pdf")
    for outsider in outsiders:
        login(client, outsider)
        assert client.get(url).status_code == 404, outsider.username
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).exists()


def test_charlie_gets_a_404_for_the_page(client, charlie, case):
    login(client, charlie)
    assert client.get(reverse("case_detail", args=[case.case_number])).status_code == 404


def test_a_document_is_reached_only_through_its_own_case(client, alice, bob, case):
    other = CaseFactory(office=alice.office, created_by=bob)
    doc = _document(case, "clinic-note.pdf")
    login(client, alice)
    assert (
        client.get(reverse("case_attachment", args=[other.case_number, doc.pk])).status_code == 404
    )
    assert client.get(reverse("case_attachment", args=[case.case_number, 99999])).status_code == 404
