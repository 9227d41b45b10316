import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label):
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))


def group(page, text):
    return page.get_by_role("group", name=re.compile(text))


def start_request(page, live_server):
    """Alice logs in and starts a request from the home page."""
    page.goto(live_server.url + "/accounts/login/")
    field(page, "User ID").fill("alice")
    field(page, "Password").fill(PASSWORD)
    field(page, "I agree to the HIPAA disclosure").check()
    page.get_by_role("button", name="Log in").click()
    # A button (a POST starts a request), not a link.
    page.get_by_role("button", name=re.compile("Request a clinical certification")).click()


def test_office_builds_an_mri_knee_case_that_is_approved(live_server, page, shot, world):
    start_request(page, live_server)

    # 1. Provider and health plan (contact details come prefilled).
    field(page, "Practitioner").select_option(value=str(world["doctor"].pk))
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    page.get_by_role("button", name="Continue").click()
    # 2. Member and eligibility.
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").fill("1971-03-14")
    field(page, "Patient last name").fill("Marsh")
    field(page, "Patient last name").press("Enter")  # Enter continues (never goes Back)
    # With JavaScript each step swaps in place and its address goes into the history; the
    # browser's Back and Forward reload the step from the server, with what was entered.
    page.wait_for_url(re.compile(r"/service/$"))
    expect(page.locator("#wizard h2")).to_be_focused()  # as after a page load, for screen readers
    page.go_back()
    page.wait_for_url(re.compile(r"/member/$"))
    expect(field(page, "Patient ID")).to_have_value("SAG100200301")
    page.go_forward()
    page.wait_for_url(re.compile(r"/service/$"))
    expect(field(page, "Procedure (CPT code)")).to_be_visible()
    page.wait_for_load_state()
    # Patient data is never kept in the browser's storage (no htmx history snapshots).
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    # 3. Procedure by words (typeahead), diagnosis by code.
    field(page, "Procedure (CPT code)").fill("mri knee")
    page.locator("#procedure-options [data-code='73721']").click()
    assert field(page, "Procedure (CPT code)").input_value() == "73721"
    field(page, "Laterality").select_option("left")
    # The diagnosis with the keyboard: down to the first option (the focus stays in the box,
    # a combobox), Enter picks.
    diagnosis = field(page, "Primary diagnosis (ICD-10-CM)")
    diagnosis.fill("M25.56")
    option = page.locator("#primary-options [data-code='M25.562']")
    option.wait_for()
    diagnosis.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(diagnosis).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(diagnosis).to_have_value("M25.562")
    expect(diagnosis).to_be_focused()
    expect(page.locator("#primary-options [data-picked]")).to_contain_text("Pain in left knee")
    page.get_by_role("button", name="Continue").click()
    # 4. Rendering site by name + zip.
    field(page, "Site name").fill("Camelback")
    field(page, "Zip").fill("85016")
    page.evaluate("window.__sameDocument = true")  # gone if a full page load happens
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Select Camelback Imaging Center").click()
    page.get_by_text("In network").first.wait_for()
    page.get_by_role("button", name="Continue").click()
    # 5. Confirm: the lock-in notice.
    page.get_by_text("can no longer be changed").wait_for()
    page.get_by_role("button", name="Confirm and continue").click()
    # 6. Clinical questions (follow-ups appear as answers are given), attestation, submit.
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
    page.get_by_label(re.compile("I acknowledge")).check()
    assert page.evaluate("window.__sameDocument") is True  # search, select, questions: htmx
    page.get_by_role("button", name="Submit case").click()

    # 7. The determination.
    determination = page.locator("#determination")
    determination.get_by_role("heading", name="Approved").wait_for()
    # The submission's reply is the determination itself, at the case's own address.
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator("#main h1")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Case \d+"))
    case = Case.objects.get()
    assert case.status == "approved"
    assert case.authorization_number in determination.inner_text()
    shot(page, "09-determination-approved")


def test_the_practitioner_filter_narrows_the_list_and_keeps_the_page(
    live_server, page, world, alice
):
    from tests.factories import DirectoryProviderFactory, OfficePractitionerFactory

    chen = DirectoryProviderFactory(last_name="Chen", first_name="Aisha")
    OfficePractitionerFactory(office=alice.office, provider=chen)
    start_request(page, live_server)
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    field(page, "Who to contact").fill("Luis Ortega")
    practitioners = field(page, "Practitioner").locator("option")
    expect(practitioners).to_have_count(3)  # the empty choice, Alvarez, Chen
    page.get_by_placeholder("Filter: last name or NPI").fill("Che")
    expect(practitioners).to_have_count(2)  # filtered as you type, the list alone replaced
    expect(practitioners.nth(1)).to_have_text(re.compile("Chen, Aisha"))
    page.get_by_placeholder("Filter: last name or NPI").press("Enter")  # filters, never continues
    expect(page).to_have_url(re.compile(r"/provider/$"))
    expect(field(page, "Who to contact")).to_have_value("Luis Ortega")
    expect(field(page, "Health plan")).to_have_value(str(world["plan"].pk))


def test_an_impossible_date_typed_is_named_and_kept(live_server, page, world):
    """02/31 typed in the browser reaches the server as typed (a text box, not the browser's
    date input, which sends it empty) and is answered "not a real date", still in the box."""
    start_request(page, live_server)
    field(page, "Practitioner").select_option(value=str(world["doctor"].pk))
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    page.get_by_role("button", name="Continue").click()
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").press_sequentially("02/31/1971")
    field(page, "Patient last name").fill("Marsh")
    page.get_by_role("button", name="Eligibility lookup").click()
    expect(page.get_by_text("That is not a real date")).to_be_visible()
    expect(field(page, "Date of birth")).to_have_value("02/31/1971")
    expect(page.get_by_text("This field is required")).to_have_count(0)
