"""Payer rules as data: plans, benefit plans, programs managed, code rules, policy, members.

Nothing in code says `if plan == ...`: every rule a plan has lives in these tables and is edited
in the admin.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from clinical.models import ProcedureCode, Program
from portal.models import DirectoryProvider, TimeStampedModel, validate_modalities


def normalize_member_id(value: str) -> str:
    """Member IDs are compared without spaces and case: "m2k 123" is M2K123."""
    return "".join((value or "").split()).upper()


def site_of_care_default() -> list[str]:
    """reference/003: clinical site-of-care review covers CT and MR imaging."""
    modality = ProcedureCode.Modality
    return [modality.CT.value, modality.CTA.value, modality.MRI.value, modality.MRA.value]


class LineOfBusiness(models.TextChoices):
    COMMERCIAL = "commercial", "Commercial"
    MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    DUAL = "dual", "Dual eligible (Medicare-Medicaid)"
    FEP = "fep", "Federal Employee Program (FEP)"
    BLUECARD = "bluecard", "BlueCard (out of area)"


class HealthPlan(TimeStampedModel):
    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="Home state, if regional.")
    member_services_phone = models.CharField(max_length=20, blank=True)
    provider_services_phone = models.CharField(max_length=20, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BenefitPlan(TimeStampedModel):
    """A product of a plan, recognised by its member-ID prefix (M2K, M2V, M3P in reference/002)."""

    health_plan = models.ForeignKey(
        HealthPlan, on_delete=models.CASCADE, related_name="benefit_plans"
    )
    name = models.CharField(max_length=150)
    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices)
    member_id_prefix = models.CharField(max_length=10, blank=True)
    service_area = models.CharField(max_length=200, blank=True)
    managed = models.BooleanField(
        default=True,
        help_text="Whether this portal's programs manage this benefit plan. FEP, BlueCard, TPA "
        "groups and some HMO plans are not: their members follow their ID card.",
    )
    not_managed_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the member's provider should do instead (shown when not managed).",
    )

    class Meta:
        ordering = ["health_plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["health_plan", "name"], name="benefit_plan_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.health_plan.short_name or self.health_plan}: {self.name}"


class PlanProgram(TimeStampedModel):
    """A program a plan manages through this portal, per line of business, from a date of service
    (reference/002: MA radiology from 6/1/2020; earlier protocols need no new precertification)."""

    health_plan = models.ForeignKey(HealthPlan, on_delete=models.CASCADE, related_name="programs")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    line_of_business = models.CharField(
        max_length=30, choices=LineOfBusiness.choices, blank=True, help_text="Blank: every line."
    )
    effective_date = models.DateField(help_text="First date of service managed.")
    end_date = models.DateField(null=True, blank=True, help_text="Last date of service managed.")

    class Meta:
        ordering = ["health_plan", "program", "line_of_business", "effective_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("effective_date")),
                name="plan_program_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        lob = self.get_line_of_business_display() or "all lines"
        return f"{self.health_plan} · {self.program} · {lob} from {self.effective_date}"


class CodeRule(TimeStampedModel):
    """Whether a procedure code needs authorization, for a plan and line of business, over dates
    of service. No rule for a code means the code is not on the plan's list: not required."""

    health_plan = models.ForeignKey(HealthPlan, on_delete=models.CASCADE, related_name="code_rules")
    line_of_business = models.CharField(
        max_length=30, choices=LineOfBusiness.choices, blank=True, help_text="Blank: every line."
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    procedure_code = models.ForeignKey(ProcedureCode, on_delete=models.PROTECT, related_name="+")
    requires_auth = models.BooleanField(
        "requires authorization",
        default=True,
        help_text="Untick to exempt the code (a rule more specific than the list).",
    )
    effective_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["health_plan", "procedure_code__code", "line_of_business", "effective_date"]
        indexes = [
            models.Index(
                fields=["health_plan", "program", "procedure_code"], name="code_rule_lookup"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("effective_date")),
                name="code_rule_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["health_plan", "line_of_business", "procedure_code", "effective_date"],
                name="code_rule_once_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code.code} · {self.health_plan} · {self.line_of_business or 'all'}"

    def clean(self):
        if (
            self.procedure_code_id
            and self.program_id
            and self.procedure_code.program_id != self.program_id
        ):
            raise ValidationError(
                {"program": f"{self.procedure_code.code} belongs to {self.procedure_code.program}."}
            )


class PlanPolicy(TimeStampedModel):
    """How a plan runs precertification, per line of business (blank: the plan's default)."""

    class Requester(models.TextChoices):
        ANY_PROVIDER = "any_provider", "Any provider (ordering or rendering)"
        ORDERING_ONLY = "ordering_only", "Ordering provider only"

    class RetroUnit(models.TextChoices):
        BUSINESS_DAYS = "business_days", "business days"
        CALENDAR_DAYS = "calendar_days", "calendar days"

    health_plan = models.ForeignKey(HealthPlan, on_delete=models.CASCADE, related_name="policies")
    line_of_business = models.CharField(
        max_length=30, choices=LineOfBusiness.choices, blank=True, help_text="Blank: plan default."
    )
    validity_days = models.PositiveSmallIntegerField(
        default=45, help_text="Days an approval is valid from the determination."
    )
    standard_turnaround_business_days = models.PositiveSmallIntegerField(
        default=2, help_text="After all clinical information is received."
    )
    standard_max_calendar_days = models.PositiveSmallIntegerField(
        default=7, help_text="Never later than this many calendar days from receipt."
    )
    urgent_turnaround_hours = models.PositiveSmallIntegerField(default=72)
    retro_window = models.PositiveSmallIntegerField(
        default=2, help_text="How long after the date of service a retrospective request is taken."
    )
    retro_window_unit = models.CharField(
        max_length=20, choices=RetroUnit.choices, default=RetroUnit.BUSINESS_DAYS
    )
    requester = models.CharField(
        max_length=20, choices=Requester.choices, default=Requester.ORDERING_ONLY
    )
    requester_exceptions = models.TextField(
        blank=True,
        help_text="When someone other than the ordering provider may request (reference/001).",
    )
    exclude_emergency = models.BooleanField("emergency room excluded", default=True)
    exclude_observation = models.BooleanField("23-hour observation excluded", default=True)
    exclude_inpatient = models.BooleanField("inpatient stay excluded", default=True)
    exclude_procedure = models.BooleanField(
        "imaging during an interventional procedure or surgery excluded",
        default=True,
        help_text="Image guidance or imaging done as part of a procedure or an operation "
        "(reference/003).",
    )
    hospital_outpatient_site_review = models.BooleanField(
        "site-of-care review for hospital outpatient sites", default=False
    )
    site_of_care_modalities = models.JSONField(
        "modalities reviewed for site of care",
        default=site_of_care_default,
        blank=True,
        validators=[validate_modalities],
        help_text="Site-of-care review applies to these only (reference/003: CT and MR).",
    )
    info_hold_business_days = models.PositiveSmallIntegerField(
        "information hold (business days)",
        default=3,
        help_text="A standard request asking for information waits this long for the answer.",
    )
    info_hold_urgent_hours = models.PositiveSmallIntegerField(
        "information hold, urgent (hours)",
        default=24,
        help_text="An urgent request asking for information waits this long for the answer.",
    )
    reconsideration_allowed = models.BooleanField(default=True)
    reconsideration_window_days = models.PositiveSmallIntegerField(default=10)
    p2p_before_decision = models.BooleanField("peer-to-peer before the decision", default=True)
    p2p_after_decision = models.BooleanField("peer-to-peer after a denial", default=True)
    p2p_consultative_only = models.BooleanField(
        "peer-to-peer after a denial is consultative only",
        default=False,
        help_text="Medicare Advantage: a consultation after a denial cannot overturn it.",
    )
    appeal_to_plan = models.BooleanField(default=True)
    appeal_window_days = models.PositiveSmallIntegerField(default=60)
    out_of_network_notice = models.TextField(
        blank=True, help_text="Shown when the practitioner or site is not in the plan's network."
    )

    class Meta:
        verbose_name_plural = "plan policies"
        ordering = ["health_plan", "line_of_business"]
        constraints = [
            models.UniqueConstraint(
                fields=["health_plan", "line_of_business"], name="plan_policy_once_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.health_plan} · {self.get_line_of_business_display() or 'default'}"

    @property
    def excluded_settings(self) -> frozenset[str]:
        flags = {
            "emergency": self.exclude_emergency,
            "observation": self.exclude_observation,
            "inpatient": self.exclude_inpatient,
            "procedure": self.exclude_procedure,
        }
        return frozenset(name for name, excluded in flags.items() if excluded)

    def reviews_site_of_care(self, modality: str) -> bool:
        """Whether choosing a hospital outpatient site for this modality needs a reason (and a
        site-of-care review): only where the plan reviews sites, and only for its modalities."""
        return self.hospital_outpatient_site_review and modality in self.site_of_care_modalities


class NetworkParticipation(TimeStampedModel):
    """A practitioner or site in a plan's network over a period. No row: out of network."""

    health_plan = models.ForeignKey(HealthPlan, on_delete=models.CASCADE, related_name="network")
    provider = models.ForeignKey(
        DirectoryProvider, on_delete=models.CASCADE, related_name="networks"
    )
    effective_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "health_plan"], name="network_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("effective_date")),
                name="network_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.display_name} in {self.health_plan}"


class Member(TimeStampedModel):
    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        UNKNOWN = "U", "Unknown"

    health_plan = models.ForeignKey(HealthPlan, on_delete=models.PROTECT, related_name="members")
    benefit_plan = models.ForeignKey(BenefitPlan, on_delete=models.PROTECT, related_name="members")
    member_id = models.CharField("member ID", max_length=30)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=20, blank=True)
    coverage_start = models.DateField()
    coverage_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["health_plan", "member_id"], name="member_id_once_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(coverage_end__isnull=True) | Q(coverage_end__gte=F("coverage_start")),
                name="member_coverage_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ({self.health_plan})"

    def clean(self):
        if self.benefit_plan_id and self.health_plan_id != self.benefit_plan.health_plan_id:
            raise ValidationError(
                {"benefit_plan": "This benefit plan belongs to another health plan."}
            )

    def save(self, *args, **kwargs):
        self.member_id = normalize_member_id(self.member_id)
        # health_plan is kept beside benefit_plan only so that member IDs are unique per plan in
        # the database; it always follows the benefit plan.
        self.health_plan_id = self.benefit_plan.health_plan_id
        super().save(*args, **kwargs)


class DenialReason(TimeStampedModel):
    """A reason a physician may deny for, in plain language, with the guideline it rests on.
    Blank plan: offered for every plan."""

    health_plan = models.ForeignKey(
        HealthPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="denial_reasons"
    )
    text = models.CharField(
        max_length=300, help_text="Plain language, as the letter says it to the member."
    )
    guideline = models.CharField(max_length=200, help_text="The guideline the reason rests on.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text
