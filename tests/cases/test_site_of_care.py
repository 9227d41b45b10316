"""Networks and sites of care (issue 11, item 16): the ordering practitioner's network status with
the out-of-network notice; site-of-care review only for the modalities the plan names
(reference/003: CT and MR); nearby in-network freestanding sites offered instead of a hospital."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from payers.models import HealthPlan, NetworkParticipation, PlanPolicy
from payers.selectors import NEARBY_MILES, alternative_sites
from portal.lib.geo import zip_miles
from portal.models import DirectoryProvider, validate_modalities
from tests.cases.test_wizard import build, post, step_url
from tests.cases.test_wizard_rules import _to_site
from tests.conftest import login
from tests.factories import SiteFactory

HOSPITAL = DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT
PRUITT = {  # a Yellowhammer (Alabama) member: that plan reviews hospital outpatient sites
    "performed": "no",
    "member_id": "YHA300400500",
    "date_of_birth": "1979-02-28",
    "last_name": "Pruitt",
}
TODAY = date(2026, 12, 4)


def _in_network(plan, *sites, effective="2015-01-01", end=None):
    for site in sites:
        NetworkParticipation.objects.create(
            health_plan=plan, provider=site, effective_date=effective, end_date=end
        )


# --- the rules, without pages --------------------------------------------------------------------


def test_site_of_care_review_applies_to_the_plans_modalities_only():
    policy = PlanPolicy(hospital_outpatient_site_review=True)
    assert policy.site_of_care_modalities == ["CT", "CTA", "MRI", "MRA"]  # reference/003
    assert policy.reviews_site_of_care("MRI") and policy.reviews_site_of_care("CTA")
    assert not policy.reviews_site_of_care("NM") and not policy.reviews_site_of_care("PET")
    policy.site_of_care_modalities = ["CT"]
    assert policy.reviews_site_of_care("CT") and not policy.reviews_site_of_care("MRI")
    assert not PlanPolicy(hospital_outpatient_site_review=False).reviews_site_of_care("CT")


def test_a_modality_list_holds_known_modalities_once():
    validate_modalities(["CT", "MRI"])
    validate_modalities([])
    for wrong in (["CT", "CT"], ["XRAY"], "CT", {"CT": True}):
        with pytest.raises(ValidationError):
            validate_modalities(wrong)


def test_zip_distances_come_from_centroids():
    assert zip_miles("85016", "85016") == 0
    assert 4 < zip_miles("85016", "85251") < 9  # Phoenix to Scottsdale
    assert 100 < zip_miles("850160815", "85716") < 120  # ZIP+4 reads as its 5 digits; Tucson
    assert zip_miles("85016", "00000") is None and zip_miles("85016", "") is None


@pytest.mark.django_db
def test_alternatives_are_nearby_in_network_freestanding_sites_of_the_modality(demo_payers):
    plan = HealthPlan.objects.get(name="Yellowhammer Blue Cross")
    hospital = SiteFactory(state="AL", zip_code="35801", site_type=HOSPITAL, modalities=["MRI"])
    near = SiteFactory(
        organization_name="Near MRI", state="AL", zip_code="35801", modalities=["MRI", "CT"]
    )
    farther = SiteFactory(
        organization_name="Farther MRI", state="AL", zip_code="35758", modalities=["MRI"]
    )
    ct_only = SiteFactory(
        organization_name="Zeta CT", state="AL", zip_code="35801", modalities=["CT"]
    )
    unknown = SiteFactory(state="AL", zip_code="35801", modalities=[])  # nothing says it can
    too_far = SiteFactory(state="AL", zip_code="36104", modalities=["MRI"])  # Montgomery
    out_of_network = SiteFactory(state="AL", zip_code="35801", modalities=["MRI"])
    ended = SiteFactory(state="AL", zip_code="35801", modalities=["MRI"])
    other_hospital = SiteFactory(
        state="AL", zip_code="35801", site_type=HOSPITAL, modalities=["MRI"]
    )
    other_state = SiteFactory(state="TN", zip_code="35801", modalities=["MRI"])
    _in_network(plan, near, farther, ct_only, unknown, too_far, other_hospital, other_state)
    _in_network(plan, ended, end="2026-06-30")
    assert zip_miles("35801", "36104") > NEARBY_MILES

    found = alternative_sites(health_plan=plan, near=hospital, modality="MRI", on_date=TODAY)
    assert [a.site for a in found] == [near, farther]
    assert found[0].miles == 0 and 0 < found[1].miles <= NEARBY_MILES
    assert out_of_network not in [a.site for a in found]
    before_it_ended = alternative_sites(
        health_plan=plan, near=hospital, modality="MRI", on_date=date(2026, 6, 30)
    )
    assert ended in [a.site for a in before_it_ended]
    assert [
        a.site
        for a in alternative_sites(health_plan=plan, near=hospital, modality="CT", on_date=TODAY)
    ] == [near, ct_only]
    assert (
        len(
            alternative_sites(
                health_plan=plan, near=hospital, modality="MRI", on_date=TODAY, limit=1
            )
        )
        == 1
    )


# --- the site step -------------------------------------------------------------------------------


@pytest.fixture
def alabama(world):
    plan = HealthPlan.objects.get(name="Yellowhammer Blue Cross")
    hospital = SiteFactory(
        organization_name="Huntsville Hospital Radiology",
        state="AL",
        zip_code="35801",
        site_type=HOSPITAL,
        modalities=["CT", "MRI"],
    )
    center = SiteFactory(
        organization_name="Rocket City MRI", state="AL", zip_code="35801", modalities=["MRI"]
    )
    _in_network(plan, hospital, center)
    return {"plan": plan, "hospital": hospital, "center": center}


def _choose(client, token, site):
    return client.post(
        step_url(token, "site") + "?name=Huntsville&zip_code=35801",
        {"site": site.pk, "action": "choose"},
    )


def test_a_hospital_choice_lists_alternatives_that_can_be_chosen(client, alice, world, alabama):
    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)
    html = _choose(client, token, alabama["hospital"]).content.decode()
    assert "Site-of-care review" in html and "This plan reviews MRI imaging" in html
    assert 'id="alternative-sites"' in html and "Rocket City MRI" in html
    form_id = f"alternative-{alabama['center'].pk}"
    assert f'form="{form_id}"' in html and f'id="{form_id}"' in html
    chosen = _choose(client, token, alabama["center"]).content.decode()
    assert "Selected site:</strong> Rocket City MRI" in chosen
    assert 'id="alternative-sites"' not in chosen and "Site-of-care review" not in chosen
    assert post(client, token, "site", {"site": alabama["center"].pk}).status_code == 302


def test_a_modality_the_plan_does_not_review_needs_no_reason(client, alice, world, alabama):
    PlanPolicy.objects.filter(health_plan=alabama["plan"]).update(site_of_care_modalities=["CT"])
    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)  # an MRI of the knee
    html = _choose(client, token, alabama["hospital"]).content.decode()
    assert "Site-of-care review" not in html and 'name="site_of_care_reason"' not in html
    assert "Rocket City MRI" in html  # the cheaper sites are still offered
    assert post(client, token, "site", {"site": alabama["hospital"].pk}).status_code == 302


def test_no_alternative_nearby_says_so(client, alice, world, alabama):
    DirectoryProvider.objects.filter(pk=alabama["center"].pk).update(modalities=["CT"])
    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)
    html = _choose(client, token, alabama["hospital"]).content.decode()
    assert "No in-network freestanding imaging center offering MRI" in html
    assert f"within {NEARBY_MILES} miles" in html


def test_another_office_cannot_see_the_site_step(client, alice, charlie, world, alabama):
    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)
    login(client, charlie)
    assert client.get(step_url(token, "site")).status_code == 404
    assert _choose(client, token, alabama["hospital"]).status_code == 404


# --- network status on the confirmation and the case ---------------------------------------------


def test_an_out_of_network_practitioner_is_shown_and_kept_on_the_case(
    client, alice, charlie, world
):
    PlanPolicy.objects.filter(health_plan=world["plan"], line_of_business="").update(
        out_of_network_notice="Call Saguaro network services at (602) 555-0199."
    )
    login(client, alice)
    token, _ = build(client, world, upto="site")  # Dr Alvarez: not in Saguaro's network
    confirm = client.get(step_url(token, "confirm")).content.decode()
    assert "Out-of-network notice" in confirm and "The ordering provider is" in confirm
    assert "(602) 555-0199" in confirm
    assert post(client, token, "confirm", {}).status_code == 302
    response = post(
        client, token, "clinical", {"urgency": "standard", "attest": "on", **_chronic()}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.ordering_in_network is False and case.site_in_network is True
    page = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert 'id="out-of-network"' in page and "The ordering provider is" in page
    assert "(602) 555-0199" in page
    login(client, charlie)
    assert client.get(reverse("case_detail", args=[case.case_number])).status_code == 404


def test_an_in_network_practitioner_shows_no_notice(client, alice, world):
    _in_network(world["plan"], world["doctor"])
    login(client, alice)
    token, response = build(client, world)
    case = Case.objects.get()
    assert case.ordering_in_network is True and case.site_in_network is True
    page = client.get(response.url).content.decode()
    assert 'id="out-of-network"' not in page
    assert page.count("In network") == 2


def test_network_status_is_the_one_on_the_date_of_service(client, alice, world):
    # Dr Alvarez joins the network only next year: a request for today shows out of network.
    _in_network(world["plan"], world["doctor"], effective="2027-06-01")
    login(client, alice)
    build(client, world)
    assert Case.objects.get().ordering_in_network is False


def _chronic():
    from tests.clinical.pathways.test_mri_knee import CHRONIC

    return {f"pw-{k}": v for k, v in CHRONIC.items()}


# --- the admin --------------------------------------------------------------------------------


def test_the_plan_admin_edits_the_modalities_as_check_boxes(client, paula, demo_payers):
    policy = PlanPolicy.objects.filter(hospital_outpatient_site_review=True).first()
    login(client, paula)
    url = reverse("admin:payers_planpolicy_change", args=[policy.pk])
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="site_of_care_modalities" value="CT"' in html
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, bool))
    }
    data.update({k: "on" for k, v in form.initial.items() if v is True})
    data["site_of_care_modalities"] = ["MRI", "CT"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert policy.site_of_care_modalities == ["CT", "MRI"]  # in the modalities' order


def test_a_hospital_site_the_plan_reviews_goes_to_review_even_when_criteria_are_met(
    client, alice, world, alabama
):
    from cases.models import CaseStatus
    from tests.cases.test_wizard_rules import CLINICAL

    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)
    reason = {"site": alabama["hospital"].pk, "site_of_care_reason": "Needs sedation"}
    assert post(client, token, "site", reason).status_code == 302
    assert post(client, token, "confirm", {}).status_code == 302
    assert post(client, token, "clinical", CLINICAL).status_code == 302  # criteria met
    case = Case.objects.get()
    assert case.status == CaseStatus.IN_REVIEW and case.authorization_number is None
    assert case.determination_reasons[0].startswith("Site-of-care review")
    assert "Needs sedation" in case.determination_reasons[0]


def test_a_freestanding_site_is_approved_at_once_by_the_same_plan(client, alice, world, alabama):
    from cases.models import CaseStatus
    from tests.cases.test_wizard_rules import CLINICAL

    login(client, alice)
    token = _to_site(client, world, alabama["plan"], PRUITT)
    assert post(client, token, "site", {"site": alabama["center"].pk}).status_code == 302
    assert post(client, token, "confirm", {}).status_code == 302
    assert post(client, token, "clinical", CLINICAL).status_code == 302
    assert Case.objects.get().status == CaseStatus.APPROVED
