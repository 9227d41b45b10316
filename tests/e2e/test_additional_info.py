"""The clinical page's additional information in Chromium: Yes reveals the notes and the upload,
No hides them, an urgent request shows the upload; the same with JavaScript off (CSS alone)."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.cases.test_wizard import build, step_url
from tests.conftest import login
from tests.e2e.test_case_build import group
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username="alice"):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^\s*User ID")).fill(username)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_label(re.compile("I agree to the HIPAA disclosure")).check()
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def _open_clinical(page, live_server, world, alice):
    token, _ = build(login(Client(), alice), world, upto="confirm")
    _log_in(page, live_server)
    page.goto(live_server.url + step_url(token, "clinical"))


def _walk(page):
    notes = page.get_by_label(re.compile("Additional information - notes"))
    files = page.get_by_label(re.compile("Clinical documents"))
    question = group(page, "^Is there any additional information specific")
    expect(question.get_by_label("No")).to_be_checked()
    expect(notes).to_be_hidden()
    expect(files).to_be_hidden()
    question.get_by_label("Yes").check()
    expect(notes).to_be_visible()
    expect(files).to_be_visible()
    question.get_by_label("No").check()
    expect(notes).to_be_hidden()
    page.get_by_label(re.compile("medically urgent")).first.check()
    expect(files).to_be_visible()  # an urgent request needs a document


def test_yes_reveals_the_notes_and_the_upload(live_server, page, world, alice):
    _open_clinical(page, live_server, world, alice)
    _walk(page)


def test_it_works_without_javascript(live_server, browser, world, alice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _open_clinical(page, live_server, world, alice)
        _walk(page)
    finally:
        context.close()
