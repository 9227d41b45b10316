"""Cases: what an office submits, its procedures, attachments and timeline; and drafts.

A draft holds the wizard's state in the database (so "finish later" works from any browser);
the case row itself is created in one transaction when the draft is submitted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clinical.models import DiagnosisCode, PathwayVersion, ProcedureCode, Program
from payers.models import HealthPlan, Member
from portal.models import DirectoryProvider, Office, TimeStampedModel


class CaseStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    NOT_REQUIRED = "not_required", "No authorization required"
    IN_REVIEW = "in_review", "Pending clinical review"
    INFO_REQUESTED = "info_requested", "On hold: information requested"
    MD_REVIEW = "md_review", "Pending physician review"
    PARTIALLY_APPROVED = "partially_approved", "Partially approved"
    DENIED = "denied", "Denied"
    RECONSIDERATION = "reconsideration", "Reconsideration requested"
    WITHDRAWN = "withdrawn", "Voluntarily cancelled"
    ERROR_ENTRY = "error_entry", "Not reviewed: entered in error"
    DUPLICATE = "duplicate", "Voluntarily withdrawn: duplicate"


OPEN_STATUSES = frozenset(
    {
        CaseStatus.IN_REVIEW,
        CaseStatus.INFO_REQUESTED,
        CaseStatus.MD_REVIEW,
        CaseStatus.RECONSIDERATION,
    }
)


class Urgency(models.TextChoices):
    STANDARD = "standard", "Standard"
    URGENT = "urgent", "Urgent"


class Requester(models.TextChoices):
    ORDERING = "ordering", "The ordering provider's office"
    OTHER = "other", "Another provider (e.g. the rendering facility)"


class Laterality(models.TextChoices):
    NONE = "", "Not applicable"
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"


class Case(TimeStampedModel):
    case_number = models.CharField(max_length=12, unique=True)
    authorization_number = models.CharField(max_length=12, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices)

    # Foreign keys nothing looks cases up by have no index of their own (db_index=False): every
    # index is paid for by each insert and weighed by the planner on each query of this table.
    # Office and member lead composite indexes below; deleting a user, code or plan row (rare,
    # and refused while a case refers to it) may scan.
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", db_index=False)
    ordering_provider = models.ForeignKey(
        DirectoryProvider, on_delete=models.PROTECT, related_name="+"
    )
    provider_address = models.CharField(max_length=300)
    contact_name = models.CharField(max_length=150)
    contact_phone = models.CharField(max_length=20)
    contact_phone_ext = models.CharField(max_length=10, blank=True)
    contact_fax = models.CharField(max_length=20)
    contact_cell = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)

    health_plan = models.ForeignKey(
        HealthPlan, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    # The member as verified at submission (names, IDs and coverage can change later).
    member_snapshot = models.JSONField()

    primary_diagnosis = models.ForeignKey(
        DiagnosisCode, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    secondary_diagnosis = models.ForeignKey(
        DiagnosisCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    rendering_site = models.ForeignKey(
        DirectoryProvider, on_delete=models.PROTECT, related_name="+"
    )
    # In the plan's network on the day the rules were applied (answered_for), as found at
    # submission; empty for cases submitted before it was kept.
    ordering_in_network = models.BooleanField(null=True, blank=True)
    site_in_network = models.BooleanField(null=True, blank=True)
    site_email = models.EmailField(blank=True)
    place_of_service = models.CharField(max_length=30)
    site_of_care_reason = models.CharField(max_length=500, blank=True)

    performed_already = models.BooleanField(default=False)
    date_of_service = models.DateField(
        null=True,
        blank=True,
        help_text="The date it was performed (retrospective), else the planned date; empty: TBD.",
    )
    # Eligibility and code rules were applied on this day: the date of service, or (TBD) the
    # day of submission in the office's time zone. Kept, as the page must say it exactly.
    answered_for = models.DateField(default=timezone.localdate)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.STANDARD)

    pathway_version = models.ForeignKey(
        PathwayVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    pathway_answers = models.JSONField(default=dict, blank=True)
    determination_reasons = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    # Who attested the clinical information, and when; none for "no authorization required",
    # where no clinical information is given.
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    requester = models.CharField(
        max_length=10,
        choices=Requester.choices,
        default=Requester.ORDERING,
        help_text="Who sent the request: the ordering provider's office, or another provider.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text="The earlier case the office confirmed this one duplicates.",
    )

    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    review_due_at = models.DateTimeField(null=True, blank=True)
    # The standard clock runs from when the last information arrived (reference/002: "2 business
    # days after receipt of all necessary clinical information"): submission, then each answer.
    clock_started_at = models.DateTimeField(null=True, blank=True)
    # The reviewer working the case (claimed); empty: unassigned, in the queue for anyone.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # An appeal is the plan's to decide: the portal records that one was filed, and when.
    appealed_on = models.DateField(null=True, blank=True)
    expiration_date = models.DateField(null=True, blank=True)
    # The draft it was built from: a replayed or double-clicked submit finds this and stops.
    source_draft = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["office", "-submitted_at"], name="case_office_recent"),
            models.Index(fields=["status", "review_due_at"], name="case_queue"),
            # The review queue's order over open cases only: its first page is read off this
            # index instead of sorting every open case (benchmarks/review_queue.py).
            models.Index(
                F("urgency").desc(),
                F("review_due_at").asc(),
                F("id").asc(),
                name="case_review_queue_order",
                condition=Q(
                    status__in=["in_review", "info_requested", "md_review", "reconsideration"]
                ),
            ),
            models.Index(fields=["member", "status"], name="case_member_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "partially_approved"])
                | (Q(authorization_number__isnull=False) & Q(expiration_date__isnull=False)),
                name="case_approval_has_number_and_expiry",
            ),
            models.CheckConstraint(
                condition=Q(performed_already=False) | Q(date_of_service__isnull=False),
                name="case_retro_has_date_of_service",
            ),
            models.CheckConstraint(
                condition=Q(status="not_required")
                | (Q(attested_by__isnull=False) & Q(attested_at__isnull=False)),
                name="case_attested_unless_not_required",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.case_number}"


class InformationRequest(TimeStampedModel):
    """A hold: what the reviewer needs, by when (reference/002 "Clinical Information Needed":
    every missing item in one notice). Answered by the office, or expired by the hold job."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="info_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(help_text="The missing items, each a short text.")
    held_from = models.CharField(
        max_length=20, choices=CaseStatus.choices, help_text="The review the answer returns to."
    )
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer_text = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="info_request_open_due",
                condition=Q(answered_at__isnull=True, expired_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(answered_at__isnull=True, expired_at__isnull=True),
                name="info_request_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(expired_at__isnull=True),
                name="info_request_answered_or_expired",
            ),
        ]

    def __str__(self) -> str:
        return f"Information requested on {self.case}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.expired_at is None


class Notice(models.Model):
    """A notice owed to one recipient for one event of a case (the letters issue renders it)."""

    class Recipient(models.TextChoices):
        ORDERING_PROVIDER = "ordering_provider", "Ordering provider"
        MEMBER = "member", "Member"
        FACILITY = "facility", "Rendering facility"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey("CaseEvent", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30)
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="notice_once_per_event_and_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_recipient_display()}"

    def get_kind_display(self) -> str:
        return self.kind.replace("_", " ")


class Decision(models.Model):
    """One determination of a case, as the federal prior-authorization metrics count them: when
    the request was received, when and how it was decided, by whom, on which round."""

    class Round(models.TextChoices):
        INITIAL = "initial", "Initial"
        RECONSIDERATION = "reconsideration", "Reconsideration"
        APPEAL = "appeal", "Appeal"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    round = models.CharField(max_length=20, choices=Round.choices, default=Round.INITIAL)
    outcome = models.CharField(max_length=20, choices=CaseStatus.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    received_at = models.DateTimeField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: decided by the portal at submission.",
    )
    denial_reason = models.ForeignKey(
        "payers.DenialReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="The specific reason, in plain language.")
    guideline = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["decided_at"], name="decision_reporting")]

    def __str__(self) -> str:
        return f"{self.case} {self.outcome} ({self.round})"

    @property
    def automated(self) -> bool:
        return self.decided_by_id is None


class PeerToPeerSlot(TimeStampedModel):
    """A time a physician reviewer offers for a peer-to-peer call (reference/002 "Self-Service
    Peer to Peer Scheduling"); an office books it for one case."""

    physician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="p2p_slots"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=15)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="p2p_slots"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    caller_name = models.CharField(max_length=150, blank=True)
    caller_phone = models.CharField(max_length=20, blank=True)
    consultative_only = models.BooleanField(
        default=False, help_text="Booked after a denial where the plan allows a consultation only."
    )
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="p2p_slot_open", condition=Q(case=None))]
        constraints = [
            models.UniqueConstraint(
                fields=["physician", "starts_at"], name="p2p_slot_once_per_physician_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Peer-to-peer {self.starts_at:%Y-%m-%d %H:%M} with {self.physician}"


class CaseProcedure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="procedures")
    procedure_code = models.ForeignKey(ProcedureCode, on_delete=models.PROTECT, related_name="+")
    quantity_requested = models.PositiveSmallIntegerField(default=1)
    quantity_approved = models.PositiveSmallIntegerField(null=True, blank=True)
    laterality = models.CharField(max_length=10, choices=Laterality.choices, blank=True)
    modifiers = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_requested__gte=1), name="procedure_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_approved__isnull=True)
                | Q(quantity_approved__lte=models.F("quantity_requested")),
                name="procedure_approved_within_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code.code} x{self.quantity_requested}"


class CaseEvent(models.Model):
    """The case timeline: every status change and every notable action, who and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="Kept as text: 'system' or the user name."
    )
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True, help_text="Internal: reviewers only.")
    office_message = models.TextField(blank=True, help_text="What the office's timeline says.")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.from_status}→{self.to_status}"


def _attachment_path(instance, filename: str) -> str:
    # Server-generated name under the private root; the user's file name is kept as data only.
    return f"attachments/{instance.stored_name}"


class Draft(TimeStampedModel):
    """A case being built: the wizard's whole state, saved at every step ("finish later")."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="drafts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    summary = models.CharField(
        max_length=200, blank=True, help_text="What the draft is about so far."
    )
    expires_at = models.DateTimeField()
    expired_at = models.DateTimeField(null=True, blank=True)
    submitted_case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft"
    )

    class Meta:
        ordering = ["-modified"]
        indexes = [
            models.Index(fields=["office", "-modified"], name="draft_office_recent"),
            models.Index(
                fields=["expires_at"], name="draft_expiry", condition=Q(expired_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.token}"

    @property
    def is_open(self) -> bool:
        return self.expired_at is None and self.submitted_case_id is None


def _draft_deleted(collector, field, sub_objs, using) -> None:
    """on_delete of Attachment.draft: a document already on a case stays with it; one never
    submitted goes with its draft (its file too: cases.signals)."""
    on_a_case = [a for a in sub_objs if a.case_id is not None]
    loose = [a for a in sub_objs if a.case_id is None]
    if loose:
        models.CASCADE(collector, field, loose, using)
    if on_a_case:
        collector.add_field_update(field, None, on_a_case)


class Attachment(TimeStampedModel):
    """A clinical document uploaded with a draft, carried to its case at submission."""

    draft = models.ForeignKey(
        Draft, on_delete=_draft_deleted, null=True, blank=True, related_name="attachments"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=80, unique=True)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(draft__isnull=False) | Q(case__isnull=False), name="attachment_belongs"
            )
        ]

    def __str__(self) -> str:
        return self.original_name
