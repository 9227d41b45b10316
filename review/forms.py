from django import forms
from django.db.models import Q

from cases.models import Urgency
from clinical.models import ProcedureCode
from payers.models import DenialReason, HealthPlan, LineOfBusiness
from review.selectors import CATEGORIES, reviewers
from review.services import ITEM_MAX_CHARS, MAX_ITEMS

NOTE_MAX_CHARS = 2000


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the address (bookmarkable; Back works)."""

    urgency = forms.ChoiceField(
        required=False, choices=_blank("Any urgency", Urgency.choices), label="Urgency"
    )
    plan = forms.ModelChoiceField(
        required=False,
        queryset=HealthPlan.objects.order_by("name"),
        empty_label="Any plan",
        label="Health plan",
    )
    line_of_business = forms.ChoiceField(
        required=False,
        choices=_blank("Any line of business", LineOfBusiness.choices),
        label="Line of business",
    )
    modality = forms.ChoiceField(
        required=False,
        choices=_blank("Any modality", ProcedureCode.Modality.choices),
        label="Modality",
    )
    category = forms.ChoiceField(
        required=False,
        choices=_blank("Every status", [(k, label) for k, (label, _) in CATEGORIES.items()]),
        label="Status",
    )
    assigned = forms.ChoiceField(
        required=False,
        choices=[("", "Anyone's"), ("me", "Assigned to me"), ("unassigned", "Unassigned")],
        label="Assigned",
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note (internal, optional)",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.procedures = list(procedures)
        for p in self.procedures:
            self.fields[f"quantity_{p.pk}"] = forms.IntegerField(
                label=f"Quantity approved: {p.procedure_code.code} "
                f"(requested {p.quantity_requested})",
                min_value=0,
                max_value=p.quantity_requested,
                initial=p.quantity_requested,
            )

    def quantities(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data[f"quantity_{p.pk}"] for p in self.procedures}


class RequestInfoForm(forms.Form):
    items = forms.CharField(
        label="What the office should send (one item per line)",
        max_length=MAX_ITEMS * (ITEM_MAX_CHARS + 2),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Every missing item in one request: at most {MAX_ITEMS} lines of "
        f"{ITEM_MAX_CHARS} characters.",
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("List at least one item.")
        if len(lines) > MAX_ITEMS:
            raise forms.ValidationError(f"At most {MAX_ITEMS} items in one request.")
        long = [n for n, line in enumerate(lines, 1) if len(line) > ITEM_MAX_CHARS]
        if long:
            raise forms.ValidationError(
                f"Line {long[0]} is longer than {ITEM_MAX_CHARS} characters: shorten it."
            )
        return lines


class EscalateForm(forms.Form):
    note = forms.CharField(
        label="For the physician (internal)",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DenyForm(forms.Form):
    reason = forms.ModelChoiceField(
        queryset=DenialReason.objects.none(), label="Reason", empty_label="Choose the reason"
    )
    explanation = forms.CharField(
        label="For this patient, in plain language",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = case.health_plan_id if case is not None else None
        self.fields["reason"].queryset = DenialReason.objects.filter(is_active=True).filter(
            Q(health_plan__isnull=True) | Q(health_plan_id=plan_id)
        )
        self.fields["reason"].label_from_instance = lambda r: f"{r.text} ({r.guideline})"


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(queryset=reviewers(), label="Assign to", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()} ({u.get_role_display()})"
        )


class PublishSlotsForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="First call starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p"],
    )
    minutes = forms.TypedChoiceField(
        label="Each call", choices=[(15, "15 minutes"), (30, "30 minutes")], coerce=int, initial=15
    )
    count = forms.IntegerField(
        label="How many calls in a row", min_value=1, max_value=16, initial=4
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="What the call concluded",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Why (internal)",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
