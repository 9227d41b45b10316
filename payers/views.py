from django.shortcuts import render

from payers import selectors
from payers.forms import EligibilityLookupForm
from portal.lib.access import capability_required, no_store
from portal.models import AccessLog
from portal.services import access_log_record


@no_store
@capability_required("eligibility.lookup")
def eligibility_lookup(request):
    """Per-program eligibility for one member. POST only, so member IDs stay out of URLs/logs."""
    form = EligibilityLookupForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = selectors.member_lookup(
                user=request.user,
                health_plan=data["health_plan"],
                member_id=data["member_id"],
                date_of_birth=data["date_of_birth"],
            )
        except selectors.LookupThrottledError:
            context["throttled"] = True
            return render(request, "payers/eligibility_lookup.html", context, status=429)
        if member is None:
            context["no_match"] = True
        else:
            access_log_record(
                request=request,
                obj=member,
                action=AccessLog.Action.SEARCH,
                detail="eligibility lookup",
            )
            on_date, procedure = data["date_of_service"], data["procedure_code"]
            context.update(
                member=member,
                on_date=on_date,
                answers=selectors.eligibility_by_program(member=member, on_date=on_date),
                procedure=procedure,
                procedure_answer=(
                    selectors.eligibility_for_procedure(
                        member=member, procedure=procedure, on_date=on_date
                    )
                    if procedure
                    else None
                ),
            )
    return render(request, "payers/eligibility_lookup.html", context)
