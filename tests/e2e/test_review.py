"""The review workbench in Chromium (issue 12): the nurse's queue and case, a request for
information answered by the office, the case back in the queue; axe over each page."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from review import services
from tests.cases.test_wizard import build
from tests.clinical.pathways.test_mri_lumbar_spine import ACUTE
from tests.conftest import login
from tests.e2e.test_additional_info import _log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LUMBAR = {
    "procedure_code": "72148",
    "quantity": "1",
    "place": "outpatient",
    "primary_diagnosis": "M54.50",
}


def test_a_nurse_asks_the_office_answers_and_the_case_returns(
    live_server, page, axe, shot, world, alice, nina
):
    build(login(Client(), alice), world, service=LUMBAR, answers=ACUTE)
    case = Case.objects.get()
    assert case.status == CaseStatus.IN_REVIEW

    _log_in(page, live_server, "nina")  # a nurse's home is the queue
    expect(page.get_by_role("heading", name="Review Queue")).to_be_visible()
    axe.check("queue")
    page.get_by_label("Urgency").select_option("urgent")  # htmx: the rows change, the address too
    expect(page.get_by_text("No case matches these filters.")).to_be_visible()
    assert "urgency=urgent" in page.url
    page.go_back()
    expect(page.get_by_role("link", name=case.case_number)).to_be_visible()
    shot(page, "review-queue")
    page.get_by_role("link", name=case.case_number).click()
    axe.check("review page, unassigned")
    page.get_by_role("button", name="Claim this case").click()
    expect(page.get_by_text("is yours")).to_be_visible()
    shot(page, "review-case")
    page.get_by_role("button", name="Request and hold").click()
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("review page, request with errors")
    page.get_by_label(re.compile("What the office should send")).fill(
        "Office notes of the last visit\nReport of the lumbar x-rays"
    )
    page.get_by_role("button", name="Request and hold").click()
    expect(page.get_by_text("the case holds until it comes")).to_be_visible()

    page.context.clear_cookies()
    _log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cases/{case.case_number}/")
    expect(page.locator("#information-needed")).to_contain_text("Report of the lumbar x-rays")
    axe.check("case page, information needed")
    page.get_by_label("Note for the reviewer").fill("No x-rays were taken; notes attached.")
    page.get_by_role("button", name="Send to the reviewer").click()
    expect(page.get_by_text("back with the reviewer")).to_be_visible()
    expect(page.locator("#office-timeline")).to_contain_text("Information sent")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    # A peer-to-peer, booked in two steps from the case page.
    doctor = UserFactory(username="md", last_name="Mehta", role="physician", office=None)
    start = timezone.now() + timedelta(days=1)
    services.p2p_slots_publish(physician=doctor, starts_at=start, minutes=15, count=2)
    page.get_by_role("link", name="Book a peer-to-peer").click()
    axe.check("peer-to-peer: choose a time")
    page.get_by_label(re.compile("with Dr. Mehta")).first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Who will take the call").fill("Dr. Maria Alvarez")
    axe.check("peer-to-peer: who takes the call")
    page.get_by_role("button", name="Book the call").click()
    expect(page.get_by_role("alert").filter(has_text="Peer-to-peer booked")).to_be_visible()
    expect(page.locator("#p2p")).to_contain_text("Dr. Maria Alvarez")
    axe.assert_clean(at_least=6)
