"""Peer-to-peer (issue 12): physicians publish times, the office books one for its case in a
two-step formtools wizard, one slot is never booked twice, and what is offered follows plan
policy and the case's state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, CaseStatus, PeerToPeerSlot
from cases.services import AnswerRefusedError, p2p_book, p2p_offer
from payers.models import PlanPolicy
from review import services
from tests.conftest import login
from tests.review.test_workbench import _case

S = CaseStatus


@pytest.fixture
def slots(arjun):
    start = timezone.now() + timedelta(days=1)
    assert services.p2p_slots_publish(physician=arjun, starts_at=start, minutes=15, count=3) == 3
    assert services.p2p_slots_publish(physician=arjun, starts_at=start, minutes=15, count=1) == 0
    return list(PeerToPeerSlot.objects.order_by("starts_at"))


def _book(client, case, slot, name="Dr. Alvarez", phone="602-555-0199"):
    url = reverse("case_p2p", args=[case.case_number])
    prefix = f"p2p_{case.case_number}"
    step = f"{prefix}-current_step"
    first = client.post(url, {step: "time", "time-slot": slot.pk})
    if first.status_code != 200:
        return first
    return client.post(
        url, {step: "caller", "caller-caller_name": name, "caller-caller_phone": phone}
    )


def test_only_physicians_publish_and_in_the_future(renee, arjun):
    with pytest.raises(services.TransitionError):
        services.p2p_slots_publish(
            physician=renee, starts_at=timezone.now() + timedelta(days=1), minutes=15, count=1
        )
    with pytest.raises(services.TransitionError):
        services.p2p_slots_publish(
            physician=arjun, starts_at=timezone.now() - timedelta(hours=1), minutes=15, count=1
        )


def test_the_office_books_a_time_in_two_steps(client, alice, slots):
    case = _case(alice.office, alice)
    login(client, alice)
    page = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "Book a peer-to-peer" in page and "may change the outcome" in page
    response = _book(client, case, slots[0])
    assert response.status_code == 302
    slots[0].refresh_from_db()
    assert slots[0].case == case and slots[0].caller_phone == "(602) 555-0199"
    assert CaseEvent.objects.filter(case=case, kind="p2p_booked").exists()
    page = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "Booked:" in page and "Book a peer-to-peer" not in page  # one at a time


def test_one_slot_is_never_booked_twice(alice, bob, slots):
    first, second = _case(alice.office, alice), _case(alice.office, alice)
    p2p_book(case=first, user=alice, slot_id=slots[0].pk, caller_name="A", caller_phone="1")
    with pytest.raises(AnswerRefusedError, match="just booked"):
        p2p_book(case=second, user=bob, slot_id=slots[0].pk, caller_name="B", caller_phone="2")
    slots[0].refresh_from_db()
    assert slots[0].case == first


@pytest.mark.parametrize(
    ("status", "policy", "offered", "consultative"),
    [
        (S.IN_REVIEW, {}, True, False),
        (S.IN_REVIEW, {"p2p_before_decision": False}, False, False),
        (S.DENIED, {}, True, False),
        (S.DENIED, {"p2p_consultative_only": True}, True, True),  # Medicare Advantage
        (S.DENIED, {"p2p_after_decision": False}, False, False),
        (S.APPROVED, {}, False, False),
    ],
)
def test_what_is_offered_follows_policy_and_state(alice, status, policy, offered, consultative):
    extra = {"authorization_number": "A1", "expiration_date": "2027-01-01"}
    case = _case(alice.office, alice, status=status, **(extra if status == S.APPROVED else {}))
    offer = p2p_offer(case=case, policy=PlanPolicy(**policy))
    assert (offer.offered, offer.consultative_only) == (offered, consultative)
    if consultative:
        assert "cannot change" in offer.message


def test_the_physician_records_the_outcome_on_the_timeline(client, alice, arjun, priya, slots):
    case = _case(alice.office, alice)
    p2p_book(case=case, user=alice, slot_id=slots[0].pk, caller_name="A", caller_phone="1")
    with pytest.raises(services.TransitionError):
        services.p2p_outcome_record(slot=slots[0], physician=priya, outcome="x")
    login(client, arjun)
    assert client.get(reverse("review_p2p")).status_code == 200
    client.post(reverse("review_p2p"), {"slot": slots[0].pk, "outcome": "PT started: approve."})
    slots[0].refresh_from_db()
    assert slots[0].outcome == "PT started: approve."
    login(client, alice)
    page = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "Peer-to-peer held: PT started" in page


@pytest.mark.parametrize("who", ["charlie", "renee"])
def test_booking_and_the_times_page_are_for_their_own_users(client, request, alice, slots, who):
    case = _case(alice.office, alice)
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("case_p2p", args=[case.case_number])).status_code in (403, 404)
    if who == "charlie":
        assert client.get(reverse("case_p2p", args=[case.case_number])).status_code == 404
    assert client.get(reverse("review_p2p")).status_code == 404
