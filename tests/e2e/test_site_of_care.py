"""A hospital outpatient site in Chromium (issue 11, item 16): the site-of-care review asks why,
nearby in-network freestanding centres are offered, and one Select takes one of them instead."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from payers.models import NetworkParticipation, PlanPolicy
from portal.models import DirectoryProvider
from tests.cases.test_wizard import build, step_url
from tests.conftest import login
from tests.e2e.test_additional_info import _log_in
from tests.factories import SiteFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_hospital_choice_offers_freestanding_centres(live_server, page, axe, world, alice):
    PlanPolicy.objects.filter(health_plan=world["plan"]).update(
        hospital_outpatient_site_review=True
    )
    DirectoryProvider.objects.filter(pk=world["site"].pk).update(modalities=["MRI", "CT"])
    hospital = SiteFactory(
        organization_name="Pima Regional Hospital Radiology",
        state="AZ",
        zip_code="85016",
        site_type=DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT,
    )
    NetworkParticipation.objects.create(
        health_plan=world["plan"], provider=hospital, effective_date="2015-01-01"
    )
    token, _ = build(login(Client(), alice), world, upto="service")
    _log_in(page, live_server)
    page.goto(live_server.url + step_url(token, "site") + "?name=Pima&zip_code=85016")
    page.get_by_role("button", name="Select Pima Regional Hospital Radiology").click()

    alternatives = page.locator("#alternative-sites")
    expect(alternatives).to_contain_text("Camelback Imaging Center")
    expect(page.get_by_text("This plan reviews MRI imaging")).to_be_visible()
    expect(page.get_by_label(re.compile("Why this hospital outpatient site"))).to_be_visible()
    axe.check("site: a hospital with alternatives")
    alternatives.get_by_role("button", name="Select Camelback Imaging Center").click()
    expect(page.get_by_text(re.compile("Selected site: Camelback Imaging Center"))).to_be_visible()
    expect(page.locator("#alternative-sites")).to_have_count(0)
    page.locator(".wizard-buttons").get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/confirm/$"))
    expect(page.locator("#rendering-site")).to_contain_text("Camelback Imaging Center")
    axe.assert_clean(at_least=1)
