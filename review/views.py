"""The reviewer's workbench: the queue, a case under review, and the actions on it.

Every page answers 404 to anyone who is not a reviewer (an office must not learn a case number
exists from a 403). Each action names the status the reviewer saw: a case that moved meanwhile
is refused with a message, never decided twice.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.models import CaseStatus
from cases.transitions import TransitionError, allowed_targets
from clinical.selectors import compiled_pathway
from portal.lib.access import no_store
from review import selectors, services
from review.forms import (
    ApproveForm,
    CloseForm,
    DenyForm,
    EscalateForm,
    OutcomeForm,
    PublishSlotsForm,
    QueueFilterForm,
    ReassignForm,
    RequestInfoForm,
)

ACTIONS = {
    "approve": ApproveForm,
    "request_info": RequestInfoForm,
    "escalate": EscalateForm,
    "deny": DenyForm,
    "close": CloseForm,
}


def _reviewer_only(request) -> None:
    if not selectors.may_review(request.user):
        raise Http404


@no_store
@login_required
def queue(request):
    _reviewer_only(request)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.QueueFilters(
        urgency=data.get("urgency", ""),
        plan=data["plan"].pk if data.get("plan") else None,
        line_of_business=data.get("line_of_business", ""),
        modality=data.get("modality", ""),
        category=data.get("category", ""),
        assigned=data.get("assigned", ""),
    )
    page = Paginator(selectors.review_queue(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.queue_counts(user=request.user, filters=filters)
    now = timezone.now()
    context = {
        "form": form,
        "page": page,
        "cases": list(page.object_list),  # logged: each row shows a patient
        "counts": counts,
        "categories": [(k, label, counts[k]) for k, (label, _) in selectors.CATEGORIES.items()],
        "now": now,
        "due_soon": now + selectors.DUE_SOON,
        "query": query.urlencode(),
        "category": filters.category,
    }
    template = "review/partials/_queue.html" if request.htmx else "review/queue.html"
    return render(request, template, context)


def _pathway_answers(case) -> list[tuple[str, str]]:
    """(question, answer) in the pathway's order, in words."""
    version = case.pathway_version
    if version is None or not case.pathway_answers:
        return []
    compiled = compiled_pathway(version)
    shown = []
    for item in compiled.items:
        if item.link_id not in case.pathway_answers:
            continue
        value = case.pathway_answers[item.link_id]
        words = {o.code: o.display for o in item.options}
        values = value if isinstance(value, list) else [value]
        text = ", ".join(
            "Yes" if v is True else "No" if v is False else words.get(str(v), str(v))
            for v in values
        )
        shown.append((item.text, text))
    return shown


def _page(request, case, forms=None, status=200):
    forms = forms or {}
    targets = set(allowed_targets(case=case, actor=request.user))
    procedures = list(case.procedures.all())
    context = {
        "case": case,
        "procedures": procedures,
        "pathway_answers": _pathway_answers(case),
        "attachments": list(case.attachments.order_by("created", "pk")),
        "prior_cases": selectors.prior_cases(case=case),
        "events": list(case.events.select_related("actor").order_by("at", "pk")),
        "holds": list(case.info_requests.order_by("created", "pk")),
        "decisions": list(case.decisions.select_related("decided_by", "denial_reason")),
        "mine": case.assigned_to_id == request.user.pk,
        "can": {
            "approve": CaseStatus.APPROVED in targets,
            "request_info": CaseStatus.INFO_REQUESTED in targets,
            "escalate": CaseStatus.MD_REVIEW in targets and case.status != CaseStatus.MD_REVIEW,
            "deny": CaseStatus.DENIED in targets,
            "reassign": request.user.role == "physician",
            "close": CaseStatus.ERROR_ENTRY in targets,
        },
        "approve_form": forms.get("approve") or ApproveForm(procedures=procedures),
        "request_info_form": forms.get("request_info") or RequestInfoForm(),
        "escalate_form": forms.get("escalate") or EscalateForm(),
        "deny_form": forms.get("deny") or DenyForm(case=case),
        "close_form": forms.get("close") or CloseForm(),
        "reassign_form": ReassignForm(initial={"to": case.assigned_to_id}),
    }
    return render(request, "review/case.html", context, status=status)


@no_store
@login_required
def case_review(request, case_number):
    case = selectors.case_for_reviewer(user=request.user, case_number=case_number)
    return _page(request, case)


def _back(case):
    return redirect("review_case", case_number=case.case_number)


@require_POST
@login_required
def case_claim(request, case_number):
    case = selectors.case_for_reviewer(user=request.user, case_number=case_number)
    try:
        services.case_claim(case=case, reviewer=request.user)
        messages.success(request, f"Case {case.case_number} is yours.")
    except services.ClaimTakenError as exc:
        messages.warning(request, f"Not claimed: {exc}")
    return _back(case)


@require_POST
@login_required
def case_release(request, case_number):
    case = selectors.case_for_reviewer(user=request.user, case_number=case_number)
    try:
        services.case_release(case=case, reviewer=request.user)
        messages.success(request, "Released to the queue.")
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(case)


@require_POST
@login_required
def case_reassign(request, case_number):
    case = selectors.case_for_reviewer(user=request.user, case_number=case_number)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            services.case_reassign(case=case, reviewer=request.user, to=form.cleaned_data["to"])
            messages.success(request, "Reassigned.")
        except TransitionError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Choose a reviewer.")
    return _back(case)


@require_POST
@login_required
def case_action(request, case_number, action):
    case = selectors.case_for_reviewer(user=request.user, case_number=case_number)
    if action not in ACTIONS:
        raise Http404
    expected = request.POST.get("expected", "")
    if action == "approve":
        form = ApproveForm(request.POST, procedures=case.procedures.all())
    elif action == "deny":
        form = DenyForm(request.POST, case=case)
    else:
        form = ACTIONS[action](request.POST)
    if not form.is_valid():
        return _page(request, case, forms={action: form}, status=400)
    data = form.cleaned_data
    try:
        if action == "approve":
            services.case_approve(
                case=case,
                reviewer=request.user,
                expected=expected,
                quantities=form.quantities(),
                note=data["note"],
            )
            messages.success(request, f"Case {case.case_number} approved.")
        elif action == "request_info":
            services.case_request_info(
                case=case, reviewer=request.user, expected=expected, items=data["items"]
            )
            messages.success(request, "Information requested: the case holds until it comes.")
        elif action == "escalate":
            services.case_escalate(
                case=case, reviewer=request.user, expected=expected, note=data["note"]
            )
            messages.success(request, "Sent to physician review.")
        elif action == "close":
            services.case_close_not_reviewed(
                case=case, reviewer=request.user, expected=expected, note=data["note"]
            )
            messages.success(request, f"Case {case.case_number} closed: not reviewed.")
        else:
            services.case_deny(
                case=case,
                reviewer=request.user,
                expected=expected,
                reason=data["reason"],
                explanation=data["explanation"],
            )
            messages.success(request, f"Case {case.case_number} denied.")
    except TransitionError as exc:
        # The page as it is now, with what was typed kept.
        case.refresh_from_db()
        messages.error(request, " ".join(exc.messages))
        return _page(request, case, forms={action: form}, status=409)
    return redirect(reverse("review_queue"))


@no_store
@login_required
def p2p_slots(request):
    """A physician's peer-to-peer times: publish more, see who booked, record outcomes."""
    _reviewer_only(request)
    if request.user.role != "physician":
        raise Http404
    from cases.models import PeerToPeerSlot

    form = PublishSlotsForm(request.POST if request.POST.get("publish") else None)
    if form.is_bound and form.is_valid():
        try:
            made = services.p2p_slots_publish(physician=request.user, **form.cleaned_data)
            messages.success(request, f"{made} times published.")
            return redirect("review_p2p")
        except TransitionError as exc:
            form.add_error("starts_at", " ".join(exc.messages))
    if request.method == "POST" and request.POST.get("slot"):
        slot = (
            PeerToPeerSlot.objects.filter(pk=request.POST["slot"], physician=request.user)
            .select_related("case")
            .first()
        )
        if slot is None:
            raise Http404
        outcome = OutcomeForm(request.POST)
        if outcome.is_valid():
            try:
                services.p2p_outcome_record(
                    slot=slot, physician=request.user, outcome=outcome.cleaned_data["outcome"]
                )
                messages.success(request, "Outcome recorded on the case.")
            except TransitionError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, "Say what the call concluded.")
        return redirect("review_p2p")
    slots = list(
        PeerToPeerSlot.objects.filter(
            physician=request.user, starts_at__gte=timezone.now() - timedelta(days=7)
        ).select_related("case")
    )
    return render(
        request,
        "review/p2p.html",
        {"form": form, "slots": slots, "outcome_form": OutcomeForm()},
        status=400 if form.is_bound and form.errors else 200,
    )
