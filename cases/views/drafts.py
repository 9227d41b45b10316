"""Starting a request, Requests In Progress, cancelling, and starting again from a case."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors, services, wizard
from portal.lib.access import capability_required, no_store

REUSABLE = {"program", "provider", "plan"}


# --- entry points -----------------------------------------------------------------------------


@capability_required("cases.build")
def case_new(request):
    """A page whose button starts a request. Starting one writes a draft, so only a POST does
    (a link or an image on another site must not create drafts)."""
    if request.method != "POST":
        return render(request, "cases/new.html")
    return _draft_start(request, initial={})


def _draft_start(request, *, initial: dict):
    draft = services.draft_create(user=request.user, provider_initial=initial)
    return redirect("case_step", token=draft.token, step="provider")


@no_store
@capability_required("cases.build")
def drafts_in_progress(request):
    services.drafts_expire_due(office_id=request.user.office_id)  # even without the job
    drafts = [
        draft
        for draft in selectors.drafts_for_user(user=request.user)
        .exclude(state__raw={})
        .select_related("created_by")
        if _worth_resuming(draft)
    ]
    for draft in drafts:
        draft.resume_step = _resume_step(draft)
        draft.step_title = wizard.TITLES[draft.resume_step]
    return render(request, "cases/in_progress.html", {"drafts": drafts, "now": timezone.now()})


# What the first page fills in by itself (the program, the user's own contact details) or a search
# box: a request holding only these was opened, never typed into.
PREFILLED = frozenset(
    {
        "program",
        "address",
        "requester",
        "q",
        *(f"contact_{name}" for name in ("name", "phone", "phone_ext", "fax", "cell", "email")),
    }
)


def _worth_resuming(draft) -> bool:
    """A request saved to finish later, or one typed into that did not end in an answer (a member
    the program does not manage, a code it does not cover). Others are not listed, and expire
    like any other."""
    if draft.state.get("saved_later"):
        return True
    derived = wizard.derived(draft)
    if derived.get("stop_member") or derived.get("stop_service"):
        return False
    return any(
        value.strip()
        for step, fields in draft.state.get("raw", {}).items()
        for name, values in fields.items()
        if step != "provider" or name not in PREFILLED
        for value in values
    )


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
    """Start a request reusing program / provider / health plan from an earlier case."""
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    asked = set(",".join(request.POST.getlist("reuse")).split(",")) & REUSABLE
    reused = {
        "program": ("program", case.program_id),
        "provider": ("practitioner", case.ordering_provider_id),
        "plan": ("health_plan", case.health_plan_id),
    }
    return _draft_start(request, initial=dict(reused[name] for name in asked))
