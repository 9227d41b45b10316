"""After a denial (issue 12): the office asks for a reconsideration within the plan's window with
new information; a physician other than the one who denied decides it. And the office withdraws
an open request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Decision
from cases.transitions import TransitionError
from payers.models import DenialReason, PlanPolicy
from review import services
from tests.conftest import login
from tests.review.test_workbench import _case

S = CaseStatus


@pytest.fixture
def denied(alice, arjun, demo_payers):
    from payers.models import HealthPlan

    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    from tests.factories import BenefitPlanFactory, MemberFactory

    member = MemberFactory(
        benefit_plan=BenefitPlanFactory(health_plan=plan, line_of_business="commercial")
    )
    case = _case(
        alice.office, alice, member=member, member_snapshot={"line_of_business": "commercial"}
    )
    reason = DenialReason.objects.create(text="Not indicated.", guideline="General")
    services.case_claim(case=case, reviewer=arjun)
    services.case_deny(
        case=case, reviewer=arjun, expected=S.IN_REVIEW, reason=reason, explanation="None."
    )
    case.refresh_from_db()
    return case


def _reconsider(client, case, text="New x-rays show a fracture."):
    return client.post(reverse("case_reconsider", args=[case.case_number]), {"text": text})


def test_the_office_requests_and_another_physician_overturns(client, alice, arjun, priya, denied):
    login(client, alice)
    page = client.get(reverse("case_detail", args=[denied.case_number])).content.decode()
    assert "Non-Authorized" in page and "request a reconsideration until" in page
    assert _reconsider(client, denied, text="").status_code == 400  # new information needed
    assert _reconsider(client, denied).status_code == 302
    denied.refresh_from_db()
    assert denied.status == S.RECONSIDERATION and denied.review_due_at > timezone.now()

    services.case_claim(case=denied, reviewer=arjun)
    with pytest.raises(TransitionError, match="other than you"):
        services.case_approve(
            case=denied, reviewer=arjun, expected=S.RECONSIDERATION, quantities={}
        )
    services.case_release(case=denied, reviewer=arjun)
    services.case_claim(case=denied, reviewer=priya)
    services.case_approve(case=denied, reviewer=priya, expected=S.RECONSIDERATION, quantities={})
    denied.refresh_from_db()
    assert denied.status == S.APPROVED and denied.authorization_number
    last = Decision.objects.filter(case=denied).order_by("-decided_at").first()
    assert last.round == Decision.Round.RECONSIDERATION and last.decided_by == priya
    timeline = client.get(reverse("case_detail", args=[denied.case_number])).content.decode()
    assert "Reconsideration requested" in timeline and "Reconsidered: overturned" in timeline


def test_after_the_window_it_is_refused_with_the_appeal_left(client, alice, denied):
    denied.decided_at = timezone.now() - timedelta(days=11)  # Saguaro commercial: 10 days
    denied.save(update_fields=["decided_at"])
    login(client, alice)
    page = client.get(reverse("case_detail", args=[denied.case_number])).content.decode()
    assert "reconsideration window closed" in page and 'id="reconsider-form"' not in page
    response = _reconsider(client, denied)
    assert response.status_code == 400 and "window closed" in response.content.decode()
    denied.refresh_from_db()
    assert denied.status == S.DENIED


def test_a_plan_without_reconsideration_says_so(client, alice, denied):
    PlanPolicy.objects.filter(health_plan=denied.health_plan).update(reconsideration_allowed=False)
    login(client, alice)
    assert _reconsider(client, denied).status_code == 400
    denied.refresh_from_db()
    assert denied.status == S.DENIED


def test_another_office_cannot_reconsider_or_withdraw(client, charlie, denied, alice):
    login(client, charlie)
    assert _reconsider(client, denied).status_code == 404
    open_case = _case(alice.office, alice)
    url = reverse("case_withdraw", args=[open_case.case_number])
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    open_case.refresh_from_db()
    assert open_case.status == S.IN_REVIEW


def test_the_office_withdraws_an_open_request_once_confirmed(client, alice):
    case = _case(alice.office, alice)
    login(client, alice)
    url = reverse("case_withdraw", args=[case.case_number])
    client.post(url, {})
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW  # not confirmed: nothing changed
    client.post(url, {"confirm": "yes"})
    case.refresh_from_db()
    assert case.status == S.WITHDRAWN
    again = client.post(url, {"confirm": "yes"}, follow=True)
    assert "cannot go from" in again.content.decode()


def test_the_office_records_an_appeal_once_with_a_real_date(client, alice, charlie, denied):
    url = reverse("case_appeal", args=[denied.case_number])
    login(client, alice)
    page = client.get(reverse("case_detail", args=[denied.case_number])).content.decode()
    assert "Appeal to Saguaro" in page and "Record the appeal" in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(url, {"filed_on": tomorrow.strftime("%m/%d/%Y")})
    denied.refresh_from_db()
    assert denied.appealed_on is None
    today = timezone.localdate()
    client.post(url, {"filed_on": today.strftime("%m/%d/%Y"), "note": "Sent by fax."})
    denied.refresh_from_db()
    assert denied.appealed_on == today and denied.status == S.DENIED
    again = client.post(url, {"filed_on": today.strftime("%m/%d/%Y")}, follow=True)
    assert "is on record" in again.content.decode()
    login(client, charlie)
    assert client.post(url, {"filed_on": today.strftime("%m/%d/%Y")}).status_code == 404


def test_the_office_withdraws_a_duplicate(client, alice):
    case = _case(alice.office, alice)
    login(client, alice)
    url = reverse("case_withdraw", args=[case.case_number])
    client.post(url, {"confirm": "yes", "why": "duplicate"})
    case.refresh_from_db()
    assert case.status == S.DUPLICATE


def test_a_reviewer_closes_a_request_entered_in_error(client, alice, renee):
    case = _case(alice.office, alice)
    services.case_claim(case=case, reviewer=renee)
    login(client, renee)
    url = reverse("review_action", args=[case.case_number, "close"])
    assert client.post(url, {"expected": S.IN_REVIEW, "note": ""}).status_code == 400
    assert client.post(url, {"expected": S.IN_REVIEW, "note": "Wrong patient"}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.ERROR_ENTRY
