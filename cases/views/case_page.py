"""The case and its determination, after submission."""

from django.shortcuts import render

from cases import selectors
from cases.models import CaseStatus
from portal.lib.access import capability_required, no_store
from portal.services import access_log_record

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
        "CaseStatus": CaseStatus,
        "page_base": "partials/_main.html" if partial else "base.html",
    }
    return render(request, "cases/determination.html", context)
