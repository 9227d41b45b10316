"""The date of service the answer is given for: intervals count to it, rules apply on it, an
approval's validity runs from it. Alice builds, Charlie is elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus
from tests.cases.test_wizard import MEMBER, build, post
from tests.clinical.test_review_notice import CHEST, NODULE
from tests.conftest import login
from tests.factories import DiagnosisCodeFactory


@pytest.fixture(autouse=True)
def _codes(world):
    DiagnosisCodeFactory(code="R91.1", description="Solitary pulmonary nodule")


def _nodule(studied):
    return {**NODULE, "prior_study_date": f"{studied:%m/%d/%Y}"}


# --- item 20: the prior study's interval counts to the date of service ------------------------


def test_a_retrospective_nodule_follow_up_counts_the_interval_to_the_date_of_service(
    client, alice, world
):
    """The first follow-up CT of a small solid nodule is due 330 days after the prior CT. The
    scan was done 20 days ago, 320 days after the prior CT: too early then, although 340 days
    have passed by today."""
    login(client, alice)
    today = timezone.localdate()
    dos = today - timedelta(days=20)  # within Saguaro's 30-day retro window
    member = {**MEMBER, "performed": "yes", "date_of_service": f"{dos:%m/%d/%Y}"}
    build(client, world, member=member, service=CHEST, answers=_nodule(today - timedelta(340)))
    case = Case.objects.get()
    assert case.date_of_service == dos
    assert case.status == CaseStatus.IN_REVIEW, case.determination_reasons
    assert "Solid nodule under 6 mm" in " ".join(case.determination_reasons)


def test_a_prior_study_after_the_date_of_service_is_refused(client, alice, world):
    login(client, alice)
    today = timezone.localdate()
    dos = today - timedelta(days=20)
    member = {**MEMBER, "performed": "yes", "date_of_service": f"{dos:%m/%d/%Y}"}
    _, response = build(
        client,
        world,
        member=member,
        service=CHEST,
        answers=_nodule(today - timedelta(days=5)),
        upto="clinical",
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert f"Enter a date on or before {dos:%m/%d/%Y}" in response.content.decode()


# --- item 21: a planned date of service ---------------------------------------------------------

ECHO = {
    "procedure_code": "93306",
    "quantity": "1",
    "place": "outpatient",
    "primary_diagnosis": "M25.562",
}
JOINS_IN = 30  # days from today until the echo code joins Saguaro's list


@pytest.fixture
def echo_joins_next_month(world):
    from clinical.models import ProcedureCode
    from payers.models import CodeRule

    code = ProcedureCode.objects.get(code="93306")
    CodeRule.objects.create(
        health_plan=world["plan"],
        program=code.program,
        procedure_code=code,
        effective_date=timezone.localdate() + timedelta(days=JOINS_IN),
    )
    return world


@pytest.mark.parametrize(
    ("planned_in", "needs_authorization"),
    [
        ("TBD", False),  # judged on today, before the code joins the list
        ("", False),
        (JOINS_IN - 1, False),
        (JOINS_IN, True),  # planned on the day the code joins the list, or later
        (JOINS_IN + 15, True),
    ],
)
def test_code_rules_apply_on_the_planned_date_of_service(
    client, alice, echo_joins_next_month, planned_in, needs_authorization
):
    from payers.selectors import eligibility_for_procedure

    login(client, alice)
    today = timezone.localdate()
    planned = today + timedelta(days=planned_in) if isinstance(planned_in, int) else None
    typed = f"{planned:%m/%d/%Y}" if planned else planned_in
    member = {**MEMBER, "date_of_service": typed}
    token, response = build(
        client, echo_joins_next_month, member=member, service=ECHO, upto="confirm"
    )
    assert response.status_code == 302
    if needs_authorization:
        assert response.url.endswith("/clinical/") and not Case.objects.exists()
    else:
        case = Case.objects.get()
        assert case.status == CaseStatus.NOT_REQUIRED
        assert case.date_of_service == planned
        assert case.answered_for == (planned or today)
    # The eligibility lookup with that date gives the same answer.
    from clinical.models import ProcedureCode
    from payers.models import Member

    lookup = eligibility_for_procedure(
        member=Member.objects.get(member_id=MEMBER["member_id"]),
        procedure=ProcedureCode.objects.get(code="93306"),
        on_date=planned or today,
        setting="freestanding",
    )
    assert (lookup.answer == "required") is needs_authorization


def test_the_planned_date_is_stored_and_shown_on_the_determination(client, alice, charlie, world):
    login(client, alice)
    planned = timezone.localdate() + timedelta(days=10)
    member = {**MEMBER, "date_of_service": f"{planned:%m/%d/%Y}"}
    _, response = build(client, world, member=member)
    case = Case.objects.get()
    assert case.status == CaseStatus.APPROVED
    assert case.date_of_service == planned and not case.performed_already
    assert case.answered_for == planned
    html = client.get(response.url).content.decode()
    assert f"{planned:%m/%d/%Y} (planned)" in html
    assert f"This answer is for a date of service of {planned:%m/%d/%Y}." in html
    login(client, charlie)
    assert client.get(response.url).status_code == 404


def test_a_date_of_service_tbd_is_shown_as_tbd_with_the_day_the_answer_holds_for(
    client, alice, world
):
    login(client, alice)
    _, response = build(client, world, member={**MEMBER, "date_of_service": "tbd"})
    case = Case.objects.get()
    assert case.date_of_service is None and case.answered_for == timezone.localdate()
    html = client.get(response.url).content.decode()
    assert '<dd class="col-sm-9" id="date-of-service">TBD</dd>' in html
    assert (
        f"The date of service is TBD: this answer is for {timezone.localdate():%m/%d/%Y}, "
        "the day the request was submitted."
    ) in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/02/2026", "A planned date of service cannot be in the past"),
        ("12/31/2099", "more than a year ahead"),
        ("02/31/2027", "not a real date"),
    ],
)
def test_a_planned_date_out_of_range_is_an_error_kept_as_typed(
    client, alice, world, typed, message
):
    login(client, alice)
    token, _ = build(client, world, upto="provider")
    response = post(client, token, "member", {**MEMBER, "date_of_service": typed})
    assert response.status_code == 200
    assert message in response.context["form"].errors["date_of_service"][0]
    assert f'value="{typed}"' in response.content.decode()


def test_a_planned_nodule_follow_up_counts_the_interval_to_the_planned_date(client, alice, world):
    """The other way round from the retrospective case: 310 days since the prior CT today, but
    340 by the planned date, past the 330 days the first follow-up waits for."""
    login(client, alice)
    today = timezone.localdate()
    planned = today + timedelta(days=30)
    member = {**MEMBER, "date_of_service": f"{planned:%m/%d/%Y}"}
    build(client, world, member=member, service=CHEST, answers=_nodule(today - timedelta(310)))
    case = Case.objects.get()
    assert case.status == CaseStatus.APPROVED, case.determination_reasons


# --- item 32: a retrospective approval's validity runs from the date of service ---------------


def test_validity_counts_from_the_date_of_service_only_when_performed():
    from datetime import date

    from cases.services import authorization_expires

    decided, dos = date(2026, 12, 4), date(2026, 11, 20)
    assert authorization_expires(
        decided_on=decided, date_of_service=dos, performed_already=True, validity_days=45
    ) == date(2027, 1, 4)
    # A planned date does not move the start: the approval holds from the decision.
    assert authorization_expires(
        decided_on=decided,
        date_of_service=date(2026, 12, 20),
        performed_already=False,
        validity_days=45,
    ) == date(2027, 1, 18)
    assert authorization_expires(
        decided_on=decided, date_of_service=None, performed_already=False, validity_days=45
    ) == date(2027, 1, 18)


def test_a_retrospective_approval_expires_counted_from_the_date_of_service(
    client, alice, charlie, world
):
    from payers.selectors import plan_policy

    login(client, alice)
    today = timezone.localdate()
    dos = today - timedelta(days=20)
    member = {**MEMBER, "performed": "yes", "date_of_service": f"{dos:%m/%d/%Y}"}
    _, response = build(client, world, member=member)
    case = Case.objects.get()
    assert case.status == CaseStatus.APPROVED, case.determination_reasons
    policy = plan_policy(
        health_plan=case.health_plan, line_of_business=case.member.benefit_plan.line_of_business
    )
    assert case.expiration_date == dos + timedelta(days=policy.validity_days)
    html = client.get(response.url).content.decode()
    assert (
        f"{case.expiration_date:%m/%d/%Y} (validity counted from the date of service, "
        f"{dos:%m/%d/%Y})"
    ) in html
    login(client, charlie)
    assert client.get(response.url).status_code == 404
