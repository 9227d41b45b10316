"""The date of service the answer is given for: intervals count to it, rules apply on it, an
approval's validity runs from it. Alice builds, Charlie is elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus
from tests.cases.test_wizard import MEMBER, build
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
