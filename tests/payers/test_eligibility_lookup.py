import re
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from payers import selectors
from payers.models import HealthPlan, Member
from portal.models import AccessLog
from tests.conftest import login

SAGUARO = "Saguaro Blue Cross Blue Shield"


def _lookup(client, member_id, dob, plan=SAGUARO, **extra):
    data = {
        "health_plan": HealthPlan.objects.get(name=plan).pk,
        "member_id": member_id,
        "date_of_birth": dob,
        **extra,
    }
    return client.post(reverse("eligibility_lookup"), data)


def _answers(response):
    return {row.program.name: row.eligibility for row in response.context["answers"]}


@pytest.mark.parametrize(
    ("member_id", "dob", "expected", "reason"),
    [
        ("SAG100200301", "1971-03-14", "Authorization is required", "on the plan's list"),
        ("sag 100200301", "03/14/1971", "Authorization is required", ""),  # typed loosely
        ("R10020030", "1965-07-22", "Not managed by this program", "Federal Employee Program"),
        ("XBC900100200", "1988-09-09", "Not managed by this program", "BlueCard"),
        ("SAG100200399", "1980-11-02", "Not eligible on that date", "ended on 12/31/2025"),
    ],
)
def test_lookup_answers_per_program(client, alice, demo_payers, member_id, dob, expected, reason):
    login(client, alice)
    response = _lookup(client, member_id, dob, date_of_service=f"{timezone.localdate():%m/%d/%Y}")
    assert response.status_code == 200
    radiology = _answers(response)["Radiology and Cardiology"]
    assert radiology.label.startswith(expected)
    assert reason in radiology.reason
    # Programs this portal does not handle say so.
    assert _answers(response)["Sleep Management"].answer in ("not_managed", "not_eligible")
    assert response["Cache-Control"].count("no-store") == 1


def test_medicare_advantage_before_the_program_start(demo_payers):
    # Long past: the page no longer answers for those dates (below), the rules still do.
    member = Member.objects.get(member_id="M2K100200300")

    def radiology(on_date):
        rows = selectors.eligibility_by_program(member=member, on_date=on_date)
        return {row.program.name: row.eligibility for row in rows}["Radiology and Cardiology"]

    assert radiology(date(2020, 5, 31)).answer == "not_required"
    assert radiology(date(2020, 6, 1)).answer == "required"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "01/01/1850", "more than 125 years ago"),
        ("date_of_birth", "0001-01-01", "more than 125 years ago"),
        ("date_of_service", "01/01/1900", "on or after"),
        ("date_of_service", "01/01/2999", "more than a year ahead"),
    ],
)
def test_dates_the_rules_cannot_answer_are_refused(
    client, alice, demo_payers, field, value, message
):
    login(client, alice)
    dates = {"dob": "03/14/1971", field: value}
    response = _lookup(client, "SAG100200301", dates.pop("dob"), **dates)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert "answers" not in response.context
    assert f'value="{value}"' in response.content.decode()  # what was typed is kept


def test_the_service_window_follows_the_plans_widest_retro_window(demo_payers):
    today = date(2026, 12, 4)  # a Friday
    plan = HealthPlan.objects.get(name=SAGUARO)
    earliest, latest = selectors.service_dates(health_plan=plan, today=today)
    assert latest == date(2027, 12, 4)
    opens = []
    for policy in plan.policies.all():
        first = selectors.retro_opens(policy, today)
        # The first date of service still taken today, and the day before it is not.
        assert selectors.retro_limit(first, policy) >= today
        assert selectors.retro_limit(first - timedelta(days=1), policy) < today
        opens.append(first)
    assert earliest == min(opens) < today


def test_procedure_code_answer(client, alice, demo_payers):
    login(client, alice)
    knee = _lookup(client, "SAG100200301", "1971-03-14", procedure_code="73721")
    assert knee.context["procedure_answer"].answer == "required"
    echo = _lookup(client, "SAG100200301", "1971-03-14", procedure_code="93306")
    assert echo.context["procedure_answer"].answer == "not_required"  # not on Saguaro's list
    unknown = _lookup(client, "SAG100200301", "1971-03-14", procedure_code="99213")
    assert "procedure_code" in unknown.context["form"].errors


def test_wrong_id_or_birth_date_says_no_match_without_saying_which(client, alice, demo_payers):
    login(client, alice)
    wrong_dob = _lookup(client, "SAG100200301", "1971-03-15")
    wrong_id = _lookup(client, "SAG100200302", "1971-03-14")
    wrong_plan = _lookup(client, "SAG100200301", "1971-03-14", plan="Yellowhammer Blue Cross")
    for response in (wrong_dob, wrong_id, wrong_plan):
        html = response.content.decode()
        assert "No member matches that health plan, patient ID and date of birth" in html
        assert "answers" not in response.context
        assert "Marsh" not in html
    assert not AccessLog.objects.exists()


def test_every_successful_lookup_is_in_the_access_log(client, alice, demo_payers):
    login(client, alice)
    _lookup(client, "SAG100200301", "1971-03-14")
    entry = AccessLog.objects.get()
    member = Member.objects.get(member_id="SAG100200301")
    assert (entry.user, entry.object_id, entry.action) == (alice, str(member.pk), "search")


def test_lookup_shows_no_other_member_data(client, alice, demo_payers):
    login(client, alice)
    html = _lookup(client, "SAG100200301", "1971-03-14").content.decode()
    assert "SAG100200301" in html
    for other in Member.objects.exclude(member_id="SAG100200301"):
        assert other.member_id not in html


def test_future_birth_date_is_a_field_error(client, alice, demo_payers):
    login(client, alice)
    response = _lookup(client, "SAG100200301", "2099-01-01")
    assert "date_of_birth" in response.context["form"].errors
    assert response.context["form"]["member_id"].value() == "SAG100200301"


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_lookups_are_rate_limited(client, alice, demo_payers, monkeypatch):
    monkeypatch.setattr("payers.selectors.LOOKUPS_PER_MINUTE", 3)
    login(client, alice)
    statuses = [_lookup(client, "SAG100200301", "1971-03-14").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429


def test_get_shows_the_form_only(client, alice, demo_payers):
    login(client, alice)
    response = client.get(reverse("eligibility_lookup"))
    assert response.status_code == 200
    assert "answers" not in response.context


def test_reviewers_and_anonymous_cannot_look_up(client, nina, demo_payers):
    assert client.get(reverse("eligibility_lookup")).status_code == 302
    login(client, nina)
    assert client.get(reverse("eligibility_lookup")).status_code == 403
    assert _lookup(client, "SAG100200301", "1971-03-14").status_code == 403


def test_demo_members_cover_the_issue_cases(demo_payers):
    assert Member.objects.count() >= 50
    lines = set(Member.objects.values_list("benefit_plan__line_of_business", flat=True))
    assert lines == {"commercial", "medicare_advantage", "medicaid", "dual", "fep", "bluecard"}
    assert Member.objects.filter(coverage_end__lt=date(2026, 1, 1)).exists()


def test_an_impossible_date_says_so_and_keeps_what_was_typed(client, alice, charlie, demo_payers):
    login(client, alice)
    response = _lookup(client, "SAG100200301", "02/31/1971")
    html = response.content.decode()
    assert "not a real date" in response.context["form"].errors["date_of_birth"][0]
    # A text box (the browser's date input would send 02/31 as empty): what was typed stays.
    assert re.search(r'<input type="text" name="date_of_birth" value="02/31/1971"', html)
    assert "This field is required" not in html
    assert not AccessLog.objects.exists()
    login(client, charlie)  # another office's user gets the same answer, nothing more
    assert "not a real date" in _lookup(client, "SAG100200301", "02/31/1971").content.decode()
