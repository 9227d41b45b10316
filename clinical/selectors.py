"""Reads for the clinical app: code-set searches for typeaheads, and pathway versions."""

import re
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from clinical.engine import CompiledPathway, compile_pathway
from clinical.models import DiagnosisCode, PathwayVersion, ProcedureCode, Program
from portal.lib import refcache

# An ICD-10-CM code or its start: a letter, a digit, then up to five more characters, with or
# without the dot ("M25", "m25.56", "M25562").
_ICD_CODE_LIKE = re.compile(r"^[a-z][0-9][0-9a-z]?(\.?[0-9a-z]{0,4})?$")
_WORD = re.compile(r"[^\w.]+")
MAX_WORDS = 6


def _normalize(query: str) -> str:
    return " ".join((query or "").replace("\x00", " ").split()).lower()


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
    # A few hundred codes, kept in memory: searched here instead of with a query per keystroke.
    codes = _procedure_index()
    if q[:1].isdigit() or (len(q) == 5 and q[0].isalpha() and q[1:].isdigit()):
        prefix = q.upper()
        return [p for code, _d, _m, p in codes if code.startswith(prefix)][:limit]
    words = [w for w in _WORD.split(q) if w][:MAX_WORDS]
    return [
        p
        for _c, description, modality, p in codes
        if all(w in description or w == modality for w in words)
    ][:limit]


def _procedure_index() -> list[tuple[str, str, str, ProcedureCode]]:
    """Active codes in code order, each with its code, description and modality for matching."""

    def load():
        codes = ProcedureCode.objects.filter(is_active=True).select_related("program")
        return sorted(
            ((p.code.upper(), p.description.lower(), p.modality.lower(), p) for p in codes),
            key=lambda row: row[0],
        )

    return refcache.cached(("procedure_index",), load)


# ---------------------------------------------------------------------------------------------
# Pathways

_COMPILED: dict[tuple[int, str], CompiledPathway] = {}


def compiled_pathway(version: PathwayVersion) -> CompiledPathway:
    """The parsed pathway of a version, compiled once per process (versions never change)."""
    key = (version.pk, version.sha256)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = compile_pathway(
            version.questionnaire, version.criteria, key=f"{version.pathway_id}@{version.version}"
        )
        _COMPILED[key] = compiled
    return compiled


def pathway_versions_in_force(*, on_date: date, health_plan_id: int | None = None) -> QuerySet:
    """Active versions in force on `on_date`: general ones, plus the plan's own if given."""
    return (
        PathwayVersion.objects.filter(is_active=True, effective_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
        .filter(Q(health_plan__isnull=True) | Q(health_plan_id=health_plan_id))
    )


def pathway_version_for(
    *, procedure_code: str, on_date: date, age: int, health_plan_id: int | None = None
) -> PathwayVersion | None:
    """The version that applies: the plan's own over the general one, then the latest in force."""
    # Kept per code, day and plan, with the age bands chosen here: keyed by age too, nearly every
    # patient would be a miss.
    candidates = refcache.cached(
        ("pathway_versions", procedure_code, on_date, health_plan_id),
        lambda: _pathway_versions_read(procedure_code, on_date, health_plan_id),
    )
    return next(
        (
            v
            for v in candidates
            if (v.age_min is None or v.age_min <= age) and (v.age_max is None or v.age_max >= age)
        ),
        None,
    )


def _pathway_versions_read(procedure_code, on_date, health_plan_id) -> list[PathwayVersion]:
    """Every version in force for the code, in the order of preference."""
    candidates = (
        pathway_versions_in_force(on_date=on_date, health_plan_id=health_plan_id)
        .select_related("pathway")
        # The documents are read only when a version is first compiled (compiled_pathway).
        .defer("questionnaire", "criteria", "sources")
        .filter(procedure_codes__code=procedure_code)
    )
    return list(
        candidates.annotate(
            own_plan=Case(When(health_plan__isnull=False, then=Value(0)), default=Value(1))
        ).order_by("own_plan", "-effective_date", "-pk")
    )


# Reference rows read on every wizard step, kept between requests (portal/lib/refcache.py).


def programs() -> list[Program]:
    """Every program, in the model's order."""
    return refcache.cached(("programs",), lambda: list(Program.objects.all()))


def program_by_pk(pk: int) -> Program:
    for program in programs():
        if program.pk == pk:
            return program
    raise Program.DoesNotExist(f"No program {pk}")


def procedure_by_code(code: str, *, active_only: bool = True) -> ProcedureCode | None:
    """The procedure code with its program, or None (inactive ones only when asked)."""
    procedure = refcache.cached(
        ("procedure", code),
        lambda: ProcedureCode.objects.select_related("program").filter(code=code).first(),
        keep_none=False,
    )
    if procedure is None or (active_only and not procedure.is_active):
        return None
    return procedure


def diagnosis_by_code(code: str) -> DiagnosisCode | None:
    return refcache.cached(
        ("diagnosis", code),
        lambda: DiagnosisCode.objects.filter(code=code).first(),
        keep_none=False,
    )
