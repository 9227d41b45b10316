from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinical.selectors import diagnosis_search, procedure_search


@require_GET
@login_required
def diagnosis_typeahead(request):
    """ICD-10-CM by code or words. An htmx request gets the list only; otherwise a full page."""
    query = request.GET.get("q", "")[:100]
    context = {"query": query, "results": diagnosis_search(query), "kind": "diagnosis"}
    if request.htmx:
        return render(request, "clinical/partials/_code_options.html", context)
    return render(request, "clinical/code_lookup.html", context)


@require_GET
@login_required
def procedure_typeahead(request):
    query = request.GET.get("q", "")[:100]
    context = {"query": query, "results": procedure_search(query), "kind": "procedure"}
    if request.htmx:
        return render(request, "clinical/partials/_code_options.html", context)
    return render(request, "clinical/code_lookup.html", context)
