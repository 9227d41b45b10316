"""What the wizard's steps share: the draft's state read once per request, the step page."""

from datetime import date

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import services, wizard
from cases.forms import ServiceForm
from clinical.engine import CaseFacts
from clinical.selectors import (
    diagnosis_by_code,
    pathway_version_for,
    procedure_by_code,
    program_by_pk,
)
from payers.models import HealthPlan, Member
from payers.selectors import (
    health_plan_by_pk,
    in_network_ids,
    plan_policy,
)
from portal.models import DirectoryProvider


def is_step_post(request) -> bool:
    """A step's form posted by htmx (the page swaps in the reply), not a question refresh."""
    return bool(request.htmx) and request.htmx.target == "wizard"


def render_step(request, draft, step, context, status=200):
    steps, percent = wizard.progress(draft, step)
    partial = is_step_post(request)
    base = {
        # An htmx step post gets the step area only (cases/wizard/_layout.html), else the page.
        "wizard_base": "cases/wizard/_partial.html" if partial else "base.html",
        "partial": partial,
        "step_url": reverse("case_step", args=[draft.token, step]),
        "draft": draft,
        "step": step,
        "steps": steps,
        "percent": percent,
        "can_go_back": wizard.back_from(draft, step) is not None,
    }
    return render(request, f"cases/wizard/{step}.html", {**base, **context}, status=status)


def redirect_next(draft, step):
    return redirect("case_step", token=draft.token, step=wizard.following(draft, step))


def bound_data(request, draft, step, action):
    """POST data on submit; what was typed before (Back, Finish later) when coming back."""
    if action:
        post = request.POST
        if not any("\x00" in v for _, values in post.lists() for v in values):
            return post
        saved = {k: [wizard.clean_text(v) for v in values] for k, values in post.lists()}
    else:
        saved = wizard.raw(draft, step)
    if not saved:
        return None
    query = QueryDict(mutable=True)
    for key, values in saved.items():
        query.setlist(key, values)
    return query


def unbound_initial(data, fields) -> dict:
    """What was posted for these fields, as a form's initial values (shown without errors)."""
    if data is None:
        return {}
    return {
        name: data.getlist(name) if len(data.getlist(name)) > 1 else data.get(name)
        for name in fields
        if name in data
    }


def memo(draft, key, load):
    """Read once per request: a step post renders the next step too, and both need the same."""
    values = draft.__dict__.setdefault("_request_memo", {})
    if key not in values:
        values[key] = load()
    return values[key]


def draft_plan(draft) -> HealthPlan:
    pk = wizard.data(draft, "provider")["health_plan"]
    return memo(draft, ("plan", pk), lambda: health_plan_by_pk(pk))


def draft_member(draft) -> Member:
    pk = wizard.data(draft, "member")["member"]
    return memo(
        draft,
        ("member", pk),
        lambda: Member.objects.select_related("benefit_plan", "health_plan").get(pk=pk),
    )


def member_facts(draft) -> dict:
    """Date of birth, sex and line of business of the member as verified: kept in the draft by
    the member step, so later steps need not read the member again (read for older drafts)."""
    data = wizard.data(draft, "member")
    if "line_of_business" not in data:
        member = draft_member(draft)
        return {
            "date_of_birth": member.date_of_birth,
            "sex": member.sex,
            "line_of_business": member.benefit_plan.line_of_business,
        }
    return {**data, "date_of_birth": date.fromisoformat(data["date_of_birth"])}


def draft_policy(draft):
    plan, line = draft_plan(draft), member_facts(draft)["line_of_business"]
    return memo(
        draft,
        ("policy", plan.pk, line),
        lambda: plan_policy(health_plan=plan, line_of_business=line),
    )


def _given_service_date(draft) -> date | None:
    """The date of service typed on the member step (performed or planned); None: TBD."""
    dos = wizard.data(draft, "member").get("date_of_service")
    return date.fromisoformat(dos) if dos else None


def service_date(draft) -> date:
    """The day the plan's rules are applied on: the date of service, or today when TBD."""
    return _given_service_date(draft) or timezone.localdate()


def confirmation_summary(draft) -> dict:
    steps = draft.state.get("data", {})
    key = ("summary", repr([steps.get(s) for s in wizard.LOCKED_STEPS]))
    return memo(draft, key, lambda: _summary_read(draft))


def _summary_read(draft) -> dict:
    provider, service, site = (
        wizard.data(draft, "provider"),
        wizard.data(draft, "service"),
        wizard.data(draft, "site"),
    )
    providers = DirectoryProvider.objects.in_bulk([provider["practitioner"], site["site"]])
    secondary = service["secondary_diagnosis"]
    # Both found again for the page (the site step's answer may be days old).
    networked = in_network_ids(
        health_plan=draft_plan(draft),
        provider_ids=[provider["practitioner"], site["site"]],
        on_date=service_date(draft),
    )
    return {
        "practitioner_in_network": provider["practitioner"] in networked,
        "site_in_network": site["site"] in networked,
        "policy": draft_policy(draft),
        "program": program_by_pk(provider["program"]),
        "practitioner": providers[provider["practitioner"]],
        "address": provider["address"],
        "contact": provider["contact"],
        "plan": draft_member(draft).health_plan,
        "member": draft_member(draft),
        "member_step": wizard.data(draft, "member"),
        "service_on": _given_service_date(draft),
        # A code the draft chose stays readable even if it was retired since.
        "procedure": procedure_by_code(service["procedure"], active_only=False),
        "service": service,
        "place": dict(ServiceForm.PLACES).get(service["place"], service["place"]),
        "primary": diagnosis_by_code(service["primary_diagnosis"]),
        "secondary": diagnosis_by_code(secondary) if secondary else None,
        "site": providers[site["site"]],
        "site_data": site,
        "not_required": wizard.derived(draft).get("not_required"),
        "duplicates": wizard.duplicates(draft),
    }


def draft_pathway(draft):
    """The pathway version and case facts, from what the draft holds (no reads but cached ones:
    each answer that shows or hides a question asks for this)."""
    member, service, on_date = (
        member_facts(draft),
        wizard.data(draft, "service"),
        service_date(draft),
    )
    age = services.age_on(member["date_of_birth"], on_date)
    version = pathway_version_for(
        procedure_code=service["procedure"],
        on_date=on_date,
        age=age,
        health_plan_id=wizard.data(draft, "provider")["health_plan"],
    )
    facts = CaseFacts(
        age=age,
        sex=member["sex"],
        procedure=service["procedure"],
        diagnoses=tuple(
            c for c in (service["primary_diagnosis"], service["secondary_diagnosis"]) if c
        ),
        as_of=on_date,  # as the submission will judge it (services.determine)
    )
    return version, facts
