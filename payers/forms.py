from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinical.models import ProcedureCode
from payers import selectors
from payers.models import HealthPlan

DATE_INPUTS = ["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"]


class DateInput(forms.DateInput):
    """A text box for MM/DD/YYYY, not the browser's date input: that one sends an impossible
    date (02/31) as empty, so the page could only say "required" and lose what was typed."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "placeholder": "MM/DD/YYYY",
            "inputmode": "numeric",
            "autocomplete": "off",
            # Shape only (1-2 digits / 1-2 digits / 4 digits, or YYYY-MM-DD): whether the day
            # exists is the server's to say, in words, with what was typed kept.
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
            "title": "MM/DD/YYYY",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%m/%d/%Y", **kwargs)


class DateField(forms.DateField):
    """A date typed as MM/DD/YYYY (or YYYY-MM-DD); one that does not exist is said to be so."""

    widget = DateInput
    default_error_messages = {
        "invalid": "That is not a real date (check the month and day): enter it as MM/DD/YYYY."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUTS)
        super().__init__(**kwargs)


# A date of birth further back than this is a typing error, not a patient.
OLDEST_AGE_YEARS = 125


class BirthDateField(DateField):
    """A date of birth: not in the future, not more than 125 years ago."""

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS, day=min(today.day, 28))
        if value < oldest:
            raise forms.ValidationError(
                f"A date of birth more than {OLDEST_AGE_YEARS} years ago is not right: check "
                "the year (MM/DD/YYYY)."
            )


def service_date_error(dos, *, health_plan, today) -> str:
    """Why the plan's rules cannot answer for that date of service (empty when they can)."""
    earliest, latest = selectors.service_dates(health_plan=health_plan, today=today)
    if dos < earliest:
        return (
            f"{health_plan.name} takes requests for services on or after {earliest:%m/%d/%Y} "
            "(its longest retrospective window). For an earlier service, follow the plan's "
            "post-service (claim) review instructions."
        )
    if dos > latest:
        return (
            f"A date of service more than a year ahead ({latest:%m/%d/%Y}) cannot be answered "
            "yet: the plan's lists for that date are not known. Check the year."
        )
    return ""


class EligibilityLookupForm(forms.Form):
    """reference/002 "Eligibility Look Up": health plan, patient ID, date of birth."""

    health_plan = forms.ModelChoiceField(
        queryset=HealthPlan.objects.filter(is_active=True),
        empty_label="Please select a health plan",
    )
    member_id = forms.CharField(label="Patient ID", max_length=30)
    date_of_birth = BirthDateField(label="Date of birth")
    date_of_service = DateField(
        label="Date of service",
        input_formats=DATE_INPUTS,
        widget=DateInput(),
        required=False,
        help_text="Leave empty for today.",
    )

    procedure_code = forms.CharField(
        label="Procedure code (CPT)",
        max_length=5,
        required=False,
        help_text="Optional: also tells whether this code needs authorization.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("health_plan", css_class="col-md-6"),
                Column("member_id", css_class="col-md-6"),
            ),
            Row(
                Column("date_of_birth", css_class="col-md-4"),
                Column("date_of_service", css_class="col-md-4"),
                Column("procedure_code", css_class="col-md-4"),
            ),
            Submit("lookup", "Eligibility lookup"),
        )

    def clean_procedure_code(self):
        code = self.cleaned_data["procedure_code"].strip().upper()
        if not code:
            return None
        procedure = (
            ProcedureCode.objects.filter(code=code, is_active=True)
            .select_related("program")
            .first()
        )
        if procedure is None:
            raise forms.ValidationError(
                f"{code} is not an advanced imaging code handled here, so this portal does not "
                "require authorization for it. Check the code, or leave it empty."
            )
        return procedure

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        dos, plan = cleaned.get("date_of_service"), cleaned.get("health_plan")
        if dos and plan:
            error = service_date_error(dos, health_plan=plan, today=today)
            if error:
                self.add_error("date_of_service", error)
        if not cleaned.get("date_of_service") and "date_of_service" not in self.errors:
            cleaned["date_of_service"] = today
        return cleaned
