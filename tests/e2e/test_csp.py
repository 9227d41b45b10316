"""The Content-Security-Policy in a real browser: pages carry it, the browser enforces it (an
inline style is refused, and the console says so, which every browser test listens for: see
conftest.py), and the admin's pages with their own scripts (inlines, calendars, the JSON view)
break none of it. The case build with the typeahead and the practitioner filter is checked by
the same listener in test_case_build.py."""

import re

import pytest
from playwright.sync_api import expect

from clinical.models import PathwayVersion
from payers.models import CodeRule, HealthPlan
from portal.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^\s*User ID")).fill(username)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*I agree to the HIPAA")).check()
    page.get_by_role("button", name="Log in").click()


def test_the_browser_enforces_the_policy_and_the_listener_hears_it(
    live_server, page, csp_violations
):
    response = page.goto(live_server.url + "/accounts/login/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    assert csp_violations == []
    # What the policy is for: markup slipped into a page cannot style or script it.
    page.evaluate(
        """document.body.insertAdjacentHTML('beforeend',
             '<p id="slipped" style="color: rgb(255, 0, 0)">x</p>');
           const s = document.createElement('script'); s.textContent = 'window.ran = 1';
           document.body.appendChild(s);"""
    )
    expect(page.locator("#slipped")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert page.evaluate("window.ran") is None
    page.wait_for_timeout(200)
    assert any("inline style" in v for v in csp_violations)
    assert any("inline script" in v for v in csp_violations)
    csp_violations.clear()  # seen: the fixture's own check is for what was not meant


def test_the_admin_pages_work_under_the_policy(live_server, page, world):
    UserFactory(username="paula", role=Role.PLAN_ADMIN, office=None)
    log_in(page, live_server, "paula")
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    # A plan with tabular and stacked inlines: "Add another" is the admin's own script.
    page.goto(f"{live_server.url}/admin/payers/healthplan/{plan.pk}/change/")
    rows = page.locator("#benefit_plans-group tbody tr.form-row:not(.empty-form)")
    count = rows.count()
    inline = page.locator("#benefit_plans-group")
    inline.get_by_role("button", name=re.compile("Add another")).click()
    expect(rows).to_have_count(count + 1)
    # The code-rule list with its inline edits and a date field's calendar.
    page.goto(f"{live_server.url}/admin/payers/coderule/?health_plan__id__exact={plan.pk}")
    assert CodeRule.objects.filter(health_plan=plan).exists()
    page.locator(".datetimeshortcuts a").nth(1).click()  # the first row's calendar icon
    expect(page.locator(".calendarbox").first).to_be_visible()
    # A pathway version: its JSON in a scrolled box (a class now, not a style attribute).
    version = PathwayVersion.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/admin/clinical/pathwayversion/{version.pk}/change/")
    expect(page.locator("pre.pathway-json").first).to_have_css("overflow-y", "auto")
    # The admin's search and actions bar.
    page.goto(f"{live_server.url}/admin/payers/member/")
    page.get_by_role("textbox", name=re.compile("Search")).fill("Marsh")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("SAG100200301")).to_be_visible()
