"""Two reviewers at once, on PostgreSQL with real threads: one claim wins, one decision lands."""

import threading

import pytest
from django.db import connection

from cases.models import CaseEvent, CaseStatus, Decision
from review import services
from tests.factories import UserFactory
from tests.review.test_workbench import _case

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n, call):
        try:
            start.wait()
            results[n] = call()
        except Exception as exc:  # noqa: BLE001 (the result under test)
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_claims_at_once_one_wins_and_the_other_is_told_who(alice):
    case = _case(alice.office, alice)
    nurses = [UserFactory(username=f"rn{n}", role="nurse", office=None) for n in range(2)]
    results = _race(*[lambda n=n: services.case_claim(case=case, reviewer=n) for n in nurses])
    lost = [r for r in results if isinstance(r, services.ClaimTakenError)]
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].holder == won[0].assigned_to
    assert CaseEvent.objects.filter(case=case, kind="claimed").count() == 1


def test_two_decisions_at_once_one_lands(alice):
    case = _case(alice.office, alice)
    doctor = UserFactory(username="md1", role="physician", office=None)
    services.case_claim(case=case, reviewer=doctor)
    from payers.models import DenialReason

    reason = DenialReason.objects.create(text="Not indicated.", guideline="General")
    approve = lambda: services.case_approve(  # noqa: E731
        case=case, reviewer=doctor, expected=CaseStatus.IN_REVIEW, quantities={}
    )
    deny = lambda: services.case_deny(  # noqa: E731
        case=case, reviewer=doctor, expected=CaseStatus.IN_REVIEW, reason=reason, explanation="x"
    )
    results = _race(approve, deny)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    case.refresh_from_db()
    assert case.status in (CaseStatus.APPROVED, CaseStatus.DENIED)
    assert Decision.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="status").count() == 1
