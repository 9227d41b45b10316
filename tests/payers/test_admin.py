from datetime import date

import pytest
from django.urls import reverse

from payers.models import BenefitPlan, CodeRule, HealthPlan, Member, PlanPolicy
from portal.models import AccessLog
from tests.conftest import login

ADMIN_PAGES = [
    "admin:payers_healthplan_changelist",
    "admin:payers_benefitplan_changelist",
    "admin:payers_planprogram_changelist",
    "admin:payers_coderule_changelist",
    "admin:payers_planpolicy_changelist",
    "admin:payers_networkparticipation_changelist",
    "admin:payers_member_changelist",
    "admin:clinical_program_changelist",
    "admin:clinical_procedurecode_changelist",
    "admin:clinical_diagnosiscode_changelist",
    "admin:payers_coderule_add",
    "admin:payers_planpolicy_add",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_load_for_the_plan_admin(client, paula, demo_payers, name):
    login(client, paula)
    response = client.get(reverse(name) + "?q=7372")
    assert response.status_code == 200


def test_admin_change_pages_load(client, paula, demo_payers):
    login(client, paula)
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    for url in (
        reverse("admin:payers_healthplan_change", args=[plan.pk]),
        reverse("admin:payers_coderule_change", args=[CodeRule.objects.first().pk]),
        reverse("admin:payers_planpolicy_change", args=[PlanPolicy.objects.first().pk]),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["admin:index", *ADMIN_PAGES[:3]])
def test_admin_is_refused_to_office_users(client, alice, demo_payers, name):
    login(client, alice)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_reading_a_member_in_admin_is_logged(client, paula, demo_payers):
    login(client, paula)
    member = Member.objects.get(member_id="SAG100200301")
    client.get(reverse("admin:payers_member_change", args=[member.pk]))
    assert AccessLog.objects.filter(user=paula, object_id=str(member.pk)).exists()


def test_member_of_another_plans_benefit_plan_is_refused(client, paula, demo_payers):
    login(client, paula)
    member = Member.objects.get(member_id="SAG100200301")
    other_bp = BenefitPlan.objects.get(name="Blue Advantage PPO")
    data = {
        "health_plan": member.health_plan_id,
        "benefit_plan": other_bp.pk,
        "member_id": "SAG100200301",
        "first_name": "Olivia",
        "last_name": "Marsh",
        "date_of_birth": "1971-03-14",
        "sex": "F",
        "phone": "",
        "coverage_start": "2020-01-01",
        "coverage_end": "",
    }
    response = client.post(reverse("admin:payers_member_change", args=[member.pk]), data)
    assert response.status_code == 200
    assert "belongs to another health plan" in response.content.decode()


def test_plan_admin_ends_a_code_rule_and_the_lookup_changes(client, paula, alice, demo_payers):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    rule = CodeRule.objects.get(health_plan=plan, procedure_code__code="73721")
    lookup = {
        "health_plan": plan.pk,
        "member_id": "SAG100200301",
        "date_of_birth": "1971-03-14",
        "date_of_service": "2026-11-23",
        "procedure_code": "73721",
    }
    login(client, alice)
    before = client.post(reverse("eligibility_lookup"), lookup)
    assert before.context["procedure_answer"].answer == "required"

    login(client, paula)
    response = client.post(
        reverse("admin:payers_coderule_change", args=[rule.pk]),
        {
            "health_plan": plan.pk,
            "line_of_business": "",
            "program": rule.program_id,
            "procedure_code": rule.procedure_code_id,
            "requires_auth": "on",
            "effective_date": rule.effective_date.isoformat(),
            "end_date": "2026-06-30",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.end_date == date(2026, 6, 30)

    login(client, alice)
    after = client.post(reverse("eligibility_lookup"), lookup)
    assert after.context["procedure_answer"].answer == "not_required"


def test_listing_or_searching_members_in_admin_is_logged(client, paula, demo_payers):
    login(client, paula)
    client.get(reverse("admin:payers_member_changelist"), {"q": "SAG100200301"})
    member = Member.objects.get(member_id="SAG100200301")
    entry = AccessLog.objects.get(user=paula, object_id=str(member.pk))
    assert entry.action == "search" and "SAG100200301" in entry.detail


def test_member_ids_are_stored_as_they_are_looked_up(demo_payers):
    member = Member.objects.get(member_id="SAG100200301")
    member.member_id = "sag 100 200 301"
    member.save()
    assert Member.objects.get(pk=member.pk).member_id == "SAG100200301"


def test_a_code_rule_for_another_programs_code_is_refused(demo_payers):
    from django.core.exceptions import ValidationError

    from clinical.models import Program

    rule = CodeRule.objects.first()
    rule.program = Program.objects.get(code="sleep")
    with pytest.raises(ValidationError, match="belongs to"):
        rule.full_clean()
