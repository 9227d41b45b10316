"""The reviewer workbench (issue 12): the queue, claims, the review page and the actions, and the
office's side of a request for information. Renee is a nurse, Arjun a physician; alice's office
owns the cases, charlie's office must see nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, CaseProcedure, CaseStatus, Decision, InformationRequest, Notice
from cases.transitions import TransitionError
from payers.models import DenialReason
from portal.models import AccessLog
from review import services
from tests.cases.test_uploads import PDF
from tests.conftest import login
from tests.factories import CaseFactory, ProcedureCodeFactory

S = CaseStatus


def _case(office, user, **fields):
    now = timezone.now()
    defaults = {
        "status": S.IN_REVIEW,
        "review_due_at": now + timedelta(days=2),
        "clock_started_at": now,
    }
    case = CaseFactory(office=office, created_by=user, **{**defaults, **fields})
    CaseProcedure.objects.create(
        case=case, procedure_code=ProcedureCodeFactory(code="72148", modality="MRI")
    )
    return case


@pytest.fixture
def case(alice):
    return _case(alice.office, alice)


@pytest.fixture
def reason(db):
    return DenialReason.objects.create(
        text="Six weeks of physical therapy were not tried first.",
        guideline="Low back pain, section 2.1",
    )


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_puts_urgent_first_then_the_earliest_due(client, alice, renee):
    now = timezone.now()
    later = _case(alice.office, alice, review_due_at=now + timedelta(days=3))
    soon = _case(alice.office, alice, review_due_at=now + timedelta(hours=2))
    overdue = _case(alice.office, alice, review_due_at=now - timedelta(hours=1))
    urgent = _case(alice.office, alice, urgency="urgent", review_due_at=now + timedelta(hours=20))
    _case(alice.office, alice, status=S.APPROVED, authorization_number="A1", expiration_date=now)
    login(client, renee)
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [urgent.pk, overdue.pk, soon.pk, later.pk]
    counts = response.context["counts"]
    assert (counts["all"], counts["overdue"], counts["due_soon"]) == (4, 1, 1)
    html = response.content.decode()
    assert "Overdue" in html and "Due within 4 h" in html


def test_the_home_page_of_a_reviewer_is_the_queue(client, renee):
    login(client, renee)
    assert client.get(reverse("home")).url == reverse("review_queue")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("urgency=urgent", ["urgent"]),
        ("category=info_requested", ["held"]),
        ("category=site_of_care", ["hospital"]),
        ("assigned=me", ["mine"]),
        ("modality=CT", []),
        ("modality=MRI", ["urgent", "held", "hospital", "mine"]),
    ],
)
def test_the_queue_filters_by_address(client, alice, renee, query, expected):
    cases = {
        "urgent": _case(alice.office, alice, urgency="urgent"),
        "held": _case(alice.office, alice, status=S.INFO_REQUESTED),
        "hospital": _case(alice.office, alice, site_of_care_reason="Needs sedation"),
        "mine": _case(alice.office, alice, assigned_to=renee),
    }
    login(client, renee)
    response = client.get(f"{reverse('review_queue')}?{query}")
    names = {c.pk: name for name, c in cases.items()}
    assert sorted(names[c.pk] for c in response.context["cases"]) == sorted(expected)


def test_an_htmx_filter_gets_the_rows_alone(client, alice, renee, case):
    login(client, renee)
    response = client.get(reverse("review_queue") + "?urgency=standard", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="queue"' in html and "<html" not in html and case.case_number in html


def test_the_queue_shows_patients_so_each_row_is_logged(client, alice, renee, case):
    login(client, renee)
    client.get(reverse("review_queue"))
    assert AccessLog.objects.filter(user=renee, object_id=str(case.pk)).exists()


@pytest.mark.parametrize("who", ["alice", "charlie", "paula"])
def test_nobody_but_reviewers_sees_any_review_address(client, request, case, who):
    login(client, request.getfixturevalue(who))
    for url in (
        reverse("review_queue"),
        reverse("review_case", args=[case.case_number]),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("review_claim", "review_release", "review_reassign"):
        assert client.post(reverse(name, args=[case.case_number])).status_code == 404, name
    url = reverse("review_action", args=[case.case_number, "approve"])
    assert client.post(url, {"expected": S.IN_REVIEW}).status_code == 404
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW and case.assigned_to is None


# --- claims -------------------------------------------------------------------------------------


def test_a_claimed_case_is_the_claimants_and_another_is_told_who(case, renee, arjun):
    services.case_claim(case=case, reviewer=renee)
    with pytest.raises(services.ClaimTakenError) as taken:
        services.case_claim(case=case, reviewer=arjun)
    assert taken.value.holder == renee
    services.case_claim(case=case, reviewer=renee)  # again: still hers, no second event
    assert CaseEvent.objects.filter(case=case, kind="claimed").count() == 1
    with pytest.raises(TransitionError):
        services.case_reassign(case=case, reviewer=renee, to=arjun)  # a nurse cannot
    services.case_reassign(case=case, reviewer=arjun, to=arjun)
    case.refresh_from_db()
    assert case.assigned_to == arjun
    services.case_release(case=case, reviewer=arjun)
    case.refresh_from_db()
    assert case.assigned_to is None


def test_only_the_holder_acts(case, renee, arjun):
    with pytest.raises(TransitionError, match="Claim the case"):
        services.case_approve(case=case, reviewer=renee, expected=S.IN_REVIEW, quantities={})
    services.case_claim(case=case, reviewer=arjun)
    with pytest.raises(TransitionError, match="Another reviewer"):
        services.case_approve(case=case, reviewer=renee, expected=S.IN_REVIEW, quantities={})
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW


# --- the review page ----------------------------------------------------------------------------


def test_the_review_page_shows_what_was_submitted_and_logs_it(client, alice, renee, case):
    older = _case(alice.office, alice, member=case.member, status=S.DENIED)
    case.determination_reasons = ["Conservative care: not met (six weeks of therapy)"]
    case.notes = "Pain for three months."
    case.save()
    login(client, renee)
    html = client.get(reverse("review_case", args=[case.case_number])).content.decode()
    assert "Conservative care: not met" in html and "Pain for three months." in html
    assert older.case_number in html  # the member's other cases
    assert "Claim this case" in html
    assert AccessLog.objects.filter(user=renee, object_id=str(case.pk)).exists()


def test_a_reviewer_opens_the_documents_and_another_office_does_not(
    client, alice, charlie, renee, case
):
    from cases.models import Attachment

    attachment = Attachment.objects.create(
        case=case,
        original_name="notes.pdf",
        stored_name="x1.pdf",
        file=SimpleUploadedFile("x1.pdf", PDF),
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=alice,
    )
    url = reverse("case_attachment", args=[case.case_number, attachment.pk])
    login(client, renee)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    login(client, charlie)
    assert client.get(url).status_code == 404


# --- actions ------------------------------------------------------------------------------------


def _act(client, case, action, data, expected=None):
    return client.post(
        reverse("review_action", args=[case.case_number, action]),
        {"expected": expected or case.status, **data},
    )


def test_a_nurse_approves_with_the_quantity_and_notices_are_owed(
    client, renee, case, django_capture_on_commit_callbacks
):
    services.case_claim(case=case, reviewer=renee)
    procedure = case.procedures.get()
    login(client, renee)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, case, "approve", {f"quantity_{procedure.pk}": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.APPROVED and case.authorization_number.startswith("A")
    assert case.expiration_date and case.assigned_to is None
    assert case.procedures.get().quantity_approved == 1
    decision = Decision.objects.get(case=case)
    assert decision.decided_by == renee and decision.outcome == S.APPROVED
    assert set(Notice.objects.filter(case=case).values_list("recipient", flat=True)) == {
        "ordering_provider",
        "member",
        "facility",
    }


def test_a_nurse_cannot_deny_or_partially_approve(client, renee, case, reason):
    services.case_claim(case=case, reviewer=renee)
    login(client, renee)
    denied = _act(client, case, "deny", {"reason": reason.pk, "explanation": "No therapy."})
    assert denied.status_code == 409
    CaseProcedure.objects.filter(case=case).update(quantity_requested=2)
    procedure = case.procedures.get()
    partial = _act(client, case, "approve", {f"quantity_{procedure.pk}": "1"})
    assert partial.status_code == 409
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW and not Decision.objects.exists()


def test_a_physician_denies_with_a_reason_and_its_guideline(client, arjun, case, reason):
    services.case_claim(case=case, reviewer=arjun)
    login(client, arjun)
    missing = _act(client, case, "deny", {"reason": reason.pk, "explanation": ""})
    assert missing.status_code == 400  # what was chosen stays; nothing is decided
    response = _act(client, case, "deny", {"reason": reason.pk, "explanation": "None tried."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.DENIED
    decision = Decision.objects.get(case=case)
    assert decision.denial_reason == reason and decision.guideline == reason.guideline


def test_a_case_decided_meanwhile_is_not_decided_twice(client, arjun, case, reason):
    services.case_claim(case=case, reviewer=arjun)
    login(client, arjun)
    procedure = case.procedures.get()
    assert _act(client, case, "approve", {f"quantity_{procedure.pk}": "1"}).status_code == 302
    again = _act(
        client, case, "deny", {"reason": reason.pk, "explanation": "x"}, expected=S.IN_REVIEW
    )
    assert again.status_code == 409
    case.refresh_from_db()
    assert case.status == S.APPROVED and Decision.objects.count() == 1


def test_escalation_needs_a_note_and_frees_the_case_for_a_physician(client, renee, case):
    services.case_claim(case=case, reviewer=renee)
    login(client, renee)
    assert _act(client, case, "escalate", {"note": ""}).status_code == 400
    assert _act(client, case, "escalate", {"note": "Is PT enough?"}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.MD_REVIEW and case.assigned_to is None


# --- requests for information: the reviewer asks, the office answers -----------------------


def test_the_office_answers_and_the_case_returns_with_a_new_clock(
    client, alice, charlie, renee, case
):
    services.case_claim(case=case, reviewer=renee)
    login(client, renee)
    items = "Office notes of the last visit\nReport of the lumbar x-rays"
    assert _act(client, case, "request_info", {"items": items}).status_code == 302
    case.refresh_from_db()
    hold = InformationRequest.objects.get(case=case)
    assert case.status == S.INFO_REQUESTED and case.review_due_at == hold.due_at
    assert hold.items == ["Office notes of the last visit", "Report of the lumbar x-rays"]

    login(client, alice)
    page = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "Additional Information Required" in page and "Report of the lumbar x-rays" in page
    answer_url = reverse("case_answer", args=[case.case_number])
    empty = client.post(answer_url, {"text": ""})
    assert (
        empty.status_code == 400 and "Add a note or at least one document" in empty.content.decode()
    )
    login(client, charlie)
    assert client.post(answer_url, {"text": "Here"}).status_code == 404

    login(client, alice)
    before = timezone.now()
    sent = client.post(
        answer_url,
        {"text": "Notes attached.", "files": [SimpleUploadedFile("visit.pdf", PDF)]},
    )
    assert sent.status_code == 302
    case.refresh_from_db()
    hold.refresh_from_db()
    assert case.status == S.IN_REVIEW and hold.answered_by == alice
    assert case.clock_started_at >= before and case.review_due_at > before
    assert case.attachments.get().original_name == "visit.pdf"
    again = client.post(answer_url, {"text": "More"})
    assert again.status_code == 400 and "closed" in again.content.decode()
    timeline = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "Information requested: Office notes" in timeline and "Information sent" in timeline
    assert "Nurse reviewer" in timeline


def test_a_hold_past_its_due_time_is_denied_once(case, renee, alice):
    services.case_claim(case=case, reviewer=renee)
    services.case_request_info(case=case, reviewer=renee, expected=S.IN_REVIEW, items=["Notes"])
    hold = InformationRequest.objects.get(case=case)
    assert services.holds_expire_due(now=hold.due_at) == 0  # due at that instant: not yet past
    later = hold.due_at + timedelta(seconds=1)
    assert services.holds_expire_due(now=later) == 1
    assert services.holds_expire_due(now=later) == 0  # run twice: one denial
    case.refresh_from_db()
    assert case.status == S.DENIED
    assert CaseEvent.objects.filter(case=case, to_status=S.DENIED).count() == 1
    assert Decision.objects.get(case=case).decided_by is None


def test_an_answered_hold_is_never_denied(case, renee, alice):
    from cases.services import info_request_answer

    services.case_claim(case=case, reviewer=renee)
    services.case_request_info(case=case, reviewer=renee, expected=S.IN_REVIEW, items=["Notes"])
    hold = InformationRequest.objects.get(case=case)
    info_request_answer(case=case, user=alice, text="Here they are.")
    assert services.holds_expire_due(now=hold.due_at + timedelta(days=30)) == 0
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW
