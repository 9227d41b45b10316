"""Starting a request, Requests In Progress, cancelling, and starting again from a case."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors, services, wizard
from portal.lib.access import capability_required, no_store

REUSABLE = {"program", "provider", "plan"}


# --- entry points -----------------------------------------------------------------------------


@capability_required("cases.build")
def case_new(request):
    """Start a draft, optionally reusing program / provider / health plan from an earlier case."""
    keep = set(request.GET.get("reuse", "").split(",")) & REUSABLE
    source = request.GET.get("from", "")
    earlier = (
        selectors.cases_for_user(user=request.user).filter(case_number=source).first()
        if source and keep
        else None
    )
    initial = {}
    if earlier is not None:
        reused = {
            "program": ("program", earlier.program_id),
            "provider": ("practitioner", earlier.ordering_provider_id),
            "plan": ("health_plan", earlier.health_plan_id),
        }
        initial = dict(reused[name] for name in keep)
    draft = services.draft_create(user=request.user, provider_initial=initial)
    return redirect("case_step", token=draft.token, step="provider")


@no_store
@capability_required("cases.build")
def drafts_in_progress(request):
    # A request opened and left before anything was sent (a click on "Start a new request") has
    # nothing to resume: it is not listed, and expires like any other.
    services.drafts_expire_due(office_id=request.user.office_id)  # even without the job
    drafts = list(
        selectors.drafts_for_user(user=request.user)
        .exclude(state__raw={})
        .select_related("created_by")
    )
    for draft in drafts:
        draft.resume_step = _resume_step(draft)
        draft.step_title = wizard.TITLES[draft.resume_step]
    return render(request, "cases/in_progress.html", {"drafts": drafts, "now": timezone.now()})


def _resume_step(draft) -> str:
    """The page the user was on, or the first one still to do if that one is out of reach."""
    step = draft.current_step
    if step in wizard.STEPS and wizard.reachable(draft, step):
        return step
    return wizard.first_incomplete(draft)


@no_store
@capability_required("cases.build")
def draft_cancel(request, token):
    draft = selectors.draft_for_user(user=request.user, token=token)
    if request.method == "POST":
        if not services.draft_discard(draft=draft):
            messages.warning(
                request, "This request was submitted meanwhile: nothing was discarded."
            )
            return redirect("drafts_in_progress")
        messages.info(request, "The request was discarded.")
        return redirect("home")
    return render(request, "cases/cancel.html", {"draft": draft, "resume": _resume_step(draft)})


@require_POST
@capability_required("cases.build")
def case_new_reusing(request, case_number):
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    asked = ",".join(request.POST.getlist("reuse")).split(",")
    keep = ",".join(sorted(set(asked) & REUSABLE))
    return redirect(f"{reverse('case_new')}?from={case.case_number}&reuse={keep}")
