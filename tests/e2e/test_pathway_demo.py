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
