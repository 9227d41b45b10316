from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinical.selectors import diagnosis_search, procedure_search


def _typeahead(request, search, kind: str):
    """An htmx request gets the option list only; without JavaScript, a full page."""
    # "q" from the lookup page; the field's own name when a wizard input asks (htmx sends it).
    query = (request.GET.get("q") or next(iter(request.GET.values()), ""))[:100]
    context = {"query": query, "results": search(query), "kind": kind}
    if request.htmx:
        return render(request, "clinical/partials/_code_options.html", context)
    return render(request, "clinical/code_lookup.html", context)


@require_GET
@login_required
def diagnosis_typeahead(request):
    """ICD-10-CM by code or words."""
    return _typeahead(request, diagnosis_search, "diagnosis")


@require_GET
@login_required
def procedure_typeahead(request):
    """Advanced-imaging CPT/HCPCS codes by code or words."""
    return _typeahead(request, procedure_search, "procedure")
