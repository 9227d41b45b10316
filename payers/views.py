from django.shortcuts import render

from payers import selectors
from payers.forms import EligibilityLookupForm
from portal.lib.access import capability_required, no_store
from portal.lib.ratelimit import over_limit
from portal.models import AccessLog
from portal.services import access_log_record

LOOKUPS_PER_MINUTE = 30


@no_store
@capability_required("eligibility.lookup")
def eligibility_lookup(request):
    """Per-program eligibility for one member. POST only, so member IDs stay out of URLs/logs."""
    form = EligibilityLookupForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        if over_limit(
            f"eligibility:{request.user.pk}", limit=LOOKUPS_PER_MINUTE, window_seconds=60
        ):
            context["throttled"] = True
            return render(request, "payers/eligibility_lookup.html", context, status=429)
        data = form.cleaned_data
        member = selectors.member_lookup(
            health_plan=data["health_plan"],
            member_id=data["member_id"],
            date_of_birth=data["date_of_birth"],
        )
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
