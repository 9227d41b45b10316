from django.contrib import admin

from clinical.forms import ModalitiesField
from payers.models import (
    BenefitPlan,
    CodeRule,
    DenialReason,
    HealthPlan,
    Member,
    NetworkParticipation,
    PlanPolicy,
    PlanProgram,
)
from portal.lib.admin_rows import LabelledListEditable, LabelledTabularInline
from portal.models import AccessLog
from portal.services import access_log_record


class BenefitPlanInline(LabelledTabularInline):
    model = BenefitPlan
    extra = 0
    fields = (
        "name",
        "line_of_business",
        "member_id_prefix",
        "service_area",
        "managed",
        "not_managed_reason",
    )


class PlanProgramInline(LabelledTabularInline):
    model = PlanProgram
    extra = 0


class PlanPolicyInline(admin.StackedInline):
    model = PlanPolicy
    extra = 0
    show_change_link = True
    fields = (
        "line_of_business",
        "validity_days",
        "standard_turnaround_business_days",
        "urgent_turnaround_hours",
        "retro_window",
        "retro_window_unit",
        "requester",
    )


@admin.register(HealthPlan)
class HealthPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "state", "is_active")
    list_filter = ("is_active", "state")
    search_fields = ("name", "short_name")
    inlines = [BenefitPlanInline, PlanProgramInline, PlanPolicyInline]


@admin.register(BenefitPlan)
class BenefitPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "health_plan", "line_of_business", "member_id_prefix", "managed")
    list_filter = ("health_plan", "line_of_business", "managed")
    search_fields = ("name", "member_id_prefix", "service_area")


@admin.register(PlanProgram)
class PlanProgramAdmin(admin.ModelAdmin):
    list_display = ("health_plan", "program", "line_of_business", "effective_date", "end_date")
    list_filter = ("health_plan", "program", "line_of_business")


@admin.register(CodeRule)
class CodeRuleAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = (
        "procedure_code",
        "health_plan",
        "line_of_business",
        "program",
        "requires_auth",
        "effective_date",
        "end_date",
    )
    list_filter = (
        "health_plan",
        "line_of_business",
        "program",
        "requires_auth",
        "procedure_code__modality",
    )
    list_editable = ("requires_auth", "end_date")
    search_fields = ("procedure_code__code", "procedure_code__description", "note")
    autocomplete_fields = ("procedure_code",)
    list_select_related = ("procedure_code", "health_plan", "program")
    date_hierarchy = "effective_date"


@admin.register(PlanPolicy)
class PlanPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "health_plan",
        "line_of_business",
        "validity_days",
        "standard_turnaround_business_days",
        "urgent_turnaround_hours",
        "retro_window",
        "retro_window_unit",
        "requester",
    )
    list_filter = ("health_plan", "line_of_business", "requester")
    fieldsets = (
        (None, {"fields": ("health_plan", "line_of_business")}),
        (
            "Timing",
            {
                "fields": (
                    "validity_days",
                    "standard_turnaround_business_days",
                    "standard_max_calendar_days",
                    "urgent_turnaround_hours",
                    "info_hold_business_days",
                    "info_hold_urgent_hours",
                    "retro_window",
                    "retro_window_unit",
                )
            },
        ),
        ("Who may request", {"fields": ("requester", "requester_exceptions")}),
        (
            "Settings and sites",
            {
                "fields": (
                    "exclude_emergency",
                    "exclude_observation",
                    "exclude_inpatient",
                    "exclude_procedure",
                    "hospital_outpatient_site_review",
                    "site_of_care_modalities",
                    "out_of_network_notice",
                )
            },
        ),
        (
            "After a decision",
            {
                "fields": (
                    "reconsideration_allowed",
                    "reconsideration_window_days",
                    "p2p_before_decision",
                    "p2p_after_decision",
                    "p2p_consultative_only",
                    "appeal_to_plan",
                    "appeal_window_days",
                )
            },
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "site_of_care_modalities":  # a JSON list, edited as check boxes
            return ModalitiesField(
                label=db_field.verbose_name.capitalize(),
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(NetworkParticipation)
class NetworkParticipationAdmin(admin.ModelAdmin):
    list_display = ("provider", "health_plan", "effective_date", "end_date")
    list_filter = ("health_plan",)
    search_fields = ("provider__npi", "provider__last_name", "provider__organization_name")
    raw_id_fields = ("provider",)
    list_select_related = ("provider", "health_plan")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "member_id",
        "last_name",
        "first_name",
        "date_of_birth",
        "benefit_plan",
        "coverage_start",
        "coverage_end",
    )
    list_filter = ("health_plan", "benefit_plan__line_of_business")
    search_fields = ("member_id", "last_name", "first_name")
    list_select_related = ("benefit_plan__health_plan",)
    raw_id_fields = ("benefit_plan",)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        members = getattr(getattr(response, "context_data", {}).get("cl"), "result_list", ())
        query = request.GET.get("q", "")[:200]
        for member in members:
            access_log_record(
                request=request,
                obj=member,
                action=AccessLog.Action.SEARCH,
                detail=f"admin list q={query}",
            )
        return response

    def history_view(self, request, object_id, extra_context=None):
        member = self.get_object(request, object_id)
        if member is not None:
            access_log_record(request=request, obj=member, detail="admin history")
        return super().history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Member records are patient data: every read is recorded, here as everywhere.
        member = self.get_object(request, object_id)
        if member is not None:
            access_log_record(request=request, obj=member, detail="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DenialReason)
class DenialReasonAdmin(admin.ModelAdmin):
    list_display = ("text", "guideline", "health_plan", "is_active")
    list_filter = ("health_plan", "is_active")
    search_fields = ("text", "guideline")
