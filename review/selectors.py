"""Reads for reviewers: the queue, a case under review. Anyone else gets a 404."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import OPEN_STATUSES, Case, CaseProcedure, CaseStatus
from portal.models import User
from portal.roles import user_can

DUE_SOON = timedelta(hours=4)
PAGE_SIZE = 50

# The queue's status filter: the case's status, or what sent it to review.
CATEGORIES = {
    "in_review": ("Clinical review", Q(status=CaseStatus.IN_REVIEW)),
    "info_requested": ("Information requested", Q(status=CaseStatus.INFO_REQUESTED)),
    "md_review": ("Physician review", Q(status=CaseStatus.MD_REVIEW)),
    "reconsideration": ("Reconsideration", Q(status=CaseStatus.RECONSIDERATION)),
    "site_of_care": ("Site of care", ~Q(site_of_care_reason="")),
    "duplicate": ("Possible duplicate", Q(duplicate_of__isnull=False)),
}


def may_review(user: User) -> bool:
    return user_can(user, "review.work_queue")


def open_cases(*, user: User) -> QuerySet[Case]:
    if not may_review(user):
        return Case.objects.none()
    return Case.objects.filter(status__in=list(OPEN_STATUSES))


@dataclass(frozen=True)
class QueueFilters:
    urgency: str = ""
    plan: int | None = None
    line_of_business: str = ""
    modality: str = ""
    category: str = ""
    assigned: str = ""  # "me", "unassigned", or "" (anyone)


def _filtered(cases: QuerySet[Case], f: QueueFilters, user: User) -> QuerySet[Case]:
    if f.urgency:
        cases = cases.filter(urgency=f.urgency)
    if f.plan:
        cases = cases.filter(health_plan_id=f.plan)
    if f.line_of_business:
        cases = cases.filter(member_snapshot__line_of_business=f.line_of_business)
    if f.modality:
        cases = cases.filter(
            Exists(
                CaseProcedure.objects.filter(
                    case_id=OuterRef("pk"), procedure_code__modality=f.modality
                )
            )
        )
    if f.assigned == "me":
        cases = cases.filter(assigned_to=user)
    elif f.assigned == "unassigned":
        cases = cases.filter(assigned_to__isnull=True)
    return cases


def review_queue(*, user: User, filters: QueueFilters) -> QuerySet[Case]:
    """Open cases, urgent first, then by due time: the rows' own columns only (a constant number
    of queries whatever the page shows)."""
    cases = _filtered(open_cases(user=user), filters, user)
    if filters.category in CATEGORIES:
        cases = cases.filter(CATEGORIES[filters.category][1])
    return (
        cases.select_related("health_plan", "assigned_to")
        .prefetch_related(
            Prefetch("procedures", queryset=CaseProcedure.objects.select_related("procedure_code"))
        )
        # "urgent" sorts after "standard": descending puts urgent first (tests hold it so).
        .order_by("-urgency", "review_due_at", "pk")
    )


def queue_counts(*, user: User, filters: QueueFilters) -> dict:
    """How many cases each status filter would show (the other filters applied), and how many
    are overdue or due within four hours: one query."""
    now = timezone.now()
    cases = _filtered(open_cases(user=user), filters, user)
    aggregates = {key: Count("pk", filter=q) for key, (_, q) in CATEGORIES.items()}
    aggregates["all"] = Count("pk")
    aggregates["overdue"] = Count("pk", filter=Q(review_due_at__lt=now))
    aggregates["due_soon"] = Count(
        "pk", filter=Q(review_due_at__gte=now, review_due_at__lt=now + DUE_SOON)
    )
    return cases.order_by().aggregate(**aggregates)


def case_for_reviewer(*, user: User, case_number: str) -> Case:
    """Any case, for a reviewer (the queue and what it led to); a 404 for anyone else."""
    if not may_review(user):
        raise Http404
    try:
        return (
            Case.objects.select_related(
                "health_plan",
                "ordering_provider",
                "rendering_site",
                "primary_diagnosis",
                "secondary_diagnosis",
                "created_by",
                "office",
                "assigned_to",
                "pathway_version__pathway",
                "duplicate_of",
            )
            .prefetch_related(
                Prefetch(
                    "procedures", queryset=CaseProcedure.objects.select_related("procedure_code")
                )
            )
            .get(case_number=case_number)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def prior_cases(*, case: Case, limit: int = 10) -> list[Case]:
    return list(
        Case.objects.filter(member_id=case.member_id)
        .exclude(pk=case.pk)
        .prefetch_related(
            Prefetch("procedures", queryset=CaseProcedure.objects.select_related("procedure_code"))
        )
        .order_by("-submitted_at")[:limit]
    )


def reviewers() -> QuerySet[User]:
    return User.objects.filter(role__in=["nurse", "physician"], is_active=True).order_by(
        "last_name", "first_name"
    )
