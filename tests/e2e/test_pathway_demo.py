import re

import pytest

from clinical import codesets
from clinical.services import pathways_load
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mri_knee_pathway_reveals_follow_ups_and_meets_criteria(live_server, page, shot):
    codesets.load_programs()
    codesets.load_procedure_codes()
    pathways_load()
    UserFactory(username="alice", first_name="Alice")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^\s*User ID")).fill("alice")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*I agree to the HIPAA")).check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=re.compile("See the clinical pathways")).click()
    page.get_by_role("link", name="Try MRI of the knee and other lower-extremity joints").click()

    page.evaluate("window.__sameDocument = true")  # survives only if no full page load happens
    cancer = page.get_by_role(
        "group", name=re.compile("^Is this request to evaluate suspicion of cancer")
    )
    cancer.get_by_label("No").check()
    reason = page.get_by_role("group", name=re.compile("What is the main reason for the MRI"))
    reason.get_by_label("Knee pain without a recent injury").check()
    page.get_by_role("group", name=re.compile("Have x-rays of the knee been taken")).get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name=re.compile("What did the x-rays show")).get_by_label(
        "Mild or moderate arthritis"
    ).check()
    page.get_by_label(re.compile("For how many weeks has the patient had supervised")).fill("8")
    page.get_by_role("group", name=re.compile("Which of these does the patient have")).get_by_label(
        "None of these"
    ).check()
    page.get_by_role(
        "group", name=re.compile("Would the MRI result change management")
    ).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("Are any of these present")).get_by_label(
        "None of these"
    ).check()
    assert page.evaluate("window.__sameDocument") is True  # follow-ups came by htmx, no reload
    shot(page, "07-pathway-questions")

    page.get_by_role("button", name="Check criteria").click()
    outcome = page.locator("#pathway-outcome")
    outcome.get_by_text("Meets criteria").wait_for()
    assert "KNEE-CHRONIC" in outcome.inner_text()
    shot(page, "08-pathway-meets")


def test_an_answer_typed_while_the_questions_refresh_is_kept_and_counted(live_server, page, alice):
    """A refresh's reply can arrive while the user is still typing in a field it replaces: the
    typed value stays on screen and is sent again, so the follow-up it enables appears."""
    codesets.load_programs()
    codesets.load_procedure_codes()
    pathways_load()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^\s*User ID")).fill("alice")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*I agree to the HIPAA")).check()
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/pathways/mri-lumbar-spine/")

    def group(text):
        return page.get_by_role("group", name=re.compile(text))

    group("^Is this request to evaluate suspicion of cancer").get_by_label("No").check()
    group("Which best describes the main symptoms").get_by_label("Low back pain only").check()
    group("Are any of these present").get_by_label("None of these").check()
    group("Have x-rays of the lower back been taken").get_by_label("No").check()
    weeks = page.get_by_label(re.compile("For how many weeks has the patient had conservative"))
    weeks.wait_for()
    # The user types the weeks while the next refresh is on its way; the field is replaced before
    # its change event could reach the form (as happens when the reply lands first).
    page.evaluate(
        """() => document.addEventListener("htmx:beforeSwap", () => {
            document.querySelector('[name$="conservative_weeks"]').value = "2";
        }, {capture: true, once: true})"""
    )
    group("Has the patient had surgery on the lower").get_by_label("No").check()
    follow_up = group("Are the symptoms still present")
    follow_up.wait_for()
    assert weeks.input_value() == "2"
