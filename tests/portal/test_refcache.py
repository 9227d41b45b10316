"""Reference rows kept between requests: read once, and never used after they change."""

from datetime import date

import pytest
from django import forms
from django.core.cache import cache

from clinical.codesets import load_procedure_codes, load_programs
from clinical.models import PathwayVersion, ProcedureCode, Program
from clinical.selectors import (
    diagnosis_by_code,
    pathway_version_for,
    procedure_by_code,
    program_by_pk,
    programs,
)
from payers.models import CodeRule, HealthPlan, PlanPolicy, PlanProgram
from payers.selectors import code_rules, health_plan_by_pk, plan_policy, program_windows
from portal.lib import refcache
from portal.lib.fields import RowChoiceField
from tests.factories import DiagnosisCodeFactory, ProcedureCodeFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_second_read_makes_no_query(django_assert_num_queries):
    ProcedureCodeFactory()
    DiagnosisCodeFactory()
    with django_assert_num_queries(3):
        assert procedure_by_code("73721").program.code == "radiology-cardiology"
        assert diagnosis_by_code("M25.562").description == "Pain in left knee"
        assert [p.code for p in programs()] == ["radiology-cardiology"]
    with django_assert_num_queries(0):
        for _ in range(3):
            assert procedure_by_code("73721").program.code == "radiology-cardiology"
            assert diagnosis_by_code("M25.562").description == "Pain in left knee"
            assert program_by_pk(programs()[0].pk).code == "radiology-cardiology"
    # A code someone typed that does not exist is not kept (typing must not fill the memory).
    with django_assert_num_queries(2):
        assert diagnosis_by_code("Z99.999") is None
        assert diagnosis_by_code("Z99.999") is None


def test_when_full_the_oldest_entries_go_first(monkeypatch):
    monkeypatch.setattr(refcache, "MAX_ENTRIES", 10)
    for i in range(10):
        refcache.cached(("n", i), lambda i=i: i)
    refcache.cached(("n", 10), lambda: 10)
    loads = []
    assert refcache.cached(("n", 9), lambda: loads.append(9) or 9) == 9
    assert refcache.cached(("n", 0), lambda: loads.append(0) or 0) == 0
    assert loads == [0]  # the newest stayed, the oldest was read again


def test_a_saved_row_is_read_again(demo_payers):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    policy = plan_policy(health_plan=plan, line_of_business="commercial")
    before = policy.validity_days
    changed = PlanPolicy.objects.get(pk=policy.pk)
    changed.validity_days = before + 30
    changed.save()
    assert plan_policy(health_plan=plan, line_of_business="commercial").validity_days == before + 30


def test_deleted_rows_are_gone(demo_payers):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    program = Program.objects.get(code="radiology-cardiology")
    assert program_windows(health_plan=plan)
    assert code_rules(health_plan=plan, program=program, code="73721")
    PlanProgram.objects.filter(health_plan=plan).delete()
    CodeRule.objects.filter(health_plan=plan, procedure_code__code="73721").delete()
    assert program_windows(health_plan=plan) == []
    assert code_rules(health_plan=plan, program=program, code="73721") == []


def test_a_change_in_another_process_is_seen_by_the_next_request(demo_payers):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    assert health_plan_by_pk(plan.pk).name == plan.name
    # Another process renames the plan: its save bumps the shared generation; here, only the
    # database and the shared cache change (no signal reaches this process).
    HealthPlan.objects.filter(pk=plan.pk).update(name="Saguaro Renamed")
    cache.incr(refcache.GENERATION_KEY)
    assert health_plan_by_pk(plan.pk).name == plan.name  # the same request keeps what it read
    refcache._request_started()  # the next request looks at the generation first
    assert health_plan_by_pk(plan.pk).name == "Saguaro Renamed"
    refcache._request_finished()


def test_a_request_keeps_one_generation_from_start_to_end(demo_payers, monkeypatch):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    refcache._request_started()
    try:
        health_plan_by_pk(plan.pk)
        HealthPlan.objects.filter(pk=plan.pk).update(name="Saguaro Renamed")
        cache.incr(refcache.GENERATION_KEY)
        later = refcache.time.monotonic() + refcache.RECHECK_SECONDS + 0.1
        monkeypatch.setattr(refcache.time, "monotonic", lambda: later)
        assert health_plan_by_pk(plan.pk).name == plan.name  # a long request: still what it read
    finally:
        refcache._request_finished()
    assert health_plan_by_pk(plan.pk).name == "Saguaro Renamed"  # outside it, read again


def test_outside_requests_the_generation_is_read_again_after_a_second(demo_payers, monkeypatch):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    health_plan_by_pk(plan.pk)
    HealthPlan.objects.filter(pk=plan.pk).update(name="Saguaro Renamed")
    cache.incr(refcache.GENERATION_KEY)
    clock = refcache.time.monotonic() + refcache.RECHECK_SECONDS + 0.1
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock)
    assert health_plan_by_pk(plan.pk).name == "Saguaro Renamed"


def test_a_lost_shared_generation_never_comes_back_to_an_old_number(demo_payers):
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    health_plan_by_pk(plan.pk)
    held = cache.get(refcache.GENERATION_KEY)
    cache.clear()  # Redis restarted: no generation at all
    HealthPlan.objects.filter(pk=plan.pk).update(name="Saguaro Renamed")
    refcache._request_started()  # a process that did not see the change, at its next request
    assert health_plan_by_pk(plan.pk).name == "Saguaro Renamed"
    refcache._request_finished()
    assert cache.get(refcache.GENERATION_KEY) != held


def test_bulk_loads_drop_what_was_kept():
    load_programs()
    load_procedure_codes()
    knee = procedure_by_code("73721")
    ProcedureCode.objects.filter(code="73721").update(is_active=False)
    refcache.clear()
    assert procedure_by_code("73721") is None  # inactive: not offered
    assert procedure_by_code("73721", active_only=False) is not None  # a draft's code stays
    ProcedureCode.objects.filter(code="73721").update(description="changed")
    load_procedure_codes()  # puts the descriptions back, with a bulk upsert (no signals)
    assert procedure_by_code("73721", active_only=False).description == knee.description


def test_a_pathways_procedure_codes_changing_is_seen(world):
    version = pathway_version_for(
        procedure_code="73721", on_date=date(2026, 12, 1), age=55, health_plan_id=None
    )
    assert version is not None
    version = PathwayVersion.objects.get(pk=version.pk)
    version.procedure_codes.remove(ProcedureCode.objects.get(code="73721"))
    assert (
        pathway_version_for(
            procedure_code="73721", on_date=date(2026, 12, 1), age=55, health_plan_id=None
        )
        is None
    )


class PlanForm(forms.Form):
    plan = RowChoiceField(empty_label="Please select a health plan")


def test_row_choice_field_cleans_to_the_row_and_refuses_others():
    rows = [ProgramFactory(code="a", name="A"), ProgramFactory(code="b", name="B")]
    form = PlanForm({"plan": str(rows[1].pk)})
    form.fields["plan"].set_rows(rows)
    assert form.is_valid() and form.cleaned_data["plan"] == rows[1]
    assert [c[1] for c in form.fields["plan"].choices] == ["Please select a health plan", "A", "B"]
    other = PlanForm({"plan": "999999"})
    other.fields["plan"].set_rows(rows)
    assert not other.is_valid() and "Select a valid choice" in other.errors["plan"][0]
    empty = PlanForm({"plan": ""})
    empty.fields["plan"].set_rows(rows)
    assert not empty.is_valid() and "required" in empty.errors["plan"][0]
    initial = PlanForm(initial={"plan": rows[0]})
    initial.fields["plan"].set_rows(rows)
    assert initial["plan"].value() == rows[0].pk
    assert f'value="{rows[0].pk}" selected' in str(initial["plan"])
