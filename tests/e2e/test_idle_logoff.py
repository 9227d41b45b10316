import re

import pytest
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@override_settings(IDLE_LOGOFF_MINUTES=1, IDLE_WARNING_SECONDS=58)
def test_idle_warning_appears_and_stay_logged_in_keeps_the_session(live_server, page, shot):
    UserFactory(username="alice", first_name="Alice")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^\s*User ID")).fill("alice")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*I agree to the HIPAA")).check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Alice").wait_for()

    dialog = page.get_by_role("dialog", name="Are you still there?")
    dialog.wait_for(state="visible", timeout=10_000)
    shot(page, "06-idle-warning")
    with page.expect_response(lambda r: "/session/keepalive/" in r.url and r.ok):
        dialog.get_by_role("button", name="Stay logged in").click()
    dialog.wait_for(state="hidden")
    page.reload()
    page.get_by_role("heading", name="Welcome, Alice").wait_for()
