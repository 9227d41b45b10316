"""One form per wizard step (reference/002 "Initiating a case" onwards)."""

from django import forms
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Laterality, Requester, Urgency
from cases.services import ANSWER_MAX_CHARS, requester_refusal, retro_refusal
from clinical.selectors import (
    diagnosis_by_code,
    diagnosis_search,
    procedure_by_code,
    procedure_search,
    programs,
)
from payers.forms import BirthDateField, DateField, DateInput, service_date_error
from payers.models import HealthPlan
from payers.selectors import LookupThrottledError, health_plans, member_lookup, plan_policy
from portal.lib.fields import RowChoiceField, USPhoneField
from portal.models import DirectoryProvider

YES_NO = [("no", "No"), ("yes", "Yes")]
# reference/002 "Medical Review", word for word: what the office confirms before submitting.
ATTESTATION = (
    "I acknowledge that the clinical information submitted to support this authorization "
    "request is accurate and specific to this member, and that all information has been "
    "provided. I have no further information to provide at this time."
)


class ServiceDateField(DateField):
    """A date of service as MM/DD/YYYY, or "TBD" (reference/002: "Procedure Date: TBD"), which
    is no date."""

    widget = DateInput(
        attrs={
            "placeholder": "MM/DD/YYYY or TBD",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[Tt][Bb][Dd]",
            "title": "MM/DD/YYYY, or TBD",
        }
    )

    def to_python(self, value):
        if isinstance(value, str) and value.strip().upper() == "TBD":
            return None
        return super().to_python(value)


def _column(name: str) -> int:
    """The case column's length: what a step accepts must fit where the submission writes it
    (else the final submit fails, after the steps are locked)."""
    return Case._meta.get_field(name).max_length


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.RadioSelect | forms.CheckboxInput | forms.CheckboxSelectMultiple
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ProviderForm(forms.Form):
    """Program, practitioner, health plan and address, and who to contact."""

    program = RowChoiceField(widget=forms.RadioSelect)
    practitioner = forms.ModelChoiceField(
        queryset=DirectoryProvider.objects.none(), empty_label="Select the practitioner"
    )
    health_plan = RowChoiceField(empty_label="Please select a health plan")
    address = forms.ChoiceField(
        label="Practitioner address",
        choices=[
            ("practice", "Practice location on file for the practitioner"),
            ("office", "Our office address"),
        ],
        initial="practice",
        widget=forms.RadioSelect,
    )
    requester = forms.ChoiceField(
        label="You are requesting as",
        choices=Requester.choices,
        initial=Requester.ORDERING,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(label="Who to contact", max_length=_column("contact_name"))
    contact_phone = USPhoneField(label="Phone")
    contact_phone_ext = forms.CharField(
        label="Ext.", max_length=_column("contact_phone_ext"), required=False
    )
    contact_fax = USPhoneField(label="Fax")
    contact_cell = USPhoneField(label="Cell phone", required=False)
    contact_email = forms.EmailField(
        label="Email", max_length=_column("contact_email"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("health_plan")
        if plan is not None and cleaned.get("requester"):
            # The plan's default here; the member's own line of business once the member is known.
            refusal = requester_refusal(
                policy=plan_policy(health_plan=plan, line_of_business=""),
                requester=cleaned["requester"],
                plan=plan,
            )
            if refusal:
                self.add_error("requester", refusal)
        return cleaned

    def __init__(self, *args, practitioners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].set_rows(p for p in programs() if p.is_active)
        self.fields["health_plan"].set_rows(p for p in health_plans() if p.is_active)
        self.fields["practitioner"].queryset = (
            practitioners if practitioners is not None else DirectoryProvider.objects.none()
        )
        self.fields["practitioner"].label_from_instance = lambda p: (
            f"{p.display_name} · NPI {p.npi}"
        )
        _bootstrap(self)


class MemberForm(forms.Form):
    """ "Has this procedure been performed?" and the member's ID, date of birth and last name."""

    performed = forms.ChoiceField(
        label="Has this procedure been performed?",
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    date_of_service = ServiceDateField(
        label="Date of service",
        required=False,
        help_text="Performed: the date it was done (a retrospective request). Not yet: the "
        "planned date if known, or leave it empty or type TBD (the answer is then for today).",
    )
    member_id = forms.CharField(label="Patient ID", max_length=30)
    date_of_birth = BirthDateField(label="Date of birth")
    last_name = forms.CharField(label="Patient last name", max_length=80)

    def __init__(self, *args, health_plan: HealthPlan, user, requester: str = "ordering", **kwargs):
        super().__init__(*args, **kwargs)
        self.health_plan = health_plan
        self.user = user  # whose lookups count against the limit (payers.selectors)
        self.throttled = False
        self.requester = requester
        self.member = None
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        dob, dos = cleaned.get("date_of_birth"), cleaned.get("date_of_service")
        if cleaned.get("performed") != "yes":
            # A planned date (or none: TBD): the rules are applied on it when given.
            if dos is not None and dos < today:
                self.add_error(
                    "date_of_service",
                    "A planned date of service cannot be in the past. If the procedure was "
                    "done, answer Yes above.",
                )
            elif dos is not None:
                error = service_date_error(dos, health_plan=self.health_plan, today=today)
                if error:
                    self.add_error("date_of_service", error)
        elif dos is None:
            self.add_error("date_of_service", "Give the date the procedure was performed.")
        elif dos > today:
            self.add_error(
                "date_of_service", "A performed procedure's date cannot be in the future."
            )
        if self.errors or not cleaned.get("member_id"):
            return cleaned
        try:
            member = member_lookup(
                user=self.user,
                health_plan=self.health_plan,
                member_id=cleaned["member_id"],
                date_of_birth=dob,
                last_name=cleaned["last_name"],
            )
        except LookupThrottledError:
            self.throttled = True
            raise forms.ValidationError(LookupThrottledError.message, code="throttled") from None
        if member is None:
            raise forms.ValidationError(
                "No member of this health plan matches that patient ID, date of birth and "
                "last name. Check the member's ID card.",
                code="no_match",
            )
        self.member = member
        # The member's own line of business decides the retro window and who may request.
        policy = plan_policy(
            health_plan=self.health_plan, line_of_business=member.benefit_plan.line_of_business
        )
        if dos is not None:
            refusal = retro_refusal(dos=dos, policy=policy, plan=self.health_plan, today=today)
            if refusal:
                self.add_error("date_of_service", refusal)
        refusal = requester_refusal(policy=policy, requester=self.requester, plan=self.health_plan)
        if refusal:
            self.add_error(None, f"{refusal} Go back to the first page to change who is asking.")
        return cleaned


class ServiceForm(forms.Form):
    """Procedure by CPT code, quantity, laterality, place; diagnoses by ICD-10-CM code."""

    PLACES = [
        ("outpatient", "Outpatient: imaging center, hospital outpatient department or office"),
        ("emergency", "Emergency room"),
        ("observation", "23-hour observation stay"),
        ("inpatient", "Inpatient stay"),
        ("procedure", "During an interventional procedure or surgery"),
    ]

    # Long enough for words: the field is also the typeahead's search box.
    procedure_code = forms.CharField(label="Procedure (CPT code)", max_length=100)
    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=9, initial=1)
    laterality = forms.ChoiceField(label="Laterality", choices=Laterality.choices, required=False)
    place = forms.ChoiceField(label="Where will it be done?", choices=PLACES, initial="outpatient")
    primary_diagnosis = forms.CharField(label="Primary diagnosis (ICD-10-CM)", max_length=100)
    secondary_diagnosis = forms.CharField(
        label="Secondary diagnosis (optional)", max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        targets = {
            "procedure_code": ("procedure_typeahead", "#procedure-options"),
            "primary_diagnosis": ("diagnosis_typeahead", "#primary-options"),
            "secondary_diagnosis": ("diagnosis_typeahead", "#secondary-options"),
        }
        for name, (url, target) in targets.items():
            self.fields[name].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": reverse(url),
                    "hx-trigger": "input changed delay:200ms",
                    "hx-target": target,
                    "hx-swap": "innerHTML",
                }
            )

    def clean_procedure_code(self):
        typed = self.cleaned_data["procedure_code"].strip()
        procedure = procedure_by_code(typed.upper()) if len(typed) == 5 else None
        if procedure is None:
            raise forms.ValidationError(
                _not_a_code(
                    typed,
                    "an advanced imaging procedure code handled here",
                    procedure_search(typed, limit=SUGGESTIONS),
                )
            )
        return procedure

    def _diagnosis(self, name):
        typed = (self.cleaned_data.get(name) or "").strip()
        if not typed:
            return None
        code = typed.upper()
        if "." not in code and len(code) > 3:
            code = f"{code[:3]}.{code[3:]}"
        diagnosis = diagnosis_by_code(code) if len(code) <= 8 else None
        if diagnosis is None:
            raise forms.ValidationError(
                _not_a_code(
                    typed,
                    "a billable ICD-10-CM code",
                    diagnosis_search(typed, limit=SUGGESTIONS),
                )
            )
        return diagnosis

    def clean_primary_diagnosis(self):
        return self._diagnosis("primary_diagnosis")

    def clean_secondary_diagnosis(self):
        return self._diagnosis("secondary_diagnosis")

    def clean(self):
        cleaned = super().clean()
        procedure = cleaned.get("procedure_code")
        if procedure and procedure.laterality_required and not cleaned.get("laterality"):
            self.add_error(
                "laterality", f"{procedure.code} needs the side: left, right or bilateral."
            )
        if procedure and not procedure.laterality_required:
            cleaned["laterality"] = ""
        return cleaned


SUGGESTIONS = 5


def _not_a_code(typed: str, what: str, matches) -> str:
    """What to say when the box holds words or a wrong code: the codes they match, so the
    page helps without JavaScript (no list appears as you type) as well as with it."""
    if not matches:
        return f"“{typed}” is not {what}, and no code matches it. Try other words or the code."
    found = "; ".join(f"{m.code} ({m.description})" for m in matches)
    return f"“{typed}” is not {what}. Type or pick the code: matching codes are {found}."


class SiteSearchForm(forms.Form):
    """reference/002 "Site Selection": by NPI, TIN, name + zip or name + city."""

    npi = forms.CharField(label="Site NPI", max_length=10, required=False)
    tin = forms.CharField(label="Site TIN", max_length=10, required=False)
    name = forms.CharField(label="Site name", max_length=100, required=False)
    zip_code = forms.CharField(label="Zip", max_length=10, required=False)
    city = forms.CharField(label="City", max_length=80, required=False)
    match = forms.ChoiceField(
        label="Name match",
        choices=[("starts", "Starts with"), ("exact", "Exact")],
        initial="starts",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        has_name = bool(cleaned.get("name"))
        if cleaned.get("npi") or cleaned.get("tin"):
            return cleaned
        if has_name and not (cleaned.get("zip_code") or cleaned.get("city")):
            raise forms.ValidationError(
                "To search by name, add the site's zip code or city (or search by NPI or TIN)."
            )
        if not has_name:
            raise forms.ValidationError(
                "Search by NPI, by TIN, or by name with a zip code or a city."
            )
        return cleaned


class SiteChoiceForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=DirectoryProvider.objects.exclude(site_type=""), widget=forms.HiddenInput
    )
    site_email = forms.EmailField(
        label="Site email (optional)", max_length=_column("site_email"), required=False
    )
    site_of_care_reason = forms.CharField(
        label="Why this hospital outpatient site is needed",
        max_length=_column("site_of_care_reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs_site_of_care_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_site_of_care_reason
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        site = cleaned.get("site")
        if (
            site is not None
            and self.needs_reason
            and site.site_type == DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT
            and not cleaned.get("site_of_care_reason", "").strip()
        ):
            self.add_error(
                "site_of_care_reason",
                "This plan reviews hospital outpatient sites: choose a freestanding imaging "
                "center, or say why the hospital is needed (e.g. sedation, an implanted device, "
                "inpatient follow-up).",
            )
        return cleaned


class ClinicalForm(forms.Form):
    urgency = forms.ChoiceField(
        label="Is this request standard/routine?",
        choices=[(Urgency.STANDARD, "Yes: standard"), (Urgency.URGENT, "No: medically urgent")],
        initial=Urgency.STANDARD,
        widget=forms.RadioSelect,
        help_text="Urgent means a risk to the patient's life, health or ability to regain maximum "
        "function; not scheduling or administrative delays. Urgent requests need at least one "
        "clinical document uploaded.",
    )
    # reference/002 "Medical Review": asked first; Yes offers the notes and the upload.
    additional_info = forms.ChoiceField(
        label="Is there any additional information specific to the member's condition you "
        "would like to provide?",
        choices=YES_NO,
        initial="no",
        # Not required: a post from a page without the question (one open before it was
        # added) counts its notes as a Yes.
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Additional information - notes",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attest = forms.BooleanField(
        label=ATTESTATION,
        error_messages={"required": "Please confirm the attestation to submit."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        notes = cleaned.get("notes", "").strip()
        answer = cleaned.get("additional_info") or ("yes" if notes else "no")
        cleaned["additional_info"] = answer
        if answer == "no" and notes:
            # Never dropped unseen: what was typed is either sent or cleared by the user.
            self.add_error(
                "notes",
                "You answered No to additional information: choose Yes to send these notes, "
                "or clear them.",
            )
        return cleaned


class InformationAnswerForm(forms.Form):
    """The office's answer to a request for information (the documents come as `files`)."""

    text = forms.CharField(
        label="Note for the reviewer",
        required=False,
        max_length=ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReconsiderationForm(InformationAnswerForm):
    text = forms.CharField(
        label="What is new since the denial",
        max_length=ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A physician other than the one who denied the request decides it again.",
    )


class PeerToPeerSlotForm(forms.Form):
    """Step 1 of booking a peer-to-peer: one of the times physicians published."""

    slot = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label="Choose a time",
        empty_label=None,
        error_messages={"invalid_choice": "That time is no longer free: choose another."},
    )

    def __init__(self, *args, **kwargs):
        from cases.models import PeerToPeerSlot

        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = PeerToPeerSlot.objects.filter(
            case__isnull=True, starts_at__gt=timezone.now()
        ).select_related("physician")
        self.fields["slot"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.starts_at):%a %m/%d/%Y %I:%M %p} ({s.minutes} min) with "
            f"Dr. {s.physician.last_name or s.physician.get_username()}"
        )
        _bootstrap(self)


class PeerToPeerCallerForm(forms.Form):
    """Step 2: who takes the call (the ordering physician, or their PA or NP)."""

    caller_name = forms.CharField(
        label="Who will take the call",
        max_length=150,
        help_text="The ordering physician, or their physician assistant or nurse practitioner.",
    )
    caller_phone = USPhoneField(label="Phone number to call")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AppealForm(forms.Form):
    filed_on = DateField(label="Date the appeal was filed with the plan")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
