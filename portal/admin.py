from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from clinical.forms import ModalitiesField
from portal.models import AccessLog, DirectoryProvider, Office, OfficePractitioner, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "office", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name", "office__name")
    raw_id_fields = ("office", "facility", "invited_by")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            "Portal",
            {
                "fields": (
                    "role",
                    "office",
                    "facility",
                    "phone",
                    "phone_ext",
                    "fax",
                    "email_confirmed_at",
                    "invited_by",
                )
            },
        ),
    )


class OfficePractitionerInline(admin.TabularInline):
    model = OfficePractitioner
    raw_id_fields = ("provider", "added_by")
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "state", "phone", "created")
    search_fields = ("name", "city", "zip_code")
    list_filter = ("state",)
    inlines = [OfficePractitionerInline]


@admin.register(DirectoryProvider)
class DirectoryProviderAdmin(admin.ModelAdmin):
    list_display = ("npi", "display_name", "entity_type", "site_type", "city", "state", "zip_code")
    list_filter = ("entity_type", "site_type", "state")
    search_fields = ("npi", "last_name", "first_name", "organization_name", "tin", "zip_code")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "modalities":  # a JSON list, edited as check boxes
            return ModalitiesField(
                label=db_field.verbose_name.capitalize(),
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The audit trail is evidence: it can be read and searched, never edited or deleted."""

    list_display = ("at", "username", "action", "content_type", "object_id", "ip_address", "path")
    list_filter = ("action", "content_type")
    search_fields = ("username", "object_id", "ip_address")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
