"""The case-build wizard, Requests In Progress, and the determination page."""

from datetime import date
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from cases import selectors, services, wizard
from cases.forms import (
    ClinicalForm,
    MemberForm,
    ProviderForm,
    ServiceForm,
    SiteChoiceForm,
    SiteSearchForm,
)
from cases.models import Case, CaseStatus, Urgency
from cases.uploads import MAX_FILES, attachments_add
from clinical.engine import CaseFacts, evaluate
from clinical.pathway_form import answers_from_post, pathway_form_context
from clinical.selectors import (
    compiled_pathway,
    diagnosis_by_code,
    pathway_version_for,
    procedure_by_code,
    program_by_pk,
    programs,
)
from payers.eligibility import Answer
from payers.models import HealthPlan, Member
from payers.selectors import (
    eligibility_by_program,
    eligibility_for_procedure,
    health_plan_by_pk,
    in_network,
    in_network_ids,
    plan_policy,
)
from portal import selectors as portal_selectors
from portal.lib.access import capability_required, no_store
from portal.models import AccessLog, DirectoryProvider
from portal.roles import user_can
from portal.services import access_log_record

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
    drafts = (
        selectors.drafts_for_user(user=request.user)
        .exclude(state__raw={})
        .select_related("created_by")
    )
    return render(request, "cases/in_progress.html", {"drafts": drafts, "now": timezone.now()})


@capability_required("cases.build")
def draft_cancel(request, token):
    draft = selectors.draft_for_user(user=request.user, token=token)
    if request.method == "POST":
        draft.attachments.all().delete()
        draft.delete()
        messages.info(request, "The request was discarded.")
        return redirect("home")
    return render(request, "cases/cancel.html", {"draft": draft})


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
    if not _wizard_htmx(request):
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
            response = _case_page(request, submitted, partial=True, path=url)
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


def _wizard_htmx(request) -> bool:
    """A step's form posted by htmx (the page swaps in the reply), not a question refresh."""
    return bool(request.htmx) and request.htmx.target == "wizard"


def _step(request, draft, step, action):
    token = draft.token
    if draft.expired_at is not None:
        messages.warning(
            request, "This request expired: it was not submitted within two business days."
        )
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
    wizard.save_raw(draft, step, request.POST)
    draft.current_step = step
    if action in ("back", "later"):
        services.draft_save(draft=draft, fields=["state", "current_step"])
        if action == "back":
            back = wizard.previous(draft, step)
            if back and not (draft.state.get("locked") and back in wizard.LOCKED_STEPS):
                return redirect("case_step", token=token, step=back)
            return redirect("case_step", token=token, step=step)
        messages.success(request, "Saved. Resume it from Requests In Progress, from any browser.")
        return redirect("drafts_in_progress")
    response = STEP_HANDLERS[step](request, draft, action)
    # One write per request: what was typed, what was validated and derived, where the user is.
    # A submitted draft was saved by the submission itself.
    if draft.submitted_case_id is None:
        services.draft_save(draft=draft, fields=["state", "current_step", "summary"])
    return response


def _render(request, draft, step, context, status=200):
    steps, percent = wizard.progress(draft, step)
    partial = _wizard_htmx(request)
    base = {
        # An htmx step post gets the step area only (cases/wizard/_layout.html), else the page.
        "wizard_base": "cases/wizard/_partial.html" if partial else "base.html",
        "partial": partial,
        "step_url": reverse("case_step", args=[draft.token, step]),
        "draft": draft,
        "step": step,
        "steps": steps,
        "percent": percent,
        "can_go_back": wizard.previous(draft, step) is not None
        and not (draft.state.get("locked") and wizard.previous(draft, step) in wizard.LOCKED_STEPS),
    }
    return render(request, f"cases/wizard/{step}.html", {**base, **context}, status=status)


def _next(draft, step):
    return redirect("case_step", token=draft.token, step=wizard.following(draft, step))


def _bound(request, draft, step, action):
    """POST data on submit; what was typed before (Back, Finish later) when coming back."""
    if action:
        return request.POST
    saved = wizard.raw(draft, step)
    if not saved:
        return None
    query = QueryDict(mutable=True)
    for key, values in saved.items():
        query.setlist(key, values)
    return query


def step_provider(request, draft, action):
    office_practitioners = portal_selectors.office_practitioners(user=request.user)
    providers = DirectoryProvider.objects.filter(pk__in=office_practitioners.values("provider_id"))
    query = request.GET.get("q", "").strip()
    if query:
        providers = (
            providers.filter(npi=query)
            if query.isdigit()
            else providers.filter(last_name__istartswith=query)
        )
    user, office = request.user, request.user.office
    initial = {
        "contact_name": user.get_full_name(),
        "contact_phone": user.phone or office.phone,
        "contact_phone_ext": user.phone_ext,
        "contact_fax": user.fax or office.fax,
        "contact_email": user.email,
        **draft.state.get("initial", {}),
    }
    data = _bound(request, draft, "provider", action)
    if data is None and "program" not in initial:
        initial["program"] = next((p for p in programs() if p.is_active), None)
    form = ProviderForm(data, practitioners=providers, initial=initial)
    if action == "next" and form.is_valid():
        c = form.cleaned_data
        practitioner = c["practitioner"]
        p = practitioner
        address = (
            f"{p.address_line1}, {p.city}, {p.state} {p.zip5}"
            if c["address"] == "practice"
            else f"{office.address_line1}, {office.city}, {office.state} {office.zip_code}"
        )
        wizard.save_data(
            draft,
            "provider",
            {
                "program": c["program"].pk,
                "practitioner": practitioner.pk,
                "health_plan": c["health_plan"].pk,
                "address": address,
                "contact": {
                    "name": c["contact_name"],
                    "phone": c["contact_phone"],
                    "phone_ext": c["contact_phone_ext"],
                    "fax": c["contact_fax"],
                    "cell": c["contact_cell"],
                    "email": c["contact_email"],
                },
            },
        )
        draft.summary = f"{practitioner.display_name} · {c['health_plan'].name}"
        _memo(draft, ("plan", c["health_plan"].pk), lambda: c["health_plan"])
        return _next(draft, "provider")
    if not office_practitioners.exists():
        return _render(request, draft, "provider", {"form": form, "no_practitioners": True})
    return _render(request, draft, "provider", {"form": form, "query": query})


def _memo(draft, key, load):
    """Read once per request: a step post renders the next step too, and both need the same."""
    memo = draft.__dict__.setdefault("_request_memo", {})
    if key not in memo:
        memo[key] = load()
    return memo[key]


def _plan(draft) -> HealthPlan:
    pk = wizard.data(draft, "provider")["health_plan"]
    return _memo(draft, ("plan", pk), lambda: health_plan_by_pk(pk))


def _member(draft) -> Member:
    pk = wizard.data(draft, "member")["member"]
    return _memo(
        draft,
        ("member", pk),
        lambda: Member.objects.select_related("benefit_plan", "health_plan").get(pk=pk),
    )


def _member_facts(draft) -> dict:
    """Date of birth, sex and line of business of the member as verified: kept in the draft by
    the member step, so later steps need not read the member again (read for older drafts)."""
    data = wizard.data(draft, "member")
    if "line_of_business" not in data:
        member = _member(draft)
        return {
            "date_of_birth": member.date_of_birth,
            "sex": member.sex,
            "line_of_business": member.benefit_plan.line_of_business,
        }
    return {**data, "date_of_birth": date.fromisoformat(data["date_of_birth"])}


def _policy(draft):
    plan, line = _plan(draft), _member_facts(draft)["line_of_business"]
    return _memo(
        draft,
        ("policy", plan.pk, line),
        lambda: plan_policy(health_plan=plan, line_of_business=line),
    )


def _on_date(draft) -> date:
    dos = wizard.data(draft, "member").get("date_of_service")
    return date.fromisoformat(dos) if dos else timezone.localdate()


def step_member(request, draft, action):
    plan = _plan(draft)
    form = MemberForm(_bound(request, draft, "member", action), health_plan=plan)
    if not (action == "next" and form.is_valid()):
        return _render(request, draft, "member", {"form": form, "plan": plan})
    c, member = form.cleaned_data, form.member
    _memo(draft, ("member", member.pk), lambda: member)  # read with its plans: the next page's
    access_log_record(
        request=request, obj=member, action=AccessLog.Action.SEARCH, detail="case build"
    )
    on_date = c["date_of_service"] or timezone.localdate()
    program_id = wizard.data(draft, "provider")["program"]
    answer = next(
        a.eligibility
        for a in eligibility_by_program(member=member, on_date=on_date)
        if a.program.pk == program_id
    )
    dos = c["date_of_service"]
    wizard.save_data(
        draft,
        "member",
        {
            "member": member.pk,
            "performed": c["performed"] == "yes",
            "date_of_service": dos.isoformat() if dos else None,
            "date_of_birth": member.date_of_birth.isoformat(),
            "sex": member.sex,
            "line_of_business": member.benefit_plan.line_of_business,
        },
    )
    if answer.answer != Answer.REQUIRED:
        stop = {"answer": answer.answer, "label": answer.label, "reason": answer.reason}
        wizard.derived(draft)["stop_member"] = stop
        context = {"form": form, "stop": stop, "member": member, "on_date": on_date}
        return _render(request, draft, "member", context)
    draft.summary = f"{draft.summary.split(' · Patient')[0]} · Patient {member.member_id}"
    return _next(draft, "member")


def step_service(request, draft, action):
    form = ServiceForm(_bound(request, draft, "service", action))
    if action == "next" and form.is_valid():
        c = form.cleaned_data
        member, procedure = _member(draft), c["procedure_code"]
        setting = {"outpatient": "freestanding"}.get(c["place"], c["place"])
        answer = eligibility_for_procedure(
            member=member,
            procedure=procedure,
            on_date=_on_date(draft),
            setting=setting,
            policy=_policy(draft),
        )
        if answer.answer in (Answer.NOT_MANAGED, Answer.NOT_ELIGIBLE):
            wizard.save_data(draft, "service", {})
            wizard.derived(draft)["stop_service"] = {"label": answer.label, "reason": answer.reason}
            return _render(
                request,
                draft,
                "service",
                {"form": form, "stop": wizard.derived(draft)["stop_service"]},
            )
        wizard.save_data(
            draft,
            "service",
            {
                "procedure": procedure.code,
                "quantity": c["quantity"],
                "laterality": c["laterality"],
                "place": c["place"],
                "primary_diagnosis": c["primary_diagnosis"].code,
                "secondary_diagnosis": c["secondary_diagnosis"].code
                if c["secondary_diagnosis"]
                else "",
            },
        )
        wizard.derived(draft)["not_required"] = (
            answer.reason if answer.answer == Answer.NOT_REQUIRED else ""
        )
        duplicates = selectors.open_duplicates(
            member_id=member.pk, procedure_code=procedure.code, on_date=_on_date(draft)
        )
        wizard.derived(draft)["duplicates"] = list(
            duplicates.values_list("case_number", flat=True)[:5]
        )
        draft.summary = f"{draft.summary.split(' · CPT')[0]} · CPT {procedure.code}"
        return _next(draft, "service")
    return _render(request, draft, "service", {"form": form})


def step_site(request, draft, action):
    plan = _plan(draft)  # the member was found in the draft's plan
    policy = _policy(draft)
    on_date = _on_date(draft)
    search = SiteSearchForm(
        request.GET if any(request.GET.get(k) for k in ("npi", "tin", "name")) else None
    )
    sites = []
    if search.is_bound and search.is_valid():
        sites = list(selectors.site_search(**search.cleaned_data))
    form = SiteChoiceForm(
        _bound(request, draft, "site", action),
        needs_site_of_care_reason=policy.hospital_outpatient_site_review,
    )
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["site"]
    if action == "next" and form.is_valid():
        c = form.cleaned_data
        wizard.save_data(
            draft,
            "site",
            {
                "site": chosen.pk,
                "site_email": c["site_email"],
                "site_of_care_reason": c["site_of_care_reason"],
                "in_network": in_network(health_plan=plan, provider_id=chosen.pk, on_date=on_date),
            },
        )
        return _next(draft, "site")
    if chosen is None and wizard.data(draft, "site"):
        chosen = DirectoryProvider.objects.filter(pk=wizard.data(draft, "site")["site"]).first()
    shown = [s.pk for s in sites] + ([chosen.pk] if chosen is not None else [])
    networked = in_network_ids(health_plan=plan, provider_ids=shown, on_date=on_date)
    return _render(
        request,
        draft,
        "site",
        {
            "search": search,
            "plan": plan,
            "results": [(site, site.pk in networked) for site in sites],
            "form": form,
            "chosen": chosen,
            "policy": policy,
            "chosen_in_network": chosen is not None and chosen.pk in networked,
        },
    )


def _summary(draft) -> dict:
    steps = draft.state.get("data", {})
    key = ("summary", repr([steps.get(s) for s in wizard.LOCKED_STEPS]))
    return _memo(draft, key, lambda: _summary_read(draft))


def _summary_read(draft) -> dict:
    provider, service, site = (
        wizard.data(draft, "provider"),
        wizard.data(draft, "service"),
        wizard.data(draft, "site"),
    )
    providers = DirectoryProvider.objects.in_bulk([provider["practitioner"], site["site"]])
    secondary = service["secondary_diagnosis"]
    return {
        "program": program_by_pk(provider["program"]),
        "practitioner": providers[provider["practitioner"]],
        "address": provider["address"],
        "contact": provider["contact"],
        "plan": _member(draft).health_plan,
        "member": _member(draft),
        "member_step": wizard.data(draft, "member"),
        # A code the draft chose stays readable even if it was retired since.
        "procedure": procedure_by_code(service["procedure"], active_only=False),
        "service": service,
        "primary": diagnosis_by_code(service["primary_diagnosis"]),
        "secondary": diagnosis_by_code(secondary) if secondary else None,
        "site": providers[site["site"]],
        "site_data": site,
        "not_required": wizard.derived(draft).get("not_required"),
        "duplicates": wizard.derived(draft).get("duplicates", []),
    }


def step_confirm(request, draft, action):
    summary = _summary(draft)
    if action == "next":
        if summary["duplicates"] and request.POST.get("confirm_duplicate") != "yes":
            return _render(
                request, draft, "confirm", {**summary, "duplicate_error": True}, status=200
            )
        draft.state["locked"] = True
        draft.state["duplicate_confirmed"] = bool(summary["duplicates"])
        if summary["not_required"]:
            return _submit(
                request, draft, summary, raw_answers={}, urgency=Urgency.STANDARD, notes=""
            )
        return redirect("case_step", token=draft.token, step="clinical")
    return _render(request, draft, "confirm", summary)


def _pathway(draft):
    """The pathway version and case facts, from what the draft holds (no reads but cached ones:
    each answer that shows or hides a question asks for this)."""
    member, service, on_date = _member_facts(draft), wizard.data(draft, "service"), _on_date(draft)
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
    )
    return version, facts


def step_clinical(request, draft, action):
    version, facts = _pathway(draft)
    compiled = compiled_pathway(version) if version else None
    data = _bound(request, draft, "clinical", action)  # this POST, or what was typed before
    raw_answers = answers_from_post(data, compiled) if compiled and data else {}
    evaluation = evaluate(compiled, raw_answers, facts) if compiled else None
    refresh_url = reverse("case_step", args=[draft.token, "clinical"])
    if evaluation is not None and request.htmx and request.htmx.target == "pathway-questions":
        # An answer changed (htmx): the questions alone come back, follow-ups included. What
        # was typed is in the draft already (finish later keeps it).
        return render(
            request,
            "clinical/partials/_pathway_questions.html",
            pathway_form_context(
                evaluation, raw_answers, refresh_url=refresh_url, show_errors=False
            ),
        )
    summary = _summary(draft)
    form = ClinicalForm(data)
    upload_errors = []
    if action and request.FILES.getlist("files"):
        _, upload_errors = attachments_add(
            draft=draft, user=request.user, files=request.FILES.getlist("files")
        )
    # An htmx post that is not the step's own form is a question refresh, never a submit.
    submitting = action == "next" and (not request.htmx or _wizard_htmx(request))
    if submitting:
        valid = (
            form.is_valid() and not upload_errors and (evaluation is None or evaluation.complete)
        )
        if (
            valid
            and form.cleaned_data["urgency"] == Urgency.URGENT
            and not draft.attachments.exists()
        ):
            form.add_error(
                "urgency", "An urgent request needs at least one clinical document uploaded."
            )
            valid = False
        if valid:
            return _submit(
                request,
                draft,
                summary,
                raw_answers=raw_answers,
                urgency=form.cleaned_data["urgency"],
                notes=form.cleaned_data["notes"],
            )
    context = {
        **summary,
        "form": form,
        "version": version,
        "upload_errors": upload_errors,
        "attachments": draft.attachments.all(),
        "max_files": MAX_FILES,
        # Reached on a submit only when something is wrong: say so above the form.
        "has_errors": submitting,
    }
    if evaluation is not None:
        context.update(
            pathway_form_context(
                evaluation,
                raw_answers,
                refresh_url=refresh_url,
                show_errors=submitting,
            )
        )
    return _render(request, draft, "clinical", context)


def _submit(request, draft, s, *, raw_answers, urgency, notes):
    member_step = wizard.data(draft, "member")
    duplicate_of = None
    if draft.state.get("duplicate_confirmed") and s["duplicates"]:
        duplicate_of = Case.objects.filter(case_number=s["duplicates"][0]).first()
    submission = services.Submission(
        member=s["member"],
        program=s["program"],
        ordering_provider=s["practitioner"],
        provider_address=s["address"],
        contact=s["contact"],
        procedure=s["procedure"],
        quantity=s["service"]["quantity"],
        laterality=s["service"]["laterality"],
        primary_diagnosis=s["primary"],
        secondary_diagnosis=s["secondary"],
        site=s["site"],
        site_email=s["site_data"]["site_email"],
        place_of_service=_place(s),
        site_of_care_reason=s["site_data"]["site_of_care_reason"],
        performed_already=member_step["performed"],
        date_of_service=date.fromisoformat(member_step["date_of_service"])
        if member_step["date_of_service"]
        else None,
        urgency=urgency,
        raw_answers=raw_answers,
        notes=notes,
        duplicate_of=duplicate_of,
    )
    case = services.case_submit(  # atomic: one transaction
        draft=draft, user=request.user, submission=submission, request=request
    )
    draft.submitted_case_id = case.pk
    draft._submitted_case = case  # shown in this reply (htmx), with what it was made from
    return redirect("case_detail", case_number=case.case_number)


def _place(summary) -> str:
    place = summary["service"]["place"]
    if place != "outpatient":
        return place
    return {"hospital_outpatient": "hospital_outpatient", "physician_office": "office"}.get(
        summary["site"].site_type, "freestanding"
    )


STEP_HANDLERS = {
    "provider": step_provider,
    "member": step_member,
    "service": step_service,
    "site": step_site,
    "confirm": step_confirm,
    "clinical": step_clinical,
}


# --- after submission -------------------------------------------------------------------------


@no_store
@capability_required("cases.view_own_office")
def case_detail(request, case_number):
    return _case_page(request, selectors.case_for_user(user=request.user, case_number=case_number))


def _case_page(request, case, partial=False, path=None):
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


@require_POST
@capability_required("cases.build")
def case_new_reusing(request, case_number):
    case = selectors.case_for_user(user=request.user, case_number=case_number)
    asked = ",".join(request.POST.getlist("reuse")).split(",")
    keep = ",".join(sorted(set(asked) & REUSABLE))
    return redirect(f"{reverse('case_new')}?from={case.case_number}&reuse={keep}")
