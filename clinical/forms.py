from django import forms

from clinical.models import ProcedureCode


class ModalitiesField(forms.MultipleChoiceField):
    """Modalities as check boxes, kept as a list in the choices' order (a JSONField in the
    model: rendering sites, the plan's site-of-care modalities)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=ProcedureCode.Modality.choices, **kwargs)

    def clean(self, value):
        chosen = set(super().clean(value))
        return [m for m in ProcedureCode.Modality.values if m in chosen]


class CaseFactsForm(forms.Form):
    """The case facts a pathway may depend on (the wizard fills them from the case itself)."""

    age = forms.IntegerField(label="Patient age (years)", min_value=0, max_value=120, initial=45)
    sex = forms.ChoiceField(
        label="Sex", choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")], initial="F"
    )
    procedure = forms.ChoiceField(label="Procedure code")
    diagnoses = forms.CharField(
        label="Diagnosis codes (ICD-10-CM, optional)",
        required=False,
        max_length=60,
        help_text="Separate several with commas, e.g. C34.90, R91.1",
    )

    def clean_diagnoses(self):
        codes = [c.strip().upper() for c in self.cleaned_data["diagnoses"].split(",") if c.strip()]
        if any(len(c) > 8 or not c[:1].isalpha() for c in codes):
            raise forms.ValidationError(
                "Enter ICD-10-CM codes such as C34.90, separated by commas."
            )
        return tuple(codes)

    def __init__(self, *args, procedure_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [
            (p.code, f"{p.code} {p.description}") for p in procedure_codes
        ]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if name == "age":
                field.widget.attrs.update(inputmode="numeric")
