"""Reads for cases and drafts. An office sees only its own; anything else is a 404."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import OPEN_STATUSES, Case, CaseProcedure, Draft
from portal.models import DirectoryProvider, User
from portal.roles import user_can


def drafts_for_user(*, user: User, include_submitted: bool = False) -> QuerySet[Draft]:
    """The office's drafts still being built (with include_submitted, those that became cases
    too: a step address of a submitted request leads to its case)."""
    if not user_can(user, "cases.build"):
        return Draft.objects.none()
    drafts = Draft.objects.filter(office_id=user.office_id)
    return drafts if include_submitted else drafts.filter(submitted_case__isnull=True)


def draft_for_user(*, user: User, token, include_submitted: bool = False) -> Draft:
    try:
        return drafts_for_user(user=user, include_submitted=include_submitted).get(token=token)
    except (Draft.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def cases_for_user(*, user: User, reviewers: bool = False) -> QuerySet[Case]:
    """The office's own cases; with `reviewers`, every case for a nurse or physician (the
    documents a reviewer opens from the review page)."""
    if reviewers and user_can(user, "review.work_queue"):
        return Case.objects.all()
    if not user_can(user, "cases.view_own_office"):
        return Case.objects.none()
    return Case.objects.filter(office_id=user.office_id)


# What the case page shows, read with the case. Each joined table costs PostgreSQL planning time
# (eleven of them took 6 ms to plan, against 0.5 ms to run); anything else loads when used.
CASE_PAGE_RELATED = (
    "health_plan",
    "ordering_provider",
    "rendering_site",
    "primary_diagnosis",
    "created_by",
)


def case_for_user(*, user: User, case_number: str, reviewers: bool = False) -> Case:
    try:
        return (
            cases_for_user(user=user, reviewers=reviewers)
            .select_related(*CASE_PAGE_RELATED)
            .prefetch_related(
                Prefetch(
                    "procedures",
                    queryset=CaseProcedure.objects.select_related("procedure_code"),
                )
            )
            .get(case_number=case_number)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def site_search(*, npi="", tin="", name="", zip_code="", city="", match="starts") -> QuerySet:
    sites = DirectoryProvider.objects.exclude(site_type="")
    if npi:
        return sites.filter(npi=npi.strip())
    if tin:
        return sites.filter(tin="".join(ch for ch in tin if ch.isdigit()))
    name_filter = (
        Q(organization_name__iexact=name.strip())
        if match == "exact"
        else Q(organization_name__istartswith=name.strip())
    )
    sites = sites.filter(name_filter)
    if zip_code:
        sites = sites.filter(zip_code__startswith=zip_code.strip()[:5])
    if city:
        sites = sites.filter(city__iexact=city.strip())
    return sites.order_by("organization_name")[:50]


def open_duplicates(*, member_id: int, procedure_code_id: int, on_date) -> QuerySet[Case]:
    """The duplicate-order notice: the same member and procedure, in a case still open, or
    approved with an authorization that is still valid on the new date of service."""
    overlapping = Q(status__in=list(OPEN_STATUSES)) | Q(
        status="approved", expiration_date__gte=on_date
    )
    # EXISTS on the procedure's id, no join to the code table and no ordering: PostgreSQL spent
    # five times longer planning the three-table join than running it.
    same_procedure = CaseProcedure.objects.filter(
        case_id=OuterRef("pk"), procedure_code_id=procedure_code_id
    )
    return (
        Case.objects.filter(member_id=member_id)
        .filter(overlapping)
        .filter(Exists(same_procedure))
        .order_by()
    )
