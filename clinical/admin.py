import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from clinical.models import DiagnosisCode, Pathway, PathwayVersion, ProcedureCode, Program
from portal.lib.admin_rows import LabelledListEditable, LabelledTabularInline


@admin.register(Program)
class ProgramAdmin(LabelledListEditable, admin.ModelAdmin):
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


class PathwayVersionInline(LabelledTabularInline):
    model = PathwayVersion
    fields = ("version", "effective_date", "end_date", "health_plan", "is_active")
    readonly_fields = ("version", "effective_date")
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # versions come from files: manage.py load_pathways


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "version_count")
    search_fields = ("title", "slug")
    readonly_fields = ("slug",)
    inlines = [PathwayVersionInline]

    @admin.display(description="versions")
    def version_count(self, obj):
        return obj.versions.count()

    def has_add_permission(self, request):
        return False


def _pretty_json(value) -> str:
    return format_html(
        '<pre class="pathway-json">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False),
    )


@admin.register(PathwayVersion)
class PathwayVersionAdmin(admin.ModelAdmin):
    """Versions are immutable (cases point at them): read the JSON, switch a version on or off."""

    class Media:
        css = {"all": ("css/admin.css",)}  # the JSON's box: a class, as the CSP allows no style=""

    list_display = ("pathway", "version", "effective_date", "end_date", "health_plan", "is_active")
    list_filter = ("is_active", "pathway", "health_plan")
    search_fields = ("pathway__title", "procedure_codes__code")
    fields = (
        "pathway",
        "version",
        "effective_date",
        "end_date",
        "health_plan",
        "is_active",
        "age_band",
        "codes",
        "sources_list",
        "criteria_json",
        "questionnaire_json",
        "sha256",
    )
    readonly_fields = (
        "pathway",
        "version",
        "effective_date",
        "age_band",
        "codes",
        "sources_list",
        "criteria_json",
        "questionnaire_json",
        "sha256",
    )

    @admin.display(description="age band")
    def age_band(self, obj):
        if obj.age_min is None and obj.age_max is None:
            return "all ages"
        return f"{obj.age_min if obj.age_min is not None else 0} to {obj.age_max or 'any'}"

    @admin.display(description="procedure codes")
    def codes(self, obj):
        return ", ".join(obj.procedure_codes.order_by("code").values_list("code", flat=True))

    @admin.display(description="sources")
    def sources_list(self, obj):
        return format_html_join("", "<div>{}</div>", ((s,) for s in obj.sources))

    @admin.display(description="criteria (JSON)")
    def criteria_json(self, obj):
        return _pretty_json(obj.criteria)

    @admin.display(description="FHIR Questionnaire (JSON)")
    def questionnaire_json(self, obj):
        return _pretty_json(obj.questionnaire)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
