from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from localflavor.us.forms import USStateSelect, USZipCodeField
from localflavor.us.us_states import STATE_CHOICES

from portal.lib.fields import NPIField, USPhoneField
from portal.models import Office, User
from portal.roles import Role


def office_fieldset(name_field: str) -> Fieldset:
    """The office block of reference/002's registration form: name, address, phone, fax."""
    return Fieldset(
        "Office",
        name_field,
        Row(
            Column("address_line1", css_class="col-md-6"),
            Column("address_line2", css_class="col-md-6"),
        ),
        Row(
            Column("city", css_class="col-md-5"),
            Column("state", css_class="col-md-4"),
            Column("zip_code", css_class="col-md-3"),
        ),
        Row(
            Column("phone", css_class="col-md-5"),
            Column("phone_ext", css_class="col-md-2"),
            Column("fax", css_class="col-md-5"),
        ),
    )


def _state_field(label="State"):
    return forms.ChoiceField(
        label=label, choices=[("", "Select")] + list(STATE_CHOICES), widget=USStateSelect
    )


class RegistrationForm(forms.Form):
    """reference/002 "Creating an account", plus the password the account needs."""

    username = forms.CharField(
        label="User name",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only. This is your User ID for logging in.",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label="Email", help_text="Pre-authorization notifications are sent to this address."
    )
    email_confirm = forms.EmailField(label="Confirm email")
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    office_name = forms.CharField(label="Office name", max_length=150, required=False)
    address_line1 = forms.CharField(label="Address", max_length=150)
    address_line2 = forms.CharField(label="Address (line 2)", max_length=150, required=False)
    city = forms.CharField(label="City", max_length=80)
    state = _state_field()
    zip_code = USZipCodeField(label="Zip")
    phone = USPhoneField(label="Phone")
    phone_ext = forms.CharField(label="Ext.", max_length=10, required=False)
    fax = USPhoneField(
        label="Fax", help_text="Pre-authorization notifications are faxed to this number."
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "User information",
                Row(Column("username", css_class="col-md-6")),
                Row(
                    Column("email", css_class="col-md-6"),
                    Column("email_confirm", css_class="col-md-6"),
                ),
                Row(
                    Column("first_name", css_class="col-md-6"),
                    Column("last_name", css_class="col-md-6"),
                ),
                Row(
                    Column("password1", css_class="col-md-6"),
                    Column("password2", css_class="col-md-6"),
                ),
            ),
            office_fieldset("office_name"),
            Submit("submit", "Submit registration"),
        )

    def clean_username(self):
        # Whether the User ID is taken is not said here (that would confirm who has an account):
        # services.office_register emails the address given instead.
        username = self.cleaned_data["username"]
        User.username_validator(username)
        return username

    def clean(self):
        cleaned = super().clean()
        email, confirm = cleaned.get("email"), cleaned.get("email_confirm")
        if email and confirm and email.lower() != confirm.lower():
            self.add_error("email_confirm", "The two email addresses do not match.")
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            probe = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def office_data(self) -> dict:
        c = self.cleaned_data
        name = c["office_name"] or f"Office of {c['first_name']} {c['last_name']}"
        keys = (
            "address_line1",
            "address_line2",
            "city",
            "state",
            "zip_code",
            "phone",
            "phone_ext",
            "fax",
        )
        return {"name": name, **{k: c[k] for k in keys}}

    def user_data(self) -> dict:
        keys = ("username", "email", "first_name", "last_name", "phone", "phone_ext", "fax")
        return {k: self.cleaned_data[k] for k in keys}


class LoginForm(AuthenticationForm):
    """reference/002 "Portal Login": User ID, password, HIPAA agreement, remember user ID."""

    hipaa_agree = forms.BooleanField(
        label="I agree to the HIPAA disclosure",
        error_messages={"required": "You must agree to the HIPAA disclosure to log in."},
    )
    remember_user_id = forms.BooleanField(label="Remember User ID", required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The User ID or password is not right. Both are case-sensitive "
        "except the User ID.",
        "inactive": "This account has been deactivated. Please ask your office administrator.",
        "unconfirmed": "Please confirm your email address first: use the link we emailed you. "
        "Lost it? Ask for a new one below.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User ID"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "username",
            "password",
            "hipaa_agree",
            HTML(
                '<p class="small text-body-secondary">'
                '<a href="#hipaa-disclosure" data-bs-toggle="collapse" role="button" '
                'aria-expanded="false" aria-controls="hipaa-disclosure">Read the HIPAA disclosure'
                "</a></p>"
            ),
            "remember_user_id",
            Submit("submit", "Log in", css_class="w-100"),
        )

    def clean(self):
        # Check the box first, so nobody types a password only to be told about the box after.
        if not self.cleaned_data.get("hipaa_agree"):
            return self.cleaned_data
        return super().clean()

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if user.role and not user.email_confirmed:
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class ResendConfirmationForm(forms.Form):
    username = forms.CharField(label="User ID", max_length=150)


class PractitionerSearchForm(forms.Form):
    """reference/002 "Add Practitioner": NPI, state and zip find the directory record."""

    npi = NPIField(label="Practitioner NPI")
    state = _state_field("Practitioner state")
    zip_code = USZipCodeField(label="Practitioner zip")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("npi", css_class="col-md-4"),
                Column("state", css_class="col-md-4"),
                Column("zip_code", css_class="col-md-4"),
            ),
            Submit("find", "Find matches"),
        )


class InviteUserForm(forms.ModelForm):
    role = forms.ChoiceField(
        choices=[
            (Role.OFFICE_STAFF, Role.OFFICE_STAFF.label),
            (Role.OFFICE_ADMIN, Role.OFFICE_ADMIN.label),
        ],
        initial=Role.OFFICE_STAFF,
    )
    phone = USPhoneField(required=False)

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "phone", "role"]
        labels = {"username": "User name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "first_name", "last_name"):
            self.fields[name].required = True
        self.fields["username"].help_text = "The new user's User ID for logging in."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("username", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            Row(
                Column("first_name", css_class="col-md-6"),
                Column("last_name", css_class="col-md-6"),
            ),
            Row(Column("phone", css_class="col-md-6"), Column("role", css_class="col-md-6")),
            Submit("submit", "Send invitation"),
        )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That user name is taken. Please choose another.")
        return username

    def invite_data(self) -> dict:
        keys = ("username", "email", "first_name", "last_name", "phone", "role")
        return {k: self.cleaned_data[k] for k in keys}


class ProfileForm(forms.ModelForm):
    phone = USPhoneField(required=False)
    fax = USPhoneField(required=False)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "phone_ext", "fax"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Your details",
                Row(
                    Column("first_name", css_class="col-md-6"),
                    Column("last_name", css_class="col-md-6"),
                ),
                Row(
                    Column("phone", css_class="col-md-5"),
                    Column("phone_ext", css_class="col-md-2"),
                    Column("fax", css_class="col-md-5"),
                ),
            )
        )


class OfficeForm(forms.ModelForm):
    phone = USPhoneField()
    fax = USPhoneField()

    class Meta:
        model = Office
        fields = [
            "name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "zip_code",
            "phone",
            "phone_ext",
            "fax",
            "time_zone",
        ]
        labels = {"name": "Office name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        office = office_fieldset("name")
        office.fields.append(Row(Column("time_zone", css_class="col-md-6")))
        self.helper.layout = Layout(office)
