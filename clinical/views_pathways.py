"""The pathway demo pages: try any pathway's questions and see the determination."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from clinical.engine import CaseFacts, evaluate
from clinical.forms import CaseFactsForm
from clinical.models import Pathway
from clinical.pathway_form import answers_from_post, pathway_form_context
from clinical.selectors import compiled_pathway, pathway_versions_in_force


@login_required
def pathway_list(request):
    today = timezone.localdate()
    versions = {
        v.pathway_id: v
        for v in pathway_versions_in_force(on_date=today)
        .order_by("pathway_id", "effective_date", "pk")
        .prefetch_related("procedure_codes")
    }  # later rows win: the latest version in force per pathway
    pathways = [(p, versions.get(p.pk)) for p in Pathway.objects.all()]
    return render(request, "clinical/pathway_list.html", {"pathways": pathways})


@login_required
def pathway_try(request, slug: str):
    version = (
        pathway_versions_in_force(on_date=timezone.localdate())
        .filter(pathway__slug=slug)
        .select_related("pathway")
        .order_by("-effective_date", "-pk")
        .first()
    )
    if version is None:
        raise Http404
    compiled = compiled_pathway(version)
    codes = list(version.procedure_codes.order_by("code"))
    is_post = request.method == "POST"
    facts_form = CaseFactsForm(request.POST if is_post else None, procedure_codes=codes)
    facts = CaseFacts(age=45, sex="F", procedure=codes[0].code if codes else "")
    facts_ok = is_post and facts_form.is_valid()
    if facts_ok:
        data = facts_form.cleaned_data
        facts = CaseFacts(
            age=data["age"],
            sex=data["sex"],
            procedure=data["procedure"],
            diagnoses=data["diagnoses"],
        )
    raw = answers_from_post(request.POST, compiled) if is_post else {}
    evaluation = evaluate(compiled, raw, facts)
    checking = is_post and request.POST.get("action") == "check" and not request.htmx
    context = {
        "version": version,
        "facts_form": facts_form,
        "evaluation": evaluation if checking and facts_ok and evaluation.complete else None,
        "unanswered": checking and facts_ok and not evaluation.complete,
        **pathway_form_context(
            evaluation,
            raw,
            refresh_url=reverse("pathway_try", args=[slug]),
            show_errors=checking,
            urgent_input="",  # a try-out: there is no request to mark urgent
        ),
    }
    return render(request, "clinical/pathway_try.html", context)
