from django import forms


class CaseFactsForm(forms.Form):
    """The case facts a pathway may depend on (the wizard fills them from the case itself)."""

    age = forms.IntegerField(label="Patient age (years)", min_value=0, max_value=120, initial=45)
    sex = forms.ChoiceField(
        label="Sex", choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")], initial="F"
    )
    procedure = forms.ChoiceField(label="Procedure code")

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
