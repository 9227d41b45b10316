import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clinical import codesets
from clinical.engine import PathwayError
from clinical.models import PathwayVersion
from clinical.selectors import compiled_pathway, pathway_version_for
from clinical.services import pathways_load
from tests.clinical.pathways.test_mri_knee import CHRONIC
from tests.conftest import login

KNEE_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "pathways" / "mri-knee.json"


@pytest.fixture
def codes(db):
    codesets.load_programs()
    codesets.load_procedure_codes()


@pytest.fixture
def knee_dir(tmp_path, codes):
    shutil.copy(KNEE_FILE, tmp_path / "mri-knee.json")
    return tmp_path


def _write_version(directory: Path, version: str, **changes) -> None:
    data = json.loads(KNEE_FILE.read_text())
    data.update(version=version, **changes)
    (directory / f"mri-knee-{version}.json").write_text(json.dumps(data))


def test_load_is_idempotent_and_keeps_versions(knee_dir):
    first = pathways_load(directory=knee_dir)
    again = pathways_load(directory=knee_dir)
    assert len(first.created) == 1 and again.created == [] and len(again.unchanged) == 1
    version = PathwayVersion.objects.get()
    assert sorted(version.procedure_codes.values_list("code", flat=True)) == [
        "73721",
        "73722",
        "73723",
    ]
    assert version.questionnaire["resourceType"] == "Questionnaire"


def test_changed_content_under_the_same_version_is_refused(knee_dir):
    pathways_load(directory=knee_dir)
    data = json.loads(KNEE_FILE.read_text())
    data["title"] = "Edited"
    (knee_dir / "mri-knee.json").write_text(json.dumps(data))
    with pytest.raises(PathwayError, match="new version number"):
        pathways_load(directory=knee_dir)
    assert PathwayVersion.objects.get().pathway.title != "Edited"


def test_a_bad_file_loads_nothing(knee_dir):
    _write_version(knee_dir, "2026.2", procedure_codes=["99999"])
    with pytest.raises(CommandError, match="unknown procedure codes 99999"):
        call_command("load_pathways", directory=knee_dir)
    assert not PathwayVersion.objects.exists()


def test_version_selection_by_date_age_and_plan(knee_dir, demo_payers):
    from payers.models import HealthPlan

    _write_version(knee_dir, "2027.1", effective_date="2027-01-01")
    _write_version(knee_dir, "2026.9-peds", age_min=0, age_max=18, effective_date="2026-06-01")
    pathways_load(directory=knee_dir)
    plan = HealthPlan.objects.get(name="Buckeye Community Health Plan")
    plan_version = PathwayVersion.objects.get(version="2026.9-peds")
    pick = lambda **kw: pathway_version_for(procedure_code="73721", **kw).version  # noqa: E731
    assert pick(on_date=date(2026, 3, 1), age=40) == "2026.1"
    assert pick(on_date=date(2026, 12, 31), age=12) == "2026.9-peds"  # age band, later start
    assert pick(on_date=date(2026, 12, 31), age=40) == "2026.1"
    assert pick(on_date=date(2027, 1, 1), age=40) == "2027.1"
    assert pathway_version_for(procedure_code="73721", on_date=date(2025, 12, 31), age=40) is None
    assert pathway_version_for(procedure_code="70450", on_date=date(2026, 3, 1), age=40) is None
    plan_version.health_plan = plan
    plan_version.age_min = plan_version.age_max = None
    plan_version.save()
    assert pick(on_date=date(2027, 6, 1), age=40, health_plan_id=plan.pk) == "2026.9-peds"
    assert pick(on_date=date(2027, 6, 1), age=40, health_plan_id=None) == "2027.1"


def test_compiled_pathway_is_cached_per_version(knee_dir):
    pathways_load(directory=knee_dir)
    version = PathwayVersion.objects.get()
    assert compiled_pathway(version) is compiled_pathway(PathwayVersion.objects.get())


@pytest.fixture
def loaded(codes):
    pathways_load()


def test_admin_shows_versions_read_only(client, paula, loaded):
    login(client, paula)
    version = PathwayVersion.objects.get(pathway__slug="mri-knee")
    assert client.get(reverse("admin:clinical_pathway_changelist")).status_code == 200
    page = client.get(reverse("admin:clinical_pathwayversion_change", args=[version.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "KNEE-CHRONIC" in html and "&quot;resourceType&quot;: &quot;Questionnaire&quot;" in html
    assert client.get(reverse("admin:clinical_pathwayversion_add")).status_code == 403


def test_admin_pathways_refused_to_office_users(client, alice, loaded):
    login(client, alice)
    assert client.get(reverse("admin:clinical_pathwayversion_changelist")).status_code == 302


def _post(client, answers, action="check", age=45, htmx=False, procedure="73721"):
    data = {"age": age, "sex": "F", "procedure": procedure, "action": action}
    for key, value in answers.items():
        data[f"pw-{key}"] = value
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("pathway_try", args=["mri-knee"]), data, headers=headers)


def test_demo_meets_criteria_with_the_reason(client, alice, loaded):
    login(client, alice)
    response = _post(client, CHRONIC)
    evaluation = response.context["evaluation"]
    assert evaluation.outcome == "meets_criteria"
    html = response.content.decode()
    assert "Meets criteria" in html and "KNEE-CHRONIC" in html


def test_demo_needs_review_lists_what_was_not_met(client, alice, loaded):
    login(client, alice)
    response = _post(client, {**CHRONIC, "conservative_weeks": "3"})
    assert response.context["evaluation"].outcome == "needs_review"
    html = response.content.decode()
    assert "Needs clinical review" in html and "is at least 6" in html


def test_demo_keeps_answers_and_shows_errors_on_check_only(client, alice, loaded):
    login(client, alice)
    partial = {"cancer": "false", "indication": "chronic_pain", "conservative_weeks": "abc"}
    refresh = _post(client, partial, action="refresh")
    assert refresh.context["evaluation"] is None
    assert not any(q.error for q in refresh.context["questions"])
    check = _post(client, partial)
    assert check.context["evaluation"] is None
    errors = {q.item.link_id: q.error for q in check.context["questions"] if q.error}
    assert errors["conservative_weeks"] == "Enter a whole number."
    assert "xray_done" in errors
    assert 'value="abc"' in check.content.decode()  # what was typed is kept


def test_follow_up_questions_appear_with_htmx_and_without(client, alice, loaded):
    login(client, alice)
    before = _post(client, {}, action="refresh", htmx=True)
    shown = [q.item.link_id for q in before.context["questions"]]
    assert "indication" not in shown and "cancer_context" not in shown
    after = _post(client, {"cancer": "true"}, action="refresh", htmx=True)
    assert "cancer_context" in [q.item.link_id for q in after.context["questions"]]
    no_js = _post(client, {"cancer": "false"}, action="refresh")
    assert "indication" in [q.item.link_id for q in no_js.context["questions"]]
    child = _post(client, {"cancer": "false"}, action="refresh", age=12)
    assert "peds_physis" in [q.item.link_id for q in child.context["questions"]]


def test_demo_pages_need_login_and_a_known_pathway(client, alice, loaded):
    assert client.get(reverse("pathway_list")).status_code == 302
    login(client, alice)
    listing = client.get(reverse("pathway_list"))
    assert "MRI of the knee" in listing.content.decode()
    assert client.get(reverse("pathway_try", args=["no-such-pathway"])).status_code == 404
    bad_facts = _post(client, CHRONIC, age=-3)
    assert bad_facts.context["evaluation"] is None
    assert "age" in bad_facts.context["facts_form"].errors


def test_load_pathways_reports_a_malformed_file_without_a_traceback(knee_dir):
    (knee_dir / "broken.json").write_text('{"slug": "broken"}')
    with pytest.raises(CommandError, match="lacks"):
        call_command("load_pathways", directory=knee_dir)
    (knee_dir / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_pathways", directory=knee_dir)


def test_demo_takes_diagnosis_codes(client, alice, loaded):
    login(client, alice)
    data = {
        "age": 60,
        "sex": "F",
        "procedure": "78815",
        "diagnoses": "C34.90, r91.1",
        "action": "refresh",
    }
    response = client.post(reverse("pathway_try", args=["oncologic-pet"]), data)
    assert response.status_code == 200
    assert response.context["facts_form"].cleaned_data["diagnoses"] == ("C34.90", "R91.1")


def test_a_retired_version_is_not_offered_in_the_demo(client, alice, loaded):
    version = PathwayVersion.objects.get(pathway__slug="mri-knee")
    version.end_date = date(2026, 1, 31)
    version.save()
    login(client, alice)
    assert client.get(reverse("pathway_try", args=["mri-knee"])).status_code == 404
