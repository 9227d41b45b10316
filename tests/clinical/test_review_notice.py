"""What the office is told when a case goes to review (a short plain statement), what the
reviewer keeps on the case (only the rules whose branch applies), and the prior study's date
asked in the wizard."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from tests.cases.test_wizard import build
from tests.clinical.pathways.helpers import pathway
from tests.conftest import login
from tests.factories import DiagnosisCodeFactory


@pytest.fixture(autouse=True)
def _codes(world):
    DiagnosisCodeFactory(code="G43.909", description="Migraine, unspecified")
    DiagnosisCodeFactory(code="R91.1", description="Solitary pulmonary nodule")


BRAIN = {
    "procedure_code": "70551",
    "quantity": "1",
    "place": "outpatient",
    "primary_diagnosis": "G43.909",
}
MIGRAINE = {
    "cancer": "false",
    "indication": "headache",
    "headache_type": "stable_primary",
    "headache_red_flags": "none",
}


def test_the_office_sees_a_plain_statement_and_the_reviewer_list_keeps_its_branch(
    client, alice, charlie, world
):
    login(client, alice)
    _, response = build(client, world, service=BRAIN, answers=MIGRAINE)
    case = Case.objects.get()
    assert case.status == CaseStatus.IN_REVIEW
    reasons = " ".join(case.determination_reasons)
    assert "Long-standing headache with new features" in reasons
    rules = {r.id: r.reason for r in pathway("mri-brain").rules}
    for other_branch in ("BRAIN-TRAUMA", "BRAIN-STROKE", "BRAIN-SEIZ", "BRAIN-PEDS-HA"):
        assert rules[other_branch] not in reasons
    html = client.get(response.url).content.decode()
    assert "Pending clinical review" in html and "What may help" in html
    assert "not met (" not in html and "Long-standing headache with new features" not in html
    login(client, charlie)
    assert client.get(response.url).status_code == 404


NODULE = {
    "cancer": "false",
    "indication": "nodule",
    "red_flags": "none",
    "nodule_type": "solid",
    "nodule_size_mm": "5",
    "nodule_risk": "true",
    "nodule_followup": "first",
    "immunocompromised": "false",
    "prior_study": "true",
}
CHEST = {
    "procedure_code": "71250",
    "quantity": "1",
    "place": "outpatient",
    "primary_diagnosis": "R91.1",
}


@pytest.mark.parametrize(
    ("days_ago", "status"), [(340, CaseStatus.APPROVED), (100, CaseStatus.IN_REVIEW)]
)
def test_a_lung_nodule_follow_up_is_judged_on_the_prior_ct_date(
    client, alice, world, days_ago, status
):
    login(client, alice)
    studied = timezone.localdate() - timedelta(days=days_ago)
    when = f"{studied:%m/%d/%Y}"
    build(client, world, service=CHEST, answers={**NODULE, "prior_study_date": when})
    case = Case.objects.get()
    assert case.status == status, case.determination_reasons
    assert case.pathway_answers["prior_study_date"] == studied.isoformat()
    if status == CaseStatus.IN_REVIEW:
        assert "Solid nodule under 6 mm" in " ".join(case.determination_reasons)


def test_a_prior_study_date_in_the_future_is_refused_and_kept(client, alice, world):
    login(client, alice)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    token, response = build(
        client, world, service=CHEST, answers={**NODULE, "prior_study_date": later}, upto="clinical"
    )
    assert response.status_code == 200 and not Case.objects.exists()
    html = response.content.decode()
    assert "Enter a date on or before" in html and f'value="{later}"' in html
    assert 'placeholder="MM/DD/YYYY"' in html
    assert reverse("case_step", args=[token, "clinical"])


# ---------------------------------------------------------------------------------------------
# Emergencies: an answer meaning "emergency department now" is data on the answerOption, and
# the page says so in an alert that offers to mark the request urgent.

LUMBAR = {
    "procedure_code": "72148",
    "quantity": "1",
    "place": "outpatient",
    "primary_diagnosis": "M54.50",
}


def test_cauda_equina_signs_raise_an_alert_offering_to_mark_the_request_urgent(
    client, alice, charlie, world
):
    login(client, alice)
    answers = {"cancer": "false", "red_flags": ["cauda_equina"]}
    token, response = build(client, world, service=LUMBAR, answers=answers, upto="clinical")
    html = response.content.decode()
    alert = re.search(
        r'<div class="alert alert-danger[^"]*pathway-emergency" role="alert">(.*?)</div>', html
    )
    assert alert, html
    assert "emergency department now" in alert.group(1)
    assert 'for="id_urgency_1"' in alert.group(1)
    assert 'id="id_urgency_1"' in html and 'value="urgent"' in html
    # Not for an answer that is not an emergency.
    calm = client.post(
        reverse("case_step", args=[token, "clinical"]),
        {"urgency": "standard", "pw-cancer": "false", "pw-red_flags": "none", "action": "refresh"},
    )
    assert "pathway-emergency" not in calm.content.decode()
    login(client, charlie)
    assert client.get(reverse("case_step", args=[token, "clinical"])).status_code == 404


@pytest.mark.parametrize(
    ("slug", "link", "code"),
    [
        ("mri-lumbar-spine", "red_flags", "cauda_equina"),
        ("mri-brain", "headache_red_flags", "thunderclap"),
        ("ct-head", "indication", "sudden_headache"),
        ("ct-head", "indication", "head_injury"),
        ("mri-brain", "indication", "stroke_tia"),
        ("coronary-cta", "acute_features", "rest_pain"),
        ("myocardial-perfusion", "acute_features", "troponin_ecg"),
    ],
)
def test_emergency_answers_are_marked_in_the_pathway_file(slug, link, code):
    item = pathway(slug).by_link[link]
    option = next(o for o in item.options if o.code == code)
    assert "emergency department now" in option.emergency
    assert not any(o.emergency for o in item.options if o.code in ("none", "other", "headache"))
