"""axe-core over every main page in Chromium, in the states a user meets (errors shown, results
listed, a typeahead open): no serious or critical violation anywhere (issue 11 found 4 kinds:
contrast, labels, a dangling help-text id, the admin's unlabelled edits)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from portal.roles import Role
from tests.e2e.test_case_build import field, group, start_request
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    field(page, "User ID").fill(username)
    field(page, "Password").fill(PASSWORD)
    field(page, "I agree to the HIPAA disclosure").check()
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$|/admin/"))


def send(page, button):
    """Click a submit button with the browser's own checks off, so the server's errors show."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    button.click()


def continue_(page, label="Continue"):
    send(page, page.locator(".wizard-buttons").get_by_role("button", name=label, exact=True))


def answer_the_knee_questions(page):
    group(page, "^Is this request to evaluate suspicion of cancer").get_by_label("No").check()
    group(page, "What is the main reason for the MRI").get_by_label(
        "Knee pain without a recent injury"
    ).check()
    group(page, "Have x-rays of the knee been taken").get_by_label("Yes").check()
    group(page, "What did the x-rays show").get_by_label("Mild or moderate arthritis").check()
    group(page, "Which of these does the patient have").get_by_label("None of these").check()
    page.get_by_label(re.compile("For how many weeks")).fill("8")
    group(page, "Would the MRI result change management").get_by_label("Yes").check()
    group(page, "Are any of these present").get_by_label("None of these").check()


def test_signed_out_pages(live_server, page, axe, db):
    url = live_server.url
    page.goto(url + "/accounts/login/")
    axe.check("login")
    send(page, page.get_by_role("button", name="Log in"))
    expect(page.locator(".is-invalid, .alert-danger").first).to_be_visible()
    axe.check("login with errors")
    page.goto(url + "/accounts/register/")
    axe.check("register")
    send(page, page.get_by_role("button", name="Submit registration"))
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("register with errors")
    for path in ("/accounts/password/reset/", "/accounts/confirm/resend/", "/help/"):
        page.goto(url + path)
        axe.check(path)
    axe.assert_clean(at_least=7)


def test_the_wizard_with_errors_and_the_determination(live_server, page, axe, world):
    start_request(page, live_server)
    axe.check("provider")
    field(page, "Who to contact").fill("")
    continue_(page)
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("provider with errors")
    field(page, "Who to contact").fill("Luis Ortega")
    field(page, "Practitioner").select_option(value=str(world["doctor"].pk))
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    continue_(page)

    page.wait_for_url(re.compile(r"/member/$"))
    axe.check("member")
    continue_(page, "Eligibility lookup")
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("member with errors")
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").fill("03/14/1971")
    field(page, "Patient last name").fill("Marsh")
    continue_(page, "Eligibility lookup")

    page.wait_for_url(re.compile(r"/service/$"))
    axe.check("service")
    field(page, "Procedure (CPT code)").fill("mri knee")
    page.locator("#procedure-options [data-code='73721']").wait_for()
    axe.check("service, typeahead open")
    page.locator("#procedure-options [data-code='73721']").click()
    continue_(page)
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("service with errors")
    field(page, "Laterality").select_option("left")
    field(page, "Primary diagnosis (ICD-10-CM)").fill("M25.562")
    continue_(page)

    page.wait_for_url(re.compile(r"/site/"))
    field(page, "Site name").fill("Camelback")
    field(page, "Zip").fill("85016")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Select Camelback Imaging Center").wait_for()
    axe.check("site, search results")
    page.get_by_role("button", name="Select Camelback Imaging Center").click()
    page.get_by_text("In network").first.wait_for()
    axe.check("site chosen")
    continue_(page)

    page.get_by_text("can no longer be changed").wait_for()
    axe.check("confirm")
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url(re.compile(r"/clinical/$"))
    axe.check("clinical")
    send(page, page.locator(".wizard-buttons").get_by_role("button", name="Submit case"))
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("clinical with errors")
    answer_the_knee_questions(page)
    axe.check("clinical answered")
    page.get_by_label(re.compile("I attest|I acknowledge")).check()
    page.locator(".wizard-buttons").get_by_role("button", name="Submit case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    axe.check("determination")
    page.goto(live_server.url + "/cases/in-progress/")
    axe.check("requests in progress")
    page.goto(f"{live_server.url}/cases/{Case.objects.get().case_number}/")
    axe.check("case page")
    axe.assert_clean(at_least=16)


def test_office_pages_lookups_and_the_pathway_demo(live_server, page, axe, world):
    url = live_server.url
    log_in(page, live_server, "alice")
    axe.check("office admin home")
    page.goto(url + "/eligibility/")
    axe.check("eligibility lookup")
    send(page, page.get_by_role("button", name="Eligibility lookup"))
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("eligibility lookup with errors")
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").fill("03/14/1971")
    field(page, "Procedure code (CPT)").fill("73721")
    page.get_by_role("button", name="Eligibility lookup").click()
    page.locator("#eligibility-result").wait_for()
    axe.check("eligibility answer")
    page.goto(url + "/codes/procedures/?q=knee")
    axe.check("procedure code lookup")
    for path in (
        "/account/",
        "/account/edit/",
        "/account/users/",
        "/account/users/invite/",
        "/account/practitioners/add/",
        "/accounts/password/change/",
    ):
        page.goto(url + path)
        axe.check(path)
    page.goto(url + "/account/users/invite/")
    send(page, page.locator("main form").get_by_role("button").last)
    expect(page.locator(".is-invalid").first).to_be_visible()
    axe.check("invite with errors")
    page.goto(url + "/pathways/")
    axe.check("pathway list")
    page.goto(url + "/pathways/mri-knee/")
    axe.check("pathway demo")
    field(page, "Diagnosis codes (ICD-10-CM, optional)").fill("not a code")
    page.get_by_role("button", name="Check criteria").click()
    page.get_by_text("Enter ICD-10-CM codes").wait_for()
    axe.check("pathway demo with errors")
    field(page, "Diagnosis codes (ICD-10-CM, optional)").fill("")
    answer_the_knee_questions(page)
    page.get_by_role("button", name="Check criteria").click()
    page.locator("#pathway-outcome").wait_for()
    axe.check("pathway demo answer")
    # On a phone the tables scroll sideways: their boxes must be reachable by the keyboard.
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/pathways/", "/account/"):
        page.goto(url + path)
        axe.check(f"{path} on a phone")
    expect(page.locator(".table-responsive[role=region]").first).to_have_attribute("tabindex", "0")
    axe.assert_clean(at_least=18)


@pytest.mark.parametrize(
    "role", [Role.OFFICE_STAFF, Role.FACILITY, Role.NURSE, Role.PHYSICIAN, Role.PLAN_ADMIN]
)
def test_the_home_page_of_each_role(live_server, page, axe, world, alice, role):
    office = alice.office if role == Role.OFFICE_STAFF else None
    facility = world["site"] if role == Role.FACILITY else None
    UserFactory(username="someone", role=role, office=office, facility=facility)
    log_in(page, live_server, "someone")
    page.goto(live_server.url + "/")
    axe.check(f"{role} home")
    if role == Role.PLAN_ADMIN:
        for path in ("/admin/", "/admin/payers/coderule/", "/admin/payers/healthplan/"):
            page.goto(live_server.url + path)
            axe.check(path)
    axe.assert_clean(at_least=1)
