"""The wizard's entry point: one address per step of a draft, with or without htmx."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.urls import resolve
from django_htmx.http import HttpResponseClientRedirect

from cases import selectors, services, wizard
from cases.models import Case
from cases.views.case_page import case_page
from cases.views.state import (
    is_step_post,
)
from cases.views.steps import STEP_FIELDS, STEP_HANDLERS, store_uploads
from portal.lib.access import capability_required, no_store
from portal.roles import user_can

# --- the wizard ---------------------------------------------------------------------------------


@no_store
@capability_required("cases.build")
def case_step(request, token, step):
    draft = selectors.draft_for_user(user=request.user, token=token, include_submitted=True)
    if draft.submitted_case_id is not None:
        # Back into a request already submitted, or its Submit sent again: show the case it
        # became (a second submission creates nothing).
        number = Case.objects.values_list("case_number", flat=True).get(pk=draft.submitted_case_id)
        response = redirect("case_detail", case_number=number)
        return HttpResponseClientRedirect(response.url) if request.htmx else response
    action = request.POST.get("action", "next") if request.method == "POST" else None
    response = _step(request, draft, step, action)
    if not is_step_post(request):
        return response
    # With JavaScript, a step posts with htmx and the reply is the next page's step area (its
    # address pushed into the history): one request per page instead of a redirect and a GET.
    for _ in range(3):
        if not isinstance(response, HttpResponseRedirectBase):
            return response
        match = resolve(urlsplit(response.url).path)
        submitted = getattr(draft, "_submitted_case", None)
        if (
            match.url_name == "case_detail"
            and submitted is not None
            and user_can(request.user, "cases.view_own_office")
        ):
            # Submitted: the determination replaces the page's main area, in the same reply,
            # shown from the case just written (with its related rows) rather than read back.
            url = response.url
            response = case_page(request, submitted, partial=True, path=url)
            response.headers["HX-Push-Url"] = url
            response.headers["HX-Retarget"] = "#main"
            response.headers["HX-Reswap"] = "innerHTML show:window:top"
            return response
        if match.url_name != "case_step" or str(match.kwargs["token"]) != str(draft.token):
            return HttpResponseClientRedirect(response.url)
        url = response.url
        response = _step(request, draft, match.kwargs["step"], None)
        response.headers["HX-Push-Url"] = url
    if isinstance(response, HttpResponseRedirectBase):  # never swap a whole page into the step
        return HttpResponseClientRedirect(response.url)
    return response


def _step(request, draft, step, action):
    token = draft.token
    if services.draft_is_expired(draft):
        # Whether or not the periodic job has run (it does not without a broker and beat).
        services.drafts_expire_due(office_id=draft.office_id)
        messages.warning(request, services.EXPIRED_MESSAGE)
        return redirect("drafts_in_progress")
    if step not in wizard.STEPS or not wizard.reachable(draft, step):
        return redirect("case_step", token=token, step=wizard.first_incomplete(draft))
    if draft.state.get("locked") and step in wizard.LOCKED_STEPS:
        messages.info(
            request, "Provider, member and service can no longer be changed for this request."
        )
        return redirect("case_step", token=token, step="confirm")
    if not action:
        return STEP_HANDLERS[step](request, draft, action)
    typed_before = wizard.raw(draft, step)
    wizard.save_raw(draft, step, request.POST, keep=STEP_FIELDS[step])
    if action == "choose":
        # A site's Select button posts the site alone: what was typed below it stays.
        raw = wizard.raw(draft, step)
        for key, values in typed_before.items():
            raw.setdefault(key, values)
    # current_step is the page the user is on (Resume and "Keep working" return to it).
    draft.current_step = step
    if action in ("back", "later"):
        if step == "clinical":  # documents chosen before Back or Finish later are kept too
            for refusal in store_uploads(request, draft):
                messages.warning(request, refusal)
        back = wizard.back_from(draft, step) if action == "back" else None
        if action == "later":  # listed in Requests In Progress from now on
            draft.state["saved_later"] = True
        draft.current_step = back or step
        services.draft_save(draft=draft, fields=["state", "current_step"])
        if action == "back":
            return redirect("case_step", token=token, step=back or step)
        messages.success(request, "Saved. Resume it from Requests In Progress, from any browser.")
        return redirect("drafts_in_progress")
    response = STEP_HANDLERS[step](request, draft, action)
    if isinstance(response, HttpResponseRedirectBase):
        match = resolve(urlsplit(response.url).path)
        if match.url_name == "case_step" and str(match.kwargs["token"]) == str(token):
            draft.current_step = match.kwargs["step"]
    # One write per request: what was typed, what was validated and derived, where the user is.
    # A submitted draft was saved by the submission itself.
    if draft.submitted_case_id is None:
        services.draft_save(draft=draft, fields=["state", "current_step", "summary"])
    return response
