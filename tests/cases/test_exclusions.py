"""Settings excluded from precertification (reference/000, reference/003): the emergency room,
observation, an inpatient stay, and imaging used during an interventional procedure or
surgery. A plan policy says which apply; the wizard offers each as where the study is done."""

import pytest

from cases.forms import ServiceForm
from cases.models import Case, CaseStatus
from payers.models import PlanPolicy
from tests.cases.test_wizard import KNEE, build
from tests.conftest import login

DURING_PROCEDURE = "Imaging used during an interventional procedure or surgery does not require "


def test_imaging_during_a_procedure_is_an_excluded_setting_by_default():
    policy = PlanPolicy()
    assert policy.excluded_settings == {"emergency", "observation", "inpatient", "procedure"}
    policy.exclude_procedure = False
    assert "procedure" not in policy.excluded_settings


def test_the_service_step_offers_imaging_during_a_procedure_or_surgery():
    places = dict(ServiceForm.PLACES)
    assert places["procedure"] == "During an interventional procedure or surgery"


def test_imaging_during_surgery_needs_no_authorization(client, alice, world):
    login(client, alice)
    _, response = build(client, world, service={**KNEE, "place": "procedure"}, upto="confirm")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.NOT_REQUIRED
    assert case.place_of_service == "procedure"
    assert case.determination_reasons == [DURING_PROCEDURE + "precertification."]
    html = client.get(response.url).content.decode()
    assert "No authorization required" in html and DURING_PROCEDURE in html


@pytest.mark.parametrize("excluded", [True, False])
def test_the_plan_policy_decides_whether_the_procedure_setting_is_excluded(
    client, alice, world, excluded
):
    PlanPolicy.objects.filter(health_plan=world["plan"]).update(exclude_procedure=excluded)
    login(client, alice)
    _, response = build(client, world, service={**KNEE, "place": "procedure"}, upto="site")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()  # the confirmation page
    assert ("No authorization is required" in page) is excluded
