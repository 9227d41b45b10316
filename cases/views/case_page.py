"""The case and its determination, after submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors
from cases.forms import AppealForm, InformationAnswerForm, ReconsiderationForm
from cases.models import OPEN_STATUSES, Attachment, CaseStatus
from cases.services import (
    AnswerRefusedError,
    appeal_record,
    case_withdraw,
    info_request_answer,
    p2p_offer,
    reconsideration_deadline,
    reconsideration_request,
)
from cases.uploads import KINDS, MAX_FILES, too_large
from payers.selectors import plan_policy
from portal.lib.access import capability_required, no_store
from portal.models import AccessLog
from portal.services import access_log_record

# Only a PDF is shown in the browser (its own viewer); anything else is saved, never rendered as a
# page of the portal's. The types come from the checked upload, and a row that ever said another
# type is served as plain bytes.
INLINE_TYPES = frozenset({"application/pdf"})
SERVED_TYPES = frozenset(KINDS.values())

# --- after submission -------------------------------------------------------------------------


@no_store
@capability_required("cases.view_own_office")
def case_detail(request, case_number):
    return case_page(request, selectors.case_for_user(user=request.user, case_number=case_number))


# The seed portals' words for a case that is closed without a decision (reference/003).
CLOSED = ("withdrawn", "error_entry", "duplicate", "expired")


def _office_timeline(case) -> list[dict]:
    """What happened, for the office: who (the office's own people by name, reviewers by role)
    and what, never the reviewer's internal notes."""
    label = dict(CaseStatus.choices)
    rows = []
    for e in case.events.select_related("actor").order_by("at", "pk"):
        if e.kind in ("claimed", "released", "reassigned"):
            continue  # the review's own housekeeping
        actor = e.actor
        if actor is None:
            who = "The portal" if e.kind == "submitted" else "Automatically"
        elif actor.office_id == case.office_id:
            who = actor.get_full_name() or actor.get_username()
        else:
            who = actor.get_role_display()
        what = e.office_message or (
            f"Submitted: {label.get(e.to_status, e.to_status)}"
            if e.kind == "submitted"
            else label.get(e.to_status, e.to_status)
        )
        rows.append({"at": e.at, "who": who, "what": what})
    return rows


def case_page(
    request,
    case,
    partial=False,
    path=None,
    answer_form=None,
    answer_errors=(),
    reconsider_form=None,
):
    """The case and its determination: a page, or (partial) the main area an htmx submission
    swaps in (`path`: the case's address it is shown at). Every read of a case is logged."""
    access_log_record(request=request, obj=case, path=path)
    hold = case.info_requests.filter(answered_at__isnull=True, expired_at__isnull=True).first()
    policy = plan_policy(
        health_plan=case.health_plan,
        line_of_business=case.member_snapshot.get("line_of_business", ""),
    )
    deadline = (
        reconsideration_deadline(case=case, policy=policy)
        if case.status == CaseStatus.DENIED
        else None
    )
    offer = p2p_offer(case=case, policy=policy)
    booked = case.p2p_slots.order_by("-starts_at").first()
    pending = booked is not None and booked.outcome_at is None and booked.starts_at > timezone.now()
    context = {
        "p2p": offer,
        "p2p_booked": booked,
        "p2p_can_book": offer.offered and not pending,
        "reconsider_until": deadline,
        "reconsider_open": deadline is not None and timezone.localdate() <= deadline,
        "reconsider_form": reconsider_form or ReconsiderationForm(),
        "can_withdraw": case.status in OPEN_STATUSES,
        "appeal_form": AppealForm(initial={"filed_on": timezone.localdate()}),
        "hold": hold,
        "answer_form": answer_form or InformationAnswerForm(),
        "answer_errors": answer_errors,
        "max_files": MAX_FILES,
        "decision": case.decisions.order_by("-decided_at", "-pk").first(),
        "timeline": _office_timeline(case),
        "closed_statuses": CLOSED,
        "case": case,
        "procedure": case.procedures.all()[0],
        "attachments": list(case.attachments.order_by("created", "pk")),
        "CaseStatus": CaseStatus,
        "policy": policy,
        "page_base": "partials/_main.html" if partial else "base.html",
    }
    return render(request, "cases/determination.html", context)


def _attachment_for_user(request, case_number: str, pk: int) -> tuple:
    """The case (the office's own, as the case page) and one of its documents, else a 404: a
    role without the case page gets a 404 here too, not a page saying the document exists."""
    case = selectors.case_for_user(user=request.user, case_number=case_number, reviewers=True)
    try:
        return case, case.attachments.get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


@no_store
@login_required
def case_attachment(request, case_number, pk: int):
    """A document uploaded with the case, by the name it was uploaded with; every download is
    logged against the case."""
    case, attachment = _attachment_for_user(request, case_number, pk)
    content_type = attachment.content_type
    if content_type not in SERVED_TYPES:
        content_type = "application/octet-stream"
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    access_log_record(
        request=request,
        obj=case,
        action=AccessLog.Action.DOWNLOAD,
        detail=f"attachment {attachment.pk}",
    )
    response = FileResponse(
        file,
        as_attachment=content_type not in INLINE_TYPES,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@no_store
@require_POST
@capability_required("cases.view_own_office")
def case_answer(request, case_number):
    """The office sends what a request for information asked for: a note and documents."""
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    form = InformationAnswerForm(request.POST)
    refused = [too_large(name) for name in getattr(request, "uploads_too_large", [])]
    if form.is_valid():
        try:
            refused += info_request_answer(
                case=case,
                user=request.user,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
        except AnswerRefusedError as exc:
            return _answer_again(request, case, form, [*refused, str(exc)])
        for message in refused:
            messages.warning(request, message)
        messages.success(request, "Sent: the case is back with the reviewer.")
        return redirect("case_detail", case_number=case.case_number)
    return _answer_again(request, case, form, refused)


def _answer_again(request, case, form, errors):
    if case.status != CaseStatus.INFO_REQUESTED:  # no form to show them beside: say it at the top
        for error in errors:
            messages.error(request, error)
    response = case_page(request, case, answer_form=form, answer_errors=errors)
    response.status_code = 400
    return response


@no_store
@require_POST
@capability_required("cases.view_own_office")
def case_reconsider(request, case_number):
    """The office asks again after a denial, within the plan's window, with what is new."""
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    form = ReconsiderationForm(request.POST)
    refused = [too_large(name) for name in getattr(request, "uploads_too_large", [])]
    if form.is_valid():
        try:
            refused += reconsideration_request(
                case=case,
                user=request.user,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
        except AnswerRefusedError as exc:
            messages.error(request, str(exc))
        else:
            for message in refused:
                messages.warning(request, message)
            messages.success(request, "Reconsideration requested: a physician will decide it.")
            return redirect("case_detail", case_number=case.case_number)
    response = case_page(request, case, reconsider_form=form)
    response.status_code = 400
    return response


@no_store
@require_POST
@capability_required("cases.view_own_office")
def case_withdraw_view(request, case_number):
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the withdrawal: nothing was changed.")
        return redirect("case_detail", case_number=case.case_number)
    try:
        case_withdraw(
            case=case, user=request.user, duplicate=request.POST.get("why") == "duplicate"
        )
        messages.success(request, f"Case {case.case_number} is withdrawn.")
    except AnswerRefusedError as exc:
        messages.error(request, str(exc))
    return redirect("case_detail", case_number=case.case_number)


@no_store
@require_POST
@capability_required("cases.view_own_office")
def case_appeal(request, case_number):
    """The office records the appeal it filed with the plan after a denial."""
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    form = AppealForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("case_detail", case_number=case.case_number)
    try:
        appeal_record(
            case=case,
            user=request.user,
            filed_on=form.cleaned_data["filed_on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, "The appeal is recorded: the plan decides it.")
    except AnswerRefusedError as exc:
        messages.error(request, str(exc))
    return redirect("case_detail", case_number=case.case_number)
