"""Code-set searches for typeaheads (diagnoses, procedures)."""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from clinical.models import DiagnosisCode, ProcedureCode

# An ICD-10-CM code or its start: a letter, a digit, then up to five more characters, with or
# without the dot ("M25", "m25.56", "M25562").
_ICD_CODE_LIKE = re.compile(r"^[a-z][0-9][0-9a-z]?(\.?[0-9a-z]{0,4})?$")
_WORD = re.compile(r"[^\w.]+")
MAX_WORDS = 6


def _normalize(query: str) -> str:
    return " ".join((query or "").split()).lower()


def diagnosis_search(query: str, *, limit: int = 20) -> list[DiagnosisCode]:
    """Billable ICD-10-CM codes by code prefix or by words of the description.

    Ranking: an exact code first, then codes by prefix; for words, descriptions starting with
    the phrase, then containing it, then containing every word; shorter (more general) first.
    """
    q = _normalize(query)
    if len(q) < 2:
        return []
    if _ICD_CODE_LIKE.match(q):
        compact = q.replace(".", "").upper()
        by_code = list(
            DiagnosisCode.objects.filter(compact__startswith=compact)
            .annotate(rank=Case(When(compact=compact, then=Value(0)), default=Value(1)))
            .order_by("rank", "compact")[:limit]
        )
        if by_code:
            return by_code
    words = [w for w in _WORD.split(q) if w][:MAX_WORDS]
    if not words:
        return []
    matches: QuerySet[DiagnosisCode] = DiagnosisCode.objects.all()
    for word in words:
        matches = matches.filter(search_text__contains=word)
    return list(
        matches.annotate(
            rank=Case(
                When(description__istartswith=q, then=Value(0)),
                When(search_text__contains=q, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            length=Length("description"),
        ).order_by("rank", "length", "code")[:limit]
    )


def procedure_search(query: str, *, limit: int = 20) -> list[ProcedureCode]:
    """Active procedure codes by code prefix or by words of our description."""
    q = _normalize(query)
    if not q:
        return []
    codes = ProcedureCode.objects.filter(is_active=True).select_related("program")
    if q[:1].isdigit() or (len(q) == 5 and q[0].isalpha() and q[1:].isdigit()):
        return list(codes.filter(code__istartswith=q).order_by("code")[:limit])
    condition = Q()
    for word in [w for w in _WORD.split(q) if w][:MAX_WORDS]:
        condition &= Q(description__icontains=word) | Q(modality__iexact=word)
    return list(codes.filter(condition).order_by("code")[:limit])
