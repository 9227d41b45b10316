from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from localflavor.us.models import USStateField, USZipCodeField

from portal.npi import validate_npi
from portal.roles import OFFICE_ROLES, Role
from portal.time_zones import DEFAULT_TIME_ZONE, US_TIME_ZONES


def validate_modalities(value) -> None:
    """A list of procedure code modalities, each once (clinical.models.ProcedureCode.Modality)."""
    from clinical.models import ProcedureCode  # clinical builds on portal: read when called

    known = set(ProcedureCode.Modality.values)
    if not isinstance(value, list) or any(m not in known for m in value):
        raise ValidationError(f"Choose modalities from: {', '.join(sorted(known))}.")
    if len(set(value)) != len(value):
        raise ValidationError("Each modality once.")


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Office(TimeStampedModel):
    """An ordering practice's account: several users, several practitioners."""

    name = models.CharField(max_length=150)
    address_line1 = models.CharField("address", max_length=150)
    address_line2 = models.CharField("address (line 2)", max_length=150, blank=True)
    city = models.CharField(max_length=80)
    state = USStateField()
    zip_code = USZipCodeField("zip")
    phone = models.CharField(max_length=20)
    phone_ext = models.CharField("ext.", max_length=10, blank=True)
    fax = models.CharField(max_length=20)
    # Pages show times in this zone (portal.middleware); a new office starts with its state's.
    time_zone = models.CharField(
        max_length=40,
        choices=US_TIME_ZONES,
        default=DEFAULT_TIME_ZONE,
        help_text="Dates and times on the portal's pages are shown in this time zone.",
    )

    class Meta:
        constraints = [
            # Every request activates it: a name zoneinfo does not know must never be stored.
            models.CheckConstraint(
                condition=models.Q(time_zone__in=[name for name, _label in US_TIME_ZONES]),
                name="office_time_zone_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # User IDs are case-insensitive: "JSmith" and "jsmith" are the same login.
        return self.get(username__iexact=username)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    facility = models.ForeignKey(
        "portal.DirectoryProvider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The rendering site a facility user works for.",
    )
    phone = models.CharField(max_length=20, blank=True)
    phone_ext = models.CharField("ext.", max_length=10, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the latest invitation link was mailed (sending again replaces it); none for an account
    # that was not invited.
    invited_at = models.DateTimeField(null=True, blank=True)

    objects = PortalUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(OFFICE_ROLES)) | models.Q(office__isnull=False),
                name="user_office_role_has_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.FACILITY) | models.Q(facility__isnull=False),
                name="user_facility_role_has_facility",
            ),
        ]

    @property
    def is_office_user(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def invitation_pending(self) -> bool:
        """Invited, and no password chosen yet."""
        return self.is_active and self.invited_at is not None and not self.has_usable_password()

    @property
    def invitation_expired(self) -> bool:
        # The link's own expiry (PASSWORD_RESET_TIMEOUT) counts from when it was made.
        lifetime = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return self.invitation_pending and timezone.now() > self.invited_at + lifetime


class DirectoryProvider(TimeStampedModel):
    """One record of the provider directory (NPPES-shaped): a practitioner, group or site."""

    class EntityType(models.TextChoices):
        INDIVIDUAL = "1", "Individual"
        ORGANIZATION = "2", "Organization"

    class SiteType(models.TextChoices):
        NONE = "", "Not a rendering site"
        FREESTANDING_IMAGING = "freestanding_imaging", "Freestanding imaging center"
        HOSPITAL_OUTPATIENT = "hospital_outpatient", "Hospital outpatient department"
        PHYSICIAN_OFFICE = "physician_office", "Physician office"

    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    entity_type = models.CharField(max_length=1, choices=EntityType.choices)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    credential = models.CharField(max_length=40, blank=True)
    organization_name = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField("address", max_length=150)
    address_line2 = models.CharField("address (line 2)", max_length=150, blank=True)
    city = models.CharField(max_length=80)
    state = USStateField()
    zip_code = models.CharField("zip", max_length=10, help_text="5 digits, or ZIP+4 as 9 digits")
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    tin = models.CharField("TIN", max_length=9, blank=True)
    taxonomy_code = models.CharField(max_length=10, blank=True)
    site_type = models.CharField(max_length=30, choices=SiteType.choices, blank=True)
    # What a rendering site performs (procedure code modalities: "CT", "MRI", ...). NPPES does
    # not say, so it is kept by hand in the admin; a site with none listed is never offered as
    # an alternative, as nothing says it can do the study.
    modalities = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_modalities],
        help_text="Rendering sites: the modalities performed here.",
    )

    class Meta:
        ordering = ["last_name", "first_name", "organization_name"]
        indexes = [
            models.Index(fields=["state", "zip_code"], name="directory_state_zip"),
            models.Index(fields=["tin"], name="directory_tin"),
            models.Index(Lower("last_name"), name="directory_last_name_lower"),
            models.Index(Lower("organization_name"), name="directory_org_name_lower"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity_type__in=["1", "2"]), name="directory_entity_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (NPI {self.npi})"

    @property
    def display_name(self) -> str:
        if self.entity_type == self.EntityType.ORGANIZATION:
            return self.organization_name
        name = f"{self.last_name}, {self.first_name}".strip(", ")
        return f"{name}, {self.credential}" if self.credential else name

    @property
    def zip5(self) -> str:
        return self.zip_code[:5]


class OfficePractitioner(TimeStampedModel):
    """A practitioner (or group) an office builds cases for."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="practitioners")
    provider = models.ForeignKey(DirectoryProvider, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "provider"], name="office_practitioner_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider.display_name} at {self.office}"


class AccessLog(models.Model):
    """Who read or changed which patient-bearing object, when and from where (HIPAA audit)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        PRINT = "print", "Printed"
        DOWNLOAD = "download", "Downloaded"
        SEARCH = "search", "Searched"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept as text too, so the trail survives the removal of the account.
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="accesslog_object"),
            models.Index(fields=["user", "at"], name="accesslog_user"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.content_type.model} {self.object_id}"
