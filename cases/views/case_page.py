"""The case and its determination, after submission."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from cases import selectors
from cases.models import Attachment, CaseStatus
from cases.uploads import KINDS
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


def case_page(request, case, partial=False, path=None):
    """The case and its determination: a page, or (partial) the main area an htmx submission
    swaps in (`path`: the case's address it is shown at). Every read of a case is logged."""
    access_log_record(request=request, obj=case, path=path)
    context = {
        "case": case,
        "procedure": case.procedures.all()[0],
        "attachments": list(case.attachments.order_by("created", "pk")),
        "CaseStatus": CaseStatus,
        "policy": plan_policy(
            health_plan=case.health_plan,
            line_of_business=case.member_snapshot.get("line_of_business", ""),
        ),
        "page_base": "partials/_main.html" if partial else "base.html",
    }
    return render(request, "cases/determination.html", context)


def _attachment_for_user(request, case_number: str, pk: int) -> tuple:
    """The case (the office's own, as the case page) and one of its documents, else a 404: a
    role without the case page gets a 404 here too, not a page saying the document exists."""
    case = selectors.case_for_user(user=request.user, case_number=case_number)
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
