"""One handler per wizard step: validate, store in the draft, say which step is next."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services, wizard
from cases.forms import (
    ClinicalForm,
    MemberForm,
    ProviderForm,
    ServiceForm,
    SiteChoiceForm,
    SiteSearchForm,
)
from cases.models import Case, Requester, Urgency
from cases.uploads import MAX_FILES, attachments_add, too_large
from cases.views.state import (
    bound_data,
    confirmation_summary,
    draft_member,
    draft_pathway,
    draft_plan,
    draft_policy,
    is_step_post,
    memo,
    redirect_next,
    render_step,
    service_date,
    unbound_initial,
)
from clinical.engine import evaluate
from clinical.models import ProcedureCode
from clinical.pathway_form import DEFAULT_PREFIX as PATHWAY_PREFIX
from clinical.pathway_form import answers_from_post, pathway_form_context
from clinical.selectors import (
    compiled_pathway,
    procedure_by_code,
    programs,
)
from payers.eligibility import Answer
from payers.selectors import (
    NEARBY_MILES,
    alternative_sites,
    eligibility_by_program,
    eligibility_for_procedure,
    in_network,
    in_network_ids,
)
from portal import selectors as portal_selectors
from portal.models import AccessLog, DirectoryProvider
from portal.services import access_log_record


def step_provider(request, draft, action):
    office_practitioners = portal_selectors.office_practitioners(user=request.user)
    providers = DirectoryProvider.objects.filter(pk__in=office_practitioners.values("provider_id"))
    # The practitioner filter posts the whole form (what was typed stays); a link may carry ?q=.
    query = (request.POST if action in ("filter", "next") else request.GET).get("q", "")
    query = wizard.clean_text(query).strip()[:80]
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
    data = bound_data(request, draft, "provider", action)
    if action == "filter":
        # Shown as typed, without errors yet: the user has not asked to continue.
        initial, data = {**initial, **unbound_initial(data, ProviderForm.base_fields)}, None
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
                "requester": c["requester"],
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
        memo(draft, ("plan", c["health_plan"].pk), lambda: c["health_plan"])
        return redirect_next(draft, "provider")
    if not office_practitioners.exists():
        return render_step(request, draft, "provider", {"form": form, "no_practitioners": True})
    return render_step(request, draft, "provider", {"form": form, "query": query})


def step_member(request, draft, action):
    plan = draft_plan(draft)
    form = MemberForm(
        bound_data(request, draft, "member", action),
        health_plan=plan,
        user=request.user,
        requester=_requester(draft),
    )
    if not (action == "next" and form.is_valid()):
        # htmx swaps no 4xx reply: the step post gets the page with the message as a 200.
        status = 429 if form.throttled and not is_step_post(request) else 200
        return render_step(request, draft, "member", {"form": form, "plan": plan}, status=status)
    c, member = form.cleaned_data, form.member
    memo(draft, ("member", member.pk), lambda: member)  # read with its plans: the next page's
    access_log_record(
        request=request, obj=member, action=AccessLog.Action.SEARCH, detail="case build"
    )
    memo(draft, ("logged", member.pk), lambda: True)  # the next page shows them: logged here
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
        return render_step(request, draft, "member", context)
    draft.summary = f"{draft.summary.split(' · Patient')[0]} · Patient {member.member_id}"
    return redirect_next(draft, "member")


def step_service(request, draft, action):
    form = ServiceForm(bound_data(request, draft, "service", action))
    if action == "next" and form.is_valid():
        c = form.cleaned_data
        member, procedure = draft_member(draft), c["procedure_code"]
        setting = {"outpatient": "freestanding"}.get(c["place"], c["place"])
        answer = eligibility_for_procedure(
            member=member,
            procedure=procedure,
            on_date=service_date(draft),
            setting=setting,
            policy=draft_policy(draft),
        )
        if answer.answer in (Answer.NOT_MANAGED, Answer.NOT_ELIGIBLE):
            wizard.save_data(draft, "service", {})
            wizard.derived(draft)["stop_service"] = {"label": answer.label, "reason": answer.reason}
            return render_step(
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
        wizard.derived(draft)["duplicates"] = _duplicates(request, draft, procedure)
        draft.summary = f"{draft.summary.split(' · CPT')[0]} · CPT {procedure.code}"
        return redirect_next(draft, "service")
    # Who was found, so a wrong patient shows before anything else is entered.
    return _render_with_patient(
        request, draft, "service", {"form": form, "member": draft_member(draft)}
    )


def step_site(request, draft, action):
    plan = draft_plan(draft)  # the member was found in the draft's plan
    policy = draft_policy(draft)
    on_date = service_date(draft)
    modality = procedure_by_code(
        wizard.data(draft, "service")["procedure"], active_only=False
    ).modality
    site_review = policy.reviews_site_of_care(modality)
    searched = any(k in request.GET for k in SiteSearchForm.base_fields)
    search = SiteSearchForm(
        request.GET if any(request.GET.get(k) for k in ("npi", "tin", "name")) else None
    )
    sites = []
    if search.is_bound and search.is_valid():
        sites = list(selectors.site_search(**search.cleaned_data))
    form = SiteChoiceForm(
        bound_data(request, draft, "site", action),
        needs_site_of_care_reason=site_review,
    )
    chosen = None
    if form.is_bound:
        # A site picked from the results shows at once with its notices (a hospital outpatient
        # site also asks why), even though the form is not complete yet.
        form.is_valid()
        chosen = form.cleaned_data.get("site")
    if action == "choose":
        # Shown without errors (nothing was asked yet), with what was typed before kept.
        typed = bound_data(request, draft, "site", None)
        form = SiteChoiceForm(
            initial=unbound_initial(typed, ("site_email", "site_of_care_reason")),
            needs_site_of_care_reason=site_review,
        )
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
        return redirect_next(draft, "site")
    if chosen is None and wizard.data(draft, "site"):
        chosen = DirectoryProvider.objects.filter(pk=wizard.data(draft, "site")["site"]).first()
    shown = [s.pk for s in sites] + ([chosen.pk] if chosen is not None else [])
    networked = in_network_ids(health_plan=plan, provider_ids=shown, on_date=on_date)
    hospital = chosen is not None and chosen.site_type == chosen.SiteType.HOSPITAL_OUTPATIENT
    return render_step(
        request,
        draft,
        "site",
        {
            "search": search,
            "searched": searched,
            # The forms post to the search's address: a choice to correct comes back with the
            # results. (Not request.get_full_path: after a step posted with htmx this page is
            # rendered in the same request, at the previous step's address.)
            "form_url": reverse("case_step", args=[draft.token, "site"])
            + (f"?{search.data.urlencode()}" if search.is_bound else ""),
            "plan": plan,
            "results": [(site, site.pk in networked) for site in sites],
            "form": form,
            "chosen": chosen,
            "policy": policy,
            "chosen_in_network": chosen is not None and chosen.pk in networked,
            "site_of_care_review": site_review,
            "modality": ProcedureCode.Modality(modality).label,
            # reference/003: a hospital outpatient choice offers nearby freestanding sites.
            "alternatives": alternative_sites(
                health_plan=plan, near=chosen, modality=modality, on_date=on_date
            )
            if hospital
            else [],
            "alternatives_within": NEARBY_MILES,
            "not_required": wizard.derived(draft).get("not_required"),
        },
    )


def step_confirm(request, draft, action):
    if action == "next":
        # Read the summary (member, practitioner, site) only to show it or to submit.
        not_required = wizard.derived(draft).get("not_required")
        # No authorization needed: nothing to duplicate, the answer is only recorded.
        duplicates = [] if not_required else wizard.duplicates(draft)
        if duplicates and request.POST.get("confirm_duplicate") != "yes":
            summary = confirmation_summary(draft)
            return _render_with_patient(
                request, draft, "confirm", {**summary, "duplicate_error": True}
            )
        draft.state["duplicate_confirmed"] = bool(duplicates)
        if not_required:
            summary = confirmation_summary(draft)
            try:
                return _submit(
                    request,
                    draft,
                    summary,
                    raw_answers={},
                    urgency=Urgency.STANDARD,
                    notes="",
                    attested=False,
                )
            except services.SubmissionRefused as refused:
                if not refused.needs_clinical:
                    return _refused(request, draft, "confirm", summary, refused)
                # The plan's answer changed since the procedure page (a rule added, a new day):
                # authorization is needed after all, so the clinical page follows.
                wizard.derived(draft)["not_required"] = ""
                messages.info(request, refused.message)
        # Locked only now: a refused submission leaves the request as it was.
        draft.state["locked"] = True
        return redirect("case_step", token=draft.token, step="clinical")
    return _render_with_patient(request, draft, "confirm", confirmation_summary(draft))


def _render_with_patient(request, draft, step, context):
    """A step page showing who the patient is: that read of patient data is logged (once per
    request: a step posted with htmx is answered with the next page in the same request)."""
    member = context["member"]
    memo(
        draft,
        ("logged", member.pk),
        lambda: (
            access_log_record(
                request=request,
                obj=member,
                action=AccessLog.Action.VIEW,
                detail=f"draft {draft.token} ({step})",
            )
            or True
        ),
    )
    return render_step(request, draft, step, context)


def _refused(request, draft, step, context, refused):
    """The submission was refused by a rule that no longer holds: say why, keep everything."""
    if refused.expired:
        messages.warning(request, refused.message)
        return redirect("drafts_in_progress")
    return _render_with_patient(request, draft, step, {**context, "refusal": refused.message})


def _duplicates(request, draft, procedure) -> list[dict]:
    """The duplicate-order notice: requests on file for this member and procedure. Another
    office's request is told of, never named (its case number would lead nowhere for this user)."""
    rows = selectors.open_duplicates(
        member_id=wizard.data(draft, "member")["member"],
        procedure_code_id=procedure.pk,
        on_date=service_date(draft),
    ).values_list("case_number", "office_id")[:5]
    office_id = request.user.office_id
    return [{"number": number, "own": office == office_id} for number, office in rows]


def step_clinical(request, draft, action):
    version, facts = draft_pathway(draft)
    compiled = compiled_pathway(version) if version else None
    data = bound_data(request, draft, "clinical", action)  # this POST, or what was typed before
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
    summary = confirmation_summary(draft)
    removed = _attachment_remove(draft, action)
    upload_errors = store_uploads(request, draft) if action else []
    new_duplicates, refusal = [], ""
    # An htmx post that is not the step's own form is a question refresh, never a submit.
    submitting = action == "next" and (not request.htmx or is_step_post(request))
    if submitting:
        form = ClinicalForm(data)
        valid = form.is_valid()
        # Every problem at once: an urgent request without a document is said with the others.
        if form.cleaned_data.get("urgency") == Urgency.URGENT and not draft.attachments.exists():
            form.add_error(
                "urgency", "An urgent request needs at least one clinical document uploaded."
            )
            valid = False
        if (
            form.cleaned_data.get("additional_info") == "yes"
            and not form.cleaned_data.get("notes", "").strip()
            and not draft.attachments.exists()
        ):
            form.add_error(
                "additional_info",
                "Type the additional information or upload a document, or answer No.",
            )
            valid = False
        valid = valid and not upload_errors and (evaluation is None or evaluation.complete)
        if valid:
            # A request for this member and procedure may have been filed since the confirmation
            # page: the notice again, and the user decides again.
            known = {d["number"] for d in summary["duplicates"]}
            duplicates = _duplicates(request, draft, summary["procedure"])
            new = [d for d in duplicates if d["number"] not in known]
            if new and request.POST.get("confirm_duplicate") != "yes":
                new_duplicates, valid = new, False
            elif new:
                wizard.derived(draft)["duplicates"] = duplicates
                draft.state["duplicate_confirmed"] = True
        if valid:
            try:
                return _submit(
                    request,
                    draft,
                    summary,
                    raw_answers=raw_answers,
                    urgency=form.cleaned_data["urgency"],
                    notes=form.cleaned_data["notes"],
                )
            except services.SubmissionRefused as refused:
                if refused.expired:
                    return _refused(request, draft, "clinical", {}, refused)
                refusal = refused.message
    else:
        # Shown as typed, without errors: the user has not asked to submit yet.
        form = ClinicalForm(initial=unbound_initial(data, ClinicalForm.base_fields))
    attachments = list(draft.attachments.all())
    context = {
        **summary,
        # Notes and documents stay in view, whatever the Yes/No says, once they hold something.
        "additional_open": bool(
            attachments
            or removed
            or upload_errors
            or (form["notes"].value() or "").strip()
            or form.errors.get("notes")
            or form.errors.get("additional_info")
        ),
        "removed": removed,
        "new_duplicates": new_duplicates,
        "refusal": refusal,
        "form": form,
        "version": version,
        "upload_errors": upload_errors,
        "attachments": attachments,
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
    return _render_with_patient(request, draft, "clinical", context)


def _attachment_remove(draft, action) -> str:
    """ "Remove" next to an uploaded document (action remove-<id>): the name of what went."""
    pk = (action or "").removeprefix("remove-")
    if pk == action or not pk.isdigit() or len(pk) > 18:
        return ""
    attachment = draft.attachments.filter(pk=pk).first()  # this draft's own, or nothing
    if attachment is None:
        return ""
    attachment.delete()  # the file goes after the commit (cases.signals)
    return attachment.original_name


def store_uploads(request, draft) -> list[str]:
    """Store the clinical documents sent with this post (whichever button sent it); return why
    any file was refused."""
    files = request.FILES.getlist("files")
    refused = [too_large(name) for name in getattr(request, "uploads_too_large", [])]
    not_read = getattr(request, "uploads_not_read", [])
    if not_read:
        refused.append(
            f"{len(not_read)} more files were sent than can be read at once: at most "
            f"{MAX_FILES} documents can be uploaded to a request. Choose fewer files."
        )
    if files:
        refused += attachments_add(draft=draft, user=request.user, files=files)[1]
    return refused


def _submit(request, draft, s, *, raw_answers, urgency, notes, attested=True):
    member_step = wizard.data(draft, "member")
    duplicates = wizard.duplicates(draft)
    duplicate_of = None
    if draft.state.get("duplicate_confirmed") and duplicates:
        # The office's own request first (the notice named it), else the other office's.
        first = sorted(duplicates, key=lambda d: (not d["own"], d["number"]))[0]
        duplicate_of = Case.objects.filter(case_number=first["number"]).first()
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
        requester=_requester(draft),
        attested=attested,
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


def _requester(draft) -> str:
    """Who is asking, as the first page recorded it (drafts saved before it was recorded: as
    typed there)."""
    provider = wizard.data(draft, "provider")
    if "requester" in provider:
        return provider["requester"]
    typed = wizard.raw(draft, "provider").get("requester") or [Requester.ORDERING]
    return typed[0] if typed[0] in Requester.values else Requester.ORDERING


def _fields(*forms, extra=()):
    names = frozenset(name for form in forms for name in form.base_fields) | frozenset(extra)
    return names.__contains__


_clinical_field = _fields(ClinicalForm, extra=["confirm_duplicate"])

# The names each step keeps of what is posted to it (wizard.save_raw): its forms' fields.
STEP_FIELDS = {
    "provider": _fields(ProviderForm, extra=["q"]),
    "member": _fields(MemberForm),
    "service": _fields(ServiceForm),
    "site": _fields(SiteChoiceForm),
    "confirm": _fields(extra=["confirm_duplicate"]),
    "clinical": lambda name: name.startswith(f"{PATHWAY_PREFIX}-") or _clinical_field(name),
}

STEP_HANDLERS = {
    "provider": step_provider,
    "member": step_member,
    "service": step_service,
    "site": step_site,
    "confirm": step_confirm,
    "clinical": step_clinical,
}
