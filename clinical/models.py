from django.db import models

from portal.models import TimeStampedModel


class Program(TimeStampedModel):
    """A utilization-management program of reference/002 "Select Program" (Radiology and
    Cardiology, Sleep Management, ...). Only active programs can be requested in this portal."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(
        default=False, help_text="Requests for this program can be built in this portal."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ProcedureCode(TimeStampedModel):
    """A CPT/HCPCS code in scope, with our own plain-language description (CPT text is licensed)."""

    class Modality(models.TextChoices):
        CT = "CT", "CT"
        CTA = "CTA", "CT angiography"
        MRI = "MRI", "MRI"
        MRA = "MRA", "MR angiography"
        PET = "PET", "PET"
        NM = "NM", "Nuclear medicine"
        ECHO = "ECHO", "Echocardiography"

    class Contrast(models.TextChoices):
        WITHOUT = "without", "Without contrast"
        WITH = "with", "With contrast"
        WITHOUT_AND_WITH = "without_and_with", "Without, then with contrast"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    code = models.CharField(max_length=5, unique=True)
    description = models.CharField(max_length=200)
    modality = models.CharField(max_length=4, choices=Modality.choices)
    body_region = models.CharField(max_length=30)
    contrast = models.CharField(max_length=20, choices=Contrast.choices)
    laterality_required = models.BooleanField(default=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="procedure_codes")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["modality", "body_region"], name="procedure_modality_region")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class DiagnosisCode(models.Model):
    """A billable ICD-10-CM code, loaded by `manage.py load_icd10cm` (not by migrations)."""

    code = models.CharField(max_length=8, unique=True, help_text="With the dot, e.g. M25.562")
    compact = models.CharField(max_length=7, help_text="Without the dot, e.g. M25562")
    description = models.CharField(max_length=300)
    # Lower-cased "code compact description": what the typeahead matches words against.
    search_text = models.CharField(max_length=330, editable=False)

    class Meta:
        ordering = ["code"]
        indexes = [
            # Prefix search ("M25.5" → LIKE 'M255%') must use the index under any collation.
            models.Index(
                fields=["compact"], name="dx_compact_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        # The trigram index on search_text is PostgreSQL-only: see migration 0002.

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Pathway(TimeStampedModel):
    """A clinical pathway for a group of procedure codes (MRI knee, CT head, ...)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PathwayVersion(TimeStampedModel):
    """One immutable version of a pathway: its FHIR Questionnaire and its criteria.

    A case records the exact version it was answered against, so a version's content never
    changes once loaded: a new file version gets a new row.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=20)
    effective_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    procedure_codes = models.ManyToManyField(ProcedureCode, related_name="pathway_versions")
    health_plan = models.ForeignKey(
        "payers.HealthPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathway_versions",
        help_text="Empty: every plan. A plan's own version wins over the general one.",
    )
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    questionnaire = models.JSONField(help_text="FHIR R4 Questionnaire")
    criteria = models.JSONField()
    sources = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64, help_text="Of the file this version was loaded from.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pathway", "-effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "version"], name="pathway_version_once"),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="pathway_age_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway.title} v{self.version}"
