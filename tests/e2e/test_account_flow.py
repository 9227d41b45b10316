import re

import pytest

from portal.models import OfficePractitioner, User
from tests.factories import DirectoryProviderFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    """The input whose label is exactly `label` (crispy adds a "*" to required ones)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))


def test_new_office_registers_confirms_logs_in_and_adds_two_practitioners(
    live_server, page, shot, mailoutbox
):
    maria = DirectoryProviderFactory(
        first_name="Maria", last_name="Alvarez", state="AZ", zip_code="850161234"
    )
    james = DirectoryProviderFactory(
        first_name="James", last_name="Bennett", state="AZ", zip_code="852510994"
    )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Register now").click()
    form = {
        "User name": "jsmith",
        "Email": "jsmith@example.org",
        "Confirm email": "jsmith@example.org",
        "First name": "Jane",
        "Last name": "Smith",
        "Office name": "Smith Family Practice",
        "Address": "2400 E Camelback Rd",
        "City": "Phoenix",
        "Zip": "85016",
        "Phone": "602 555 0140",
        "Fax": "602 555 0141",
        "Password": "a-long-Pass-phrase-42",
        "Confirm password": "a-long-Pass-phrase-42",
    }
    for label, value in form.items():
        field(page, label).fill(value)
    field(page, "State").select_option("AZ")
    shot(page, "01-register")
    page.get_by_role("button", name="Submit registration").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    link = re.search(r"/accounts/confirm/[^/\s]+/[^/\s]+/", mailoutbox[0].body).group(0)
    page.goto(live_server.url + link)
    page.get_by_text("your email address is confirmed").wait_for()

    field(page, "User ID").fill("jsmith")
    field(page, "Password").fill("a-long-Pass-phrase-42")
    field(page, "I agree to the HIPAA disclosure").check()
    shot(page, "02-login")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Jane").wait_for()
    shot(page, "03-home")

    page.get_by_role("link", name="Manage Your Account").click()
    for provider in (maria, james):
        page.get_by_role("link", name=re.compile("Add (provider|another practitioner)")).click()
        field(page, "Practitioner NPI").fill(provider.npi)
        field(page, "Practitioner state").select_option("AZ")
        field(page, "Practitioner zip").fill(provider.zip5)
        page.get_by_role("button", name="Find matches").click()
        if provider is maria:
            shot(page, "04-practitioner-match")
        page.get_by_role("button", name=f"Select {provider.display_name}").click()
        page.get_by_text("is now on your account").wait_for()
    page.get_by_role("link", name="Continue").click()

    table = page.get_by_role("table", name="Practitioners on this account")
    table.get_by_role("cell", name="Alvarez, Maria, MD", exact=True).wait_for()
    table.get_by_role("cell", name="Bennett, James, MD", exact=True).wait_for()
    shot(page, "05-practitioners")

    user = User.objects.get(username="jsmith")
    assert OfficePractitioner.objects.filter(office=user.office).count() == 2
