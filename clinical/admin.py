from django.contrib import admin

from clinical.models import DiagnosisCode, ProcedureCode, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    search_fields = ("name", "code")


@admin.register(ProcedureCode)
class ProcedureCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "description",
        "modality",
        "body_region",
        "contrast",
        "laterality_required",
        "is_active",
    )
    list_filter = (
        "modality",
        "body_region",
        "contrast",
        "laterality_required",
        "is_active",
        "program",
    )
    search_fields = ("code", "description")


@admin.register(DiagnosisCode)
class DiagnosisCodeAdmin(admin.ModelAdmin):
    """ICD-10-CM comes from the official release (`manage.py load_codesets`), not hand edits."""

    list_display = ("code", "description")
    search_fields = ("code", "compact", "description")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
